// A fast reader for the plain subset of YAML that corpus files are written in: block mappings and sequences
// indented with spaces, identifier keys, plain / single-quoted / double-quoted one-line scalars, simple folded or
// literal block scalars (`>-`, `|`), and one-line flow collections (`[a, b]`, `{source: seed-001, quote: "…"}`),
// with comments. The `yaml` library reads about 1 MB/s on a small machine; a generated 100,000-entity overlay is
// ~45 MB. This reader rewrites the text as JSON (mostly copies of the original, into one buffer) and lets the native JSON.parse
// build the objects.
//
// It gives exactly what `yaml`'s `parseDocument(...).toJS()` gives (YAML 1.2 core schema) or nothing at all:
// anything outside the subset — anchors, aliases, tags, multi-line flow collections or quoted/plain scalars, more
// indented lines in folded scalars, duplicate keys, tabs, odd keys, directives, several documents — returns
// undefined and the caller uses the full parser, which also produces the exact error messages.
//
// Positions: the reader records where each top-level key and each item of a top-level block sequence starts, and
// the `id:` key of such items (entity origins). Any other position is found when a problem needs it, by reading
// just that item (or, failing that, the whole file) again with the `yaml` library.
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Range } from './positions';
import { LineMap } from './positions';

export type Path = readonly (string | number)[];

export interface FastDoc {
  value: unknown;
  locate(path: Path, part: 'key' | 'value'): Range;
}

class NotInSubset extends Error {}
const throwOut = (): never => {
  throw new NotInSubset();
};

const RESERVED_KEYS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '__proto__']);

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the YAML 1.2 core schema, as the `yaml` library resolves it. */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Only these first characters can start a non-string: - + . 0-9 ~ n N t T f F (and the empty string).
  if (!(s.length === 0 || c === 45 || c === 43 || c === 46 || (c >= 48 && c <= 57) || c === 126 ||
    c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70)) return s;
  if (NULL_RE.test(s)) return null;
  if (BOOL_RE.test(s)) return s[0] === 't' || s[0] === 'T';
  if (OCT_RE.test(s)) return parseInt(s.substring(2), 8);
  if (INT_RE.test(s)) return parseInt(s, 10);
  if (HEX_RE.test(s)) return parseInt(s.substring(2), 16);
  if (NAN_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s);
  return s;
}

/** The JSON being written: UTF-16 code units in a growing buffer (no garbage strings per token). */
class Out {
  buf: Uint16Array;
  n = 0;
  constructor(size: number) {
    this.buf = new Uint16Array(size);
  }

  private room(extra: number): void {
    if (this.n + extra <= this.buf.length) return;
    const next = new Uint16Array(Math.max(this.buf.length * 2, this.n + extra + 1024));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  ch(c: number): void {
    if (this.n >= this.buf.length) this.room(1);
    this.buf[this.n++] = c;
  }

  str(s: string): void {
    this.room(s.length);
    const buf = this.buf;
    let n = this.n;
    for (let i = 0; i < s.length; i++) buf[n++] = s.charCodeAt(i);
    this.n = n;
  }

  /** t[a, b) copied as it is. */
  raw(t: string, a: number, b: number): void {
    this.room(b - a);
    const buf = this.buf;
    let n = this.n;
    for (let i = a; i < b; i++) buf[n++] = t.charCodeAt(i);
    this.n = n;
  }

  /** t[a, b) copied as it is; false (and a partial copy, to be discarded) as soon as a backslash appears. */
  rawNoBackslash(t: string, a: number, b: number): boolean {
    this.room(b - a);
    const buf = this.buf;
    let n = this.n;
    for (let i = a; i < b; i++) {
      const c = t.charCodeAt(i);
      if (c === 92) return false;
      buf[n++] = c;
    }
    this.n = n;
    return true;
  }

  /** t[a, b) as a JSON string (quotes and backslashes escaped; control characters never reach here). */
  quoted(t: string, a: number, b: number): void {
    this.room(2 * (b - a) + 2);
    const buf = this.buf;
    let n = this.n;
    buf[n++] = 34;
    for (let i = a; i < b; i++) {
      const c = t.charCodeAt(i);
      if (c === 34 || c === 92) buf[n++] = 92;
      buf[n++] = c;
    }
    buf[n++] = 34;
    this.n = n;
  }

  /** `"key":` */
  key(t: string, a: number, b: number): void {
    this.room(b - a + 3);
    const buf = this.buf;
    let n = this.n;
    buf[n++] = 34;
    for (let i = a; i < b; i++) buf[n++] = t.charCodeAt(i);
    buf[n++] = 34;
    buf[n++] = 58;
    this.n = n;
  }

  text(): string {
    return new TextDecoder('utf-16le').decode(this.buf.subarray(0, this.n));
  }
}

/** A plain scalar t[a, b) as JSON. */
function plainOut(out: Out, t: string, a: number, b: number): void {
  const c = t.charCodeAt(a);
  // Only these first characters can start a non-string: - + . 0-9 ~ n N t T f F.
  if (!(c === 45 || c === 43 || c === 46 || (c >= 48 && c <= 57) || c === 126 || c === 110 || c === 78 ||
    c === 116 || c === 84 || c === 102 || c === 70)) {
    out.quoted(t, a, b);
    return;
  }
  const s = t.slice(a, b);
  const v = resolvePlain(s);
  if (typeof v === 'string') out.quoted(t, a, b);
  else if (typeof v === 'number') {
    if (!Number.isFinite(v) || Object.is(v, -0)) throwOut(); // not representable in JSON
    out.str(String(v));
  } else out.str(String(v)); // null, true, false
}

const YAML_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"',
  '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

function unescapeDouble(s: string): string {
  let res = '';
  let i = 0;
  while (i < s.length) {
    const b = s.indexOf('\\', i);
    if (b < 0) {
      res += s.slice(i);
      break;
    }
    res += s.slice(i, b);
    const ch = s[b + 1];
    if (ch === undefined) throwOut();
    if (Object.prototype.hasOwnProperty.call(YAML_ESCAPES, ch!)) {
      res += YAML_ESCAPES[ch!];
      i = b + 2;
      continue;
    }
    const len = ch === 'x' ? 2 : ch === 'u' ? 4 : ch === 'U' ? 8 : 0;
    if (len === 0) throwOut();
    const hex = s.slice(b + 2, b + 2 + len);
    if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) throwOut();
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) throwOut();
    res += String.fromCodePoint(cp);
    i = b + 2 + len;
  }
  return res;
}

/** Escapes YAML and JSON read the same way; text using only these can be copied as it is. */
const JSON_SAFE_ESCAPES = /^(?:[^\\]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*$/;

/** End offset (after the closing quote) of a double-quoted scalar starting at p, on this line. */
function doubleEnd(t: string, p: number, le: number): number {
  let i = p + 1;
  for (;;) {
    const j = t.indexOf('"', i);
    if (j < 0 || j >= le) throwOut();
    let k = j - 1;
    let slashes = 0;
    while (k > p && t.charCodeAt(k) === 92) {
      slashes++;
      k--;
    }
    if (slashes % 2 === 0) return j + 1;
    i = j + 1;
  }
}

function doubleOut(out: Out, t: string, p: number, end: number): void {
  // Copy while looking for a backslash; most quoted text has none and is then done.
  const mark = out.n;
  if (out.rawNoBackslash(t, p, end)) return;
  out.n = mark;
  const raw = t.slice(p + 1, end - 1);
  // Escapes YAML and JSON read alike can be copied; others are decoded and written again.
  if (JSON_SAFE_ESCAPES.test(raw)) return out.raw(t, p, end);
  out.str(JSON.stringify(unescapeDouble(raw)));
}

function singleEnd(t: string, p: number, le: number): number {
  let i = p + 1;
  for (;;) {
    const j = t.indexOf("'", i);
    if (j < 0 || j >= le) throwOut();
    if (t.charCodeAt(j + 1) === 39) {
      i = j + 2;
      continue;
    }
    return j + 1;
  }
}

function singleOut(out: Out, t: string, p: number, end: number): void {
  const raw = t.slice(p + 1, end - 1);
  const value = raw.includes("''") ? raw.replace(/''/g, "'") : raw;
  out.quoted(value, 0, value.length);
}

/** End of an identifier key ([A-Za-z_][A-Za-z0-9_-]*) at p, or -1. */
function identifierEnd(t: string, p: number, le: number): number {
  const c0 = t.charCodeAt(p);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95)) return -1;
  let i = p + 1;
  while (i < le) {
    const c = t.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45) i++;
    else break;
  }
  return i;
}

/** Whether t[a, b) is a reserved key (null, true, false and their capitalisations, __proto__): no slice unless it may be. */
function isReservedKey(t: string, a: number, b: number): boolean {
  const n = b - a;
  if (n !== 4 && n !== 5 && n !== 9) return false;
  const c = t.charCodeAt(a);
  if (!(c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70 || c === 95)) return false;
  return RESERVED_KEYS.has(t.slice(a, b));
}

/**
 * The keys of the mappings being read, as offset pairs on one stack (a mapping's keys start at its `base`):
 * duplicate keys are found by comparing text in place, with no string per key.
 */
class KeyStack {
  private at = new Int32Array(256);
  top = 0;
  /** Add t[a, b) to the mapping whose keys start at `base`; false if it is already there. */
  add(t: string, base: number, a: number, b: number): boolean {
    let at = this.at;
    const n = b - a;
    for (let k = base; k < this.top; k += 2) {
      const s = at[k]!;
      if (at[k + 1]! - s !== n) continue;
      let i = 0;
      while (i < n && t.charCodeAt(s + i) === t.charCodeAt(a + i)) i++;
      if (i === n) return false;
    }
    if (this.top + 2 > at.length) {
      const next = new Int32Array(at.length * 2);
      next.set(at);
      this.at = at = next;
    }
    at[this.top++] = a;
    at[this.top++] = b;
    return true;
  }
  release(base: number): void {
    this.top = base;
  }
}

function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}

// Control characters (other than LF/CR), tabs, a CR not followed by LF, document/directive markers at the start
// of a line, and lone surrogates (which UTF-16 decoding would replace) are all left to the full parser. Separate
// simple tests: one alternation tried at every character costs more than all of them.
const CONTROL_OR_SURROGATE = /[\x00-\x08\x09\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]/;
const CONTROL = /[\x00-\x08\x09\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]/;
const LONE_CR = /\r(?!\n)/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// Document and directive markers (`---`, `...`, `%` at the start of a line) are caught line by line in `peek`.
function outsideSubset(text: string): boolean {
  if (text.includes('\r') && LONE_CR.test(text)) return true;
  if (!CONTROL_OR_SURROGATE.test(text)) return false;
  return CONTROL.test(text) || LONE_SURROGATE.test(text);
}

/** Where the top level's parts are: enough for entity origins without reading anything again. */
interface TopPositions {
  /** Root mapping keys: key → [keyStart, keyEnd, valueStart]. */
  keys: Map<string, [number, number, number]>;
  /** For a root key whose value is a block sequence: item start offsets, and the item's `id:` key offset or -1. */
  items: Map<string, { starts: number[]; idKeys: number[] }>;
}

class Writer {
  private pos: number; // where the next line starts
  // The current content line: line start, content start (after indentation), line end (before CR/LF), next line.
  private ls = 0;
  private cs = 0;
  private le = 0;
  private next = 0;
  private eof = false;
  private depth = 0;
  readonly out: Out;
  readonly top: TopPositions = { keys: new Map(), items: new Map() };
  private readonly keys = new KeyStack();
  private readonly flow: FlowWriter;

  constructor(private readonly text: string) {
    this.pos = 0;
    this.out = new Out(text.length + (text.length >> 3) + 1024);
    this.flow = new FlowWriter(text, this.out, this.keys);
    this.peek();
  }

  /** Move to the next line that has content (skipping blank and comment-only lines). */
  private peek(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const ls = this.pos;
      let nl = t.indexOf('\n', ls);
      if (nl < 0) nl = t.length;
      let le = nl;
      if (le > ls && t.charCodeAt(le - 1) === 13) le--;
      let cs = ls;
      while (cs < le && t.charCodeAt(cs) === 32) cs++;
      this.pos = nl + 1;
      if (cs === le || t.charCodeAt(cs) === 35) continue; // blank or comment
      if (cs === ls) {
        const c = t.charCodeAt(cs);
        if (c === 37 || (c === 45 && t.startsWith('---', cs)) || (c === 46 && t.startsWith('...', cs))) throwOut();
      }
      this.ls = ls;
      this.cs = cs;
      this.le = le;
      this.next = nl + 1;
      return;
    }
    this.eof = true;
  }

  private advance(): void {
    this.pos = this.next;
    this.peek();
  }

  private get indent(): number {
    return this.cs - this.ls;
  }

  private isSeqLine(): boolean {
    const t = this.text;
    return t.charCodeAt(this.cs) === 45 && (this.cs + 1 === this.le || t.charCodeAt(this.cs + 1) === 32);
  }

  /** End of an identifier key at p that is followed by `:` and a space or the line end; -1 if none. */
  private keyEnd(p: number): number {
    const t = this.text;
    const c0 = t.charCodeAt(p);
    if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95)) return -1;
    let i = p + 1;
    while (i < this.le) {
      const c = t.charCodeAt(i);
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45) i++;
      else break;
    }
    if (t.charCodeAt(i) !== 58) return -1;
    if (i + 1 !== this.le && t.charCodeAt(i + 1) !== 32) return -1;
    return i;
  }

  writeDocument(): void {
    if (this.eof) {
      this.out.str('null');
      return;
    }
    if (this.indent !== 0) throwOut();
    this.blockHere();
    if (!this.eof) throwOut();
  }

  /** A block collection starting at the current line's content. */
  private blockHere(): void {
    if (++this.depth > 200) throwOut();
    if (this.isSeqLine()) this.seq(this.indent);
    else if (this.keyEnd(this.cs) >= 0) this.map(this.indent, this.cs);
    else throwOut();
    this.depth--;
  }

  /** After `key:` or `-` with nothing else on the line: a nested block, a same-indent sequence (maps), or null. */
  private nested(parentIndent: number, allowSameIndentSeq: boolean): number {
    if (this.eof) {
      this.out.str('null');
      return -1;
    }
    const start = this.cs;
    if (this.indent > parentIndent) this.blockHere();
    else if (allowSameIndentSeq && this.indent === parentIndent && this.isSeqLine()) this.seq(parentIndent);
    else {
      this.out.str('null');
      return -1;
    }
    return start;
  }

  private map(indent: number, firstKey: number): void {
    const out = this.out;
    const t = this.text;
    const keys = this.keys;
    const base = keys.top;
    const atRoot = this.depth === 1;
    out.ch(123);
    let p = firstKey;
    for (;;) {
      const ke = this.keyEnd(p);
      if (ke < 0 || isReservedKey(t, p, ke)) throwOut();
      if (keys.top > base) out.ch(44);
      if (!keys.add(t, base, p, ke)) throwOut();
      const key = atRoot ? t.slice(p, ke) : '';
      out.key(t, p, ke);
      let v = ke + 1;
      while (v < this.le && t.charCodeAt(v) === 32) v++;
      let valueStart = v;
      const c = t.charCodeAt(v);
      if (v === this.le || c === 35) {
        this.advance();
        if (atRoot) this.rootItems(key, indent);
        const start = this.nested(indent, true);
        valueStart = start < 0 ? ke + 1 : start;
      } else if (c === 62 || c === 124) {
        this.blockScalar(v, indent);
      } else {
        this.finishLine(this.inline(v));
        this.advance();
        if (!this.eof && this.indent > indent) throwOut();
      }
      if (atRoot) this.top.keys.set(key, [p, ke, valueStart]);
      if (this.eof || this.indent < indent) break;
      if (this.indent > indent || this.isSeqLine()) throwOut();
      p = this.cs;
    }
    keys.release(base);
    out.ch(125);
  }

  /** Before a root key's nested value: prepare to record its sequence items. */
  private rootItems(key: string, indent: number): void {
    if (!this.eof && this.indent >= indent && this.isSeqLine()) {
      this.pendingItems = { starts: [], idKeys: [] };
      this.top.items.set(key, this.pendingItems);
    }
  }

  private seq(indent: number): void {
    const out = this.out;
    const t = this.text;
    // Items of a sequence directly under a root key are recorded (entity positions).
    const rec = this.pendingItems;
    this.pendingItems = undefined;
    out.ch(91);
    let first = true;
    for (;;) {
      if (!first) out.ch(44);
      first = false;
      const itemStart = this.cs;
      let q = this.cs + 1;
      while (q < this.le && t.charCodeAt(q) === 32) q++;
      let idKey = -1;
      const c = t.charCodeAt(q);
      if (q === this.le || c === 35) {
        this.advance();
        this.nested(indent, false);
      } else if (this.keyEnd(q) >= 0) {
        if (rec) idKey = this.findIdKey(q, q - this.ls);
        if (++this.depth > 200) throwOut();
        this.map(q - this.ls, q);
        this.depth--;
      } else if (c === 62 || c === 124) {
        this.blockScalar(q, indent);
      } else {
        if (c === 45 && (q + 1 === this.le || t.charCodeAt(q + 1) === 32)) throwOut(); // "- - x"
        this.finishLine(this.inline(q));
        this.advance();
        if (!this.eof && this.indent > indent) throwOut();
      }
      if (rec) {
        rec.starts.push(itemStart);
        rec.idKeys.push(idKey);
      }
      if (this.eof || this.indent < indent) break;
      if (this.indent > indent) throwOut();
      if (!this.isSeqLine()) break;
    }
    out.ch(93);
  }

  private pendingItems: { starts: number[]; idKeys: number[] } | undefined;

  /** Offset of the `id:` key of a compact mapping starting at q (column `col`), scanning its lines; -1 if none. */
  private findIdKey(q: number, col: number): number {
    const t = this.text;
    if (t.startsWith('id:', q)) return q;
    // Look at the following lines with exactly `col` spaces of indentation, up to the next line indented less.
    let ls = t.indexOf('\n', q) + 1;
    for (let n = 0; ls > 0 && ls < t.length && n < 200; n++) {
      let cs = ls;
      while (cs < t.length && t.charCodeAt(cs) === 32) cs++;
      const c = t.charCodeAt(cs);
      if (c !== 10 && c !== 13 && c !== 35 && !Number.isNaN(c)) {
        if (cs - ls < col) return -1;
        if (cs - ls === col && t.startsWith('id:', cs)) return cs;
      }
      ls = t.indexOf('\n', ls) + 1;
    }
    return -1;
  }

  /** After a value on the line: only spaces and a comment may follow. */
  private finishLine(end: number): void {
    let i = end;
    while (i < this.le && this.text.charCodeAt(i) === 32) i++;
    if (i === this.le) return;
    if (this.text.charCodeAt(i) === 35 && i > end) return;
    throwOut();
  }

  /** A one-line value in block context; returns its end offset. */
  private inline(p: number): number {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === 34) {
      const end = doubleEnd(t, p, this.le);
      doubleOut(this.out, t, p, end);
      return end;
    }
    if (c === 39) {
      const end = singleEnd(t, p, this.le);
      singleOut(this.out, t, p, end);
      return end;
    }
    if (c === 91 || c === 123) {
      const f = this.flow;
      f.le = this.le;
      f.depth = 0;
      f.value(p);
      return f.pos;
    }
    // Indicators that start something outside the subset (anchors, aliases, tags, reserved, ...).
    if (c === 38 || c === 42 || c === 33 || c === 37 || c === 64 || c === 96 || c === 93 || c === 125 || c === 44 ||
      c === 35 || c === 62 || c === 124) throwOut();
    if ((c === 45 || c === 63 || c === 58) && (p + 1 === this.le || t.charCodeAt(p + 1) === 32)) throwOut();
    // A comment starts at " #"; search this line only (searching to the end of a 30 MB text per line is quadratic).
    const hash = t.slice(p, this.le).indexOf(' #');
    let end = hash < 0 ? this.le : p + hash;
    while (end > p && t.charCodeAt(end - 1) === 32) end--;
    // A plain scalar may not hold ": " nor end with ":" (that would be a nested mapping).
    for (let i = p; i < end; i++) {
      if (t.charCodeAt(i) === 58 && (i + 1 === end || t.charCodeAt(i + 1) === 32)) throwOut();
    }
    plainOut(this.out, t, p, end);
    return end;
  }

  /**
   * A block scalar (`>`, `>-`, `|`, `|-`) whose lines share one indentation: folded lines join with a space, an
   * empty line between them gives a line break; literal lines keep their breaks. Anything subtler is left out.
   */
  private blockScalar(p: number, parentIndent: number): void {
    const t = this.text;
    const folded = t.charCodeAt(p) === 62;
    let i = p + 1;
    let strip = false;
    if (t.charCodeAt(i) === 45) {
      strip = true;
      i++;
    }
    // Only a comment may follow the header (no "+" chomping, no indentation indicator).
    this.finishLine(i);
    if (i < this.le && t.charCodeAt(i) !== 32) throwOut();
    const lines: string[] = [];
    let m = -1;
    let pos = this.next;
    let pendingEmpty = 0;
    while (pos < t.length) {
      let nl = t.indexOf('\n', pos);
      if (nl < 0) nl = t.length;
      let le = nl;
      if (le > pos && t.charCodeAt(le - 1) === 13) le--;
      let cs = pos;
      while (cs < le && t.charCodeAt(cs) === 32) cs++;
      if (cs === le) {
        // Leading empty lines, and spaces beyond the indentation on an empty line, are left to the full parser.
        if (m < 0 || cs - pos > m) throwOut();
        pendingEmpty++;
        pos = nl + 1;
        continue;
      }
      const ind = cs - pos;
      if (m < 0) {
        if (ind <= parentIndent) throwOut(); // an empty block scalar
        m = ind;
      }
      if (ind < m) break;
      if (ind > m) throwOut(); // more-indented lines fold differently
      if (lines.length) lines.push(folded ? (pendingEmpty ? '\n'.repeat(pendingEmpty) : ' ') : '\n'.repeat(pendingEmpty + 1));
      else if (pendingEmpty) throwOut();
      pendingEmpty = 0;
      lines.push(t.slice(cs, le));
      pos = nl + 1;
    }
    if (m < 0) throwOut();
    if (!strip) lines.push('\n');
    this.out.str(JSON.stringify(lines.join('')));
    // Continue after the scalar's last content line (trailing empty lines belong to no one).
    this.pos = pos;
    this.peek();
  }
}

/** One-line flow collections written as JSON. */
class FlowWriter {
  pos = 0;
  depth = 0;
  le = 0;
  constructor(private readonly t: string, private readonly out: Out, private readonly keys: KeyStack) {}

  private skip(): void {
    while (this.pos < this.le && this.t.charCodeAt(this.pos) === 32) this.pos++;
  }

  value(p: number): void {
    this.pos = p;
    const t = this.t;
    const c = t.charCodeAt(p);
    if (c === 91) this.seq();
    else if (c === 123) this.map();
    else if (c === 34) {
      const end = doubleEnd(t, p, this.le);
      doubleOut(this.out, t, p, end);
      this.pos = end;
    } else if (c === 39) {
      const end = singleEnd(t, p, this.le);
      singleOut(this.out, t, p, end);
      this.pos = end;
    } else {
      const start = this.pos;
      this.plain();
      plainOut(this.out, t, start, this.pos);
    }
  }

  /** A plain scalar in flow context: ends at a flow indicator or at ": "; never spans the line end. */
  private plain(): void {
    const t = this.t;
    const start = this.pos;
    const c0 = t.charCodeAt(start);
    if (start >= this.le || isFlowIndicator(c0) || c0 === 35 || c0 === 38 || c0 === 42 || c0 === 33 || c0 === 124 ||
      c0 === 62 || c0 === 37 || c0 === 64 || c0 === 96 || c0 === 34 || c0 === 39 || c0 === 45 || c0 === 63 || c0 === 58) throwOut();
    let i = start;
    while (i < this.le) {
      const c = t.charCodeAt(i);
      if (isFlowIndicator(c)) break;
      if (c === 58) {
        const n = i + 1 < this.le ? t.charCodeAt(i + 1) : -1;
        if (n === -1 || n === 32 || isFlowIndicator(n)) break;
      }
      if (c === 35 && t.charCodeAt(i - 1) === 32) throwOut(); // a comment inside an unclosed flow collection
      i++;
    }
    if (i >= this.le) throwOut();
    let end = i;
    while (end > start && t.charCodeAt(end - 1) === 32) end--;
    this.pos = end;
  }

  private seq(): void {
    if (++this.depth > 64) throwOut();
    const out = this.out;
    out.ch(91);
    this.pos++;
    this.skip();
    if (this.t.charCodeAt(this.pos) !== 93) {
      for (;;) {
        this.value(this.pos);
        this.skip();
        const c = this.t.charCodeAt(this.pos);
        if (c === 93) break;
        if (c !== 44 || this.pos >= this.le) throwOut(); // includes ":" (an implicit pair) and the line end
        this.pos++;
        this.skip();
        if (this.t.charCodeAt(this.pos) === 93) throwOut(); // trailing comma: left to the full parser
        out.ch(44);
      }
    }
    this.pos++;
    out.ch(93);
    this.depth--;
  }

  private map(): void {
    if (++this.depth > 64) throwOut();
    const out = this.out;
    const t = this.t;
    const keys = this.keys;
    const base = keys.top;
    out.ch(123);
    this.pos++;
    this.skip();
    if (t.charCodeAt(this.pos) !== 125) {
      for (;;) {
        const keyStart = this.pos;
        const keyEnd = identifierEnd(t, keyStart, this.le);
        if (keyEnd < 0 || isReservedKey(t, keyStart, keyEnd)) throwOut();
        this.pos = keyEnd;
        this.skip();
        if (t.charCodeAt(this.pos) !== 58) throwOut();
        this.pos++;
        if (t.charCodeAt(this.pos) !== 32) throwOut();
        this.skip();
        const c = t.charCodeAt(this.pos);
        if (c === 44 || c === 125 || this.pos >= this.le) throwOut(); // a key without a value
        if (keys.top > base) out.ch(44);
        if (!keys.add(t, base, keyStart, keyEnd)) throwOut();
        out.key(t, keyStart, keyEnd);
        this.value(this.pos);
        this.skip();
        const d = t.charCodeAt(this.pos);
        if (d === 125) break;
        if (d !== 44 || this.pos >= this.le) throwOut();
        this.pos++;
        this.skip();
        if (t.charCodeAt(this.pos) === 125) throwOut();
      }
    }
    this.pos++;
    keys.release(base);
    out.ch(125);
    this.depth--;
  }
}

/** Read `text` if it is in the subset; undefined otherwise (use the full parser). Never throws. */
export function fastParse(text: string): FastDoc | undefined {
  let value: unknown;
  let top: TopPositions;
  try {
    if (outsideSubset(text) || text.charCodeAt(0) === 0xfeff) return undefined;
    const w = new Writer(text);
    w.writeDocument();
    value = JSON.parse(w.out.text());
    top = w.top;
  } catch {
    return undefined; // NotInSubset, or anything unexpected: the full parser decides
  }
  let lines: LineMap | undefined;
  let whole: ((path: Path, part: 'key' | 'value') => Range) | undefined;
  const items = new Map<string, Locator>(); // items read again, kept for their next problem
  const locate = (path: Path, part: 'key' | 'value'): Range => {
    lines ??= new LineMap(text);
    const found = locateTop(text, lines, top, path, part, items);
    if (found) return found;
    whole ??= libraryLocator(text, 0, lines);
    return whole(path, part);
  };
  return { value, locate };
}

type Locator = (path: Path, part: 'key' | 'value') => Range;

function locateTop(
  text: string, lines: LineMap, top: TopPositions, path: Path, part: 'key' | 'value', cache: Map<string, Locator>,
): Range | undefined {
  if (path.length === 0) return lines.firstLineRange(0, text.length);
  const key = String(path[0]);
  const k = top.keys.get(key);
  if (!k) return undefined;
  if (path.length === 1) return part === 'key' ? lines.range(k[0], k[1]) : lines.firstLineRange(k[2], text.length);
  const items = top.items.get(key);
  const index = path[1];
  if (!items || typeof index !== 'number' || index >= items.starts.length) return undefined;
  const start = items.starts[index]!;
  if (path.length === 2) return lines.firstLineRange(start, text.length);
  if (path.length === 3 && path[2] === 'id' && part === 'key' && items.idKeys[index]! >= 0) {
    const at = items.idKeys[index]!;
    return lines.range(at, at + 2);
  }
  // Read just this item again with the full parser, positions shifted to the file.
  const cacheKey = `${key}\u0000${index}`;
  let locator = cache.get(cacheKey);
  if (!locator) {
    const lineStart = text.lastIndexOf('\n', start) + 1;
    const end = index + 1 < items.starts.length ? text.lastIndexOf('\n', items.starts[index + 1]!) + 1 : regionEnd(text, start);
    locator = libraryLocator(text.slice(lineStart, end), lineStart, lines);
    if (cache.size > 1000) cache.clear();
    cache.set(cacheKey, locator);
  }
  return locator([0, ...path.slice(2)], part);
}

/** Where the last item of a top-level sequence ends: at the next line indented no more than the item's dash. */
function regionEnd(text: string, itemStart: number): number {
  const lineStart = text.lastIndexOf('\n', itemStart) + 1;
  const indent = itemStart - lineStart;
  const re = /\n( *)(?=[^ \r\n#])/g;
  re.lastIndex = itemStart;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1]!.length <= indent) return m.index + 1;
  }
  return text.length;
}

/** A locator reading `src` (found at `offset` in the file) with the `yaml` library. */
function libraryLocator(src: string, offset: number, lines: LineMap): Locator {
  const doc = parseDocument(src, { uniqueKeys: false, keepSourceTokens: false });
  return (path, part) => {
    let node: unknown = doc.contents;
    let range: [number, number] = rangeOf(node) ?? [0, 0];
    let keyRange = range;
    let found = true;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) { found = false; break; }
        keyRange = rangeOf(pair.key) ?? range;
        node = pair.value;
        range = rangeOf(pair.value) ?? keyRange;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
        node = node.items[seg];
        range = rangeOf(node) ?? range;
        keyRange = range;
      } else {
        found = false;
        break;
      }
    }
    const [s, e] = part === 'key' && found ? keyRange : range;
    if (!found || isMap(node) || isSeq(node)) return lines.firstLineRange(s + offset, e + offset);
    return lines.range(s + offset, e + offset);
  };
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}
