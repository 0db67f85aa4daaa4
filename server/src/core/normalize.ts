// One text normalisation shared by the corpus loader (alias keys) and the mention matcher (document text), so a
// name matches however it is typed: Unicode NFKC, case, apostrophe and dash variants, Arabic/Persian letter
// variants (ي/ی, ك/ک), zero-width non-joiner present or absent, Persian and Arabic-Indic digits, runs of spaces.
//
// It works one code point at a time so that every output unit maps back to a span of the input: the matcher finds
// mentions in normalised text and reports them at original UTF-16 offsets, never splitting a surrogate pair.

/** Normalised text with, for each UTF-16 unit of it, the original span [start, end) it came from. */
export interface NormalizedText {
  text: string;
  /** starts[i] = original UTF-16 offset where the code point producing text[i] begins. */
  starts: Uint32Array;
  /** ends[i] = original UTF-16 offset just after that code point. */
  ends: Uint32Array;
}

const DROPPED = new Set<number>([
  0x200c, // zero-width non-joiner: "پیمان‌های" and "پیمانهای" are the same word
  0x200d, // zero-width joiner
  0x200e, 0x200f, // LRM / RLM
  0x00ad, // soft hyphen
  0x0640, // Arabic tatweel (kashida)
  0xfeff, // BOM / zero-width no-break space
]);

const REPLACED = new Map<number, string>([
  // Apostrophes and primes
  [0x2019, "'"], [0x2018, "'"], [0x02bc, "'"], [0x0060, "'"], [0x00b4, "'"], [0x2032, "'"], [0x201b, "'"],
  // Quotation marks fold to plain double quotes
  [0x201c, '"'], [0x201d, '"'], [0x201e, '"'], [0x00ab, '"'], [0x00bb, '"'],
  // Dashes and hyphens
  [0x2010, '-'], [0x2011, '-'], [0x2012, '-'], [0x2013, '-'], [0x2014, '-'], [0x2015, '-'], [0x2212, '-'], [0xfe58, '-'], [0xfe63, '-'], [0xff0d, '-'],
  // Arabic letter variants to their Persian forms
  [0x064a, '\u06cc'], // ي → ی
  [0x0649, '\u06cc'], // ى → ی
  [0x0643, '\u06a9'], // ك → ک
]);

function isSpace(cp: number): boolean {
  return cp === 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d || cp === 0xa0 || cp === 0x202f || cp === 0x2009 ||
    cp === 0x3000 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x0b || cp === 0x0c;
}

/** Arabic diacritics (harakat), dropped so vocalised and bare spellings match. */
function isArabicMark(cp: number): boolean {
  return (cp >= 0x064b && cp <= 0x065f) || cp === 0x0670;
}

const foldCache = new Map<number, string>();

/** Fold one code point (not a space, not dropped) to its normalised text. */
function foldCodePoint(cp: number): string {
  if (cp < 0x80) {
    if (cp === 0x60) return "'"; // a backtick typed for an apostrophe (listed in REPLACED, which ASCII never reaches)
    return cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : String.fromCharCode(cp);
  }
  const cached = foldCache.get(cp);
  if (cached !== undefined) return cached;
  let out: string;
  const replaced = REPLACED.get(cp);
  if (replaced !== undefined) out = replaced;
  else if (cp >= 0x06f0 && cp <= 0x06f9) out = String.fromCharCode(0x30 + cp - 0x06f0); // Persian digits
  else if (cp >= 0x0660 && cp <= 0x0669) out = String.fromCharCode(0x30 + cp - 0x0660); // Arabic-Indic digits
  else {
    out = String.fromCodePoint(cp).normalize('NFKC').toLowerCase();
    // NFKC may produce characters that themselves need folding (e.g. compatibility forms of Arabic letters).
    let again = '';
    for (const ch of out) {
      const c = ch.codePointAt(0)!;
      const r = REPLACED.get(c);
      again += r ?? ch;
    }
    out = again;
  }
  if (foldCache.size < 10_000) foldCache.set(cp, out);
  return out;
}

/** Normalise text, keeping a map from every output unit back to the original span. Linear time. */
export function normalizeWithMap(input: string): NormalizedText {
  const len = input.length;
  // Output is usually the same length; grow when a code point expands (rare: ligatures, NFKC expansions).
  let cap = len + 16;
  let starts = new Uint32Array(cap);
  let ends = new Uint32Array(cap);
  const parts: string[] = [];
  let outLen = 0;
  let lastWasSpace = true; // trims leading spaces
  const push = (s: string, start: number, end: number) => {
    if (outLen + s.length > cap) {
      cap = Math.max(cap * 2, outLen + s.length + 16);
      const ns = new Uint32Array(cap); ns.set(starts); starts = ns;
      const ne = new Uint32Array(cap); ne.set(ends); ends = ne;
    }
    for (let k = 0; k < s.length; k++) {
      starts[outLen] = start;
      ends[outLen] = end;
      outLen++;
    }
    parts.push(s);
  };
  let i = 0;
  while (i < len) {
    const cp = input.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const start = i;
    i += width;
    if (DROPPED.has(cp) || isArabicMark(cp)) continue;
    if (isSpace(cp)) {
      if (!lastWasSpace) push(' ', start, i);
      lastWasSpace = true;
      continue;
    }
    lastWasSpace = false;
    push(foldCodePoint(cp), start, i);
  }
  const text = parts.join('');
  return { text, starts: starts.subarray(0, outLen), ends: ends.subarray(0, outLen) };
}

/** Normalised form of a name or alias, used as an index key. Trailing spaces are trimmed. */
export function normalize(input: string): string {
  // Most names are printable ASCII with single spaces: then folding is lower-casing (corpus loading normalises
  // hundreds of thousands of aliases; this path allocates no offset maps). Same result as the general path.
  if (isPlainAscii(input)) return input.toLowerCase();
  return normalizeWithMap(input).text.trimEnd();
}

/** Printable ASCII without a backtick (folded to an apostrophe), without leading, trailing or doubled spaces. */
function isPlainAscii(s: string): boolean {
  const n = s.length;
  if (n === 0 || s.charCodeAt(0) === 0x20 || s.charCodeAt(n - 1) === 0x20) return false;
  let prevSpace = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x60) return false;
    const space = c === 0x20;
    if (space && prevSpace) return false;
    prevSpace = space;
  }
  return true;
}

/** True for a code point that belongs inside a word (letters, digits, marks, apostrophe-free). */
export function isWordCodePoint(cp: number): boolean {
  if (cp < 0x80) {
    return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f;
  }
  if (cp === 0x200c || cp === 0x200d) return true; // ZWNJ/ZWJ sit inside Persian words
  return WORD_RE.test(String.fromCodePoint(cp));
}
const WORD_RE = /[\p{L}\p{N}\p{M}]/u;

/** True when the text looks like an acronym: two or more characters, letters all upper case ("JPMG", "U.S.", "F-35"). */
export function looksLikeAcronym(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase() && !/\s/.test(text.trim());
}
