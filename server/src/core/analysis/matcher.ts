// The mention matcher: an Aho–Corasick automaton over the corpus's normalised alias keys, built once per Corpus,
// run over the document's prose segments in one pass (linear in the text, plus the matches found).
//
// The document is normalised on the fly, one code point at a time, exactly as `normalizeWithMap` does (ASCII on a
// fast path, every other code point folded once through `normalizeWithMap` itself and remembered). Normalising a
// whole 1 MB brief with `normalizeWithMap` costs more than the entire analysis budget; streaming it costs a few
// milliseconds and needs no per-character offset arrays, only a ring buffer as long as the longest alias.
import { isWordCodePoint, looksLikeAcronym, normalize, normalizeWithMap } from '../normalize';
import type { AliasEntry, Corpus } from '../types';
import type { Mention } from './types';
import { SEGMENT_RESET } from './markdown';
import { Int32Triples } from './int32Triples';
import { sortedAliasKeySteps } from '../corpus/aliases';
import { LazyPer, runToEnd, type Steps } from '../steps';

export interface Matcher {
  /** Plain-text mentions inside `segments` (triples [start, end, flag] from the Markdown scan), in document order,
   *  non-overlapping, leftmost-longest. */
  find(text: string, segments: Int32Array): Mention[];
  /** Number of automaton states (for diagnostics and benchmarks). */
  readonly size: number;
}

const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = isWordCodePoint(c) ? 1 : 0;
/** Letters and digits: word characters that are never an emphasis delimiter (unlike `_`). */
const ASCII_ALNUM = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_ALNUM[c] = ASCII_WORD[c] && c !== 0x5f ? 1 : 0;

/** Word-ness for the automaton's start rule: a letter, digit or mark, but not `_` (an emphasis delimiter may sit
 *  before a name). Cached per UTF-16 unit / code point: 1 word, 2 not. Lone surrogates count as non-word, which
 *  only allows more starts (never fewer). */
const WORD_CACHE = new Uint8Array(0x10000);
function isWordUnit(cp: number): boolean {
  if (cp < 0x10000) {
    let w = WORD_CACHE[cp];
    if (w === 0) WORD_CACHE[cp] = w = cp !== 0x5f && !(cp >= 0xd800 && cp <= 0xdfff) && isWordCodePoint(cp) ? 1 : 2;
    return w === 1;
  }
  return isWordCodePoint(cp);
}

const matchers = new LazyPer<Corpus, Matcher>(function* (corpus) {
  const variants = yield* caseVariants(corpus);
  const keys = yield* sortedAliasKeySteps(corpus);
  return yield* buildMatcherSteps(corpus.aliases.values(), variants, keys);
});

/** The matcher for a corpus, built on first use and cached for the corpus's lifetime. */
export function getMatcher(corpus: Corpus): Matcher {
  return matchers.of(corpus).get();
}

/** getMatcher in steps: a server builds a new corpus's matcher between requests (see WorkspaceCorpus.step). */
export function getMatcherSteps(corpus: Corpus): Steps<Matcher> {
  return matchers.of(corpus).steps();
}

/**
 * Spellings of case-sensitive keys beyond the one `AliasEntry.text` keeps: "IMOD" and "IMoD" share the key "imod",
 * and both are declared forms. Only acronym-like aliases can be case-sensitive, so only those are normalised here.
 */
function* caseVariants(corpus: Corpus): Steps<Map<string, string[]>> {
  const variants = new Map<string, string[]>();
  const add = (text: string, acronym: boolean | undefined) => {
    if (!(acronym ?? looksLikeAcronym(text))) return;
    const key = normalize(text);
    const entry = corpus.aliases.get(key);
    if (!entry?.caseSensitive || entry.text === text) return;
    const list = variants.get(key);
    if (!list) variants.set(key, [text]);
    else if (!list.includes(text)) list.push(text);
  };
  for (let n = 0; n < corpus.entities.length; n++) {
    if ((n & STEP_MASK) === STEP_MASK) yield;
    const entity = corpus.entities[n]!;
    add(entity.name, undefined);
    for (const alias of entity.aliases ?? []) if (alias && typeof alias.text === 'string') add(alias.text, alias.acronym);
  }
  return variants;
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

/**
 * The first-word filter. A match can begin only where a word begins, and every key begins with its *first run*: its
 * leading ASCII letters and digits (possibly none). A word of the text made of ASCII letters and digits, and followed
 * by an ASCII character that ends it, can begin a match only if its fold is some key's first run; a hash set of the
 * first runs answers that after one cheap pass over the word, where the automaton would step through every letter
 * that is still a key prefix (most words of a brief begin like some alias). False positives only cost the steps.
 * It relies on ASCII letters and digits folding to one ASCII letter or digit each (checked here: else it is off).
 */
const FIRST_RUN_SAFE = (() => {
  for (let c = 0; c < 128; c++) if (ASCII_ALNUM[c] === 1 && !(ASCII_FOLD[c] >= 0 && ASCII_ALNUM[ASCII_FOLD[c]] === 1)) return false;
  return true;
})();
/** ASCII units that end a first run in the text: not a letter or digit, and folding to one non-alphanumeric unit or
 *  to a space (a dropped unit, or one folding to several, could join the word to what follows). */
const ENDS_FIRST_RUN = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const f = ASCII_FOLD[c];
  ENDS_FIRST_RUN[c] = ASCII_ALNUM[c] === 0 && (f === FOLD_SPACE || (f >= 0 && ASCII_ALNUM[f] === 0)) ? 1 : 0;
}
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * Code points after which the word-start automaton could miss a start that the whole-word test on the original text
 * accepts: dropped non-word characters (soft hyphen, LRM/RLM, BOM) and folds whose units differ in word-ness from
 * the original ("™" → "tm"). Seeing one switches the rest of the run to the plain Aho–Corasick transitions.
 */
const IRREGULAR_CACHE = new Uint8Array(0x10000); // 1 regular, 2 irregular
function isIrregular(cp: number): boolean {
  if (cp < 0x10000 && IRREGULAR_CACHE[cp] !== 0) return IRREGULAR_CACHE[cp] === 2;
  const word = isWordUnit(cp);
  const fold = foldOf(cp);
  let irregular: boolean;
  if (fold === FOLD_DROPPED) irregular = !word;
  else if (fold === FOLD_SPACE) irregular = word;
  else if (typeof fold === 'number') irregular = isWordUnit(fold) !== word;
  else {
    irregular = false;
    for (let k = 0; k < fold.length; k++) if (isWordUnit(fold.charCodeAt(k)) !== word) irregular = true;
  }
  if (cp < 0x10000) IRREGULAR_CACHE[cp] = irregular ? 2 : 1;
  return irregular;
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

/** `variants`: more spellings of case-sensitive keys (key → texts), each as acceptable as `AliasEntry.text`. */
/** `sortedKeys`: the entries' keys already in the default sort order (a corpus sorts its keys once for every index
 *  built from them); extra keys in it are ignored. */
export function buildMatcher(
  aliasEntries: Iterable<AliasEntry>, variants?: ReadonlyMap<string, readonly string[]>, sortedKeys?: readonly string[],
  options: { firstRunFilter?: boolean } = {},
): Matcher {
  return runToEnd(buildMatcherSteps(aliasEntries, variants, sortedKeys, options));
}

/** buildMatcher in steps (a few tens of thousands of states each). */
function* buildMatcherSteps(
  aliasEntries: Iterable<AliasEntry>, variants?: ReadonlyMap<string, readonly string[]>, sortedKeys?: readonly string[],
  options: { firstRunFilter?: boolean } = {},
): Generator<void, Matcher, void> {
  const automaton = yield* Automaton.build(aliasEntries, variants, sortedKeys, options.firstRunFilter ?? true);
  return {
    size: automaton.nodeCount,
    find: (text, segments) => (automaton.entries.length === 0 ? [] : new MatchRun(automaton, text).run(segments).select()),
  };
}

/** States (or keys) handled between two steps of the automaton's construction, minus one (a mask). */
const STEP_MASK = 0x7fff;

/** Memory for the dense rows of ASCII transitions. Rows are indexed by character class (the ASCII units that occur
 *  in some key, plus one class for all others), so they stay narrow and the hot ones stay in cache. */
const DENSE_BUDGET_BYTES = 2 << 20;

/**
 * The automaton: a trie over the keys with failure and dictionary links. Immutable once built.
 *
 * States are numbered breadth first, so each state's children are one contiguous, sorted run of states
 * (`childStart`, `childCount`, `unit`): a child lookup is a short scan, with no hash table to build or probe, and
 * the trie is built from the sorted keys without any lookup at all. The shallowest states (where a scan spends
 * most of its steps) also get dense ASCII rows with failures already resolved.
 */
class Automaton {
  readonly entries: AliasEntry[] = [];
  nodeCount!: number;
  /** Root transitions for every UTF-16 unit: child state, or 0. */
  readonly rootNext = new Int32Array(0x10000);
  childStart!: Int32Array;
  childCount!: Int32Array;
  /** The unit on the edge into each state. */
  unit!: Uint16Array;
  /** Entry index whose key ends at the state, or -1. */
  output!: Int32Array;
  /** Plain Aho–Corasick failure links (used after an irregular code point). */
  fail!: Int32Array;
  /** Word-start failure links: the longest proper suffix that is a key prefix *and begins where a word may
   *  begin* (after a non-word unit, or with one). Suffixes starting mid-word are skipped: a match there would fail
   *  the whole-word test anyway, and skipping them lets scans fall back to the root inside words. */
  wfail!: Int32Array;
  /** Nearest proper-suffix state that has an output (0 = none: the root never has one). */
  dict!: Int32Array;
  /** 1 when some key ends at the state or at one of its suffixes (output or dictionary link): one load per step. */
  emits!: Uint8Array;
  /** Dense ASCII transitions of states 0 … denseRows-1, failures resolved: `dense[(state << shift) + cls[unit]]`. */
  dense!: Uint16Array | Int32Array;
  denseRows!: number;
  shift!: number;
  /** Class of each ASCII unit: 0 for units that occur in no key (every transition on them goes to the root). */
  readonly cls = new Uint8Array(128);
  /** For each ASCII unit of the text: the class of what it folds to, or its FOLD_* code (negative). */
  readonly foldClass = new Int32Array(128);
  keyLength!: Int32Array;
  /** The first-word filter's hash set of the keys' first runs (see FIRST_RUN_SAFE): 1 where some run hashes, indexed
   *  by the top bits of the hash (`>>> firstRunShift`); undefined when the filter is off. */
  firstRuns!: Uint8Array | undefined;
  firstRunShift!: number;
  /** Each entry's entity ids as one array shared by all its mentions (treat as read-only). */
  readonly entityIds: (string[] | undefined)[] = [];
  /** Accepted case patterns of case-sensitive entries, computed on first use. */
  signatures!: (string[] | undefined)[];
  private variants: ReadonlyMap<string, readonly string[]> | undefined;
  ringSize!: number;

  /** The automaton over these entries, built in steps (see getMatcherSteps); `runToEnd` builds it at once. */
  static *build(aliasEntries: Iterable<AliasEntry>, variants?: ReadonlyMap<string, readonly string[]>, sortedKeys?: readonly string[],
    firstRunFilter = true): Generator<void, Automaton, void> {
    const automaton = new Automaton();
    yield* automaton.init(aliasEntries, variants, sortedKeys, firstRunFilter);
    return automaton;
  }

  private constructor() { /* filled by init() */ }

  private *init(aliasEntries: Iterable<AliasEntry>, variants: ReadonlyMap<string, readonly string[]> | undefined,
    sortedKeys: readonly string[] | undefined, firstRunFilter: boolean): Generator<void, void, void> {
    this.variants = variants;
    const entries = this.entries;
    const indexOfKey = new Map<string, number>();
    let maxKeyLength = 0;
    let seen = 0;
    for (const entry of aliasEntries) {
      if ((++seen & STEP_MASK) === 0) yield;
      if (entry.key.length === 0 || entry.entityIds.length === 0) continue;
      indexOfKey.set(entry.key, entries.length);
      entries.push(entry);
      maxKeyLength = Math.max(maxKeyLength, entry.key.length);
    }
    yield;
    const keys = sortedKeys ? sortedKeys.filter((k) => indexOfKey.has(k)) : [...indexOfKey.keys()].sort();
    yield;

    // 1. The trie from sorted keys: each key shares its longest common prefix with the previous one, so the path
    //    to extend is always on a stack, and children arrive in sorted order (appended at the tail). A first pass
    //    counts the states so every array is allocated once, at its exact size.
    const lcps = new Int32Array(keys.length);
    let n = 1;
    for (let k = 0; k < keys.length; k++) {
      lcps[k] = k === 0 ? 0 : commonPrefix(keys[k - 1], keys[k]);
      n += keys[k].length - lcps[k];
    }
    this.nodeCount = n;
    const first = new Int32Array(n).fill(-1);
    const last = new Int32Array(n).fill(-1);
    const next = new Int32Array(n).fill(-1);
    const units = new Uint16Array(n);
    const outs = new Int32Array(n).fill(-1);
    const path = new Int32Array(maxKeyLength + 1);
    let created = 1;
    for (let k = 0; k < keys.length; k++) {
      if ((k & STEP_MASK) === STEP_MASK) yield;
      const key = keys[k];
      for (let d = lcps[k]; d < key.length; d++) {
        const parent = path[d];
        const node = created++;
        units[node] = key.charCodeAt(d);
        if (last[parent] < 0) first[parent] = node;
        else next[last[parent]] = node;
        last[parent] = node;
        path[d + 1] = node;
      }
      outs[path[key.length]] = indexOfKey.get(key)!;
    }

    // 2. Breadth-first renumbering: children become contiguous runs.
    const order = new Int32Array(n); // new id → old id
    const parent = new Int32Array(n);
    const childStart = (this.childStart = new Int32Array(n));
    const childCount = (this.childCount = new Int32Array(n));
    const unit = (this.unit = new Uint16Array(n));
    const output = (this.output = new Int32Array(n));
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      if ((head & STEP_MASK) === STEP_MASK) yield;
      const old = order[head];
      unit[head] = units[old];
      output[head] = outs[old];
      childStart[head] = tail;
      for (let c = first[old]; c >= 0; c = next[c]) {
        order[tail] = c;
        parent[tail] = head;
        tail++;
      }
      childCount[head] = tail - childStart[head];
    }
    for (let c = childStart[0]; c < childStart[0] + childCount[0]; c++) this.rootNext[unit[c]] = c;

    // 3. Failure and dictionary links in breadth-first order (a failure target is always shallower, so it is
    //    complete), and the dense rows as soon as each shallow state's failure is known.
    const fail = (this.fail = new Int32Array(n));
    const wfail = (this.wfail = new Int32Array(n));
    const dict = (this.dict = new Int32Array(n));
    const cls = this.cls;
    let classes = 1;
    for (let v = 1; v < n; v++) if (unit[v] < 128 && cls[unit[v]] === 0) cls[unit[v]] = classes++;
    for (let c = 0; c < 128; c++) this.foldClass[c] = ASCII_FOLD[c] < 0 ? ASCII_FOLD[c] : cls[ASCII_FOLD[c]];
    let shift = 0;
    while (1 << shift < classes) shift++;
    this.shift = shift;
    const bytes = n <= 0xffff ? 2 : 4;
    const rows = (this.denseRows = Math.max(1, Math.min(n, Math.floor(DENSE_BUDGET_BYTES / (bytes << shift)))));
    const dense = (this.dense = bytes === 2 ? new Uint16Array(rows << shift) : new Int32Array(rows << shift));
    // Row 0: the root after a non-word unit. `rootAfterWord`: the root after a word unit (word units start nothing).
    const rootAfterWord = bytes === 2 ? new Uint16Array(1 << shift) : new Int32Array(1 << shift);
    for (let c = childStart[0]; c < childStart[0] + childCount[0]; c++) {
      if (unit[c] >= 128) continue;
      dense[cls[unit[c]]] = c;
      if (!isWordUnit(unit[c])) rootAfterWord[cls[unit[c]]] = c;
    }
    yield;
    for (let v = 1; v < n; v++) {
      if ((v & STEP_MASK) === STEP_MASK) yield;
      const u = parent[v];
      const c = unit[v];
      const f = u === 0 ? 0 : this.stepPlain(fail[u], c);
      fail[v] = f;
      dict[v] = output[f] >= 0 ? f : dict[f];
      // The word-start failure of v: from u's, or the root (a lone `c` starts only where a word may begin).
      const w = u === 0 ? 0 : wfail[u] !== 0 ? this.stepWord(wfail[u], c)
        : isWordUnit(unit[u]) && isWordUnit(c) ? 0 : this.rootNext[c];
      wfail[v] = w;
      if (v < rows) {
        // A row starts as its failure's row (whose last unit is v's, so its root fallback is right for v).
        if (w !== 0) dense.copyWithin(v << shift, w << shift, (w + 1) << shift);
        else if (isWordUnit(c)) dense.set(rootAfterWord, v << shift);
        else dense.copyWithin(v << shift, 0, 1 << shift);
        for (let k = childStart[v]; k < childStart[v] + childCount[v]; k++) if (unit[k] < 128) dense[(v << shift) + cls[unit[k]]] = k;
      }
    }

    yield;
    this.emits = new Uint8Array(n);
    for (let v = 0; v < n; v++) this.emits[v] = output[v] >= 0 || dict[v] > 0 ? 1 : 0;

    this.keyLength = new Int32Array(entries.length);
    for (let e = 0; e < entries.length; e++) this.keyLength[e] = entries[e].key.length;

    // The first runs' hash set, at about 1/16 full (the bundled corpus: 145 runs in 4 KB).
    let bits = 12;
    while (bits < 24 && 1 << bits < keys.length * 16) bits++;
    this.firstRunShift = 32 - bits;
    this.firstRuns = FIRST_RUN_SAFE && firstRunFilter ? new Uint8Array(1 << bits) : undefined;
    if (this.firstRuns) {
      for (const key of keys) {
        let h = FNV_OFFSET;
        for (let d = 0; d < key.length; d++) {
          const u = key.charCodeAt(d);
          if (u >= 0x80 || ASCII_ALNUM[u] === 0) break;
          h = Math.imul(h ^ u, FNV_PRIME);
        }
        this.firstRuns[h >>> this.firstRunShift] = 1;
      }
    }
    this.signatures = new Array(entries.length);
    let ringSize = 16;
    while (ringSize < maxKeyLength + 2) ringSize *= 2;
    this.ringSize = ringSize;
  }

  /** The child of `state` along `u`, or -1 (children are sorted by unit). */
  child(state: number, u: number): number {
    let lo = this.childStart[state];
    let hi = lo + this.childCount[state];
    const unit = this.unit;
    if (hi - lo <= 8) {
      for (; lo < hi; lo++) {
        const x = unit[lo];
        if (x === u) return lo;
        if (x > u) return -1;
      }
      return -1;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const x = unit[mid];
      if (x === u) return mid;
      if (x < u) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /** Plain Aho–Corasick goto through failure links (amortised O(1) per unit over a scan). */
  stepPlain(state: number, u: number): number {
    for (;;) {
      if (state === 0) return this.rootNext[u];
      const c = this.child(state, u);
      if (c >= 0) return c;
      state = this.fail[state];
    }
  }

  /** Word-start goto from a state other than the root: a new match may start at `u` only if `u` or the unit before
   *  it (the state's last unit) is not a word unit. From the root, callers apply that rule themselves. */
  stepWord(state: number, u: number): number {
    if (u < 128 && state < this.denseRows) return this.dense[(state << this.shift) + this.cls[u]];
    const startsNothing = state !== 0 && isWordUnit(this.unit[state]) && isWordUnit(u);
    for (;;) {
      if (state === 0) return startsNothing ? 0 : this.rootNext[u];
      const c = this.child(state, u);
      if (c >= 0) return c;
      state = this.wfail[state];
    }
  }

  /** Whole words, then case: where the match begins (ends) with a word character, the character before (after) it
   *  must not be one; a case-sensitive alias must keep its case, or be written all in capitals ("DOD" for "DoD"). */
  accept(t: string, start: number, end: number, e: number): boolean {
    if (isWordAt(t.codePointAt(start)!) && start > 0 && !isBoundaryBefore(t, start)) return false;
    if (isWordAt(codePointBefore(t, end)) && end < t.length && !isBoundaryAfter(t, end)) return false;
    const entry = this.entries[e];
    if (entry.caseSensitive) {
      const accepted = (this.signatures[e] ??= [entry.text, ...(this.variants?.get(entry.key) ?? [])]
        .map((v) => caseSignature(v, 0, v.length)));
      // Compared in place, without building the written text's signature (a string per candidate).
      if (!isAllCapitals(t, start, end) && !signatureIn(t, start, end, accepted)) return false;
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
  private readonly candidates = new Int32Triples(1024);
  private pos = 0; // index of the next normalised unit
  private state = 0;
  /** Plain Aho–Corasick for the rest of this run (an irregular code point was seen). */
  private plain = false;

  constructor(private readonly a: Automaton, private readonly text: string) {
    this.ringStart = new Int32Array(a.ringSize);
    this.ringFirst = new Uint8Array(a.ringSize);
    this.ringMask = a.ringSize - 1;
  }

  /** Scans the segments, collecting candidates; select() then picks the mentions. (Not one method: run() is compiled
   *  on-stack in its first scan, before its tail had run, and a select() call there deoptimised every scan.) */
  run(segments: Int32Array): this {
    const text = this.text;
    const reset = SEGMENT_RESET; // (read once: unbundled, each use of an imported binding calls two export getters)
    let lastSpace = true;
    let previousEnd = 0;
    for (let k = 0; k + 2 < segments.length; k += 3) {
      const s = segments[k];
      const e = segments[k + 1];
      let prevWord: boolean;
      if (segments[k + 2] === reset) {
        this.state = 0;
        this.plain = false;
        lastSpace = true;
        prevWord = s > 0 && isWordUnit(codePointBefore(text, s));
      } else {
        // A soft break (block-quote marker, inline HTML tag) reads as one space.
        if (!lastSpace) this.feed(0x20, previousEnd, s, 1, true, false);
        lastSpace = true;
        prevWord = false;
      }
      // The normalisation of normalizeWithMap, streamed (as streamNormalized; kept in step with it by tests).
      // ASCII, the bulk of a brief, is stepped inline here; other code points go through feed().
      const a = this.a;
      const denseRows = a.denseRows;
      const dense = a.dense;
      const shift = a.shift;
      const cls = a.cls;
      const emits = a.emits;
      const ringStart = this.ringStart;
      const ringFirst = this.ringFirst;
      const ringMask = this.ringMask;
      const foldClass = a.foldClass;
      const spaceClass = cls[0x20];
      const firstRuns = a.firstRuns;
      const firstRunShift = a.firstRunShift;
      let state = this.state;
      let pos = this.pos;
      let plain = this.plain;
      // Dense rows answer word-start steps only (not plain Aho–Corasick ones, after an irregular code point).
      let denseLimit = plain ? 0 : denseRows;
      for (let i = s; i < e; i++) {
        let code = text.charCodeAt(i);
        if (code < 0x80) {
          const alnum = ASCII_ALNUM[code] === 1;
          // Inside a word with no match under way nothing can start (a match there would begin mid-word and fail
          // the whole-word test anyway): skip the rest of the word in a tight loop. Most units of a brief never
          // touch the automaton. (ASCII letters and digits fold to one unit each: `pos` advances with `i`.)
          if (alnum && state === 0 && prevWord) {
            lastSpace = false;
            pos++;
            while (i + 1 < e && (code = text.charCodeAt(i + 1)) < 0x80 && ASCII_ALNUM[code] === 1) {
              i++;
              pos++;
            }
            continue;
          }
          // A word begins with no match under way: unless its first run is some key's, skip it whole (see
          // FIRST_RUN_SAFE). The run's units fold one to one, so `pos` advances with `i`.
          if (alnum && state === 0 && denseLimit !== 0 && firstRuns !== undefined) {
            let h = Math.imul(FNV_OFFSET ^ ASCII_FOLD[code], FNV_PRIME);
            let j = i + 1;
            let next = 0;
            while (j < e && (next = text.charCodeAt(j)) < 0x80 && ASCII_ALNUM[next] === 1) {
              h = Math.imul(h ^ ASCII_FOLD[next], FNV_PRIME);
              j++;
            }
            if ((j === e || (next < 0x80 && ENDS_FIRST_RUN[next] === 1)) && firstRuns[h >>> firstRunShift] === 0) {
              prevWord = true;
              lastSpace = false;
              pos += j - i;
              i = j - 1;
              continue;
            }
          }
          // The unit's class in the dense rows, or a FOLD_* code (one table lookup instead of fold then class).
          let k = foldClass[code];
          if (k !== FOLD_MULTI) {
            prevWord = alnum;
            if (k < 0) {
              if (k === FOLD_DROPPED || lastSpace) continue; // dropped, or a space after a space
              lastSpace = true;
              k = spaceClass;
            } else lastSpace = false;
            if (state < denseLimit) state = dense[(state << shift) + k];
            else {
              const unit = lastSpace ? 0x20 : ASCII_FOLD[code]; // (lastSpace: this unit folded to a space)
              state = plain ? a.stepPlain(state, unit) : a.stepWord(state, unit);
            }
            if (state === 0) {
              // No key has a prefix ending here: no match can include this unit; the ring needs no entry for it.
              pos++;
              continue;
            }
            const r = pos & ringMask;
            ringStart[r] = i;
            ringFirst[r] = 1;
            if (emits[state] === 1) {
              this.pos = pos;
              this.emit(state, i + 1);
            }
            pos++;
            continue;
          }
        }
        // A BMP code point already seen that folds to one unit and is regular (most non-ASCII text): stepped here as
        // ASCII is, without the generic path's calls. (feed() would write the ring even when no key prefix ends
        // here, and emit when none does: neither is ever read.)
        if (!plain && code >= 0x80 && (code < 0xd800 || code > 0xdfff) && bmpFold[code] > 0 && IRREGULAR_CACHE[code] === 1) {
          const unit = bmpFold[code] - 1;
          lastSpace = false;
          if (state === 0) state = prevWord && isWordUnit(unit) ? 0 : a.rootNext[unit];
          else state = a.stepWord(state, unit);
          prevWord = isWordUnit(code);
          if (state === 0) {
            pos++;
            continue;
          }
          const r = pos & ringMask;
          ringStart[r] = i;
          ringFirst[r] = 1;
          if (emits[state] === 1) {
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
        if (isIrregular(cp)) this.plain = true;
        if (fold === FOLD_SPACE) {
          if (!lastSpace) this.feed(0x20, i, i + width, 1, true, prevWord);
          lastSpace = true;
        } else if (fold !== FOLD_DROPPED) {
          lastSpace = false;
          if (typeof fold === 'number') this.feed(fold, i, i + width, 1, true, prevWord);
          else {
            for (let u = 0; u < fold.length; u++) {
              this.feed(fold.charCodeAt(u), i, i + width, u === 0 ? 1 : 0, u === fold.length - 1, u === 0 ? prevWord : isWordUnit(fold.charCodeAt(u - 1)));
            }
          }
        }
        prevWord = isWordUnit(cp);
        state = this.state;
        pos = this.pos;
        plain = this.plain;
        denseLimit = plain ? 0 : denseRows;
        i += width - 1;
      }
      this.state = state;
      this.pos = pos;
      previousEnd = e;
    }
    return this;
  }

  /** One normalised unit in, the automaton one step on, every accepted match out. */
  private feed(unit: number, start: number, end: number, first: number, last: boolean, prevWord: boolean): void {
    const r = this.pos & this.ringMask;
    this.ringStart[r] = start;
    this.ringFirst[r] = first;
    const a = this.a;
    let state = this.state;
    if (this.plain) state = a.stepPlain(state, unit);
    else if (state === 0) state = prevWord && isWordUnit(unit) ? 0 : a.rootNext[unit];
    else state = a.stepWord(state, unit);
    this.state = state;
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


  /** Leftmost-longest, non-overlapping. (Two methods, one loop each: select() runs once per scan, so V8 compiles
   *  it on-stack while the sort loop is hot, before the loop after it has run; that code then deoptimised at the
   *  second loop on every later scan, which ran it in the interpreter.) */
  select(): Mention[] {
    return this.mentionsInOrder(this.startOrder());
  }

  /** Candidate indices by start, longest first on ties. Candidates arrive ordered by end, so by start they are only
   *  locally out of order (by at most the longest key): an insertion sort is linear here, and allocates nothing. */
  private startOrder(): Int32Array {
    const flat = this.candidates.data;
    const count = this.candidates.length / 3;
    const order = new Int32Array(count);
    for (let c = 0; c < count; c++) {
      const start = flat[3 * c];
      const end = flat[3 * c + 1];
      let k = c;
      while (k > 0) {
        const prev = 3 * order[k - 1];
        if (flat[prev] < start || (flat[prev] === start && flat[prev + 1] >= end)) break;
        order[k] = order[k - 1];
        k--;
      }
      order[k] = c;
    }
    return order;
  }

  private mentionsInOrder(order: Int32Array): Mention[] {
    const flat = this.candidates.data;
    const count = order.length;
    const ids = this.a.entityIds;
    const entries = this.a.entries;
    // Counted first, then written into an array of that size: pushing ten thousand mentions grew (and copied) the
    // array a dozen times, ~0.2 MB of garbage per scan of the 1 MB brief.
    let n = 0;
    let lastEnd = -1;
    for (let c = 0; c < count; c++) {
      const j = 3 * order[c];
      if (flat[j] < lastEnd) continue;
      n++;
      lastEnd = flat[j + 1];
    }
    const mentions = new Array<Mention>(n);
    n = 0;
    lastEnd = -1;
    for (let c = 0; c < count; c++) {
      const j = 3 * order[c];
      if (flat[j] < lastEnd) continue;
      const e = flat[j + 2];
      const entry = entries[e];
      mentions[n++] = { start: flat[j], end: flat[j + 1], entityIds: (ids[e] ??= [...entry.entityIds]), form: 'plain', matched: entry.text };
      lastEnd = flat[j + 1];
    }
    return mentions;
  }
}


/** isWordCodePoint, read once (called per candidate: unbundled, each use of an imported binding calls two export
 *  getters). */
const isWordCp = isWordCodePoint;

function isWordAt(cp: number): boolean {
  return cp < 0x80 ? ASCII_WORD[cp] === 1 : isWordCp(cp);
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

function commonPrefix(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function codePointBefore(t: string, offset: number): number {
  const c = t.charCodeAt(offset - 1);
  if (c >= 0xdc00 && c <= 0xdfff && offset >= 2) {
    const h = t.charCodeAt(offset - 2);
    if (h >= 0xd800 && h <= 0xdbff) return ((h - 0xd800) << 10) + (c - 0xdc00) + 0x10000;
  }
  return c;
}

/** The case of the cased code point `cp` (given as `ch` when not ASCII): 1 upper, 2 lower, 0 uncased. */
function caseOf(cp: number, ch: string | undefined): number {
  if (ch === undefined) return cp >= 0x41 && cp <= 0x5a ? 1 : cp >= 0x61 && cp <= 0x7a ? 2 : 0;
  const lower = ch.toLowerCase();
  const upper = ch.toUpperCase();
  if (lower === upper) return 0;
  return ch === upper ? 1 : 2;
}

/** caseSignature(s, start, end) has at least one letter and no "l". */
function isAllCapitals(s: string, start: number, end: number): boolean {
  let cased = false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    let kind: number;
    if (c < 0x80) kind = caseOf(c, undefined);
    else {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      kind = caseOf(cp, String.fromCodePoint(cp));
    }
    if (kind === 2) return false;
    if (kind === 1) cased = true;
  }
  return cased;
}

/** caseSignature(s, start, end) is one of `signatures`. */
function signatureIn(s: string, start: number, end: number, signatures: readonly string[]): boolean {
  for (let k = 0; k < signatures.length; k++) if (signatureEquals(s, start, end, signatures[k]!)) return true;
  return false;
}

function signatureEquals(s: string, start: number, end: number, sig: string): boolean {
  let j = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    let kind: number;
    if (c < 0x80) kind = caseOf(c, undefined);
    else {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      kind = caseOf(cp, String.fromCodePoint(cp));
    }
    if (kind === 0) continue;
    if (j >= sig.length || sig.charCodeAt(j) !== (kind === 1 ? 0x55 : 0x6c)) return false;
    j++;
  }
  return j === sig.length;
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
