// UTF-16 offset <-> LSP position conversion. LF, CRLF and CR each end one line; a BOM is an ordinary character
// (offsets are into the text exactly as the editor holds it).
import type { LineIndex } from './types';

/** Start offsets of every line, in one linear pass (native `indexOf` finds the breaks). */
export function computeLineStarts(text: string): Uint32Array {
  let starts = new Uint32Array(Math.max(16, (text.length >> 5) + 1));
  let count = 0;
  const push = (offset: number) => {
    if (count === starts.length) {
      const grown = new Uint32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[count++] = offset;
  };
  push(0);
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  while (lf >= 0 || cr >= 0) {
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      if (cr + 1 === lf) {
        push(cr + 2);
        lf = text.indexOf('\n', cr + 2);
      } else push(cr + 1);
      cr = text.indexOf('\r', cr + 1);
    } else {
      push(lf + 1);
      lf = text.indexOf('\n', lf + 1);
    }
  }
  return starts.slice(0, count);
}

export function createLineIndex(text: string): LineIndex {
  return lineIndexFromStarts(text, computeLineStarts(text));
}

export function lineIndexFromStarts(text: string, starts: Uint32Array): LineIndex {
  const lineCount = starts.length;
  const textLength = text.length;

  /** Offset just past the line's content (before its line break). */
  const contentEnd = (line: number): number => {
    let end = line + 1 < lineCount ? starts[line + 1] : textLength;
    if (end > starts[line] && text.charCodeAt(end - 1) === 0x0a) end--;
    if (end > starts[line] && text.charCodeAt(end - 1) === 0x0d) end--;
    return end;
  };

  return {
    lineCount,
    positionAt(offset: number) {
      const o = Math.max(0, Math.min(Math.floor(offset), textLength));
      // Binary search: the last line whose start is <= o.
      let lo = 0;
      let hi = lineCount - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= o) lo = mid;
        else hi = mid - 1;
      }
      // An offset between CR and LF belongs to the end of the line's content.
      return { line: lo, character: Math.min(o, contentEnd(lo)) - starts[lo] };
    },
    offsetAt(position: { line: number; character: number }) {
      if (position.line < 0) return 0;
      if (position.line >= lineCount) return textLength;
      const start = starts[position.line];
      const character = Math.max(0, Math.floor(position.character));
      return Math.min(start + character, contentEnd(position.line));
    },
  };
}
