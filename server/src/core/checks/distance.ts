// Edit distance, and an index of keys (names, aliases, ids) that finds those within one or two edits of a word
// without a scan of the corpus per word: a trie walked with the distance table (see NeighbourIndex).
import { Lazy, type Steps } from '../steps';

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions), on UTF-16 units. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > limit) return limit + 1;
  if (n === 0) return m;
  if (m === 0) return n;
  let prevPrev = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[m]!;
}

/** Longer keys are not indexed: near-misses are about names of a few words. */
const MAX_KEY_LENGTH = 48;

export interface Neighbour<T> {
  key: string;
  distance: number;
  values: T[];
}

export interface LookupOptions {
  /** Largest distance for keys whose first character differs from the query's (default: the lookup distance).
   *  The near-miss check allows two edits only between names sharing their first letter: it need not look further. */
  otherFirstMax?: number;
}

/**
 * Keys within a small edit distance of a query, without a scan of the keys: the keys form a trie (built once, from
 * the sorted keys, in flat typed arrays), and a lookup walks it carrying one row of the distance table per level,
 * leaving a branch as soon as every cell of its row exceeds the distance. Memory is one node per distinct prefix —
 * unlike a deletion index, whose entries grow with the square of the key length (a 100,000-entity corpus would need
 * tens of millions). The result equals that of the SymSpell deletion index this replaces: every key within the
 * distance (optimal string alignment), nearest first, except pairs without a single character in common (which
 * deletions, never deleting a word to nothing, cannot pair).
 *
 * Two ways to fill it: `add(key, value)` one pair at a time, or `NeighbourIndex.over(keys, valuesOf)` for keys
 * that already exist elsewhere (a corpus's alias keys): then the index holds no copy of them and no value lists,
 * only the trie and one reference per key; a key's values are asked for when a lookup reaches it.
 */
export class NeighbourIndex<T> {
  /** add() mode: values by key. */
  private readonly added = new Map<string, T[]>();
  /** over() mode: the keys (any order, duplicates allowed) and where their values come from. */
  private pending: string[] | undefined;
  private valuesOf: ((key: string) => T[]) | undefined;
  private presorted = false;
  private trie = new Lazy(() => this.buildTrieSteps());

  constructor(private readonly maxDistance: number) {}

  /** An index over existing keys; `valuesOf(key)` gives a key's values when a lookup finds it. `sorted`: the keys
   *  come in the default sort order already (a shared sorted list), so building the trie needs no sort. */
  static over<T>(maxDistance: number, keys: string[], valuesOf: (key: string) => T[], sorted = false): NeighbourIndex<T> {
    const index = new NeighbourIndex<T>(maxDistance);
    index.pending = keys.filter((k) => k.length > 0 && k.length <= MAX_KEY_LENGTH);
    index.presorted = sorted;
    index.valuesOf = valuesOf;
    return index;
  }

  add(key: string, value: T): void {
    if (this.valuesOf) throw new Error('NeighbourIndex.over() indexes are read-only');
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) return;
    const list = this.added.get(key);
    if (list) list.push(value);
    else {
      this.added.set(key, [value]);
      this.trie = new Lazy(() => this.buildTrieSteps());
    }
  }

  /** Keys within `distance` of `query` (OSA), nearest first, with their values. */
  lookup(query: string, distance: number, options: LookupOptions = {}): Neighbour<T>[] {
    const d = Math.min(distance, this.maxDistance);
    if (query.length === 0 || query.length > MAX_KEY_LENGTH + d) return [];
    const trie = this.build();
    const out: Neighbour<T>[] = [];
    walk(trie, query, d, Math.min(d, options.otherFirstMax ?? d), (id, dist) => {
      const key = trie.keys[id]!;
      // Deletions never empty a word: a key sharing no character with the query was never a candidate.
      if (Math.max(key.length, query.length) <= d && !sharesCharacter(key, query)) return;
      const values = this.valuesOf ? this.valuesOf(key) : this.added.get(key)!;
      if (values.length > 0) out.push({ key, distance: dist, values });
    });
    return out.sort((a, b) => a.distance - b.distance || a.key.localeCompare(b.key));
  }

  /** Builds the trie now (otherwise the first lookup does). */
  build(): Trie {
    return this.trie.get();
  }

  /** build() in steps (see WorkspaceCorpus.step). */
  buildSteps(): Steps<Trie> {
    return this.trie.steps();
  }

  private *buildTrieSteps(): Steps<Trie> {
    const trie = yield* buildTrie(this.pending ?? [...this.added.keys()], this.presorted && this.pending !== undefined);
    this.pending = undefined; // the trie keeps the sorted, distinct keys
    return trie;
  }
}

function sharesCharacter(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) if (b.includes(a[i]!)) return true;
  return false;
}

interface Trie {
  /** The distinct keys, sorted; a node's `keyId` indexes this. */
  keys: string[];
  /** Per node: its character (UTF-16 unit), first child, next sibling, and the key ending there (-1: none). */
  label: Uint16Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  keyId: Int32Array;
  maxDepth: number;
}

/** Keys handled between two steps of buildTrie, minus one (a mask). */
const KEYS_STEP_MASK = 0x7fff;

/** `input` is sorted in place (callers pass an array of their own), unless it is `sorted` already. In steps. */
function* buildTrie(input: string[], sorted = false): Steps<Trie> {
  // Sorted by UTF-16 unit (the default order), so keys sharing a prefix are neighbours and children come in order;
  // equal keys become neighbours too, and are kept once.
  const all = sorted ? input : input.sort();
  const distinct: string[] = [];
  let nodes = 1; // node 0 is the root
  let previous = '';
  if (!sorted) yield;
  for (let k = 0; k < all.length; k++) {
    if ((k & KEYS_STEP_MASK) === KEYS_STEP_MASK) yield;
    const key = all[k]!;
    if (distinct.length > 0 && key === previous) continue;
    nodes += key.length - commonPrefix(previous, key);
    distinct.push(key);
    previous = key;
  }
  const label = new Uint16Array(nodes);
  const firstChild = new Int32Array(nodes).fill(-1);
  const nextSibling = new Int32Array(nodes).fill(-1);
  const keyId = new Int32Array(nodes).fill(-1);
  const lastChild = new Int32Array(nodes).fill(-1);
  let count = 1;
  const path = new Int32Array(MAX_KEY_LENGTH + 1);
  previous = '';
  let maxDepth = 0;
  yield;
  for (let k = 0; k < distinct.length; k++) {
    if ((k & KEYS_STEP_MASK) === KEYS_STEP_MASK) yield;
    const key = distinct[k]!;
    for (let i = commonPrefix(previous, key); i < key.length; i++) {
      const node = count++;
      const parent = path[i]!;
      label[node] = key.charCodeAt(i);
      if (lastChild[parent]! < 0) firstChild[parent] = node;
      else nextSibling[lastChild[parent]!] = node;
      lastChild[parent] = node;
      path[i + 1] = node;
    }
    keyId[path[key.length]!] = k;
    previous = key;
    if (key.length > maxDepth) maxDepth = key.length;
  }
  return { keys: distinct, label, firstChild, nextSibling, keyId, maxDepth };
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Depth-first walk of the trie with the OSA distance table to `query`, one row per depth; calls `hit` for every
 *  key within `d` (`otherFirst` below a first character other than the query's). */
function walk(trie: Trie, query: string, d: number, otherFirst: number, hit: (id: number, distance: number) => void): void {
  const n = query.length;
  const width = n + 1;
  const depthLimit = Math.min(trie.maxDepth, n + d);
  const rows = new Int32Array((depthLimit + 1) * width);
  for (let j = 0; j <= n; j++) rows[j] = j;
  const q = new Uint16Array(n);
  for (let j = 0; j < n; j++) q[j] = query.charCodeAt(j);
  const labels = new Uint16Array(depthLimit + 1); // the characters on the current path, by depth
  const { label, firstChild, nextSibling, keyId } = trie;
  // Explicit stack of (node, depth, bound).
  const stackNode: number[] = [];
  const stackDepth: number[] = [];
  const stackBound: number[] = [];
  for (let c = firstChild[0]!; c >= 0; c = nextSibling[c]!) {
    stackNode.push(c);
    stackDepth.push(1);
    stackBound.push(label[c] === q[0] ? d : otherFirst);
  }
  while (stackNode.length > 0) {
    const node = stackNode.pop()!;
    const depth = stackDepth.pop()!;
    const bound = stackBound.pop()!;
    if (depth > depthLimit) continue;
    const ch = label[node]!;
    labels[depth] = ch;
    const row = depth * width;
    const up = row - width;
    const up2 = up - width;
    rows[row] = depth;
    let rowMin = depth;
    for (let j = 1; j <= n; j++) {
      const cost = ch === q[j - 1] ? 0 : 1;
      let v = rows[up + j]! + 1;
      const left = rows[row + j - 1]! + 1;
      if (left < v) v = left;
      const diagonal = rows[up + j - 1]! + cost;
      if (diagonal < v) v = diagonal;
      if (depth > 1 && j > 1 && ch === q[j - 2] && labels[depth - 1] === q[j - 1]) {
        const swap = rows[up2 + j - 2]! + 1;
        if (swap < v) v = swap;
      }
      rows[row + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > bound) continue;
    const id = keyId[node]!;
    if (id >= 0 && rows[row + n]! <= bound) hit(id, rows[row + n]!);
    for (let c = firstChild[node]!; c >= 0; c = nextSibling[c]!) {
      stackNode.push(c);
      stackDepth.push(depth + 1);
      stackBound.push(bound);
    }
  }
}
