// Small text helpers shared by the features: line starts and UTF-16 offset ↔ LSP position for texts the analysis
// does not cover (corpus source documents and corpus YAML files). LF, CRLF and CR all end a line.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextLines {
  readonly text: string;
  readonly starts: readonly number[];
}

export function textLines(text: string): TextLines {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return { text, starts };
}

export function positionIn(lines: TextLines, offset: number): Position {
  const at = Math.min(Math.max(0, offset), lines.text.length);
  const starts = lines.starts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: at - starts[lo]! };
}

export function offsetIn(lines: TextLines, position: Position): number {
  const line = Math.min(Math.max(0, position.line), lines.starts.length - 1);
  const start = lines.starts[line]!;
  const next = line + 1 < lines.starts.length ? lines.starts[line + 1]! : lines.text.length;
  let end = next;
  // The line's content ends before its line break.
  if (end > start && lines.text.charCodeAt(end - 1) === 10) end--;
  if (end > start && lines.text.charCodeAt(end - 1) === 13) end--;
  return Math.min(start + Math.max(0, position.character), end);
}

/** Index of the last item with start <= offset in a list sorted by start (binary search); -1 when none. */
export function lastStartingAtOrBefore<T extends { start: number }>(items: readonly T[], offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The item whose [start, end] contains offset (end inclusive, so a cursor just after a name still finds it). */
export function itemAt<T extends { start: number; end: number }>(items: readonly T[], offset: number): T | undefined {
  const i = lastStartingAtOrBefore(items, offset);
  if (i < 0) return undefined;
  const item = items[i]!;
  if (offset <= item.end) return item;
  return undefined;
}

