// Edit distance and a SymSpell-style deletion index: every key is stored under each string obtained by deleting
// up to `maxDistance` characters, so a lookup generates the query's own deletions and meets its neighbours in a
// few map reads — no scan of the corpus per token.

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

/** Strings obtained from `word` by deleting up to `depth` characters (including `word` itself). */
function deletions(word: string, depth: number, out: Set<string>): Set<string> {
  out.add(word);
  if (depth === 0 || word.length <= 1) return out;
  for (let i = 0; i < word.length; i++) {
    const shorter = word.slice(0, i) + word.slice(i + 1);
    if (!out.has(shorter)) deletions(shorter, depth - 1, out);
  }
  return out;
}

/** Longer keys are not indexed: near-misses are about names of a few words, and deletions grow as length². */
const MAX_KEY_LENGTH = 48;

export class DeletionIndex<T> {
  private readonly buckets = new Map<string, number[]>();
  private readonly keys: string[] = [];
  private readonly values: T[][] = [];
  private readonly keyIndex = new Map<string, number>();

  constructor(private readonly maxDistance: number) {}

  add(key: string, value: T): void {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) return;
    let id = this.keyIndex.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(key);
      this.values.push([]);
      this.keyIndex.set(key, id);
      for (const d of deletions(key, this.maxDistance, new Set())) {
        let bucket = this.buckets.get(d);
        if (!bucket) this.buckets.set(d, (bucket = []));
        bucket.push(id);
      }
    }
    this.values[id]!.push(value);
  }

  /** Keys within `distance` of `query` (OSA), nearest first, with their values. */
  lookup(query: string, distance: number): { key: string; distance: number; values: T[] }[] {
    const d = Math.min(distance, this.maxDistance);
    if (query.length === 0 || query.length > MAX_KEY_LENGTH + d) return [];
    const seen = new Set<number>();
    const out: { key: string; distance: number; values: T[] }[] = [];
    for (const del of deletions(query, d, new Set())) {
      const bucket = this.buckets.get(del);
      if (!bucket) continue;
      for (const id of bucket) {
        if (seen.has(id)) continue;
        seen.add(id);
        const key = this.keys[id]!;
        const dist = editDistance(query, key, d);
        if (dist <= d) out.push({ key, distance: dist, values: this.values[id]! });
      }
    }
    return out.sort((a, b) => a.distance - b.distance || a.key.localeCompare(b.key));
  }

  get size(): number {
    return this.keys.length;
  }
}
