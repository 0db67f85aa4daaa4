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
    if (c < 0x80) {
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
        if (!lastSpace) sink(0x20, i, i + 1, true, true);
        lastSpace = true;
        continue;
      }
      lastSpace = false;
      sink(c >= 0x41 && c <= 0x5a ? c + 32 : c, i, i + 1, true, true);
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

interface Candidate {
  start: number;
  end: number;
  entry: AliasEntry;
}

export function buildMatcher(aliasEntries: Iterable<AliasEntry>): Matcher {
  const entries: AliasEntry[] = [];
  let totalUnits = 0;
  for (const entry of aliasEntries) {
    if (entry.key.length === 0 || entry.entityIds.length === 0) continue;
    entries.push(entry);
    totalUnits += entry.key.length;
  }

  // Trie. Node 0 is the root. Children lists (first child / next sibling) serve the breadth-first pass only.
  const edges = new EdgeTable(Math.min(totalUnits, 1 << 20));
  const rootNext = new Int32Array(0x10000); // root transitions, dense: the most frequent lookup while scanning
  const outputs = new GrowableInt32(totalUnits + 1, -1); // entry index ending at the node, or -1
  const firstChild = new GrowableInt32(totalUnits + 1, -1);
  const nextSibling = new GrowableInt32(totalUnits + 1, -1);
  outputs.push(-1);
  firstChild.push(-1);
  nextSibling.push(-1);
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
        firstChild.data[node] = child;
        if (node === 0) rootNext[unit] = child + 1;
        edges.set(node, unit, child);
      }
      node = child;
    }
    outputs.data[node] = e;
  }
  const nodeCount = outputs.length;
  const output = outputs.data;

  // Failure links and dictionary links (nearest proper suffix state with an output), breadth first.
  const fail = new Int32Array(nodeCount);
  const dict = new Int32Array(nodeCount); // 0 = none (the root never has an output)
  const queue = new Int32Array(nodeCount);
  const unitOf = new Uint16Array(nodeCount);
  // Recover each child's edge unit: walk the edge table through the trie (children lists know only the nodes).
  for (let e = 0; e < entries.length; e++) {
    const key = entries[e].key;
    let node = 0;
    for (let k = 0; k < key.length; k++) {
      const unit = key.charCodeAt(k);
      node = node === 0 ? rootNext[unit] - 1 : edges.get(node, unit);
      unitOf[node] = unit;
    }
  }
  let head = 0;
  let tail = 0;
  for (let c = firstChild.data[0]; c >= 0; c = nextSibling.data[c]) {
    fail[c] = 0;
    queue[tail++] = c;
  }
  const step = (state: number, unit: number): number => {
    for (;;) {
      if (state === 0) return rootNext[unit] - 1 < 0 ? 0 : rootNext[unit] - 1;
      const next = edges.get(state, unit);
      if (next >= 0) return next;
      state = fail[state];
    }
  };
  while (head < tail) {
    const u = queue[head++];
    for (let v = firstChild.data[u]; v >= 0; v = nextSibling.data[v]) {
      const f = step(fail[u], unitOf[v]);
      fail[v] = f;
      dict[v] = output[f] >= 0 ? f : dict[f];
      queue[tail++] = v;
    }
  }

  const keyLength = new Int32Array(entries.length);
  for (let e = 0; e < entries.length; e++) keyLength[e] = entries[e].key.length;
  const caseSignatures = new Map<number, string>();
  const signatureOf = (e: number) => {
    let sig = caseSignatures.get(e);
    if (sig === undefined) caseSignatures.set(e, (sig = caseSignature(entries[e].text)));
    return sig;
  };

  let ringSize = 16;
  while (ringSize < maxKeyLength + 2) ringSize *= 2;
  const ringMask = ringSize - 1;

  return {
    size: nodeCount,
    find(text: string, segments: readonly number[]): Mention[] {
      if (entries.length === 0) return [];
      const ringStart = new Int32Array(ringSize);
      const ringEnd = new Int32Array(ringSize);
      const ringFirst = new Uint8Array(ringSize);
      const ringLast = new Uint8Array(ringSize);
      const candidates: Candidate[] = [];
      let pos = 0; // index of the next normalised unit
      let state = 0;

      const sink = (unit: number, start: number, end: number, first: boolean, last: boolean) => {
        const r = pos & ringMask;
        ringStart[r] = start;
        ringEnd[r] = end;
        ringFirst[r] = first ? 1 : 0;
        ringLast[r] = last ? 1 : 0;
        // Transition (amortised O(1) through failure links).
        for (;;) {
          if (state === 0) {
            state = rootNext[unit] - 1 < 0 ? 0 : rootNext[unit] - 1;
            break;
          }
          const next = edges.get(state, unit);
          if (next >= 0) {
            state = next;
            break;
          }
          state = fail[state];
        }
        let node = output[state] >= 0 ? state : dict[state];
        while (node > 0) {
          const e = output[node];
          const startPos = pos - keyLength[e] + 1;
          const rs = startPos & ringMask;
          if (ringFirst[rs] && last) {
            const candidate = accept(text, ringStart[rs], end, entries[e], e);
            if (candidate) candidates.push(candidate);
          }
          node = dict[node];
        }
        pos++;
      };

      const accept = (t: string, start: number, end: number, entry: AliasEntry, e: number): Candidate | undefined => {
        // Whole words: where the match begins (ends) with a word character, the one before (after) must not be one.
        const firstCp = t.codePointAt(start)!;
        if (isWordCodePoint(firstCp) && start > 0 && isWordCodePoint(codePointBefore(t, start))) return undefined;
        const lastCp = codePointBefore(t, end);
        if (isWordCodePoint(lastCp) && end < t.length && isWordCodePoint(t.codePointAt(end)!)) return undefined;
        if (entry.caseSensitive && caseSignature(t.slice(start, end)) !== signatureOf(e)) return undefined;
        return { start, end, entry };
      };

      let lastSpace = true;
      let previousEnd = 0;
      for (let k = 0; k + 2 < segments.length; k += 3) {
        const s = segments[k];
        const e = segments[k + 1];
        if (segments[k + 2] === SEGMENT_RESET) {
          state = 0;
          lastSpace = true;
        } else if (!lastSpace) {
          // A soft break (block-quote marker, inline HTML tag) reads as one space.
          sink(0x20, previousEnd, s, true, true);
          lastSpace = true;
        }
        lastSpace = streamNormalized(text, s, e, lastSpace, sink);
        previousEnd = e;
      }

      // Leftmost-longest, non-overlapping.
      candidates.sort((a, b) => a.start - b.start || b.end - a.end);
      const mentions: Mention[] = [];
      let lastEnd = -1;
      for (const c of candidates) {
        if (c.start < lastEnd) continue;
        mentions.push({ start: c.start, end: c.end, entityIds: [...c.entry.entityIds], form: 'plain', matched: c.entry.text });
        lastEnd = c.end;
      }
      return mentions;
    },
  };
}

function codePointBefore(t: string, offset: number): number {
  const c = t.charCodeAt(offset - 1);
  if (c >= 0xdc00 && c <= 0xdfff && offset >= 2) {
    const h = t.charCodeAt(offset - 2);
    if (h >= 0xd800 && h <= 0xdbff) return ((h - 0xd800) << 10) + (c - 0xdc00) + 0x10000;
  }
  return c;
}

/** The case pattern of a text's cased letters: "JPMG" → "UUUU", "Jpmg" → "Ulll". Uncased letters are skipped. */
function caseSignature(s: string): string {
  let sig = '';
  for (const ch of s) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower === upper) continue;
    sig += ch === upper ? 'U' : 'l';
  }
  return sig;
}
