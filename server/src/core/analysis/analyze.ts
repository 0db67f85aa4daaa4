// Analysis of one Markdown brief against a corpus: the Markdown scan (what is prose), the mention matcher (plain
// names and aliases in that prose) and wikilinks, in one linear pass each. Pure: no editor, no I/O.
//
// After an edit, `updateAnalysis` rescans only from the last neutral line before the edit (nothing open: no
// paragraph, fence, code block or list) to the first neutral line after it that was also neutral before the edit,
// and reuses the rest of the previous analysis, shifted. Its result equals a full analysis (tested on random edits).
import { normalize } from '../normalize';
import type { Corpus } from '../types';
import { createLineIndex } from './lineIndex';
import { scanMarkdownFrom, type WikilinkSyntax } from './markdown';
import { getMatcher } from './matcher';
import type { DocumentAnalysis, Heading, HtmlComment, LineIndex, MaskedRegion, Mention } from './types';

export { createLineIndex } from './lineIndex';

export interface AnalyzeOptions {
  /** Recognise plain-text names and aliases (default true); false keeps only wikilinks. */
  plainText?: boolean;
}

/** What incremental updates need beyond the public analysis. */
interface Internals {
  checkpoints: number[];
  corpus: Corpus;
  plainText: boolean;
}
const internals = new WeakMap<DocumentAnalysis, Internals>();

export function analyzeDocument(text: string, version: number, corpus: Corpus, options?: AnalyzeOptions): DocumentAnalysis {
  const plainText = options?.plainText !== false;
  const part = scanMarkdownFrom(text, 0);
  const analysis: DocumentAnalysis = {
    version,
    text,
    mentions: findMentions(text, part.segments, part.wikilinks, corpus, plainText),
    masked: part.masked,
    comments: part.comments,
    headings: part.headings,
    lineIndex: lazyLineIndex(text),
  };
  if (part.frontMatter) analysis.frontMatter = part.frontMatter;
  internals.set(analysis, { checkpoints: part.checkpoints, corpus, plainText });
  return analysis;
}

/**
 * The analysis of `text`, reusing `previous` (an analysis of an earlier version of the same document) outside the
 * edited blocks. Falls back to a full analysis when nothing can be reused.
 */
export function updateAnalysis(previous: DocumentAnalysis, text: string, version: number, corpus: Corpus, options?: AnalyzeOptions): DocumentAnalysis {
  const plainText = options?.plainText !== false;
  const info = internals.get(previous);
  if (!info || info.corpus !== corpus || info.plainText !== plainText) return analyzeDocument(text, version, corpus, options);
  const old = previous.text;

  // The edit: common prefix [0, p) and common suffix of length q.
  const p = commonPrefixLength(old, text);
  const q = commonSuffixLength(old, text, Math.min(old.length, text.length) - p);
  const delta = text.length - old.length;

  // Front matter is the one construct decided by text further down (its closing line): when the text may open
  // one that the previous analysis did not find, analyse afresh.
  if (!previous.frontMatter && (mayOpenFrontMatter(old) || mayOpenFrontMatter(text))) return analyzeDocument(text, version, corpus, options);

  // Restart at the last checkpoint strictly before the edit (its line and the one before it are unchanged).
  const cps = info.checkpoints;
  const i = lastBelow(cps, p);
  if (i < 0) return analyzeDocument(text, version, corpus, options);
  const from = cps[i];
  const editEnd = text.length - q;
  const part = scanMarkdownFrom(text, from, (cp) => cp >= editEnd && isCheckpoint(cps, cp - delta));
  const resume = part.end - delta; // where the previous analysis is reused again (old offsets)
  const reuseTail = part.end < text.length;

  const analysis: DocumentAnalysis = {
    version,
    text,
    mentions: splice(previous.mentions, from, resume, reuseTail, delta, findMentions(text, part.segments, part.wikilinks, corpus, plainText), shiftMention),
    masked: splice(previous.masked, from, resume, reuseTail, delta, part.masked, shiftMasked),
    comments: splice(previous.comments, from, resume, reuseTail, delta, part.comments, shiftComment),
    headings: splice(previous.headings, from, resume, reuseTail, delta, part.headings, shiftHeading),
    lineIndex: lazyLineIndex(text),
  };
  if (previous.frontMatter) analysis.frontMatter = previous.frontMatter; // it ends before `from`
  const checkpoints = cps.slice(0, i);
  for (const c of part.checkpoints) checkpoints.push(c);
  if (reuseTail) for (let k = lastBelow(cps, resume) + 1; k < cps.length; k++) checkpoints.push(cps[k] + delta);
  internals.set(analysis, { checkpoints, corpus, plainText });
  return analysis;
}

/** Compared a chunk at a time by the engine's native string equality, then unit by unit. */
function commonPrefixLength(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let p = 0;
  for (let chunk = 4096; chunk >= 1; chunk >>= 4) {
    while (p + chunk <= max && a.slice(p, p + chunk) === b.slice(p, p + chunk)) p += chunk;
  }
  return p;
}

function commonSuffixLength(a: string, b: string, max: number): number {
  let q = 0;
  for (let chunk = 4096; chunk >= 1; chunk >>= 4) {
    while (q + chunk <= max && a.slice(a.length - q - chunk, a.length - q) === b.slice(b.length - q - chunk, b.length - q)) q += chunk;
  }
  return q;
}

function mayOpenFrontMatter(text: string): boolean {
  return text.startsWith('---', text.charCodeAt(0) === 0xfeff ? 1 : 0);
}

/** `[[id]]` first by id, then by normalised name or alias; unresolved wikilinks keep `entityIds: []`. */
export function resolveWikilinkTarget(target: string, corpus: Corpus): string[] {
  if (corpus.byId.has(target)) return [target];
  const entry = corpus.aliases.get(normalize(target));
  return entry ? [...entry.entityIds] : [];
}

/** Wikilink targets resolved per corpus: a brief links the same few entities again and again, and normalising each
 *  target costs more than the lookup. The id arrays are shared by all mentions of a target (read-only, as the
 *  matcher's). Bounded. */
const resolvedTargets = new WeakMap<Corpus, Map<string, string[]>>();

function resolveCached(target: string, corpus: Corpus): string[] {
  let cache = resolvedTargets.get(corpus);
  if (!cache) resolvedTargets.set(corpus, (cache = new Map()));
  let ids = cache.get(target);
  if (!ids) {
    ids = resolveWikilinkTarget(target, corpus);
    if (cache.size >= 10_000) cache.clear();
    cache.set(target, ids);
  }
  return ids;
}

function findMentions(text: string, segments: number[], wikilinks: WikilinkSyntax[], corpus: Corpus, plainText: boolean): Mention[] {
  const links = wikilinks.map((w) => resolveWikilink(w, corpus));
  const plain = plainText ? getMatcher(corpus).find(text, segments) : [];
  return mergeByStart(plain, links);
}

function resolveWikilink(w: WikilinkSyntax, corpus: Corpus): Mention {
  const mention: Mention = {
    start: w.start,
    end: w.end,
    entityIds: resolveCached(w.target, corpus),
    form: 'wikilink',
    matched: w.target,
    target: { start: w.targetStart, end: w.targetEnd, text: w.target },
  };
  if (w.shown !== undefined) mention.shown = { start: w.shownStart!, end: w.shownEnd!, text: w.shown };
  return mention;
}

/** Both lists are sorted and disjoint from each other (wikilinks are cut out of the prose segments). */
function mergeByStart(a: Mention[], b: Mention[]): Mention[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: Mention[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i].start <= b[j].start ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** Old items before `from`, the fresh ones, then (when the tail is reused) old items from `resume` on, shifted. */
function splice<T extends { start: number }>(old: readonly T[], from: number, resume: number, reuseTail: boolean, delta: number,
  fresh: T[], shift: (item: T, delta: number) => T): T[] {
  const head = firstAtOrAbove(old, from);
  const out = old.slice(0, head);
  for (const item of fresh) out.push(item);
  if (reuseTail) for (let k = firstAtOrAbove(old, resume); k < old.length; k++) out.push(delta === 0 ? old[k] : shift(old[k], delta));
  return out;
}

// Explicit literals (not spreads): shifting ten thousand items after an edit stays well under a millisecond.
function shiftMasked(r: MaskedRegion, delta: number): MaskedRegion {
  return { start: r.start + delta, end: r.end + delta, reason: r.reason };
}

function shiftComment(c: HtmlComment, delta: number): HtmlComment {
  return { start: c.start + delta, end: c.end + delta, text: c.text };
}

function shiftHeading(h: Heading, delta: number): Heading {
  const out: Heading = { start: h.start + delta, end: h.end + delta, level: h.level, text: h.text };
  if (h.textStart !== undefined) out.textStart = h.textStart + delta;
  if (h.textEnd !== undefined) out.textEnd = h.textEnd + delta;
  return out;
}

function shiftMention(m: Mention, delta: number): Mention {
  const out: Mention = { start: m.start + delta, end: m.end + delta, entityIds: m.entityIds, form: m.form, matched: m.matched };
  if (m.target) out.target = { start: m.target.start + delta, end: m.target.end + delta, text: m.target.text };
  if (m.shown) out.shown = { start: m.shown.start + delta, end: m.shown.end + delta, text: m.shown.text };
  return out;
}

/** Index of the first item whose start is ≥ offset (items sorted by start). */
function firstAtOrAbove(items: readonly { start: number }[], offset: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the last value < offset in a sorted array, or -1. */
function lastBelow(values: readonly number[], offset: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function isCheckpoint(values: readonly number[], offset: number): boolean {
  const k = lastBelow(values, offset + 1);
  return k >= 0 && values[k] === offset;
}

/** A LineIndex whose line table is computed on first use: many requests never convert a position. */
function lazyLineIndex(text: string): LineIndex {
  let index: LineIndex | undefined;
  const get = () => (index ??= createLineIndex(text));
  return {
    get lineCount() {
      return get().lineCount;
    },
    positionAt: (offset) => get().positionAt(offset),
    offsetAt: (position) => get().offsetAt(position),
  };
}
