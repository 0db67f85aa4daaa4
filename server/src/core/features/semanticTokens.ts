// Semantic tokens: each mention coloured by its entity's kind (legend in protocol.ts), ambiguous mentions with
// their own type, wikilinks with the `wikilink` modifier. A mention that wraps onto the next line is split into one
// token per line (clients need not support multi-line tokens). Full document or a range.
import type { DocumentAnalysis } from '../analysis/types';
import type { Corpus, EntityKind } from '../types';
import { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES } from '../../protocol';
import type { Range } from './text';

const TYPE_INDEX: Record<EntityKind, number> = {
  person: SEMANTIC_TOKEN_TYPES.indexOf('jpmgPerson'),
  organisation: SEMANTIC_TOKEN_TYPES.indexOf('jpmgOrganisation'),
  agreement: SEMANTIC_TOKEN_TYPES.indexOf('jpmgAgreement'),
  meeting: SEMANTIC_TOKEN_TYPES.indexOf('jpmgMeeting'),
  place: SEMANTIC_TOKEN_TYPES.indexOf('jpmgPlace'),
  topic: SEMANTIC_TOKEN_TYPES.indexOf('jpmgTopic'),
};
const AMBIGUOUS = SEMANTIC_TOKEN_TYPES.indexOf('jpmgAmbiguous');
const WIKILINK = 1 << SEMANTIC_TOKEN_MODIFIERS.indexOf('wikilink');

export const SEMANTIC_TOKENS_LEGEND = {
  tokenTypes: [...SEMANTIC_TOKEN_TYPES] as string[],
  tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] as string[],
};

export function provideSemanticTokens(analysis: DocumentAnalysis, corpus: Corpus, range?: Range): { data: number[] } {
  const data: number[] = [];
  let lastLine = 0;
  let lastChar = 0;
  const lineIndex = analysis.lineIndex;
  const from = range ? lineIndex.offsetAt(range.start) : 0;
  const to = range ? lineIndex.offsetAt(range.end) : Infinity;
  for (const m of analysis.mentions) {
    if (m.end <= from) continue;
    if (m.start >= to) break;
    let type: number;
    if (m.entityIds.length === 0) continue;
    if (m.entityIds.length > 1) type = AMBIGUOUS;
    else {
      const entity = corpus.byId.get(m.entityIds[0]!);
      if (!entity) continue;
      type = TYPE_INDEX[entity.kind] ?? AMBIGUOUS;
    }
    const modifiers = m.form === 'wikilink' ? WIKILINK : 0;
    const start = lineIndex.positionAt(m.start);
    const end = lineIndex.positionAt(m.end);
    for (let line = start.line; line <= end.line; line++) {
      const startChar = line === start.line ? start.character : 0;
      const endChar = line === end.line ? end.character : lineEnd(analysis, line);
      const length = endChar - startChar;
      if (length <= 0) continue;
      const deltaLine = line - lastLine;
      data.push(deltaLine, deltaLine === 0 ? startChar - lastChar : startChar, length, type, modifiers);
      lastLine = line;
      lastChar = startChar;
    }
  }
  return { data };
}

/** Length of a line's content (without its line break). */
function lineEnd(analysis: DocumentAnalysis, line: number): number {
  const lineIndex = analysis.lineIndex;
  const start = lineIndex.offsetAt({ line, character: 0 });
  const next = line + 1 < lineIndex.lineCount ? lineIndex.offsetAt({ line: line + 1, character: 0 }) : analysis.text.length;
  let end = next;
  if (end > start && analysis.text.charCodeAt(end - 1) === 10) end--;
  if (end > start && analysis.text.charCodeAt(end - 1) === 13) end--;
  return end - start;
}
