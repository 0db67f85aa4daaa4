// Workspace symbols: corpus entities whose name, alias or id matches the query (normalised; word prefix first,
// then substring), capped; each located at its corpus entry.
import type { Corpus } from '../types';
import type { ProtocolLocation } from '../../protocol';
import { corpusView } from './corpusView';
import { SYMBOL_KIND } from './symbols';

export const MAX_WORKSPACE_SYMBOLS = 200;

export interface SymbolInformationResult {
  name: string;
  kind: number;
  location: ProtocolLocation;
  containerName?: string;
}

export function provideWorkspaceSymbols(query: string, corpus: Corpus, limit = MAX_WORKSPACE_SYMBOLS): SymbolInformationResult[] {
  const view = corpusView(corpus);
  const { hits } = view.search().query(query, limit, { substring: true });
  return hits.map((h) => ({
    name: h.entity.name,
    kind: SYMBOL_KIND[h.entity.kind] ?? 19,
    location: view.locationOf(h.entity),
    containerName: h.matched !== h.entity.name ? `${h.entity.kind} · ${h.matched}` : h.entity.kind,
  }));
}
