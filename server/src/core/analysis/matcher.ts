// The mention matcher: an Aho–Corasick automaton over the corpus's normalised alias keys, built once per Corpus,
// run over the document's prose segments in one pass (linear in the text, plus the matches found).
//
// The document is normalised on the fly, one code point at a time, exactly as `normalizeWithMap` does (ASCII on a
// fast path, every other code point folded once through `normalizeWithMap` itself and remembered). Normalising a
// whole 1 MB brief with `normalizeWithMap` costs more than the entire analysis budget; streaming it costs a few
// milliseconds and needs no per-character offset arrays, only a ring buffer as long as the longest alias.
import { isWordCodePoint, normalizeWithMap } from '../normalize';
import type { AliasEntry, Corpus } from '../types';
import type { Mention } from './types';
import { SEGMENT_RESET } from './markdown';

export interface Matcher {
  /** Plain-text mentions inside `segments` (triples [start, end, flag] from the Markdown scan), in document order,
   *  non-overlapping, leftmost-longest. */
  find(text: string, segments: readonly number[]): Mention[];
  /** Number of automaton states (for diagnostics and benchmarks). */
  readonly size: number;
}

const matchers = new WeakMap<Corpus, Matcher>();

/** The matcher for a corpus, built on first use and cached for the corpus's lifetime. */
export function getMatcher(corpus: Corpus): Matcher {
  let m = matchers.get(corpus);
  if (!m) {
    m = buildMatcher(corpus.aliases.values());
    matchers.set(corpus, m);
  }
  return m;
}

// ---- normalisation, one code point at a time --------------------------------------------------------------------

const FOLD_DROPPED = -1;
const FOLD_SPACE = -2;
const FOLD_MULTI = -3;
/** For BMP code points: unit + 1 when the fold is one UTF-16 unit, else one of the FOLD_* codes. */
const bmpFold = new Int32Array(0x10000);
const multiFold = new Map<number, string>(); // BMP code points that fold to several units
const astralFold = new Map<number, number | string>();

/** How `normalizeWithMap` treats one non-ASCII code point: dropped, a space, or the text it folds to. */
function probeFold(cp: number): number | string {
  const ch = String.fromCodePoint(cp);
  const one = normalizeWithMap('a' + ch + 'a').text;
  if (one === 'aa') return FOLD_DROPPED;
  if (one === 'a a' && normalizeWithMap('a' + ch + ' a').text === 'a a') return FOLD_SPACE;
  return one.slice(1, -1);
}

/** ASCII folds, probed once from normalizeWithMap so the fast path can never drift from it: the unit, FOLD_SPACE,
 *  FOLD_DROPPED, or FOLD_MULTI (then the generic path handles the character). */
const ASCII_FOLD = new Int32Array(128);
for (let c = 0; c < 128; c++) {
  const f = probeFold(c);
  ASCII_FOLD[c] = typeof f === 'number' ? f : f.length === 1 && f.charCodeAt(0) < 0x80 ? f.charCodeAt(0) : FOLD_MULTI;
}

function foldOf(cp: number): number | string {
  if (cp < 0x10000) {
    const known = bmpFold[cp];
    if (known > 0) return known - 1;
    if (known === FOLD_DROPPED || known === FOLD_SPACE) return known;
    if (known === FOLD_MULTI) return multiFold.get(cp)!;
    const probed = probeFold(cp);
    if (typeof probed === 'number') bmpFold[cp] = probed;
    else if (probed.length === 1) {
      bmpFold[cp] = probed.charCodeAt(0) + 1;
      return probed.charCodeAt(0);
    } else {
      bmpFold[cp] = FOLD_MULTI;
      multiFold.set(cp, probed);
    }
    return probed;
  }
  let known = astralFold.get(cp);
  if (known === undefined) {
    known = probeFold(cp);
    if (astralFold.size < 100_000) astralFold.set(cp, known);
  }
  return known;
}

/**
 * Feeds the normalised form of text[s, e) to `sink`, unit by unit, with each unit's original code point span.
 * `lastSpace` carries space-collapsing state across calls; returns the new state.
 */
function streamNormalized(
  text: string, s: number, e: number, lastSpace: boolean,
  sink: (unit: number, start: number, end: number, first: boolean, last: boolean) => void,
): boolean {
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    const ascii = c < 0x80 ? ASCII_FOLD[c] : FOLD_MULTI;
    if (ascii !== FOLD_MULTI) {
      if (ascii === FOLD_SPACE) {
        if (!lastSpace) sink(0x20, i, i + 1, true, true);
        lastSpace = true;
      } else if (ascii !== FOLD_DROPPED) {
        lastSpace = false;
        sink(ascii, i, i + 1, true, true);
      }
      continue;
    }
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const fold = foldOf(cp);
    if (fold === FOLD_DROPPED) {
      i += width - 1;
      continue;
    }
    if (fold === FOLD_SPACE) {
      if (!lastSpace) sink(0x20, i, i + width, true, true);
      lastSpace = true;
      i += width - 1;
      continue;
    }
    lastSpace = false;
    if (typeof fold === 'number') sink(fold, i, i + width, true, true);
    else for (let k = 0; k < fold.length; k++) sink(fold.charCodeAt(k), i, i + width, k === 0, k === fold.length - 1);
    i += width - 1;
  }
  return lastSpace;
}

/** The streamed normalisation of a whole text (tests compare it with `normalizeWithMap`). */
export function streamNormalize(text: string): string {
  const units: number[] = [];
  streamNormalized(text, 0, text.length, true, (u) => units.push(u));
  let out = '';
  for (let k = 0; k < units.length; k += 8192) out += String.fromCharCode(...units.slice(k, k + 8192));
  return out;
}

// ---- the automaton ----------------------------------------------------------------------------------------------

/** Open-addressing hash of trie edges (node, UTF-16 unit) → child. */
class EdgeTable {
  private mask: number;
  private nodes: Int32Array;
  private units: Uint16Array;
  private children: Int32Array;
  private count = 0;
  constructor(expected: number) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.mask = cap - 1;
    this.nodes = new Int32Array(cap).fill(-1);
    this.units = new Uint16Array(cap);
    this.children = new Int32Array(cap);
  }
  get(node: number, unit: number): number {
    let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(unit, 0x85ebca77)) & this.mask;
    for (;;) {
      const n = this.nodes[h];
      if (n === -1) return -1;
      if (n === node && this.units[h] === unit) return this.children[h];
      h = (h + 1) & this.mask;
    }
  }
  set(node: number, unit: number, child: number): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(unit, 0x85ebca77)) & this.mask;
    while (this.nodes[h] !== -1) h = (h + 1) & this.mask;
    this.nodes[h] = node;
    this.units[h] = unit;
    this.children[h] = child;
    this.count++;
  }
  private grow(): void {
    const { nodes, units, children } = this;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.nodes = new Int32Array(cap).fill(-1);
    this.units = new Uint16Array(cap);
    this.children = new Int32Array(cap);
    this.count = 0;
    for (let h = 0; h < nodes.length; h++) if (nodes[h] !== -1) this.set(nodes[h], units[h], children[h]);
  }
}

class GrowableInt32 {
  data: Int32Array;
  length = 0;
  constructor(cap: number, private readonly fillValue: number) {
    this.data = new Int32Array(Math.max(16, cap)).fill(fillValue);
  }
  push(v: number): number {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2).fill(this.fillValue);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = v;
    return this.length++;
  }
}

export function buildMatcher(aliasEntries: Iterable<AliasEntry>): Matcher {
  const automaton = new Automaton(aliasEntries);
  return {
    size: automaton.nodeCount,
    find: (text, segments) => (automaton.entries.length === 0 ? [] : new MatchRun(automaton, text).run(segments)),
  };
}

const MAX_DENSE_ROWS = 8192;

/** The automaton: a trie over the keys with failure and dictionary links. Immutable once built. */
class Automaton {
  readonly entries: AliasEntry[] = [];
  readonly edges: EdgeTable;
  /** Root transitions, dense (child + 1, 0 = none): the most frequent lookup while scanning. */
  readonly rootNext = new Int32Array(0x10000);
  /** Entry index whose key ends at the node, or -1. */
  readonly output: Int32Array;
  readonly fail: Int32Array;
  /** Nearest proper-suffix state that has an output (0 = none: the root never has one). */
  readonly dict: Int32Array;
  readonly keyLength: Int32Array;
  readonly signatures: (string | undefined)[];
  readonly nodeCount: number;
  readonly ringSize: number;
  /** Dense ASCII transitions (failures already resolved) for the shallowest states, where scans spend their time:
   *  `ascii[rowOf[state] * 128 + unit]`. Deeper states (rowOf -1) use `step`. Bounded memory (≤ 4 MB). */
  readonly rowOf: Int32Array;
  readonly ascii: Int32Array;

  constructor(aliasEntries: Iterable<AliasEntry>) {
    const entries = this.entries;
    let totalUnits = 0;
    for (const entry of aliasEntries) {
      if (entry.key.length === 0 || entry.entityIds.length === 0) continue;
      entries.push(entry);
      totalUnits += entry.key.length;
    }
    const edges = (this.edges = new EdgeTable(Math.min(totalUnits, 1 << 20)));
    const rootNext = this.rootNext;

    // Trie. Node 0 is the root. Children lists (first child / next sibling) serve the breadth-first pass only.
    const outputs = new GrowableInt32(totalUnits + 1, -1);
    const firstChild = new GrowableInt32(totalUnits + 1, -1);
    const nextSibling = new GrowableInt32(totalUnits + 1, -1);
    const unitOf = new GrowableInt32(totalUnits + 1, 0);
    outputs.push(-1);
    firstChild.push(-1);
    nextSibling.push(-1);
    unitOf.push(0);
    let maxKeyLength = 0;
    for (let e = 0; e < entries.length; e++) {
      const key = entries[e].key;
      maxKeyLength = Math.max(maxKeyLength, key.length);
      let node = 0;
      for (let k = 0; k < key.length; k++) {
        const unit = key.charCodeAt(k);
        let child = node === 0 ? rootNext[unit] - 1 : edges.get(node, unit);
        if (child < 0) {
          child = outputs.push(-1);
          firstChild.push(-1);
          nextSibling.push(firstChild.data[node]);
          unitOf.push(unit);
          firstChild.data[node] = child;
          if (node === 0) rootNext[unit] = child + 1;
          else edges.set(node, unit, child);
        }
        node = child;
      }
      outputs.data[node] = e;
    }
    const nodeCount = (this.nodeCount = outputs.length);
    const output = (this.output = outputs.data.subarray(0, nodeCount));

    // Failure and dictionary links, breadth first.
    const fail = (this.fail = new Int32Array(nodeCount));
    const dict = (this.dict = new Int32Array(nodeCount));
    const queue = new Int32Array(nodeCount);
    let head = 0;
    let tail = 0;
    for (let c = firstChild.data[0]; c >= 0; c = nextSibling.data[c]) queue[tail++] = c;
    while (head < tail) {
      const u = queue[head++];
      for (let v = firstChild.data[u]; v >= 0; v = nextSibling.data[v]) {
        const f = u === 0 ? 0 : this.step(fail[u], unitOf.data[v]);
        fail[v] = f;
        dict[v] = output[f] >= 0 ? f : dict[f];
        queue[tail++] = v;
      }
    }

    // Dense rows in breadth-first order: a state's failure target is shallower, so its row is already complete.
    const rows = Math.min(nodeCount, MAX_DENSE_ROWS);
    const rowOf = (this.rowOf = new Int32Array(nodeCount).fill(-1));
    const ascii = (this.ascii = new Int32Array(rows * 128));
    for (let r = 0; r < rows; r++) {
      const node = r === 0 ? 0 : queue[r - 1];
      rowOf[node] = r;
      const failRow = node === 0 ? -1 : rowOf[fail[node]];
      for (let c = 0; c < 128; c++) {
        const direct = node === 0 ? rootNext[c] - 1 : edges.get(node, c);
        ascii[r * 128 + c] = direct >= 0 ? direct : node === 0 ? 0 : failRow >= 0 ? ascii[failRow * 128 + c] : this.step(fail[node], c);
      }
    }

    this.keyLength = new Int32Array(entries.length);
    for (let e = 0; e < entries.length; e++) this.keyLength[e] = entries[e].key.length;
    this.signatures = new Array(entries.length);
    let ringSize = 16;
    while (ringSize < maxKeyLength + 2) ringSize *= 2;
    this.ringSize = ringSize;
  }

  /** The goto function through failure links (amortised O(1) per unit over a scan). */
  step(state: number, unit: number): number {
    for (;;) {
      if (state === 0) {
        const r = this.rootNext[unit] - 1;
        return r < 0 ? 0 : r;
      }
      const next = this.edges.get(state, unit);
      if (next >= 0) return next;
      state = this.fail[state];
    }
  }

  /** Whole words, then case: where the match begins (ends) with a word character, the character before (after) it
   *  must not be one; a case-sensitive alias must keep its case, or be written all in capitals ("DOD" for "DoD"). */
  accept(t: string, start: number, end: number, e: number): boolean {
    if (isWordAt(t.codePointAt(start)!) && start > 0 && !isBoundaryBefore(t, start)) return false;
    if (isWordAt(codePointBefore(t, end)) && end < t.length && !isBoundaryAfter(t, end)) return false;
    const entry = this.entries[e];
    if (entry.caseSensitive) {
      const sig = (this.signatures[e] ??= caseSignature(entry.text, 0, entry.text.length));
      const written = caseSignature(t, start, end);
      if (written !== sig && !(written.length > 0 && !written.includes('l'))) return false;
    }
    return true;
  }
}

/** One scan of one text. A class (not closures) so that V8 keeps one optimised, inlined copy across scans. */
class MatchRun {
  private readonly ringStart: Int32Array;
  private readonly ringFirst: Uint8Array; // 1 when the unit is the first of its code point's fold
  private readonly ringMask: number;
  /** Candidates as flat triples [start, end, entry]. */
  private readonly candidates: number[] = [];
  private pos = 0; // index of the next normalised unit
  private state = 0;

  constructor(private readonly a: Automaton, private readonly text: string) {
    this.ringStart = new Int32Array(a.ringSize);
    this.ringFirst = new Uint8Array(a.ringSize);
    this.ringMask = a.ringSize - 1;
  }

  run(segments: readonly number[]): Mention[] {
    const text = this.text;
    let lastSpace = true;
    let previousEnd = 0;
    for (let k = 0; k + 2 < segments.length; k += 3) {
      const s = segments[k];
      const e = segments[k + 1];
      if (segments[k + 2] === SEGMENT_RESET) {
        this.state = 0;
        lastSpace = true;
      } else if (!lastSpace) {
        // A soft break (block-quote marker, inline HTML tag) reads as one space.
        this.feed(0x20, previousEnd, s, 1, true);
        lastSpace = true;
      }
      // The normalisation of normalizeWithMap, streamed (as streamNormalized; kept in step with it by tests).
      // ASCII, the bulk of a brief, is stepped inline here; other code points go through feed().
      const a = this.a;
      const rowOf = a.rowOf;
      const ascii = a.ascii;
      const output = a.output;
      const dict = a.dict;
      const ringStart = this.ringStart;
      const ringFirst = this.ringFirst;
      const ringMask = this.ringMask;
      let state = this.state;
      let pos = this.pos;
      for (let i = s; i < e; i++) {
        const code = text.charCodeAt(i);
        let c = code < 0x80 ? ASCII_FOLD[code] : FOLD_MULTI;
        if (c !== FOLD_MULTI) {
          if (c === FOLD_DROPPED) continue;
          if (c === FOLD_SPACE) {
            if (lastSpace) continue;
            lastSpace = true;
            c = 0x20;
          } else lastSpace = false;
          const row = rowOf[state];
          state = row >= 0 ? ascii[row * 128 + c] : a.step(state, c);
          if (state === 0) {
            // No key has a prefix ending here: no match can include this unit; the ring needs no entry for it.
            pos++;
            continue;
          }
          const r = pos & ringMask;
          ringStart[r] = i;
          ringFirst[r] = 1;
          if (output[state] >= 0 || dict[state] > 0) {
            this.pos = pos;
            this.emit(state, i + 1);
          }
          pos++;
          continue;
        }
        this.state = state;
        this.pos = pos;
        const cp = text.codePointAt(i)!;
        const width = cp > 0xffff ? 2 : 1;
        const fold = foldOf(cp);
        if (fold === FOLD_SPACE) {
          if (!lastSpace) this.feed(0x20, i, i + width, 1, true);
          lastSpace = true;
        } else if (fold !== FOLD_DROPPED) {
          lastSpace = false;
          if (typeof fold === 'number') this.feed(fold, i, i + width, 1, true);
          else for (let u = 0; u < fold.length; u++) this.feed(fold.charCodeAt(u), i, i + width, u === 0 ? 1 : 0, u === fold.length - 1);
        }
        state = this.state;
        pos = this.pos;
        i += width - 1;
      }
      this.state = state;
      this.pos = pos;
      previousEnd = e;
    }
    return this.select();
  }

  /** One normalised unit in, the automaton one step on, every accepted match out. */
  private feed(unit: number, start: number, end: number, first: number, last: boolean): void {
    const r = this.pos & this.ringMask;
    this.ringStart[r] = start;
    this.ringFirst[r] = first;
    const state = (this.state = this.a.step(this.state, unit));
    if (last) this.emit(state, end);
    this.pos++;
  }

  /** The matches ending at the current unit (`this.pos`), which ends at original offset `end`. */
  private emit(state: number, end: number): void {
    const a = this.a;
    let node = a.output[state] >= 0 ? state : a.dict[state];
    while (node > 0) {
      const e = a.output[node];
      const rs = (this.pos - a.keyLength[e] + 1) & this.ringMask;
      if (this.ringFirst[rs] === 1 && a.accept(this.text, this.ringStart[rs], end, e)) {
        this.candidates.push(this.ringStart[rs], end, e);
      }
      node = a.dict[node];
    }
  }

  /** Leftmost-longest, non-overlapping. */
  private select(): Mention[] {
    const flat = this.candidates;
    const count = flat.length / 3;
    const order = new Int32Array(count);
    for (let c = 0; c < count; c++) order[c] = c;
    order.sort((x, y) => flat[3 * x] - flat[3 * y] || flat[3 * y + 1] - flat[3 * x + 1]);
    const mentions: Mention[] = [];
    let lastEnd = -1;
    for (let c = 0; c < count; c++) {
      const j = 3 * order[c];
      if (flat[j] < lastEnd) continue;
      const entry = this.a.entries[flat[j + 2]];
      mentions.push({ start: flat[j], end: flat[j + 1], entityIds: [...entry.entityIds], form: 'plain', matched: entry.text });
      lastEnd = flat[j + 1];
    }
    return mentions;
  }
}

const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = isWordCodePoint(c) ? 1 : 0;

function isWordAt(cp: number): boolean {
  return cp < 0x80 ? ASCII_WORD[cp] === 1 : isWordCodePoint(cp);
}

/** True when no word character precedes `offset`. Underscores count as word characters (normalize.ts) except as
 *  Markdown emphasis: a run of `_` that itself starts a word ("_JPMG_", "__QME__") is a delimiter. */
function isBoundaryBefore(t: string, offset: number): boolean {
  let o = offset;
  while (o > 0 && t.charCodeAt(o - 1) === 0x5f) o--;
  if (o < offset && o > 0 && offset - o <= 3) return !isWordAt(codePointBefore(t, o));
  return o === offset ? !isWordAt(codePointBefore(t, offset)) : o === 0 && offset - o <= 3;
}

function isBoundaryAfter(t: string, offset: number): boolean {
  let o = offset;
  while (o < t.length && t.charCodeAt(o) === 0x5f) o++;
  if (o > offset && o < t.length && o - offset <= 3) return !isWordAt(t.codePointAt(o)!);
  return o === offset ? !isWordAt(t.codePointAt(offset)!) : o === t.length && o - offset <= 3;
}

function codePointBefore(t: string, offset: number): number {
  const c = t.charCodeAt(offset - 1);
  if (c >= 0xdc00 && c <= 0xdfff && offset >= 2) {
    const h = t.charCodeAt(offset - 2);
    if (h >= 0xd800 && h <= 0xdbff) return ((h - 0xd800) << 10) + (c - 0xdc00) + 0x10000;
  }
  return c;
}

/** The case pattern of a text's cased letters: "JPMG" → "UUUU", "DoD" → "UlU". Uncased letters are skipped. */
function caseSignature(s: string, start: number, end: number): string {
  let sig = '';
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x41 && c <= 0x5a) sig += 'U';
      else if (c >= 0x61 && c <= 0x7a) sig += 'l';
      continue;
    }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (cp > 0xffff) i++;
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower === upper) continue;
    sig += ch === upper ? 'U' : 'l';
  }
  return sig;
}
