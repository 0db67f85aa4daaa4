// Language features for the corpus YAML files themselves (corpus/*.yaml, .jpmg/**/*.yaml): problems as
// diagnostics, and on a cross-reference (`entity:`, `organisation:`, `source:` …) completion of ids, hover with the
// target's card, and go to definition. Pure: text and offsets in, plain LSP-shaped values out.
//
// References are found by scanning the current line backwards from the cursor, not by parsing: while the user types
// `entity: ge` the document is often not valid YAML, and completion must still work. The scan is bounded by the
// line, so it is linear and safe on hostile text.
import { isMap, isScalar, visit } from 'yaml';
import { parseDocumentSafely } from './yamlGuard';
import type { Corpus, CorpusProblem, Entity, EntityKind, SourceDocument } from './types';
import { isWordCodePoint } from './normalize';
import { findQuote } from './corpus/index';
import { createLineIndex } from './analysis/lineIndex';
import { escapeMarkdown } from './features/markdown';
import { renderCard as hoverCard } from './features/entityCard';

export { escapeMarkdown };

/** Keys whose value is an entity id. */
const ENTITY_KEYS = new Set(['entity', 'organisation', 'organization', 'place', 'parent']);
/** Keys whose value is a source id. */
const SOURCE_KEYS = new Set(['source']);
/** How far back (UTF-16 units) the key scan looks on one line. */
const MAX_SCAN = 400;

export interface Span {
  start: number;
  end: number;
}

/** A cross-reference under the cursor: the id's span and what kind of thing it names. */
export interface YamlReference extends Span {
  /** `entity`: an entity id; `source`: a source id; `id`: the defining `id:` of an entity. */
  target: 'entity' | 'source' | 'id';
  key: string;
  id: string;
}

export interface PlainRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface PlainDiagnostic {
  range: PlainRange;
  severity: 1 | 2 | 3 | 4;
  code: string;
  source: 'jpmg';
  message: string;
}

export interface PlainCompletionItem {
  label: string;
  /** LSP CompletionItemKind: 18 Reference, 17 File. */
  kind: number;
  detail: string;
  documentation?: { kind: 'markdown'; value: string };
  filterText: string;
  sortText: string;
  /** Replaces the id typed so far (and the rest of it after the cursor). */
  replace: Span;
  insertText: string;
}

export interface PlainLocation {
  file: string;
  line: number;
  character: number;
}

/** Renders an entity's hover card as escaped Markdown (the hover feature's renderer, injected by the caller). */
export type CardRenderer = (entity: Entity, corpus: Corpus) => string;

// ---- diagnostics ----

/** The corpus problems of one file, as diagnostics at their exact ranges. */
export function corpusDiagnostics(problems: readonly CorpusProblem[], file: string): PlainDiagnostic[] {
  const out: PlainDiagnostic[] = [];
  for (const p of problems) {
    if (p.file !== file) continue;
    const endLine = p.endLine ?? p.line;
    const endCharacter = p.endColumn ?? (p.endLine === undefined ? p.column + 1 : p.column);
    out.push({
      range: { start: { line: p.line, character: p.column }, end: { line: endLine, character: endCharacter } },
      severity: p.severity === 'error' ? 1 : p.severity === 'warning' ? 2 : 3,
      code: p.code,
      source: 'jpmg',
      message: p.message,
    });
  }
  return out;
}

// ---- reference detection ----

/** The cross-reference at `offset`, if the cursor is on (or at the end of) an id in a reference field. */
export function referenceAt(text: string, offset: number): YamlReference | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  let start = offset;
  while (start > 0 && offset - start < MAX_SCAN && isIdUnit(text, start - 1)) start--;
  let end = offset;
  while (end < text.length && end - offset < MAX_SCAN && isIdUnit(text, end)) end++;
  if (end === start) return undefined;
  const key = keyBefore(text, start);
  if (key === undefined) return undefined;
  const id = text.slice(start, end);
  if (ENTITY_KEYS.has(key)) return { target: 'entity', key, id, start, end };
  if (SOURCE_KEYS.has(key)) return { target: 'source', key, id, start, end };
  if (key === 'id') return { target: 'id', key, id, start, end };
  return undefined;
}

/** The key of the `key: value` pair whose value starts at `valueStart`, scanning back on the same line. */
function keyBefore(text: string, valueStart: number): string | undefined {
  let p = valueStart;
  const limit = Math.max(0, valueStart - MAX_SCAN);
  if (p > limit && (text[p - 1] === '"' || text[p - 1] === "'")) p--;
  while (p > limit && (text[p - 1] === ' ' || text[p - 1] === '\t')) p--;
  if (p <= limit || text[p - 1] !== ':') return undefined;
  p--;
  while (p > limit && (text[p - 1] === ' ' || text[p - 1] === '\t')) p--;
  const keyEnd = p;
  while (p > limit && /[A-Za-z_]/.test(text[p - 1]!)) p--;
  if (p === keyEnd) return undefined;
  // Before the key: start of line, indentation, a sequence dash, or a flow-mapping opener/separator.
  const before = p > 0 ? text[p - 1]! : '\n';
  if (!' \t\n\r-{,'.includes(before)) return undefined;
  return text.slice(p, keyEnd);
}

function isIdUnit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 0x2d || c === 0x2e || c === 0x5f) return true; // - . _
  if (c >= 0xdc00 && c <= 0xdfff && i > 0) return isWordCodePoint(text.codePointAt(i - 1)!);
  return isWordCodePoint(text.codePointAt(i)!);
}

// ---- completion ----

/** Parent fields whose `entity:` items are usually of one kind: those rank first in completion. */
const FIELD_KINDS: Record<string, EntityKind> = {
  participants: 'person', organisations: 'organisation', organisation: 'organisation', parent: 'organisation',
  parties: 'organisation', agreements: 'agreement', topics: 'topic', place: 'place',
};

/** At most this many entity ids per completion answer; the list is then marked incomplete (asked again as one types). */
export const MAX_YAML_COMPLETION_ITEMS = 200;

export interface PlainCompletionList {
  items: PlainCompletionItem[];
  /** True when entities were left out: the client must ask again as the prefix grows. */
  isIncomplete: boolean;
}

/** Completion of entity ids (or source ids) when the cursor is in a reference field's value (items only). */
export function completeCorpusYaml(
  text: string, offset: number, corpus: Corpus, renderCard?: CardRenderer,
): PlainCompletionItem[] | undefined {
  return completeCorpusYamlList(text, offset, corpus, renderCard)?.items;
}

/**
 * Completion of entity ids (or source ids) when the cursor is in a reference field's value. Entities are ranked by
 * how the typed prefix matches (id starts with it; a word of the name or an alias starts with it; id, name or an
 * alias contains it; no match), then the enclosing field's kind first, then id; at most
 * MAX_YAML_COMPLETION_ITEMS are returned — a 100,000-entity overlay must not put 100,000 items on the wire.
 */
export function completeCorpusYamlList(
  text: string, offset: number, corpus: Corpus, renderCard?: CardRenderer,
): PlainCompletionList | undefined {
  let start = offset;
  while (start > 0 && offset - start < MAX_SCAN && isIdUnit(text, start - 1)) start--;
  let end = offset;
  while (end < text.length && end - offset < MAX_SCAN && isIdUnit(text, end)) end++;
  const key = keyBefore(text, start);
  if (key === undefined) return undefined;
  const replace = { start, end };
  if (SOURCE_KEYS.has(key)) {
    const items = [...corpus.sources.values()].map((s, i) => ({
      label: s.id,
      kind: 17,
      detail: `${s.publisher}, ${s.date}`,
      documentation: { kind: 'markdown' as const, value: sourceCard(s) },
      filterText: s.id,
      sortText: String(i).padStart(5, '0'),
      replace,
      insertText: s.id,
    }));
    return { items, isIncomplete: false };
  }
  if (!ENTITY_KEYS.has(key)) return undefined;
  const preferred = key === 'entity' ? FIELD_KINDS[enclosingField(text, start) ?? ''] : FIELD_KINDS[key];
  const prefix = text.slice(start, offset).toLowerCase();
  const { sorted, lowered } = completionIndex(corpus);
  // Buckets by (match tier, preferred kind), each filled in id order and never past the cap: linear, no sort.
  const buckets: Entity[][] = Array.from({ length: 8 }, () => []);
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    const tier = prefix === '' ? 0 : matchTier(e.id, lowered[i]!, prefix);
    const bucket = buckets[tier * 2 + (preferred && e.kind === preferred ? 0 : 1)]!;
    if (bucket.length < MAX_YAML_COMPLETION_ITEMS) bucket.push(e);
  }
  const chosen: { e: Entity; rank: number }[] = [];
  for (let b = 0; b < buckets.length && chosen.length < MAX_YAML_COMPLETION_ITEMS; b++) {
    for (const e of buckets[b]!) {
      if (chosen.length >= MAX_YAML_COMPLETION_ITEMS) break;
      chosen.push({ e, rank: b });
    }
  }
  const items = chosen.map(({ e, rank }) => ({
    label: e.id,
    kind: 18,
    detail: `${e.kind} · ${oneLine(e.name)}`,
    documentation: renderCard ? { kind: 'markdown' as const, value: renderCard(e, corpus) } : undefined,
    filterText: [e.id, e.name, ...e.aliases.map((a) => a.text)].map(oneLine).join(' '),
    sortText: `${rank}${e.id}`,
    replace,
    insertText: e.id,
  }));
  return { items, isIncomplete: sorted.length > items.length };
}

/** 0: the id starts with the prefix; 1: a word of the name or an alias does; 2: any of them contains it; 3: none. */
function matchTier(id: string, names: string, prefix: string): number {
  if (id.startsWith(prefix)) return 0;
  const at = names.indexOf(prefix);
  if (at < 0) return id.includes(prefix) ? 2 : 3;
  for (let i = at; i >= 0; i = names.indexOf(prefix, i + 1)) {
    if (i === 0 || !isWordCodePoint(names.codePointAt(i - 1)!)) return 1;
  }
  return 2;
}

interface CompletionIndex {
  /** The corpus's entities in id order. */
  sorted: Entity[];
  /** For each, its name and aliases, lower-cased, one per line. */
  lowered: string[];
}

/** Built once per corpus (a corpus object is never mutated; a reload makes a new one). */
const completionIndexes = new WeakMap<Corpus, CompletionIndex>();

function completionIndex(corpus: Corpus): CompletionIndex {
  let index = completionIndexes.get(corpus);
  if (!index) {
    const sorted = [...corpus.entities].sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const lowered = sorted.map((e) => [e.name, ...e.aliases.map((a) => a.text)].join('\n').toLowerCase());
    index = { sorted, lowered };
    completionIndexes.set(corpus, index);
  }
  return index;
}

/** The nearest less-indented `field:` line above (e.g. `participants:` for an `- entity:` item). */
function enclosingField(text: string, offset: number): string | undefined {
  let lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = indentOf(text, lineStart);
  for (let scanned = 0; lineStart > 0 && scanned < 50; scanned++) {
    const prevEnd = lineStart - 1;
    const prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
    lineStart = prevStart;
    const line = text.slice(prevStart, Math.min(prevEnd, prevStart + MAX_SCAN)).replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (indentOf(text, prevStart) >= indent) continue;
    const m = /^\s*(?:-\s+)?([A-Za-z_]+):\s*$/.exec(line);
    return m ? m[1] : undefined;
  }
  return undefined;
}

function indentOf(text: string, lineStart: number): number {
  let i = lineStart;
  while (i < text.length && (text[i] === ' ' || text[i] === '-') && i - lineStart < MAX_SCAN) i++;
  return i - lineStart;
}

// ---- hover ----

/** Hover on a cross-reference: the target entity's card, or a source's description. */
export function hoverCorpusYaml(
  text: string, offset: number, corpus: Corpus, renderCard: CardRenderer = hoverCard,
): { markdown: string; span: Span } | undefined {
  const ref = referenceAt(text, offset);
  if (!ref) return undefined;
  if (ref.target === 'source') {
    const source = corpus.sources.get(ref.id);
    return source ? { markdown: sourceCard(source), span: ref } : undefined;
  }
  const entity = corpus.byId.get(ref.id);
  return entity ? { markdown: renderCard(entity, corpus), span: ref } : undefined;
}

// ---- definition ----

/** Go to definition: an entity reference → the entity's `id:` line; a source → the quote in the source text. */
export function definitionCorpusYaml(text: string, offset: number, corpus: Corpus): PlainLocation | undefined {
  const ref = referenceAt(text, offset);
  if (!ref || ref.target === 'id') return undefined;
  if (ref.target === 'entity') {
    const e = corpus.byId.get(ref.id);
    return e ? { file: e.origin.file, line: e.origin.line, character: e.origin.column } : undefined;
  }
  const source = corpus.sources.get(ref.id);
  if (!source) return undefined;
  const quote = citationAt(text, ref.start)?.quote;
  const at = quote ? findQuote(source.text, quote) : undefined;
  if (!at) return { file: source.path, line: 0, character: 0 };
  const pos = createLineIndex(source.text).positionAt(at.start);
  return { file: source.path, line: pos.line, character: pos.character };
}

/** The citation mapping (`{source, quote}`) whose `source:` or `quote:` value holds the offset. */
export function citationAt(text: string, offset: number): { source: string; quote?: string } | undefined {
  if (text.length > 4_000_000) return undefined;
  let found: { source: string; quote?: string } | undefined;
  try {
    const doc = parseDocumentSafely(text, { uniqueKeys: false, prettyErrors: false });
    if (!doc) return undefined;
    visit(doc, {
      Map(_, node) {
        if (found !== undefined || !isMap(node)) return undefined;
        const src = node.items.find((p) => isScalar(p.key) && p.key.value === 'source');
        if (!src || !isScalar(src.value) || typeof src.value.value !== 'string') return undefined;
        const q = node.items.find((p) => isScalar(p.key) && p.key.value === 'quote');
        const within = (n: unknown) => isScalar(n) && n.range !== undefined && n.range !== null &&
          offset >= n.range[0] && offset <= n.range[1];
        const onKey = (p: typeof src | undefined) => p !== undefined && isScalar(p.key) && p.key.range !== undefined &&
          p.key.range !== null && offset >= p.key.range[0] && offset <= p.key.range[1];
        if (within(src.value) || onKey(src) || (q && (within(q.value) || onKey(q)))) {
          const quote = q && isScalar(q.value) && typeof q.value.value === 'string' ? q.value.value : undefined;
          found = { source: src.value.value, quote };
          return visit.BREAK;
        }
        return undefined;
      },
    });
  } catch {
    return undefined;
  }
  return found;
}


// ---- cards (escaped with the hover feature's escaping) ----

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function sourceCard(s: SourceDocument): string {
  return [`**${escapeMarkdown(s.title)}**`, '', `${escapeMarkdown(s.publisher)}, ${escapeMarkdown(s.date)}`].join('\n');
}
