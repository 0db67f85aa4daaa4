// Finding the mention under a position: binary search over the analysis' mentions (sorted, non-overlapping).
import { mentionsOf } from '../analysis/analyze';
import type { DocumentAnalysis, Mention } from '../analysis/types';
import type { Position, Range } from './text';

/** The mention containing `offset` ([start, end)), or else one ending exactly at it (cursor just after a name). */
export function mentionAt(analysis: DocumentAnalysis, offset: number): Mention | undefined {
  // Through mentionsOf: right after an edit the list is not materialised, and a hover needs only one or two items.
  const mentions = mentionsOf(analysis);
  let lo = 0;
  let hi = mentions.length - 1;
  let i = -1; // the last mention starting at or before the offset
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (mentions.startAt(mid) <= offset) {
      i = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (i < 0) return undefined;
  const m = mentions.at(i);
  if (offset < m.end) return m;
  if (offset === m.end) {
    return i + 1 < mentions.length && mentions.startAt(i + 1) === offset ? mentions.at(i + 1) : m;
  }
  return undefined;
}

export function offsetOf(analysis: DocumentAnalysis, position: Position): number {
  return analysis.lineIndex.offsetAt(position);
}

export function rangeOf(analysis: DocumentAnalysis, start: number, end: number): Range {
  return { start: analysis.lineIndex.positionAt(start), end: analysis.lineIndex.positionAt(end) };
}
