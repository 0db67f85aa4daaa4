// Slices of a text that repeat across scans (wikilink targets, capitalised words) handed out as one string each:
// a long brief repeats its words, and a new string per occurrence is garbage for the next collection.

/** Interned texts by a hash of their units (buckets for collisions), bounded: cleared when full. */
export class StringInterner {
  private readonly byHash = new Map<number, string[]>();
  private count = 0;

  /** `maxEntries` bounds the memory kept; slices longer than `maxLength` are not interned. */
  constructor(private readonly maxEntries: number, private readonly maxLength = Infinity) {}

  /** t.slice(start, end), the same string each time the same text is asked for. */
  slice(t: string, start: number, end: number): string {
    if (end - start > this.maxLength) return t.slice(start, end);
    let h = end - start;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + t.charCodeAt(i)) | 0;
    h &= 0x3fffffff; // a small integer key
    let bucket = this.byHash.get(h);
    if (bucket) {
      for (let k = 0; k < bucket.length; k++) {
        const w = bucket[k]!;
        if (w.length === end - start && t.startsWith(w, start)) return w;
      }
    } else {
      if (this.count >= this.maxEntries) {
        this.byHash.clear();
        this.count = 0;
      }
      this.byHash.set(h, (bucket = []));
    }
    const w = t.slice(start, end);
    bucket.push(w);
    this.count++;
    return w;
  }
}
