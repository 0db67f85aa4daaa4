// What every rule needs from one document, computed once per run: masked-region lookup, mentions by offset,
// sentences, word tokens outside code and comments, dates, and the brief's own date.
import type { DocumentAnalysis, Mention } from '../analysis/types';
import type { Corpus, Entity } from '../types';
import type { JpmgSettings } from '../../protocol';
import type { Finding, FindingSeverity } from './types';
import { normalize, isWordCodePoint } from '../normalize';
import { findDates, parseIsoDate, type DateInText, type DateValue } from './dates';

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
  /** True when some mention overlaps [start, end) (no array built). */
  overlapsMention(start: number, end: number): boolean;
  /** The analysis's mentions sorted by start. */
  readonly mentions: readonly Mention[];
  /** Word tokens outside masked regions and URLs, in order. */
  tokens(): readonly Token[];
  /** The same tokens as offset arrays (no string per word). */
  tokenSpans(): TokenSpans;
  /** Index of the first token ending after `offset`. */
  firstTokenAfter(offset: number): number;
  sentences(): readonly Sentence[];
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

function lowerBound<T>(items: readonly T[], offset: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]!) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createContext(analysis: DocumentAnalysis, corpus: Corpus, settings: JpmgSettings): CheckContext {
  const text = analysis.text;
  const masked = [...analysis.masked].sort((a, b) => a.start - b.start);
  // Merge overlapping regions so one binary search answers "is this offset masked?".
  const merged: { start: number; end: number }[] = [];
  for (const r of masked) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ start: r.start, end: r.end });
  }
  const isMasked = (offset: number) => {
    const i = lowerBound(merged, offset + 1, (r) => r.start) - 1;
    return i >= 0 && offset < merged[i]!.end;
  };
  const mentions = [...analysis.mentions].sort((a, b) => a.start - b.start);
  let maxMentionLength = 0;
  for (const m of mentions) maxMentionLength = Math.max(maxMentionLength, m.end - m.start);
  const overlapsMention = (start: number, end: number) => {
    for (let i = lowerBound(mentions, start - maxMentionLength, (m) => m.start); i < mentions.length && mentions[i]!.start < end; i++) {
      if (mentions[i]!.end > start) return true;
    }
    return false;
  };
  const mentionsIn = (start: number, end: number) => {
    const out: Mention[] = [];
    let i = lowerBound(mentions, start - maxMentionLength, (m) => m.start);
    for (; i < mentions.length && mentions[i]!.start < end; i++) {
      const m = mentions[i]!;
      if (m.end > start) out.push(m);
    }
    return out;
  };
  const ignored = new Set(settings.ignoreWords.map((w) => normalize(w)));

  let tokenCache: Token[] | undefined;
  let spanCache: TokenSpans | undefined;
  const tokenSpans = () => (spanCache ??= scanTokens(text, merged));
  const tokens = () => {
    if (!tokenCache) {
      const spans = tokenSpans();
      tokenCache = new Array<Token>(spans.count);
      for (let k = 0; k < spans.count; k++) {
        const start = spans.starts[k]!;
        const end = spans.ends[k]!;
        tokenCache[k] = { start, end, text: text.slice(start, end) };
      }
    }
    return tokenCache;
  };
  const firstTokenAfter = (offset: number) => {
    const { ends, count } = tokenSpans();
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let sentenceCache: Sentence[] | undefined;
  let dateCache: DateInText[] | undefined;
  const headings = [...analysis.headings].sort((a, b) => a.start - b.start);

  const sentences = () => (sentenceCache ??= splitSentences(text, headings, isMasked));
  // For each heading, the first date in it or in the nearest heading above that has one (computed once).
  let headingDates: (DateValue | undefined)[] | undefined;
  const headingDateBefore = (i: number): DateValue | undefined => {
    if (!headingDates) {
      headingDates = [];
      let last: DateValue | undefined;
      for (const h of headings) {
        const found = findDates(text, h.start, h.end).filter((d) => !isMasked(d.start));
        if (found.length > 0) last = found[0]!.value;
        headingDates.push(last);
      }
    }
    return i >= 0 ? headingDates[i] : undefined;
  };
  const sentenceAt = (offset: number): Sentence => {
    const list = sentences();
    const i = lowerBound(list, offset + 1, (s) => s.start) - 1;
    const s = list[i];
    return s && offset < s.end ? s : { start: offset, end: offset };
  };
  const dates = () => {
    if (!dateCache) {
      dateCache = [];
      for (const s of sentences()) {
        for (const d of findDates(text, s.start, s.end)) {
          if (isMasked(d.start) || isMasked(d.end - 1)) continue;
          if (overlapsMention(d.start, d.end)) continue;
          dateCache.push(d);
        }
      }
    }
    return dateCache;
  };
  const datesIn = (start: number, end: number) => {
    const list = dates();
    const out: DateInText[] = [];
    for (let i = lowerBound(list, start, (d) => d.start); i < list.length && list[i]!.start < end; i++) {
      if (list[i]!.end <= end) out.push(list[i]!);
    }
    return out;
  };
  const frontMatterDate = parseIsoDate(analysis.frontMatter?.date);
  const referenceDateAt = (offset: number): DateValue | undefined => {
    const s = sentenceAt(offset);
    const inSentence = datesIn(s.start, s.end);
    if (inSentence.length > 0) {
      // The most precise date in the sentence, nearest to the offset on ties.
      const best = [...inSentence].sort((a, b) =>
        (b.value.day ? 2 : b.value.month ? 1 : 0) - (a.value.day ? 2 : a.value.month ? 1 : 0) ||
        Math.abs(a.start - offset) - Math.abs(b.start - offset))[0]!;
      return best.value;
    }
    return headingDateBefore(lowerBound(headings, offset, (h) => h.start) - 1) ?? frontMatterDate;
  };
  const isHeading = (offset: number) => {
    const i = lowerBound(headings, offset + 1, (h) => h.start) - 1;
    return i >= 0 && offset < headings[i]!.end;
  };

  return {
    analysis,
    corpus,
    settings,
    text,
    ignored,
    isMasked,
    mentionsIn,
    overlapsMention,
    mentions,
    tokens,
    tokenSpans,
    firstTokenAfter,
    sentences,
    sentenceAt,
    dates,
    datesIn,
    referenceDateAt,
    isHeading,
    entity: (id) => corpus.byId.get(id),
    isIgnored: (t) => ignored.size > 0 && ignored.has(norm(t)),
  };
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
  constructor(private readonly regions: readonly { start: number; end: number }[]) {}
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

/** One pass: words are found as the whitespace-separated chunk is read, and dropped again if the chunk turns out
 *  to be an address. No string is built. */
function scanTokens(text: string, masked: readonly { start: number; end: number }[]): TokenSpans {
  const n = text.length;
  let cap = 1024;
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  let count = 0;
  const mask = new MaskCursor(masked);
  let chunkStart = -1;
  let countAtChunk = 0;
  let punctuated = false;
  let i = 0;
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
  workCounter.units += n;
  return { count, starts, ends };
}

/** Word tokens: runs of word characters, joined across an inner hyphen or apostrophe ("Political-Military",
 *  "Israel's"). Whitespace-separated chunks that look like URLs, e-mail addresses or paths are skipped whole. */
export function tokenize(text: string, isMasked: (offset: number) => boolean): Token[] {
  // Callers with only a predicate: scan with no mask, then filter (the engine passes merged regions instead).
  const spans = scanTokens(text, []);
  const out: Token[] = [];
  for (let k = 0; k < spans.count; k++) {
    const start = spans.starts[k]!;
    const end = spans.ends[k]!;
    if (!isMasked(start) && !isMasked(end - 1)) out.push({ start, end, text: text.slice(start, end) });
  }
  return out;
}

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'lt', 'col', 'maj', 'capt', 'sgt', 'adm', 'sen', 'rep', 'gov', 'st', 'jr',
  'sr', 'no', 'vs', 'etc', 'min', 'dept', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct',
  'nov', 'dec', 'ret', 'approx', 'inc', 'co', 'corp', 'ltd', 'e.g', 'i.e', 'cf', 'al', 'fig',
]);
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
  isMasked: (offset: number) => boolean,
): Sentence[] {
  const n = text.length;
  const cuts: number[] = [0, n];
  for (const h of headings) cuts.push(h.start, h.end);
  let lineStart = 0;
  let prevLineBlank = true;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 10; // (reading past the end would make V8 drop its optimised loop)
    if (c === 10 || c === 13) {
      let first = lineStart;
      while (first < i && isJsWhitespace(text.charCodeAt(first))) first++;
      const blank = first === i;
      // A line wholly inside a comment or code is a boundary too (expect markers, code blocks).
      const masked = !blank && isMasked(first);
      if (blank || masked || prevLineBlank || startsBlock(text, lineStart, i)) cuts.push(lineStart);
      if (blank || masked) cuts.push(i);
      prevLineBlank = blank || masked;
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      lineStart = i + 1;
      continue;
    }
    if (c === 46 || c === 33 || c === 63) {
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
        // Lower-casing never shortens a word: one longer than any abbreviation needs no string.
        const word = i - k <= 8 ? text.slice(k, i).toLowerCase() : undefined;
        // "U.S." / "D.C." / "J." — initials; "Min." — abbreviation.
        if (dotted || (word !== undefined && (word.length === 1 || ABBREVIATIONS.has(word)))) {
          // ... unless the next word clearly starts a sentence after an initialism at the end of one ("the U.S. The").
          if (!(dotted && SENTENCE_OPENER.test(text.slice(j, j + 12)))) continue;
        }
      }
      cuts.push(j);
    }
  }
  workCounter.units += n;
  const sorted = Float64Array.from(cuts).sort();
  const out: Sentence[] = [];
  for (let k = 0; k + 1 < sorted.length; k++) {
    let s = sorted[k]!;
    let e = sorted[k + 1]!;
    if (s === e) continue;
    while (s < e && isSpaceCode(text.charCodeAt(s))) s++;
    while (e > s && isSpaceCode(text.charCodeAt(e - 1))) e--;
    if (e > s) out.push({ start: s, end: e });
  }
  return out;
}
