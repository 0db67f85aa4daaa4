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
  /** Word tokens outside masked regions and URLs, in order. */
  tokens(): readonly Token[];
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
          if (mentionsIn(d.start, d.end).length > 0) continue;
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
    tokens: () => (tokenCache ??= tokenize(text, isMasked)),
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

/** Word tokens: runs of word characters, joined across an inner hyphen or apostrophe ("Political-Military",
 *  "Israel's"). Whitespace-separated chunks that look like URLs, e-mail addresses or paths are skipped whole. */
export function tokenize(text: string, isMasked: (offset: number) => boolean): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpaceCode(text.charCodeAt(i))) i++;
    const chunkStart = i;
    while (i < n && !isSpaceCode(text.charCodeAt(i))) i++;
    const chunkEnd = i;
    if (chunkEnd === chunkStart) continue;
    const chunk = text.slice(chunkStart, chunkEnd);
    if ((chunk.includes('/') || chunk.includes('@') || chunk.includes('.')) &&
      (chunk.includes('://') || chunk.includes('@') || /^(?:www\.|\.\.?\/|\/)/.test(chunk) || /\.(?:gov|com|org|net|md|html?)\b/i.test(chunk))) continue;
    let j = chunkStart;
    while (j < chunkEnd) {
      const cp = text.codePointAt(j)!;
      if (!isWordCodePoint(cp)) { j += cp > 0xffff ? 2 : 1; continue; }
      const start = j;
      for (;;) {
        while (j < chunkEnd) {
          const c = text.codePointAt(j)!;
          if (!isWordCodePoint(c)) break;
          j += c > 0xffff ? 2 : 1;
        }
        const joiner = text[j];
        if ((joiner === '-' || joiner === "'" || joiner === '’') && j + 1 < chunkEnd && isWordCodePoint(text.codePointAt(j + 1)!)) {
          j++;
          continue;
        }
        break;
      }
      if (!isMasked(start) && !isMasked(j - 1)) out.push({ start, end: j, text: text.slice(start, j) });
    }
  }
  return out;
}

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'lt', 'col', 'maj', 'capt', 'sgt', 'adm', 'sen', 'rep', 'gov', 'st', 'jr',
  'sr', 'no', 'vs', 'etc', 'min', 'dept', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct',
  'nov', 'dec', 'ret', 'approx', 'inc', 'co', 'corp', 'ltd', 'e.g', 'i.e', 'cf', 'al', 'fig',
]);

/** Sentences: split after . ! ? (not after an abbreviation or a single initial like the "S." in "U.S."), at blank
 *  lines, at lines that start a Markdown block, and around headings. Linear. */
export function splitSentences(
  text: string,
  headings: readonly { start: number; end: number }[],
  isMasked: (offset: number) => boolean,
): Sentence[] {
  const cuts = new Set<number>([0, text.length]);
  for (const h of headings) {
    cuts.add(h.start);
    cuts.add(h.end);
  }
  const n = text.length;
  let lineStart = 0;
  let prevLineBlank = true;
  for (let i = 0; i <= n; i++) {
    const c = text.charCodeAt(i);
    const atEol = i === n || c === 10 || c === 13;
    if (atEol) {
      const line = text.slice(lineStart, i);
      const blank = line.trim() === '';
      const blockStart = /^\s{0,3}(?:[#>*+|-]|\d{1,9}[.)]\s|<!--|```|~~~|={2,}|-{3,})/.test(line);
      // A line wholly inside a comment or code is a boundary too (expect markers, code blocks).
      const masked = !blank && isMasked(lineStart + line.search(/\S/));
      if (blank || blockStart || masked || prevLineBlank) cuts.add(lineStart);
      if (blank || masked) cuts.add(i);
      prevLineBlank = blank || masked;
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      lineStart = i + 1;
      continue;
    }
    if (c === 46 || c === 33 || c === 63) {
      // . ! ? followed by space (optionally after a closing quote or bracket)
      let j = i + 1;
      while (j < n && /["'”’)\]]/.test(text[j]!)) j++;
      if (j < n && !isSpaceCode(text.charCodeAt(j))) continue;
      if (c === 46) {
        let k = i;
        while (k > 0 && /[\p{L}.]/u.test(text[k - 1]!)) k--;
        const word = text.slice(k, i).toLowerCase();
        // "U.S." / "D.C." / "J." — initials; "Min." — abbreviation.
        if (word.length === 1 || /\./.test(word) || ABBREVIATIONS.has(word)) {
          // ... unless the next word clearly starts a sentence after an initialism at the end of one ("the U.S. The").
          const next = /^\s+(The|This|These|They|It|In|On|At|But|And|He|She|We|A|An)\b/.exec(text.slice(j, j + 12));
          if (!(next && word.includes('.'))) continue;
        }
      }
      cuts.add(j);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: Sentence[] = [];
  for (let k = 0; k + 1 < sorted.length; k++) {
    let s = sorted[k]!;
    let e = sorted[k + 1]!;
    while (s < e && isSpaceCode(text.charCodeAt(s))) s++;
    while (e > s && isSpaceCode(text.charCodeAt(e - 1))) e--;
    if (e > s) out.push({ start: s, end: e });
  }
  return out;
}
