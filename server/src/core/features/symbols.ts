// Document symbols: the entities this brief mentions, grouped by kind (People, Organisations, …); each entity's
// symbol sits at its first mention, with the number of mentions as detail.
import type { DocumentAnalysis } from '../analysis/types';
import type { Corpus, EntityKind } from '../types';
import { ENTITY_KINDS } from '../types';
import { rangeOf } from './mentionAt';
import type { Range } from './text';

export interface DocumentSymbolResult {
  name: string;
  detail?: string;
  /** LSP SymbolKind. */
  kind: number;
  range: Range;
  selectionRange: Range;
  children?: DocumentSymbolResult[];
}

/** LSP SymbolKind per entity kind (also used by workspace symbols). */
export const SYMBOL_KIND: Record<EntityKind, number> = {
  person: 19, // Object
  organisation: 2, // Module
  agreement: 23, // Struct
  meeting: 24, // Event
  place: 4, // Package
  topic: 15, // String
};

export const KIND_GROUP: Record<EntityKind, string> = {
  person: 'People', organisation: 'Organisations', agreement: 'Agreements', meeting: 'Meetings', place: 'Places', topic: 'Topics',
};

export function provideDocumentSymbols(analysis: DocumentAnalysis, corpus: Corpus): DocumentSymbolResult[] {
  const first = new Map<string, { start: number; end: number; last: number; count: number }>();
  for (const m of analysis.mentions) {
    if (m.entityIds.length !== 1) continue; // ambiguous or unresolved: not a symbol of one entity
    const id = m.entityIds[0]!;
    const seen = first.get(id);
    if (seen) {
      seen.count++;
      seen.last = m.end;
    } else first.set(id, { start: m.start, end: m.end, last: m.end, count: 1 });
  }
  const groups = new Map<EntityKind, { children: DocumentSymbolResult[]; start: number; end: number }>();
  for (const [id, at] of first) {
    const entity = corpus.byId.get(id);
    if (!entity) continue;
    let g = groups.get(entity.kind);
    if (!g) groups.set(entity.kind, (g = { children: [], start: at.start, end: at.last }));
    g.start = Math.min(g.start, at.start);
    g.end = Math.max(g.end, at.last);
    const selection = rangeOf(analysis, at.start, at.end);
    g.children.push({
      name: entity.name,
      detail: at.count === 1 ? '1 mention' : `${at.count} mentions`,
      kind: SYMBOL_KIND[entity.kind] ?? 19,
      range: selection,
      selectionRange: selection,
    });
  }
  const out: DocumentSymbolResult[] = [];
  for (const kind of ENTITY_KINDS) {
    const g = groups.get(kind);
    if (!g) continue;
    const range = rangeOf(analysis, g.start, g.end);
    out.push({
      name: KIND_GROUP[kind],
      detail: `${g.children.length}`,
      kind: 3, // Namespace
      range,
      selectionRange: g.children[0]!.selectionRange,
      children: g.children,
    });
  }
  return out;
}
