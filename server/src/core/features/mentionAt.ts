// Finding the mention under a position: binary search over the analysis' mentions (sorted, non-overlapping).
import type { DocumentAnalysis, Mention } from '../analysis/types';
import { lastStartingAtOrBefore, type Position, type Range } from './text';

/** The mention containing `offset` ([start, end)), or else one ending exactly at it (cursor just after a name). */
export function mentionAt(analysis: DocumentAnalysis, offset: number): Mention | undefined {
  const mentions = analysis.mentions;
  const i = lastStartingAtOrBefore(mentions, offset);
  if (i < 0) return undefined;
  const m = mentions[i]!;
  if (offset < m.end) return m;
  if (offset === m.end) {
    const next = mentions[i + 1];
    return next && next.start === offset ? next : m;
  }
  return undefined;
}

export function offsetOf(analysis: DocumentAnalysis, position: Position): number {
  return analysis.lineIndex.offsetAt(position);
}

export function rangeOf(analysis: DocumentAnalysis, start: number, end: number): Range {
  return { start: analysis.lineIndex.positionAt(start), end: analysis.lineIndex.positionAt(end) };
}
