// Findings of the checks engine → LSP diagnostics (code, source "jpmg", severity), at UTF-16 ranges.
import type { DocumentAnalysis } from '../analysis/types';
import type { Finding } from '../checks/types';
import { rangeOf } from './mentionAt';
import type { Range } from './text';

export interface DiagnosticResult {
  range: Range;
  severity: 1 | 2 | 3 | 4;
  code: string;
  source: 'jpmg';
  message: string;
}

const SEVERITY = { error: 1, warning: 2, information: 3, hint: 4 } as const;

export function toDiagnostic(finding: Finding, analysis: DocumentAnalysis): DiagnosticResult {
  return {
    range: rangeOf(analysis, finding.start, finding.end),
    severity: SEVERITY[finding.severity] ?? 2,
    code: finding.code,
    source: 'jpmg',
    message: finding.message,
  };
}

export function provideDiagnostics(findings: readonly Finding[], analysis: DocumentAnalysis): DiagnosticResult[] {
  return findings.map((f) => toDiagnostic(f, analysis));
}
