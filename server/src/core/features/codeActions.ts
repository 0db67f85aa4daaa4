// Quick fixes: every fix of every finding that overlaps the requested range, as a code action with a
// WorkspaceEdit on this document; for an unknown wikilink also "Add entity to the workspace corpus" (built by
// addEntityFix.ts, given by the caller because it needs the workspace folder and the overlay file's text).
import type { DocumentAnalysis } from '../analysis/types';
import type { Finding } from '../checks/types';
import { toDiagnostic, type DiagnosticResult } from './diagnostics';
import { rangeOf } from './mentionAt';
import type { Range } from './text';

export interface CodeActionResult {
  title: string;
  kind: 'quickfix';
  diagnostics: DiagnosticResult[];
  isPreferred?: boolean;
  edit: unknown;
}

export interface CodeActionInput {
  uri: string;
  analysis: DocumentAnalysis;
  findings: readonly Finding[];
  range: Range;
  /** Extra fixes for a finding (e.g. add an unknown wikilink's entity to the workspace corpus). */
  extraFixes?: (finding: Finding) => { title: string; edit: unknown }[];
}

export function provideCodeActions(input: CodeActionInput): CodeActionResult[] {
  const { analysis, uri } = input;
  const from = analysis.lineIndex.offsetAt(input.range.start);
  const to = analysis.lineIndex.offsetAt(input.range.end);
  const out: CodeActionResult[] = [];
  for (const f of input.findings) {
    if (!overlaps(f.start, f.end, from, to)) continue;
    const diagnostic = toDiagnostic(f, analysis);
    for (const fix of f.fixes) {
      out.push({
        title: fix.title,
        kind: 'quickfix',
        diagnostics: [diagnostic],
        ...(fix.isPreferred ? { isPreferred: true } : {}),
        edit: {
          changes: {
            [uri]: fix.edits.map((e) => ({ range: rangeOf(analysis, e.start, e.end), newText: e.newText })),
          },
        },
      });
    }
    for (const extra of input.extraFixes?.(f) ?? []) {
      out.push({ title: extra.title, kind: 'quickfix', diagnostics: [diagnostic], edit: extra.edit });
    }
  }
  return out;
}

/** Ranges overlap, or touch when one of them is empty (a cursor at a finding's edge). */
function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aStart === aEnd || bStart === bEnd) return aStart <= bEnd && bStart <= aEnd;
  return aStart < bEnd && bStart < aEnd;
}

export type { Range };
