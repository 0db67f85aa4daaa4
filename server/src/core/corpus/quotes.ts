// Finding a citation's quote in its source text, whitespace aside: runs of spaces, tabs and line breaks match
// each other, so a quote copied across a line break still counts as verbatim. Offsets returned are the original's.
import { normalize } from '../normalize';

export interface CollapsedText {
  /** Text with every whitespace run turned into one space (leading/trailing runs kept as one space). */
  text: string;
  /** For each unit of `text`, its start offset in the original. */
  starts: Uint32Array;
  /** For each unit of `text`, the original offset just after it. */
  ends: Uint32Array;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c || c === 0xa0 ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x3000 || (c >= 0x2000 && c <= 0x200a) || c === 0xfeff;
}

export function collapseWhitespace(input: string): CollapsedText {
  const starts = new Uint32Array(input.length);
  const ends = new Uint32Array(input.length);
  const out: string[] = [];
  let n = 0;
  let i = 0;
  while (i < input.length) {
    const c = input.charCodeAt(i);
    if (isWhitespace(c)) {
      const start = i;
      while (i < input.length && isWhitespace(input.charCodeAt(i))) i++;
      starts[n] = start;
      ends[n] = i;
      n++;
      out.push(' ');
      continue;
    }
    // Copy a stretch of non-space text in one go.
    const start = i;
    while (i < input.length && !isWhitespace(input.charCodeAt(i))) {
      starts[n] = i;
      ends[n] = i + 1;
      n++;
      i++;
    }
    out.push(input.slice(start, i));
  }
  return { text: out.join(''), starts: starts.subarray(0, n), ends: ends.subarray(0, n) };
}

// Source texts are few and reused for every quote: keep their collapsed forms.
const collapsedCache = new Map<string, CollapsedText>();
function collapsedSource(text: string): CollapsedText {
  let c = collapsedCache.get(text);
  if (!c) {
    c = collapseWhitespace(text);
    if (collapsedCache.size > 64) collapsedCache.clear();
    collapsedCache.set(text, c);
  }
  return c;
}

function trimmedCollapse(quote: string): string {
  return collapseWhitespace(quote).text.trim();
}

/**
 * Where `quote` occurs in `sourceText`, whitespace aside (first occurrence). The range covers the quote's first
 * to last non-space character in the original text. Undefined for an empty quote or no match. Never throws.
 */
export function findQuote(sourceText: string, quote: string): { start: number; end: number } | undefined {
  if (typeof sourceText !== 'string' || typeof quote !== 'string') return undefined;
  const q = trimmedCollapse(quote);
  if (q.length === 0) return undefined;
  const src = collapsedSource(sourceText);
  const at = src.text.indexOf(q);
  if (at < 0) return undefined;
  return { start: src.starts[at]!, end: src.ends[at + q.length - 1]! };
}

/** True when the quote matches only once case, dashes, apostrophes and letter variants are folded (for hints). */
export function quoteMatchesLoosely(sourceText: string, quote: string): boolean {
  const q = normalize(quote);
  return q.length > 0 && looseSource(sourceText).includes(q);
}

const looseCache = new Map<string, string>();
function looseSource(text: string): string {
  let s = looseCache.get(text);
  if (s === undefined) {
    s = normalize(text);
    if (looseCache.size > 64) looseCache.clear();
    looseCache.set(text, s);
  }
  return s;
}
