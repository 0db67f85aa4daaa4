// Completion of entity references. After `[[` (trigger character `[`): every entity, label = name, detail = kind
// and current role or date, documentation = the card, filterText covering id, name and aliases; accepting inserts
// the id and whatever part of the closing `]]` is missing (`[[|]]`, `[[ab|]]`, `[[ab|` never end up doubled).
// Outside `[[`, names in plain text only when completion is invoked explicitly.
//
// Fast on a 100,000-entity corpus: candidates come from the corpus search index (one bucket per query, never a
// corpus scan), the list is capped and marked incomplete so the editor asks again as the user types.
import type { Corpus, Entity } from '../types';
import { corpusView, type SearchHit } from './corpusView';
import { renderCard } from './entityCard';
import { positionIn, textLines, type Range } from './text';
import { isWordCodePoint } from '../normalize';

/** Most items returned per request. */
export const MAX_COMPLETION_ITEMS = 100;
/** Items whose card is sent with the list; the others get it from `completionItem/resolve` when shown (a card is
 *  a kilobyte or two: a hundred of them would make every keystroke's answer ~150 KB). */
export const EAGER_DOCUMENTATION = 10;
/** How far a `[[` is looked for before the cursor, and a closing `]]` after it (one line, bounded). */
const MAX_SCAN = 200;

export interface CompletionContextLike {
  /** 1 Invoked, 2 TriggerCharacter, 3 TriggerForIncompleteCompletions. */
  triggerKind: number;
  triggerCharacter?: string;
}

export interface CompletionItemResult {
  label: string;
  labelDetails?: { description?: string };
  kind: number;
  detail: string;
  documentation?: { kind: 'markdown'; value: string };
  filterText: string;
  sortText: string;
  textEdit: { range: Range; newText: string };
  data: { id: string };
}

export interface CompletionListResult {
  isIncomplete: boolean;
  items: CompletionItemResult[];
}

export interface CompletionInput {
  text: string;
  offset: number;
  corpus: Corpus;
  context?: CompletionContextLike;
  /** True when the offset is inside code, a link destination, front matter… (from the document analysis). */
  isMasked?: (offset: number) => boolean;
  /** Converts offsets to positions; defaults to a scan of the text. */
  positionAt?: (offset: number) => { line: number; character: number };
}

const KIND: Record<string, number> = { person: 18, organisation: 9, agreement: 22, meeting: 23, place: 12, topic: 14 };

/** The `[[` context around the cursor: where the typed target starts and what the edit must replace/close. */
export interface WikilinkContext {
  /** Offset just after `[[`. */
  targetStart: number;
  /** End of the text to replace (the cursor, or the end of the target already written after it). */
  replaceEnd: number;
  /** What to append after the id so that the link is closed exactly once. */
  closing: string;
  typed: string;
}

export function wikilinkContext(text: string, offset: number): WikilinkContext | undefined {
  let p = offset;
  const limit = Math.max(0, offset - MAX_SCAN);
  for (;;) {
    if (p - 2 < limit) return undefined;
    const c = text.charCodeAt(p - 1);
    if (c === 10 || c === 13) return undefined;
    if (c === 0x7c /* | */) return undefined; // typing the shown text of [[id|shown]]
    if (c === 0x5d /* ] */ && text.charCodeAt(p - 2) === 0x5d) return undefined;
    if (c === 0x5b /* [ */ && text.charCodeAt(p - 2) === 0x5b) break;
    p--;
  }
  let targetStart = p;
  // `[[[`: the target starts after the last bracket.
  while (text.charCodeAt(targetStart) === 0x5b && targetStart < offset) targetStart++;
  // Look ahead on the line for the rest of this link.
  let q = offset;
  const ahead = Math.min(text.length, offset + MAX_SCAN);
  let stop: 'close' | 'pipe' | 'none' = 'none';
  while (q < ahead) {
    const c = text.charCodeAt(q);
    if (c === 10 || c === 13) break;
    if (c === 0x5d && text.charCodeAt(q + 1) === 0x5d) { stop = 'close'; break; }
    if (c === 0x7c) { stop = 'pipe'; break; }
    if (c === 0x5b && text.charCodeAt(q + 1) === 0x5b) break;
    q++;
  }
  let replaceEnd = offset;
  let closing: string;
  if (stop !== 'none') {
    replaceEnd = q;
    closing = '';
  } else {
    let brackets = 0;
    while (brackets < 2 && text.charCodeAt(offset + brackets) === 0x5d) brackets++;
    closing = ']]'.slice(brackets);
  }
  return { targetStart, replaceEnd, closing, typed: text.slice(targetStart, offset) };
}

export function provideCompletion(input: CompletionInput): CompletionListResult | undefined {
  const { text, offset, corpus } = input;
  if (input.isMasked?.(offset)) return undefined;
  const positionAt = input.positionAt ?? ((o: number) => positionIn(textLines(text), o));
  const wiki = wikilinkContext(text, offset);
  if (wiki) {
    const range = { start: positionAt(wiki.targetStart), end: positionAt(wiki.replaceEnd) };
    return complete(corpus, wiki.typed, (e) => ({ range, newText: e.id + wiki.closing }));
  }
  const kind = input.context?.triggerKind ?? 1;
  if (kind === 2) return undefined; // a single `[` typed: nothing to offer yet
  const start = wordStart(text, offset);
  const range = { start: positionAt(start), end: positionAt(offset) };
  return complete(corpus, text.slice(start, offset), (e) => ({ range, newText: e.name }));
}

function complete(
  corpus: Corpus, typed: string, edit: (e: Entity) => { range: Range; newText: string },
): CompletionListResult {
  const index = corpusView(corpus).search();
  const { hits, complete: all } = index.query(typed.trim(), MAX_COMPLETION_ITEMS);
  const width = String(index.entities.length).length;
  return {
    isIncomplete: !all,
    items: hits.map((h, i) => item(h, corpus, edit(h.entity), index.rank(h.entityIndex), width, i < EAGER_DOCUMENTATION)),
  };
}

/** The parts of an entity's item that do not depend on the request, built once per corpus. */
interface ItemBase {
  label: string;
  kind: number;
  detail: string;
  filterText: string;
}

const bases = new WeakMap<Corpus, Map<string, ItemBase>>();

function baseOf(e: Entity, corpus: Corpus): ItemBase {
  let map = bases.get(corpus);
  if (!map) bases.set(corpus, (map = new Map()));
  let base = map.get(e.id);
  if (!base) {
    base = {
      label: e.name,
      kind: KIND[e.kind] ?? 18,
      detail: corpusView(corpus).summaryOf(e).detail,
      filterText: oneLine([e.name, e.id, ...e.aliases.map((a) => a.text)].join(' ')),
    };
    map.set(e.id, base);
  }
  return base;
}

function item(
  hit: SearchHit, corpus: Corpus, textEdit: { range: Range; newText: string }, rank: number, width: number,
  withDocumentation: boolean,
): CompletionItemResult {
  const e = hit.entity;
  const base = baseOf(e, corpus);
  const result: CompletionItemResult = {
    label: base.label,
    kind: base.kind,
    detail: base.detail,
    filterText: base.filterText,
    sortText: `${hit.tier}${String(rank).padStart(width, '0')}`,
    textEdit,
    data: { id: e.id },
  };
  if (withDocumentation) result.documentation = { kind: 'markdown', value: renderCard(e, corpus) };
  if (hit.matched !== e.name && hit.tier < 3) result.labelDetails = { description: hit.matched };
  return result;
}

/** Start of the name being typed before the cursor: word characters, spaces between capitalised words excluded. */
function wordStart(text: string, offset: number): number {
  let p = offset;
  const limit = Math.max(0, offset - 60);
  while (p > limit) {
    const cp = text.codePointAt(p - 1)!;
    const low = text.charCodeAt(p - 1);
    if (low >= 0xdc00 && low <= 0xdfff && p - 2 >= limit) {
      const full = text.codePointAt(p - 2)!;
      if (!isWordCodePoint(full)) break;
      p -= 2;
      continue;
    }
    if (!isWordCodePoint(cp) && low !== 0x2d && low !== 0x27 && low !== 0x2019) break;
    p--;
  }
  return p;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
