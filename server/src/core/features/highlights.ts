// Document highlights: the other mentions, in this brief, of the entity under the cursor.
import type { DocumentAnalysis } from '../analysis/types';
import { mentionAt, rangeOf } from './mentionAt';
import type { Position, Range } from './text';

export interface HighlightResult {
  range: Range;
  /** 1 Text, 2 Read, 3 Write. */
  kind: number;
}

export function provideHighlights(analysis: DocumentAnalysis, position: Position): HighlightResult[] {
  const mention = mentionAt(analysis, analysis.lineIndex.offsetAt(position));
  if (!mention || mention.entityIds.length === 0) return [];
  const ids = new Set(mention.entityIds);
  const out: HighlightResult[] = [];
  for (const m of analysis.mentions) {
    if (m.entityIds.some((id) => ids.has(id))) out.push({ range: rangeOf(analysis, m.start, m.end), kind: m.form === 'wikilink' ? 2 : 1 });
  }
  return out;
}
