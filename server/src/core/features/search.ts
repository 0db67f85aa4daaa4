// `jpmg/searchEntities`: the quick pick behind "Insert entity reference" — names, aliases and ids, normalised,
// word prefix first then substring; an empty query lists entities by name.
import type { Corpus } from '../types';
import type { SearchEntitiesParams, SearchEntitiesResult } from '../../protocol';
import { corpusView } from './corpusView';

export const DEFAULT_SEARCH_LIMIT = 200;
const MAX_SEARCH_LIMIT = 5000;

export function searchEntities(params: SearchEntitiesParams, corpus: Corpus): SearchEntitiesResult {
  const view = corpusView(corpus);
  const limit = Math.max(1, Math.min(MAX_SEARCH_LIMIT, Math.floor(params.limit ?? DEFAULT_SEARCH_LIMIT)));
  const { hits } = view.search().query(String(params.query ?? ''), limit, { substring: true });
  return { entities: hits.map((h) => view.summaryOf(h.entity)) };
}
