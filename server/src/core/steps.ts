// Work in steps. A long computation over a large corpus (loading it, building its indexes) is written as a generator
// that yields between bounded pieces of work: `runToEnd` does it all at once (the CLI, tests, a first load), and a
// server calls `next()` a few milliseconds at a time between requests (WorkspaceCorpus.step), so that a
// 100,000-entity rebuild never stops it for seconds.

/** A computation in steps, returning T. */
export type Steps<T> = Generator<void, T, void>;

/** Run a stepwise computation to its end, at once. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Items merged between two steps of sortStrings. */
const MERGED_PER_STEP = 32768;

/**
 * `items` in the default sort order (UTF-16 units), as `[...items].sort()` gives it, in steps: runs of `runLength`
 * sorted natively, then merged pairwise. A quarter of a million keys sort in ~250 ms at once on a small machine.
 */
export function* sortedStrings(items: readonly string[], runLength = 16384): Steps<string[]> {
  let runs: string[][] = [];
  for (let i = 0; i < items.length; i += runLength) {
    runs.push(items.slice(i, i + runLength).sort());
    yield;
  }
  if (runs.length === 0) return [];
  while (runs.length > 1) {
    const next: string[][] = [];
    for (let r = 0; r + 1 < runs.length; r += 2) next.push(yield* merged(runs[r]!, runs[r + 1]!));
    if (runs.length % 2 === 1) next.push(runs[runs.length - 1]!);
    runs = next;
  }
  return runs[0]!;
}

function* merged(a: readonly string[], b: readonly string[]): Steps<string[]> {
  const out = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++) {
    if (k % MERGED_PER_STEP === MERGED_PER_STEP - 1) yield;
    out[k] = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
  }
  return out;
}

/**
 * A value built once, on demand: at once (`get`) or in steps (`steps`). A caller who needs the value now while a
 * build in steps is under way finishes that build rather than starting another (a request arriving while a server
 * prepares a corpus's indexes between requests); the stepping caller then finds the value built.
 */
export class Lazy<V> {
  private value: V | undefined;
  private built = false;
  private running: Steps<V> | undefined;

  /** `now`: a faster way to build it at once, used when no build in steps is under way. */
  constructor(private readonly build: () => Steps<V>, private readonly now?: () => V) {}

  get(): V {
    if (this.built) return this.value!;
    if (this.now && !this.running) {
      this.value = this.now();
      this.built = true;
      return this.value;
    }
    return runToEnd(this.steps());
  }

  *steps(): Steps<V> {
    this.running ??= this.run();
    const shared = this.running;
    while (!this.built) {
      if (shared.next().done) break;
      yield;
    }
    if (!this.built) throw new Error('the build failed'); // (it threw to the caller that was running it)
    return this.value!;
  }

  private *run(): Steps<V> {
    try {
      const value = yield* this.build();
      this.value = value;
      this.built = true;
      return value;
    } finally {
      this.running = undefined;
    }
  }
}

/** A Lazy value per object (a corpus), dropped with the object. */
export class LazyPer<K extends object, V> {
  private readonly values = new WeakMap<K, Lazy<V>>();

  constructor(private readonly build: (key: K) => Steps<V>, private readonly now?: (key: K) => V) {}

  of(key: K): Lazy<V> {
    let lazy = this.values.get(key);
    if (!lazy) {
      const now = this.now;
      lazy = new Lazy(() => this.build(key), now && (() => now(key)));
      this.values.set(key, lazy);
    }
    return lazy;
  }
}
