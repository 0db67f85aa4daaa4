// What every rule needs from one document, computed once per run and only when a rule asks: masked-region lookup,
// mentions by offset, sentences, capitalised words, the words of a sentence, digit runs, dates, and the brief's
// own date. Linear in the brief: scans find what they look for with a regular expression where that is faster
// than reading every character, and every lookup is a binary search or a cursor that only moves forward.
import type { DocumentAnalysis, Mention } from '../analysis/types';
import type { AliasEntry, Corpus, Entity } from '../types';
import type { JpmgSettings } from '../../protocol';
import type { Finding, FindingSeverity } from './types';
import { normalize, isWordCodePoint } from '../normalize';
import { findDates, findDatesWithDigit, parseIsoDate, type DateInText, type DateValue } from './dates';

const normCache = new Map<string, string>();

/** normalize() memoised for the short strings the rules compare over and over (titles, aliases, words). */
export function norm(text: string): string {
  let out = normCache.get(text);
  if (out === undefined) {
    out = normalize(text);
    if (text.length <= 200) {
      if (normCache.size > 20_000) normCache.clear();
      normCache.set(text, out);
    }
  }
  return out;
}

/** The text a mention shows, text.slice(m.start, m.end): its `matched` string itself when the text there is exactly
 *  that (most plain mentions), so the rules that key maps by the shown text make no new string per mention
 *  (a copy of every mention's text, several times per run, was ~0.5 MB of garbage on the 1 MB brief). */
export function shownText(text: string, m: Mention): string {
  const matched = m.matched;
  return m.end - m.start === matched.length && text.startsWith(matched, m.start) ? matched : text.slice(m.start, m.end);
}

const entriesByMatched = new WeakMap<Corpus, Map<string, AliasEntry | null>>();

/** `corpus.aliases.get(norm(matched))` for a plain mention's `matched` text, memoised per corpus (one lookup per
 *  mention instead of two: every mention-reading rule asks). */
export function aliasEntryOf(corpus: Corpus, matched: string): AliasEntry | undefined {
  let cache = entriesByMatched.get(corpus);
  if (!cache) entriesByMatched.set(corpus, (cache = new Map()));
  let entry = cache.get(matched);
  if (entry === undefined) {
    entry = corpus.aliases.get(norm(matched)) ?? null;
    if (cache.size >= 20_000) cache.clear();
    cache.set(matched, entry);
  }
  return entry ?? undefined;
}

export interface Token {
  start: number;
  end: number;
  text: string;
}

export interface Sentence {
  start: number;
  end: number;
}

export interface CheckContext {
  readonly analysis: DocumentAnalysis;
  readonly corpus: Corpus;
  readonly settings: JpmgSettings;
  readonly text: string;
  /** Normalised ignoreWords. */
  readonly ignored: ReadonlySet<string>;
  isMasked(offset: number): boolean;
  /** Mentions whose span overlaps [start, end). */
  mentionsIn(start: number, end: number): Mention[];
  /** True when some mention (that passes `test`, if given) overlaps [start, end) (no array built). */
  overlapsMention(start: number, end: number, test?: (m: Mention) => boolean): boolean;
  /** overlapsMention for ranges asked in increasing order of start: one pass over the mentions in all. */
  mentionCursor(): (start: number, end: number) => boolean;
  /** The analysis's mentions sorted by start. */
  readonly mentions: readonly Mention[];
  /** The word tokens (outside masked regions and URLs) that overlap [start, end), read from that part of the text
   *  only: no rule needs every word of a brief. */
  tokensIn(start: number, end: number): TokenSpans;
  /** The tokens whose first code point is an upper-case letter (what the near-miss check reads), except those
   *  starting inside a mention (most capitals of a brief are there; no rule reports them). */
  capitalisedTokens(): TokenSpans;
  /** Runs of ASCII digits, in order (as spans). */
  digitRuns(): TokenSpans;
  /** Index of the first digit run ending after `offset`. */
  firstDigitRunAfter(offset: number): number;
  /** The sentences' bounds, in order (as spans: no object per sentence). */
  sentences(): TokenSpans;
  sentenceAt(offset: number): Sentence;
  /** Dates outside masked regions and outside mentions, in order. */
  dates(): readonly DateInText[];
  datesIn(start: number, end: number): DateInText[];
  /** The date a statement at `offset` refers to: a date in its sentence, else the nearest heading above with a
   *  date, else the front matter's `date:`. */
  referenceDateAt(offset: number): DateValue | undefined;
  isHeading(offset: number): boolean;
  entity(id: string): Entity | undefined;
  isIgnored(text: string): boolean;
}

export interface CheckRule {
  /** The codes this rule reports, with their default severities. */
  readonly codes: Readonly<Record<string, FindingSeverity>>;
  run(ctx: CheckContext): Finding[];
}

/** Index of the first item whose start is ≥ offset (items sorted by start). Reads `.start` directly: a key
 *  function here was a megamorphic call on every probe of every search. */
function lowerBound(items: readonly { readonly start: number }[], offset: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The list in start order: itself when it already is (the analysis keeps its lists in document order). */
function sortedByStart<T extends { start: number }>(list: readonly T[]): readonly T[] {
  for (let i = 1; i < list.length; i++) if (list[i]!.start < list[i - 1]!.start) return [...list].sort((a, b) => a.start - b.start);
  return list;
}

/** Overlapping regions merged (input sorted by start). Indexed loops over the big lists (here and in the rules):
 *  they run once per check run, often before the optimising compiler has them, and for-of then allocates an
 *  iterator result per element. */
function mergeRegions(masked: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const merged: { start: number; end: number }[] = [];
  for (let k = 0; k < masked.length; k++) {
    const r = masked[k]!;
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ start: r.start, end: r.end });
  }
  return merged;
}

/** Index of the last span starting at or before `offset` (spans sorted by start), or -1. */
function spanBefore(spans: TokenSpans, offset: number): number {
  let lo = 0;
  let hi = spans.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans.starts[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function longestSpan(list: readonly { start: number; end: number }[]): number {
  let longest = 0;
  for (let k = 0; k < list.length; k++) longest = Math.max(longest, list[k]!.end - list[k]!.start);
  return longest;
}

export function createContext(analysis: DocumentAnalysis, corpus: Corpus, settings: JpmgSettings): CheckContext {
  return new Context(analysis, corpus, settings);
}

/** The context as a class, not an object of closures: the rules call its methods in their hot loops, and a closure
 *  made anew per run is a new call target each run (their optimised code deoptimised with "wrong call target" on the
 *  second run and had to be compiled again, 40-60 ms of compiler time each on the 1 MB brief). Prototype methods are
 *  the same functions in every run, so code optimised in one run stays valid in the next. */
class Context implements CheckContext {
  readonly text: string;
  readonly ignored: ReadonlySet<string>;
  readonly mentions: readonly Mention[];
  /** Masked regions, merged where they overlap, so one binary search answers "is this offset masked?". */
  private readonly merged: readonly { start: number; end: number }[];
  private readonly maxMentionLength: number;
  private readonly headings: readonly { start: number; end: number }[];
  private readonly frontMatterDate: DateValue | undefined;
  private digitCache: TokenSpans | undefined = undefined;
  private capitalCache: TokenSpans | undefined = undefined;
  private sentenceCache: TokenSpans | undefined = undefined;
  private dateCache: DateInText[] | undefined = undefined;
  /** For each heading, the first date in it or in the nearest heading above that has one (computed once). */
  private headingDates: (DateValue | undefined)[] | undefined = undefined;

  constructor(readonly analysis: DocumentAnalysis, readonly corpus: Corpus, readonly settings: JpmgSettings) {
    // No loops here: the constructor runs once per check run, and a loop in it was compiled on-stack before the
    // code after it had run, then deoptimised there on every run. Each loop is a function of its own.
    this.text = analysis.text;
    this.merged = mergeRegions(sortedByStart(analysis.masked));
    this.mentions = sortedByStart(analysis.mentions);
    this.maxMentionLength = longestSpan(this.mentions);
    this.ignored = new Set(settings.ignoreWords.map((w) => normalize(w)));
    this.headings = sortedByStart(analysis.headings);
    this.frontMatterDate = parseIsoDate(analysis.frontMatter?.date);
  }

  isMasked(offset: number): boolean {
    const merged = this.merged;
    const i = lowerBound(merged, offset + 1) - 1;
    return i >= 0 && offset < merged[i]!.end;
  }

  overlapsMention(start: number, end: number, test?: (m: Mention) => boolean): boolean {
    const mentions = this.mentions;
    for (let i = lowerBound(mentions, start - this.maxMentionLength); i < mentions.length && mentions[i]!.start < end; i++) {
      if (mentions[i]!.end > start && (!test || test(mentions[i]!))) return true;
    }
    return false;
  }

  mentionCursor(): (start: number, end: number) => boolean {
    const mentions = this.mentions;
    const maxMentionLength = this.maxMentionLength;
    let lo = 0;
    return (start: number, end: number) => {
      while (lo < mentions.length && mentions[lo]!.start < start - maxMentionLength) lo++;
      for (let i = lo; i < mentions.length && mentions[i]!.start < end; i++) if (mentions[i]!.end > start) return true;
      return false;
    };
  }

  mentionsIn(start: number, end: number): Mention[] {
    const mentions = this.mentions;
    const out: Mention[] = [];
    let i = lowerBound(mentions, start - this.maxMentionLength);
    for (; i < mentions.length && mentions[i]!.start < end; i++) {
      const m = mentions[i]!;
      if (m.end > start) out.push(m);
    }
    return out;
  }

  digitRuns(): TokenSpans {
    return (this.digitCache ??= findDigitRuns(this.text));
  }

  firstDigitRunAfter(offset: number): number {
    return firstEndingAfter(this.digitRuns(), offset);
  }

  capitalisedTokens(): TokenSpans {
    return (this.capitalCache ??= scanCapitalisedTokens(this.text, this.merged, this.mentions));
  }

  tokensIn(start: number, end: number): TokenSpans {
    const text = this.text;
    // Widen to whole chunks (sentences start and end at spaces, so this is normally a no-op).
    let from = Math.max(0, start);
    while (from > 0 && !isSpaceCode(text.charCodeAt(from - 1))) from--;
    let to = Math.min(text.length, Math.max(end, from));
    while (to < text.length && !isSpaceCode(text.charCodeAt(to))) to++;
    return sliceSpans(scanTokens(text, this.merged, from, to), start, end);
  }

  sentences(): TokenSpans {
    if (!this.sentenceCache) {
      // The splitter asks about line starts in order. (The cursor itself, not a closure over it: a closure made per
      // run was a new call target each run for the splitter's optimised code.)
      this.sentenceCache = splitSentences(this.text, this.headings, new MaskCursor(this.merged));
    }
    return this.sentenceCache;
  }

  private headingDateBefore(i: number): DateValue | undefined {
    if (!this.headingDates) {
      const headingDates: (DateValue | undefined)[] = (this.headingDates = []);
      let last: DateValue | undefined;
      for (const h of this.headings) {
        const found = findDates(this.text, h.start, h.end).filter((d) => !this.isMasked(d.start));
        if (found.length > 0) last = found[0]!.value;
        headingDates.push(last);
      }
    }
    return i >= 0 ? this.headingDates[i] : undefined;
  }

  sentenceAt(offset: number): Sentence {
    const list = this.sentences();
    const i = spanBefore(list, offset);
    return i >= 0 && offset < list.ends[i]! ? { start: list.starts[i]!, end: list.ends[i]! } : { start: offset, end: offset };
  }

  dates(): readonly DateInText[] {
    if (!this.dateCache) this.dateCache = this.findAllDates();
    return this.dateCache;
  }

  private findAllDates(): DateInText[] {
    const text = this.text;
    const found: DateInText[] = [];
    const runs = this.digitRuns();
    const inMention = this.mentionCursor();
    let r = 0;
    const list = this.sentences();
    for (let k = 0; k < list.count; k++) {
      const sStart = list.starts[k]!;
      const sEnd = list.ends[k]!;
      // Every date written has a year: a run of exactly four digits (findDates skips a year touching a word
      // character), inside the sentence and inside the date. A date overlapping a mention is dropped below, so
      // a year inside a mention cannot give one. Look only where there is another year.
      while (r < runs.count && runs.ends[r]! <= sStart) r++;
      let year = false;
      for (let k = r; k < runs.count && runs.starts[k]! < sEnd && !year; k++) {
        year = runs.ends[k]! - runs.starts[k]! === 4 && runs.starts[k]! >= sStart && runs.ends[k]! <= sEnd &&
          !inMention(runs.starts[k]!, runs.ends[k]!);
      }
      if (!year) continue;
      for (const d of findDatesWithDigit(text, sStart, sEnd)) {
        if (this.isMasked(d.start) || this.isMasked(d.end - 1)) continue;
        if (this.overlapsMention(d.start, d.end)) continue;
        found.push(d);
      }
    }
    return found;
  }

  datesIn(start: number, end: number): DateInText[] {
    const list = this.dates();
    const out: DateInText[] = [];
    for (let i = lowerBound(list, start); i < list.length && list[i]!.start < end; i++) {
      if (list[i]!.end <= end) out.push(list[i]!);
    }
    return out;
  }

  referenceDateAt(offset: number): DateValue | undefined {
    // The most precise date in the sentence, nearest to the offset on ties (the first of equals). One pass over
    // the dates inside the sentence: no list, copy or sort per call (wrong-title asks for every titled mention).
    const list = this.sentences();
    const si = spanBefore(list, offset);
    if (si >= 0 && offset < list.ends[si]!) {
      const sStart = list.starts[si]!;
      const sEnd = list.ends[si]!;
      const dates = this.dates();
      let best: DateInText | undefined;
      let bestRank = -1;
      let bestDistance = 0;
      for (let i = lowerBound(dates, sStart); i < dates.length && dates[i]!.start < sEnd; i++) {
        const d = dates[i]!;
        if (d.end > sEnd) continue;
        const rank = d.value.day ? 2 : d.value.month ? 1 : 0;
        const distance = Math.abs(d.start - offset);
        if (rank > bestRank || (rank === bestRank && distance < bestDistance)) {
          best = d;
          bestRank = rank;
          bestDistance = distance;
        }
      }
      if (best) return best.value;
    }
    return this.headingDateBefore(lowerBound(this.headings, offset) - 1) ?? this.frontMatterDate;
  }

  isHeading(offset: number): boolean {
    const headings = this.headings;
    const i = lowerBound(headings, offset + 1) - 1;
    return i >= 0 && offset < headings[i]!.end;
  }

  entity(id: string): Entity | undefined {
    return this.corpus.byId.get(id);
  }

  isIgnored(t: string): boolean {
    return this.ignored.size > 0 && this.ignored.has(norm(t));
  }
}

const DIGIT_RUN = /[0-9]+/g;

function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Runs of ASCII digits: few in prose, found by one regular-expression pass. */
function findDigitRuns(text: string): TokenSpans {
  // Typed arrays grown by doubling (storage off the JavaScript heap), not number arrays copied at the end.
  let starts = new Int32Array(256);
  let ends = new Int32Array(256);
  let count = 0;
  DIGIT_RUN.lastIndex = 0;
  let previousEnd = 0;
  while (DIGIT_RUN.test(text)) {
    // (test builds no match object: the run starts after the last non-digit since the previous run)
    const end = DIGIT_RUN.lastIndex;
    let start = end - 1;
    while (start > previousEnd && isAsciiDigit(text.charCodeAt(start - 1))) start--;
    if (count === starts.length) {
      const ns = new Int32Array(count * 2); ns.set(starts); starts = ns;
      const ne = new Int32Array(count * 2); ne.set(ends); ends = ne;
    }
    starts[count] = start;
    ends[count] = end;
    count++;
    previousEnd = end;
  }
  return { count, starts: starts.subarray(0, count), ends: ends.subarray(0, count) };
}

/** Index of the first span ending after `offset` (spans sorted, disjoint), or `spans.count`. */
function firstEndingAfter(spans: TokenSpans, offset: number): number {
  let lo = 0;
  let hi = spans.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans.ends[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The spans among `spans` that overlap [start, end). */
function sliceSpans(spans: TokenSpans, start: number, end: number): TokenSpans {
  const lo = firstEndingAfter(spans, start);
  let last = lo;
  while (last < spans.count && spans.starts[last]! < end) last++;
  return { count: last - lo, starts: spans.starts.subarray(lo, last), ends: spans.ends.subarray(lo, last) };
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x202f || (c >= 0x2000 && c <= 0x200a) || c === 0x3000;
}

/** JavaScript's `\s` (and what String.prototype.trim removes), on one UTF-16 unit. */
export function isJsWhitespace(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f ||
    c === 0x205f || c === 0x3000 || c === 0xfeff;
}

// Per-code-unit answers to Unicode property questions, filled on first use (0 unknown, 1 yes, 2 no): a regular
// expression per character is the slowest part of a scan over Persian text otherwise.
const wordUnits = new Uint8Array(0x10000);
const letterUnits = new Uint8Array(0x10000);
const upperUnits = new Uint8Array(0x10000);
const LETTER_RE = /\p{L}/u;
const UPPER_RE = /^\p{Lu}/u;

/** isWordCodePoint, memoised for the Basic Multilingual Plane. */
export function isWordCp(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f;
  if (cp > 0xffff) return isWordCodePoint(cp);
  let v = wordUnits[cp]!;
  if (v === 0) wordUnits[cp] = v = isWordCodePoint(cp) ? 1 : 2;
  return v === 1;
}

/** `/[\p{L}]/u` on a single UTF-16 unit (a lone surrogate is not a letter). */
export function isLetterUnit(c: number): boolean {
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  let v = letterUnits[c]!;
  if (v === 0) letterUnits[c] = v = c >= 0xd800 && c <= 0xdfff ? 2 : LETTER_RE.test(String.fromCharCode(c)) ? 1 : 2;
  return v === 1;
}

/** `/^\p{Lu}/u.test(text.slice(at))`: the code point at `at` is an upper-case letter. */
export function startsUpper(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c < 0x80) return c >= 65 && c <= 90;
  if (c >= 0xd800 && c <= 0xdbff) return UPPER_RE.test(String.fromCodePoint(text.codePointAt(at)!));
  if (Number.isNaN(c)) return false;
  let v = upperUnits[c]!;
  if (v === 0) upperUnits[c] = v = UPPER_RE.test(String.fromCharCode(c)) ? 1 : 2;
  return v === 1;
}

/** Answers "is this offset masked?" for offsets that never decrease: one pass over the merged regions. */
class MaskCursor {
  private i = 0;
  constructor(private readonly regions: readonly { start: number; end: number }[], from = 0) {
    // Start at the first region that does not end before `from`.
    let lo = 0;
    let hi = regions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (regions[mid]!.end <= from) lo = mid + 1;
      else hi = mid;
    }
    this.i = lo;
  }
  at(offset: number): boolean {
    const r = this.regions;
    while (this.i < r.length && r[this.i]!.end <= offset) this.i++;
    return this.i < r.length && r[this.i]!.start <= offset;
  }
}

function asciiLower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function matchesLowerAscii(text: string, at: number, end: number, word: string): boolean {
  if (at + word.length > end) return false;
  for (let k = 0; k < word.length; k++) if (asciiLower(text.charCodeAt(at + k)) !== word.charCodeAt(k)) return false;
  return true;
}

const ADDRESS_ENDINGS = ['gov', 'com', 'org', 'net', 'md', 'html', 'htm'];

function isAsciiWordUnit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** A whitespace-separated chunk that is a URL, an e-mail address or a path: it contains "://" or "@", starts
 *  with "www.", "./", "../" or "/", or has ".gov", ".com", ".org", ".net", ".md", ".htm(l)" ending a word. */
function isAddressChunk(text: string, s: number, e: number): boolean {
  // (A literal without spaces that starts at s lies inside the chunk: chunks end at the first space.)
  if (text.startsWith('www.', s) || text.startsWith('./', s) || text.startsWith('../', s) || text.charCodeAt(s) === 47) return true;
  for (let p = s; p < e; p++) {
    const c = text.charCodeAt(p);
    if (c === 64) return true;
    if (c === 58 && text.charCodeAt(p + 1) === 47 && text.charCodeAt(p + 2) === 47 && p + 2 < e) return true;
    if (c === 46) {
      for (const ending of ADDRESS_ENDINGS) {
        if (matchesLowerAscii(text, p + 1, e, ending)) {
          const after = p + 1 + ending.length;
          if (after >= e || !isAsciiWordUnit(text.charCodeAt(after))) return true;
        }
      }
    }
  }
  return false;
}

/** Word token spans (see tokenize), as parallel offset arrays: no string or object per word. */
export interface TokenSpans {
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** Counts work done by the scans below, for tests that check the checks stay linear (not for production use). */
export const workCounter = { units: 0 };

// ASCII classes for the token scan: word characters ([0-9A-Za-z_]), spaces, and "." "/" "@" (which may make a
// chunk an address).
const ASCII_WORD = 1;
const ASCII_SPACE = 2;
const ASCII_ADDRESS = 4;
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (isAsciiWordUnit(c)) ASCII_CLASS[c] = ASCII_WORD;
  else if (c === 32 || c === 9 || c === 10 || c === 13) ASCII_CLASS[c] = ASCII_SPACE;
  else if (c === 46 || c === 47 || c === 64) ASCII_CLASS[c] = ASCII_ADDRESS;
}

/** Whether the code point at i is a word character, and its width; 0 when it is not a word character. */
function wordWidthAt(text: string, i: number, c: number): number {
  if (c < 0x80) return ASCII_CLASS[c] === ASCII_WORD ? 1 : 0;
  if (c >= 0xd800 && c <= 0xdbff) {
    const cp = text.codePointAt(i)!;
    return isWordCp(cp) ? (cp > 0xffff ? 2 : 1) : 0;
  }
  return isWordCp(c) ? 1 : 0;
}

/** Word tokens: runs of word characters, joined across an inner hyphen or apostrophe ("Political-Military",
 *  "Israel's"), outside masked regions. Whitespace-separated chunks that look like URLs, e-mail addresses or paths
 *  are skipped whole. One pass: words are found as a chunk is read, and dropped again if the chunk turns out to be
 *  an address. No string is built. */
function scanTokens(text: string, masked: readonly { start: number; end: number }[], from = 0, to = text.length): TokenSpans {
  // [from, to) starts and ends at a chunk boundary (a space or the text's ends): `to` reads as a space.
  const n = to;
  let cap = 64;
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  let count = 0;
  const mask = new MaskCursor(masked, from);
  let chunkStart = -1;
  let countAtChunk = 0;
  let punctuated = false;
  let i = from;
  while (i <= n) {
    const c = i < n ? text.charCodeAt(i) : 32;
    const space = c < 0x80 ? ASCII_CLASS[c] === ASCII_SPACE : isSpaceCode(c);
    if (space) {
      if (chunkStart >= 0 && punctuated && isAddressChunk(text, chunkStart, i)) count = countAtChunk;
      chunkStart = -1;
      i++;
      continue;
    }
    if (chunkStart < 0) {
      chunkStart = i;
      countAtChunk = count;
      punctuated = false;
    }
    let width = wordWidthAt(text, i, c);
    if (width === 0) {
      if (c < 0x80 && ASCII_CLASS[c] === ASCII_ADDRESS) punctuated = true;
      i++; // half a non-word surrogate pair is not a word character either
      continue;
    }
    const start = i;
    for (;;) {
      i += width;
      if (i >= n) break;
      const d = text.charCodeAt(i);
      width = wordWidthAt(text, i, d);
      if (width > 0) continue;
      // An inner hyphen or apostrophe followed by a word character joins ("Political-Military", "Israel's").
      if ((d === 45 || d === 39 || d === 0x2019) && i + 1 < n && wordWidthAt(text, i + 1, text.charCodeAt(i + 1)) > 0) {
        width = 1;
        continue;
      }
      break;
    }
    if (!mask.at(start) && !mask.at(i - 1)) {
      if (count === cap) {
        cap *= 2;
        const ns = new Int32Array(cap); ns.set(starts); starts = ns;
        const ne = new Int32Array(cap); ne.set(ends); ends = ne;
      }
      starts[count] = start;
      ends[count] = i;
      count++;
    }
  }
  workCounter.units += n - from;
  return { count, starts, ends };
}

/** The code point that ends just before `at`. */
function codePointBefore(text: string, at: number): number {
  const c = text.charCodeAt(at - 1);
  if (c >= 0xdc00 && c <= 0xdfff && at >= 2) {
    const h = text.charCodeAt(at - 2);
    if (h >= 0xd800 && h <= 0xdbff) return ((h - 0xd800) << 10) + (c - 0xdc00) + 0x10000;
  }
  return c;
}

/** Where the word token starting at `start` ends: word characters, joined across an inner - ' ’. */
function tokenEnd(text: string, start: number): number {
  const n = text.length;
  let i = start;
  let width = wordWidthAt(text, i, text.charCodeAt(i));
  for (;;) {
    i += width;
    if (i >= n) return i;
    const d = text.charCodeAt(i);
    width = wordWidthAt(text, i, d);
    if (width > 0) continue;
    if ((d === 45 || d === 39 || d === 0x2019) && i + 1 < n && wordWidthAt(text, i + 1, text.charCodeAt(i + 1)) > 0) {
      width = 1;
      continue;
    }
    return i;
  }
}

/** True when the word character at `at` starts a token: not after a word character, nor after one and a joiner. */
function startsToken(text: string, at: number): boolean {
  if (at === 0) return true;
  if (isWordCp(codePointBefore(text, at))) return false;
  const j = text.charCodeAt(at - 1);
  return !((j === 45 || j === 39 || j === 0x2019) && at >= 2 && isWordCp(codePointBefore(text, at - 1)));
}

// Every upper-case letter is ASCII A-Z or outside the blocks skipped here (Latin-1 punctuation, Hebrew, Arabic and
// Persian, general punctuation): the search skips lower-case and Persian text without looking at each character.
const CAPITAL_CANDIDATE = /[A-Z\u00c0-\u058f\u0700-\u1fff\u2070-\uffff]/g;

/** The capitalised word tokens (first code point upper case) that scanTokens would find, without tokenising the
 *  rest: each candidate capital is checked to start a token, and its chunk read once to rule out addresses. Tokens
 *  starting inside one of `skip` (sorted, disjoint: the mentions) are left out, the span jumped over at once. */
function scanCapitalisedTokens(text: string, masked: readonly { start: number; end: number }[],
  skip: readonly { start: number; end: number }[] = []): TokenSpans {
  const n = text.length;
  let cap = 256;
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  let count = 0;
  const mask = new MaskCursor(masked);
  let chunkEnd = -1;
  let chunkIsAddress = false;
  const re = CAPITAL_CANDIDATE;
  re.lastIndex = 0;
  let examined = 0;
  let sk = 0;
  while (re.test(text)) {
    const start = re.lastIndex - 1;
    examined++;
    while (sk < skip.length && skip[sk]!.end <= start) sk++;
    if (sk < skip.length && skip[sk]!.start <= start) {
      re.lastIndex = skip[sk]!.end;
      continue;
    }
    if (!startsUpper(text, start) || !startsToken(text, start)) continue;
    const end = tokenEnd(text, start);
    re.lastIndex = end;
    if (start >= chunkEnd) {
      // The whitespace-separated chunk around the token, read once.
      let chunkStart = start;
      let punctuated = false;
      while (chunkStart > 0 && !isSpaceCode(text.charCodeAt(chunkStart - 1))) {
        const c = text.charCodeAt(--chunkStart);
        if (c === 46 || c === 47 || c === 64) punctuated = true;
      }
      chunkEnd = end; // (a token holds no . / @)
      while (chunkEnd < n && !isSpaceCode(text.charCodeAt(chunkEnd))) {
        const c = text.charCodeAt(chunkEnd++);
        if (c === 46 || c === 47 || c === 64) punctuated = true;
      }
      chunkIsAddress = punctuated && isAddressChunk(text, chunkStart, chunkEnd);
      examined += chunkEnd - chunkStart;
    }
    if (chunkIsAddress || mask.at(start) || mask.at(end - 1)) continue;
    if (count === cap) {
      cap *= 2;
      const ns = new Int32Array(cap); ns.set(starts); starts = ns;
      const ne = new Int32Array(cap); ne.set(ends); ends = ne;
    }
    starts[count] = start;
    ends[count] = end;
    count++;
  }
  workCounter.units += examined;
  return { count, starts, ends };
}

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'lt', 'col', 'maj', 'capt', 'sgt', 'adm', 'sen', 'rep', 'gov', 'st', 'jr',
  'sr', 'no', 'vs', 'etc', 'min', 'dept', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct',
  'nov', 'dec', 'ret', 'approx', 'inc', 'co', 'corp', 'ltd', 'e.g', 'i.e', 'cf', 'al', 'fig',
]);
/** ABBREVIATIONS of ASCII letters as numbers (see asciiWordKey): looked up without building a string. */
const ABBREVIATION_KEYS = new Set<number>();
for (const a of ABBREVIATIONS) if (/^[a-z]+$/.test(a)) ABBREVIATION_KEYS.add(asciiWordKey(a, 0, a.length));

/** The lower-cased ASCII letters of text[k, i) packed into one number (unique for up to 6 letters), or -1 if any
 *  unit is not an ASCII letter. */
function asciiWordKey(text: string, k: number, i: number): number {
  let key = 0;
  for (let p = k; p < i; p++) {
    const c = text.charCodeAt(p) | 0x20;
    if (c < 0x61 || c > 0x7a) return -1;
    key = key * 27 + (c - 0x60);
  }
  return key;
}

/** The letters text[k, i) before a "." (no dots among them) are one letter (an initial, "J.") or an abbreviation
 *  ("Min."), compared lower-cased: ASCII words without building a string, others as
 *  `text.slice(k, i).toLowerCase()` (which may change their length). */
function isInitialOrAbbreviation(text: string, k: number, i: number): boolean {
  if (i - k > 8) return false; // lower-casing never shortens a word: longer than any abbreviation
  const key = asciiWordKey(text, k, i);
  if (key >= 0) return i - k === 1 || (i - k <= 6 && ABBREVIATION_KEYS.has(key));
  const word = text.slice(k, i).toLowerCase();
  return word.length === 1 || ABBREVIATIONS.has(word);
}
const SENTENCE_OPENER = /^\s+(The|This|These|They|It|In|On|At|But|And|He|She|We|A|An)\b/;

/** `^\s{0,3}(?:[#>*+|-]|\d{1,9}[.)]\s|<!--|```|~~~|={2,}|-{3,})` on the line [s, e): a line that starts a Markdown
 *  block (heading, quote, list item, table row, comment, fence, setext underline, rule). */
function startsBlock(text: string, s: number, e: number): boolean {
  let p = s;
  while (p < e && p - s < 3 && isJsWhitespace(text.charCodeAt(p))) p++;
  if (p >= e) return false;
  const c = text.charCodeAt(p);
  if (c === 35 || c === 62 || c === 42 || c === 43 || c === 124 || c === 45) return true;
  if (c >= 48 && c <= 57) {
    let q = p;
    while (q < e && q - p < 10 && text.charCodeAt(q) >= 48 && text.charCodeAt(q) <= 57) q++;
    if (q - p > 9) return false;
    const d = text.charCodeAt(q);
    return q + 1 < e && (d === 46 || d === 41) && isJsWhitespace(text.charCodeAt(q + 1));
  }
  const c1 = p + 1 < e ? text.charCodeAt(p + 1) : -1;
  const c2 = p + 2 < e ? text.charCodeAt(p + 2) : -1;
  if (c === 60) return c1 === 33 && c2 === 45 && p + 3 < e && text.charCodeAt(p + 3) === 45; // <!--
  if (c === 96 || c === 126) return c1 === c && c2 === c; // ``` ~~~
  if (c === 61) return c1 === 61; // ==
  return false;
}

/** Closing quote or bracket that may follow a sentence's final punctuation: " ' ” ’ ) ]. */
function isCloser(c: number): boolean {
  return c === 34 || c === 39 || c === 0x201d || c === 0x2019 || c === 41 || c === 93;
}


/** Sentences: split after . ! ? (not after an abbreviation or a single initial like the "S." in "U.S."), at blank
 *  lines, at lines that start a Markdown block, and around headings. One pass; no string per line. */
export function splitSentences(
  text: string,
  headings: readonly { start: number; end: number }[],
  mask: { at(offset: number): boolean },
): TokenSpans {
  const headingCuts: number[] = [];
  for (const h of headings) headingCuts.push(h.start, h.end);
  headingCuts.sort((a, b) => a - b);
  const out = new SentenceSplitter(text, headingCuts, mask).split();
  workCounter.units += text.length;
  return out;
}

/** The state of one splitSentences pass. A class, not closures inside the function: closures made per call were new
 *  call targets on every run for the splitter's optimised code (it deoptimised on the second run and was compiled
 *  again); methods are the same functions every run. */
class SentenceSplitter {
  private readonly n: number;
  /** Cuts arrive in ascending order (a line's own cut is decided at its start, its end being known): each closes
   *  the sentence since the previous cut, after the heading cuts before it. No list of cuts is built. */
  /** The sentences' bounds, grown by doubling (storage off the JavaScript heap): an object per sentence, in an
   *  array grown by pushing, was ~0.5 MB of garbage per run on the 1 MB brief. */
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);
  private count = 0;
  private previous = 0;
  private h = 0;
  private nextLF = -1;
  private nextCR = -1;
  private prevLineBlank = true;
  private lineBlankOrMasked = false;

  constructor(
    private readonly text: string,
    private readonly headingCuts: readonly number[],
    private readonly mask: { at(offset: number): boolean },
  ) {
    this.n = text.length;
  }

  private cutAt(cut: number): void {
    const text = this.text;
    const headingCuts = this.headingCuts;
    for (;;) {
      const c = this.h < headingCuts.length && headingCuts[this.h]! <= cut ? headingCuts[this.h++]! : cut;
      if (c !== this.previous) {
        let s = this.previous;
        let e = c;
        while (s < e && isSpaceCode(text.charCodeAt(s))) s++;
        while (e > s && isSpaceCode(text.charCodeAt(e - 1))) e--;
        if (e > s) this.add(s, e);
        this.previous = c;
      }
      if (c === cut) return;
    }
  }

  private add(start: number, end: number): void {
    const n = this.count;
    if (n === this.starts.length) {
      const ns = new Int32Array(n * 2); ns.set(this.starts); this.starts = ns;
      const ne = new Int32Array(n * 2); ne.set(this.ends); this.ends = ne;
    }
    this.starts[n] = start;
    this.ends[n] = end;
    this.count = n + 1;
  }


  /** Where something may end a sentence: a line break or . ! ? — the next of each found by indexOf (native and
   *  several times faster than a loop over every character or a regular expression over the text). */
  private find(ch: string, from: number): number {
    const at = this.text.indexOf(ch, from);
    return at < 0 ? this.n : at;
  }

  /** A line starts at `lineStart`: a cut there when it is blank, masked (a comment or code: expect markers, code
   *  blocks), after such a line, or when it starts a Markdown block. */
  private startLine(lineStart: number): void {
    const text = this.text;
    if (this.nextLF < lineStart) this.nextLF = this.find('\n', lineStart);
    if (this.nextCR < lineStart) this.nextCR = this.find('\r', lineStart);
    const eol = Math.min(this.nextLF, this.nextCR);
    let first = lineStart;
    while (first < eol && isJsWhitespace(text.charCodeAt(first))) first++;
    const blank = first === eol;
    const masked = !blank && this.mask.at(first);
    if (blank || masked || this.prevLineBlank || startsBlock(text, lineStart, eol)) this.cutAt(lineStart);
    this.lineBlankOrMasked = blank || masked;
  }

  split(): TokenSpans {
    const text = this.text;
    const n = this.n;
    let nextDot = -1;
    let nextBang = -1;
    let nextQuestion = -1;
    this.startLine(0);
    let from = 0;
    for (;;) {
      if (this.nextLF < from) this.nextLF = this.find('\n', from);
      if (this.nextCR < from) this.nextCR = this.find('\r', from);
      if (nextDot < from) nextDot = this.find('.', from);
      if (nextBang < from) nextBang = this.find('!', from);
      if (nextQuestion < from) nextQuestion = this.find('?', from);
      const i = Math.min(this.nextLF, this.nextCR, nextDot, nextBang, nextQuestion);
      if (i >= n) break;
      from = i + 1;
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        // The line ends: a cut after a blank or masked one.
        if (this.lineBlankOrMasked) this.cutAt(i);
        this.prevLineBlank = this.lineBlankOrMasked;
        const next = c === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
        from = next;
        this.startLine(next);
        continue;
      }
      // . ! ? followed by space (optionally after a closing quote or bracket)
      let j = i + 1;
      while (j < n && isCloser(text.charCodeAt(j))) j++;
      if (j < n && !isSpaceCode(text.charCodeAt(j))) continue;
      if (c === 46) {
        let k = i;
        let dotted = false;
        for (; k > 0; k--) {
          const b = text.charCodeAt(k - 1);
          if (b === 46) dotted = true;
          else if (!isLetterUnit(b)) break;
        }
        // "U.S." / "D.C." / "J." — initials; "Min." — abbreviation.
        if (dotted || isInitialOrAbbreviation(text, k, i)) {
          // ... unless the next word clearly starts a sentence after an initialism at the end of one ("the U.S. The").
          if (!(dotted && SENTENCE_OPENER.test(text.slice(j, j + 12)))) continue;
        }
      }
      this.cutAt(j);
    }
    if (this.lineBlankOrMasked) this.cutAt(n);
    this.cutAt(n);
    return { count: this.count, starts: this.starts.subarray(0, this.count), ends: this.ends.subarray(0, this.count) };
  }
}
