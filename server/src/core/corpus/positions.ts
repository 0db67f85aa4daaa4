// Offsets to 0-based line/column (UTF-16), with LF, CRLF and lone CR all ending a line, as LSP counts them.

export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export class LineMap {
  private readonly starts: number[];
  constructor(private readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) starts.push(nl + 1);
      this.starts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: o - this.starts[lo]! };
  }

  /** Offset just past the last character of a line (before its line break). */
  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    let end = next;
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** A range kept to its first line (a problem on a whole block is shown where the block starts). */
  firstLineRange(start: number, end: number): Range {
    const a = this.position(start);
    const stop = Math.min(Math.max(start, end), this.lineEnd(a.line));
    return { line: a.line, column: a.column, endLine: a.line, endColumn: a.column + (stop - start) };
  }

  range(start: number, end: number): Range {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

export const ZERO_RANGE: Range = { line: 0, column: 0, endLine: 0, endColumn: 0 };
