// Incremental re-analysis for typing in big briefs. A keystroke that only adds or removes letters, digits or
// spaces inside a line of prose cannot change the document's block structure, so only its paragraph (the lines
// between the surrounding blank lines) is analysed again; everything before it is kept and everything after it is
// shifted. Anything else — line breaks, Markdown punctuation, edits in code, comments or front matter, very long
// paragraphs — falls back to a full analysis.
//
// Guard against context: before trusting a standalone analysis of the new paragraph, the old paragraph is analysed
// standalone too and must give exactly what the full analysis gave for it (so a paragraph whose meaning depends on
// its surroundings, e.g. a lazy list continuation indented like code, is re-analysed in full).
import type { DocumentAnalysis, Heading, HtmlComment, MaskedRegion, Mention } from '../analysis/types';
import { computeLineStarts, lineIndexFromStarts } from '../analysis/lineIndex';

export type WindowAnalyze = (text: string) => DocumentAnalysis;

/** One edit: `[start, end)` of the old text replaced by `text` (from the editor's didChange, when known). */
export interface EditHint {
  start: number;
  end: number;
  text: string;
}

/** Paragraphs longer than this are re-analysed with the whole document. */
const MAX_WINDOW = 20_000;
/** Edits larger than this are not worth the bookkeeping. */
const MAX_EDIT = 200;

/**
 * The analysis of `next` derived from `prev` (same corpus and options), or undefined when the change is not a
 * plain in-line prose edit. `analyzeWindow` analyses a standalone text with the same corpus and options.
 */
export function updateAnalysis(
  prev: DocumentAnalysis, next: { text: string; version: number }, analyzeWindow: WindowAnalyze, hint?: EditHint,
): DocumentAnalysis | undefined {
  const a = prev.text;
  const b = next.text;
  let prefix: number;
  let oldEnd: number;
  let newEnd: number;
  if (hint && fitsHint(a, b, hint)) {
    prefix = hint.start;
    oldEnd = hint.end;
    newEnd = hint.start + hint.text.length;
  } else {
    prefix = commonPrefix(a, b);
    if (prefix === a.length && prefix === b.length) return { ...prev, version: next.version };
    const suffix = commonSuffix(a, b, prefix);
    oldEnd = a.length - suffix;
    newEnd = b.length - suffix;
  }
  if (oldEnd - prefix > MAX_EDIT || newEnd - prefix > MAX_EDIT) return undefined;
  if (!isProseEdit(a.slice(prefix, oldEnd)) || !isProseEdit(b.slice(prefix, newEnd))) return undefined;
  if (prev.frontMatter && prefix <= prev.frontMatter.end) return undefined;
  // The edited line must already hold a complete word before the edit, so no block marker can form or break
  // ("#" + space → heading, "1." → "1a.") and no blank line can appear or vanish.
  if (!hasWordBefore(a, prefix) || !hasWordBefore(b, prefix)) return undefined;

  const oldWin = paragraphAround(a, prefix, oldEnd);
  const newWin = paragraphAround(b, prefix, newEnd);
  if (!oldWin || !newWin) return undefined;
  const delta = b.length - a.length;
  if (oldWin.start !== newWin.start || oldWin.end + delta !== newWin.end) return undefined;

  // Splicing relies on start order (mentions are in document order by contract; check the rest).
  if (!sortedByStart(prev.masked) || !sortedByStart(prev.comments) || !sortedByStart(prev.headings)) return undefined;
  // Nothing the full analysis found may straddle the paragraph's edges.
  if (straddles(prev.mentions, oldWin) || straddles(prev.masked, oldWin) || straddles(prev.comments, oldWin) ||
    straddles(prev.headings, oldWin)) return undefined;

  const oldPart = analyzeWindow(a.slice(oldWin.start, oldWin.end));
  if (!sameAsFull(oldPart, prev, oldWin.start, oldWin.end)) return undefined;
  const newPart = analyzeWindow(b.slice(newWin.start, newWin.end));
  // A region running to the paragraph's end may be an unterminated comment or HTML block that, in the whole
  // document, runs on past it: only a full analysis knows.
  const windowLength = newWin.end - newWin.start;
  if (newWin.end < b.length && (reachesEnd(newPart.masked, windowLength) || reachesEnd(newPart.comments, windowLength))) {
    return undefined;
  }

  const starts = shiftedStarts(prev, prefix, delta);
  const analysis: DocumentAnalysis = {
    version: next.version,
    text: b,
    mentions: splice(prev.mentions, oldWin, newPart.mentions, newWin.start, delta, shiftMention),
    masked: splice(prev.masked, oldWin, newPart.masked, newWin.start, delta, shiftMasked),
    comments: splice(prev.comments, oldWin, newPart.comments, newWin.start, delta, shiftComment),
    headings: splice(prev.headings, oldWin, newPart.headings, newWin.start, delta, shiftHeading),
    lineIndex: lineIndexFromStarts(b, starts),
  };
  if (prev.frontMatter) analysis.frontMatter = prev.frontMatter; // before the edit: unchanged
  lineStarts.set(analysis, starts);
  return analysis;
}

// ---- diff ----

/** The hint describes exactly how `a` became `b` (checked cheaply: lengths and the inserted text). */
function fitsHint(a: string, b: string, h: EditHint): boolean {
  return h.start >= 0 && h.start <= h.end && h.end <= a.length && a.length - (h.end - h.start) + h.text.length === b.length &&
    b.startsWith(h.text, h.start);
}

const CHUNK = 4096;

function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  // Whole chunks first (native string comparison), then unit by unit.
  while (i + CHUNK <= max && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffix(a: string, b: string, prefix: number): number {
  const max = Math.min(a.length, b.length) - prefix;
  let n = 0;
  while (n + CHUNK <= max && a.slice(a.length - n - CHUNK, a.length - n) === b.slice(b.length - n - CHUNK, b.length - n)) n += CHUNK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

/** Letters, digits, marks, spaces, ZWNJ/ZWJ and apostrophes only: nothing that Markdown or a wikilink reads. */
const PROSE = /^[\p{L}\p{N}\p{M} \u200c\u200d'’]*$/u;

function isProseEdit(s: string): boolean {
  return PROSE.test(s);
}

/**
 * Before the offset, on its line, a word with a letter or digit followed by a space: the line's first token (where
 * block markers live: "-", "1.", "#", ">") is complete and the edit cannot touch it.
 */
function hasWordBefore(text: string, offset: number): boolean {
  let start = offset;
  while (start > 0 && offset - start < 1000) {
    const c = text.charCodeAt(start - 1);
    if (c === 10 || c === 13) break;
    start--;
  }
  return WORD_THEN_SPACE.test(text.slice(start, offset));
}
const WORD_THEN_SPACE = /[\p{L}\p{N}]\S*[ \t]/u;

// ---- the paragraph ----

interface Span {
  start: number;
  end: number;
}

/** Lines around [from, to) up to (not including) the nearest blank lines or the document's ends. */
function paragraphAround(text: string, from: number, to: number): Span | undefined {
  let start = lineStart(text, from);
  while (start > 0) {
    const prevStart = lineStart(text, start - 1 - (text.charCodeAt(start - 1) === 10 && text.charCodeAt(start - 2) === 13 ? 1 : 0));
    if (isBlank(text, prevStart, start)) break;
    start = prevStart;
    if (from - start > MAX_WINDOW) return undefined;
  }
  let end = lineEnd(text, to);
  while (end < text.length) {
    const nextStart = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    const nextEnd = lineEnd(text, nextStart);
    if (isBlank(text, nextStart, nextEnd)) break;
    end = nextEnd;
    if (end - to > MAX_WINDOW) return undefined;
  }
  return { start, end };
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i;
}

function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    i++;
  }
  return i;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 10 && c !== 13) return false;
  }
  return true;
}

// ---- line index ----

/** Line starts of analyses this module built or saw, so the next edit can shift them instead of rescanning. */
const lineStarts = new WeakMap<DocumentAnalysis, Uint32Array>();

/** The text's line starts, computed once per analysis (one linear pass). */
export function lineStartsOf(analysis: DocumentAnalysis): Uint32Array {
  let starts = lineStarts.get(analysis);
  if (!starts) {
    starts = computeLineStarts(analysis.text);
    lineStarts.set(analysis, starts);
  }
  return starts;
}

/** The new text's line starts: the edit holds no line break, so the lines after the edited one just shift. */
function shiftedStarts(prev: DocumentAnalysis, at: number, delta: number): Uint32Array {
  const old = lineStartsOf(prev);
  if (delta === 0) return old;
  const starts = old.slice();
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < starts.length; i++) starts[i] = starts[i]! + delta;
  return starts;
}

// ---- composing ----

function straddles(items: readonly Span[], win: Span): boolean {
  for (const it of items) {
    if (it.start < win.start && it.end > win.start) return true;
    if (it.start < win.end && it.end > win.end) return true;
  }
  return false;
}

function sortedByStart(items: readonly Span[]): boolean {
  for (let i = 1; i < items.length; i++) if (items[i]!.start < items[i - 1]!.start) return false;
  return true;
}

function reachesEnd(items: readonly Span[], end: number): boolean {
  return items.some((it) => it.end >= end);
}

function isInside(it: Span, win: Span): boolean {
  return it.start >= win.start && it.end <= win.end;
}

/** First index whose item starts at or after `offset` (items sorted by start). */
function lowerBound(items: readonly Span[], offset: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function inside<T extends Span>(items: readonly T[], win: Span): T[] {
  const out: T[] = [];
  for (let i = lowerBound(items, win.start); i < items.length && items[i]!.start <= win.end; i++) {
    if (isInside(items[i]!, win)) out.push(items[i]!);
  }
  return out;
}

/** The standalone analysis of the old paragraph equals what the full analysis found there. */
function sameAsFull(part: DocumentAnalysis, full: DocumentAnalysis, start: number, end: number): boolean {
  const win = { start, end };
  const key = (m: Mention) => `${m.start}:${m.end}:${m.form}:${m.entityIds.join(',')}:${m.matched}`;
  const spanKey = (s: Span & { reason?: string; level?: number }) => `${s.start}:${s.end}:${s.reason ?? ''}:${s.level ?? ''}`;
  const same = <T extends Span>(ours: readonly T[], theirs: readonly T[], k: (x: T) => string) => {
    const mine = inside(theirs, win).map((x) => k({ ...x, start: x.start - start, end: x.end - start }));
    return mine.length === ours.length && ours.every((x, i) => k(x) === mine[i]);
  };
  return same(part.mentions, full.mentions, key) && same(part.masked, full.masked, spanKey) &&
    same(part.comments, full.comments, spanKey) && same(part.headings, full.headings, spanKey) &&
    part.frontMatter === undefined;
}

/** Items before the paragraph as they were, the paragraph's fresh items, the items after it shifted. */
function splice<T extends Span>(
  items: readonly T[], oldWin: Span, fresh: readonly T[], offset: number, delta: number,
  shift: (item: T, by: number) => T,
): T[] {
  let i = lowerBound(items, oldWin.start);
  const out = items.slice(0, i);
  for (const f of fresh) out.push(shift(f, offset));
  for (; i < items.length; i++) {
    const it = items[i]!;
    if (!isInside(it, oldWin)) out.push(shift(it, delta));
  }
  return out;
}

function shiftMasked(m: MaskedRegion, by: number): MaskedRegion {
  return by === 0 ? m : { start: m.start + by, end: m.end + by, reason: m.reason };
}

function shiftComment(c: HtmlComment, by: number): HtmlComment {
  return by === 0 ? c : { start: c.start + by, end: c.end + by, text: c.text };
}

function shiftMention(m: Mention, by: number): Mention {
  if (by === 0) return m;
  const out: Mention = { start: m.start + by, end: m.end + by, entityIds: m.entityIds, form: m.form, matched: m.matched };
  if (m.target) out.target = { start: m.target.start + by, end: m.target.end + by, text: m.target.text };
  if (m.shown) out.shown = { start: m.shown.start + by, end: m.shown.end + by, text: m.shown.text };
  return out;
}

function shiftHeading(h: Heading, by: number): Heading {
  if (by === 0) return h;
  const out: Heading = { ...h, start: h.start + by, end: h.end + by };
  if (h.textStart !== undefined) out.textStart = h.textStart + by;
  if (h.textEnd !== undefined) out.textEnd = h.textEnd + by;
  return out;
}

