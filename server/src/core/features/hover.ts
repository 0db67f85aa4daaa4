// Hover on a mention: the entity's card (entityCard.ts), or for an ambiguous mention the list of candidates.
import type { DocumentAnalysis } from '../analysis/types';
import type { Corpus } from '../types';
import { candidateLine, renderCard } from './entityCard';
import { escapeMarkdown as md } from './markdown';
import { mentionAt, rangeOf } from './mentionAt';
import type { Position, Range } from './text';

export interface HoverResult {
  contents: { kind: 'markdown'; value: string };
  range: Range;
}

export function provideHover(analysis: DocumentAnalysis, corpus: Corpus, position: Position): HoverResult | undefined {
  const mention = mentionAt(analysis, analysis.lineIndex.offsetAt(position));
  if (!mention) return undefined;
  const entities = mention.entityIds.map((id) => corpus.byId.get(id)).filter((e) => e !== undefined);
  if (entities.length === 0) return undefined;
  let value: string;
  if (entities.length === 1) value = renderCard(entities[0]!, corpus);
  else {
    const shown = mention.form === 'wikilink' ? mention.target?.text ?? mention.matched : analysis.text.slice(mention.start, mention.end);
    value = [`**“${md(shown)}”** may refer to ${entities.length} entities:`, '', ...entities.map((e) => candidateLine(e, corpus))].join('\n');
  }
  return { contents: { kind: 'markdown', value }, range: rangeOf(analysis, mention.start, mention.end) };
}
