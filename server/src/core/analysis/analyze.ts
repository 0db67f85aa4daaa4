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
  lists: Lists;
}

/** The analysis' lists as ropes: what an edit reuses is referenced, not copied (see Rope). */
interface Lists {
  mentions: Rope<Mention>;
  masked: Rope<MaskedRegion>;
  comments: Rope<HtmlComment>;
  headings: Rope<Heading>;
}
const internals = new WeakMap<DocumentAnalysis, Internals>();

export function analyzeDocument(text: string, version: number, corpus: Corpus, options?: AnalyzeOptions): DocumentAnalysis {
  const plainText = options?.plainText !== false;
  const part = scanMarkdownFrom(text, 0);
  const lists: Lists = {
    mentions: Rope.of(findMentions(text, part.segments, part.wikilinks, corpus, plainText), shiftMention),
    masked: Rope.of(part.masked, shiftMasked),
    comments: Rope.of(part.comments, shiftComment),
    headings: Rope.of(part.headings, shiftHeading),
  };
  return makeAnalysis(version, text, lists, part.frontMatter, { checkpoints: part.checkpoints, corpus, plainText, lists });
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

  const prevLists = info.lists;
  const lists: Lists = {
    mentions: prevLists.mentions.splice(from, resume, reuseTail, delta, findMentions(text, part.segments, part.wikilinks, corpus, plainText)),
    masked: prevLists.masked.splice(from, resume, reuseTail, delta, part.masked),
    comments: prevLists.comments.splice(from, resume, reuseTail, delta, part.comments),
    headings: prevLists.headings.splice(from, resume, reuseTail, delta, part.headings),
  };
  const checkpoints = cps.slice(0, i);
  for (const c of part.checkpoints) checkpoints.push(c);
  if (reuseTail) for (let k = lastBelow(cps, resume) + 1; k < cps.length; k++) checkpoints.push(cps[k] + delta);
  // The front matter, if any, ends before `from`.
  return makeAnalysis(version, text, lists, previous.frontMatter, { checkpoints, corpus, plainText, lists });
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

function findMentions(text: string, segments: Int32Array, wikilinks: WikilinkSyntax[], corpus: Corpus, plainText: boolean): Mention[] {
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
  // Written into an array of the final size: pushing grew and copied it a dozen times (~0.35 MB of garbage per
  // analysis of the 1 MB brief).
  const out = new Array<Mention>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i].start <= b[j].start ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/** The analysis, its lists materialised as arrays on first use: during a burst of edits, hovers only look up one
 *  mention (mentionsOf) and nothing asks for the whole lists until the diagnostics run. */
function makeAnalysis(version: number, text: string, lists: Lists, frontMatter: DocumentAnalysis['frontMatter'],
  info: Internals): DocumentAnalysis {
  const analysis: DocumentAnalysis = {
    version,
    text,
    get mentions() {
      return lists.mentions.toArray();
    },
    get masked() {
      return lists.masked.toArray();
    },
    get comments() {
      return lists.comments.toArray();
    },
    get headings() {
      return lists.headings.toArray();
    },
    lineIndex: lazyLineIndex(text),
  };
  if (frontMatter) analysis.frontMatter = frontMatter;
  internals.set(analysis, info);
  Object.defineProperty(analysis, MENTION_LIST, { value: lists.mentions }); // not enumerable: not part of equality
  return analysis;
}

/** Where an analysis keeps its MentionList. A registered symbol, not the internals map: a process that loads this
 *  module twice (tests through a loader) still finds it, instead of silently materialising the whole list. */
const MENTION_LIST = Symbol.for('jpmg.analysis.mentionList');

/** Read access to an analysis' mentions by index, without materialising the list after an edit. */
export interface MentionList {
  readonly length: number;
  /** The start offset of mention i (no allocation). */
  startAt(i: number): number;
  /** Mention i (a shifted copy when the list is not materialised yet). */
  at(i: number): Mention;
}

/** The analysis' mentions as a MentionList: cheap right after an edit (no copy of the whole list). */
export function mentionsOf(analysis: DocumentAnalysis): MentionList {
  const rope = (analysis as { [MENTION_LIST]?: MentionList })[MENTION_LIST];
  if (rope) return rope;
  const mentions = analysis.mentions;
  return { length: mentions.length, startAt: (i) => mentions[i]!.start, at: (i) => mentions[i]! };
}

/** Items src[from, to), each shifted by delta. */
interface Slice<T> {
  readonly src: readonly T[];
  readonly from: number;
  readonly to: number;
  readonly delta: number;
}

/**
 * A list sorted by start, kept as slices of earlier versions' arrays each with an offset delta. An edit keeps the
 * slices before and after it and adds one for the rescanned part, instead of copying (and shifting: one new object
 * per item) every item after the edit: on a 1 MB brief that was ~0.5 MB of garbage per keystroke, which the GC
 * then collected during later requests. Flattened into one array on first use (toArray), or when the slices pile up.
 */
class Rope<T extends { start: number }> {
  private flat: T[] | undefined;

  private constructor(private readonly slices: readonly Slice<T>[], readonly length: number,
    private readonly shift: (item: T, delta: number) => T) {}

  static of<T extends { start: number }>(items: T[], shift: (item: T, delta: number) => T): Rope<T> {
    const rope = new Rope<T>(items.length ? [{ src: items, from: 0, to: items.length, delta: 0 }] : [], items.length, shift);
    rope.flat = items;
    return rope;
  }

  /** The items as one array (computed once; shifted items are new objects, unshifted ones shared). */
  toArray(): T[] {
    if (this.flat) return this.flat;
    const out: T[] = [];
    for (const s of this.slices) {
      for (let k = s.from; k < s.to; k++) out.push(s.delta === 0 ? s.src[k]! : this.shift(s.src[k]!, s.delta));
    }
    return (this.flat = out);
  }

  startAt(i: number): number {
    if (this.flat) return this.flat[i]!.start;
    const [s, k] = this.locate(i);
    return s.src[k]!.start + s.delta;
  }

  at(i: number): T {
    if (this.flat) return this.flat[i]!;
    const [s, k] = this.locate(i);
    return s.delta === 0 ? s.src[k]! : this.shift(s.src[k]!, s.delta);
  }

  private locate(i: number): [Slice<T>, number] {
    for (const s of this.slices) {
      const n = s.to - s.from;
      if (i < n) return [s, s.from + i];
      i -= n;
    }
    throw new RangeError('index out of range');
  }

  /** Items before `from`, the fresh ones, then (when the tail is reused) items from `resume` on, shifted. */
  splice(from: number, resume: number, reuseTail: boolean, delta: number, fresh: T[]): Rope<T> {
    // Reuse the flat array when there is one: one slice instead of many.
    const slices: readonly Slice<T>[] = this.flat
      ? (this.flat.length ? [{ src: this.flat, from: 0, to: this.flat.length, delta: 0 }] : [])
      : this.slices;
    const out: Slice<T>[] = [];
    let length = 0;
    const add = (s: Slice<T>) => {
      if (s.to > s.from) {
        out.push(s);
        length += s.to - s.from;
      }
    };
    for (const s of slices) {
      const cut = firstAtOrAbove(s.src, from - s.delta, s.from, s.to);
      add(cut === s.to ? s : { src: s.src, from: s.from, to: cut, delta: s.delta });
      if (cut < s.to) break;
    }
    add({ src: fresh, from: 0, to: fresh.length, delta: 0 });
    if (reuseTail) {
      for (const s of slices) {
        const cut = firstAtOrAbove(s.src, resume - s.delta, s.from, s.to);
        add({ src: s.src, from: cut, to: s.to, delta: s.delta + delta });
      }
    }
    const rope = new Rope(out, length, this.shift);
    // Bounded: past a few dozen slices (a long burst of edits with nothing reading the lists), flatten once.
    if (out.length > 48) rope.toArray();
    return rope;
  }
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

/** Index of the first item in [lo, hi) whose start is ≥ offset (items sorted by start), or hi. */
function firstAtOrAbove(items: readonly { start: number }[], offset: number, lo: number, hi: number): number {
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
