// A growing list of integer triples in one typed array (storage off the JavaScript heap, grown by doubling): the
// Markdown scan's prose segments and the matcher's candidates, where a growing array of numbers left copies behind.
export class Int32Triples {
  data: Int32Array;
  /** Used length in units (three per triple). */
  length = 0;

  constructor(initialTriples: number) {
    this.data = new Int32Array(3 * Math.max(1, initialTriples));
  }

  push(a: number, b: number, c: number): void {
    let data = this.data;
    const n = this.length;
    if (n + 3 > data.length) {
      data = new Int32Array(data.length * 2);
      data.set(this.data);
      this.data = data;
    }
    data[n] = a;
    data[n + 1] = b;
    data[n + 2] = c;
    this.length = n + 3;
  }

  /** The used part (a view, not a copy). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
