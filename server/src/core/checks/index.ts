// The writers' checks engine: runs every rule over one analysed brief, applies per-rule severities from settings
// ("off" skips the rule), drops what suppression comments silence, and returns findings in document order.
// Shared by the language server (diagnostics + quick fixes) and `jpmg check` (CI).
import type { CheckRule } from './context';
import type { Finding, FindingSeverity, RunChecks } from './types';
import { createContext } from './context';
import { applySuppressions } from './suppressions';
import { nearMissName } from './nearMissName';
import { wrongTitle } from './wrongTitle';
import { wrongDateOrOrdinal } from './wrongDateOrOrdinal';
import { acronymFirstUse } from './acronymFirstUse';
import { preferredTerm } from './preferredTerm';
import { unknownWikilink } from './unknownWikilink';

export const RULES: readonly CheckRule[] = [nearMissName, wrongTitle, wrongDateOrOrdinal, acronymFirstUse, preferredTerm, unknownWikilink];

/** Every rule code with its default severity (for settings validation, docs and SARIF metadata). */
export const RULE_DEFAULTS: Readonly<Record<string, FindingSeverity>> = Object.freeze(
  Object.assign({}, ...RULES.map((r) => r.codes)) as Record<string, FindingSeverity>,
);

export const RULE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'near-miss-name': 'A capitalised word or acronym one or two edits from a known name ("JMPG" for "JPMG").',
  'wrong-title': 'A title before a person\'s name that the person did not hold, or did not hold at that date.',
  'wrong-date': 'A year or date tied to a meeting, agreement or founding that contradicts the corpus.',
  'wrong-ordinal': 'An ordinal ("47th") tied to a meeting that contradicts the corpus.',
  'acronym-first-use': 'The first use of an acronym in a brief is not spelled out.',
  'preferred-term': 'A variant name the corpus discourages; the preferred term is suggested.',
  'unknown-wikilink': 'A [[wikilink]] that names no corpus entity.',
};

const SEVERITIES = new Set<string>(['error', 'warning', 'information', 'hint']);

function severityFor(code: string, fallback: FindingSeverity, rules: Record<string, string>): FindingSeverity | 'off' {
  const configured = rules[code];
  if (configured === 'off') return 'off';
  if (configured !== undefined && SEVERITIES.has(configured)) return configured as FindingSeverity;
  return fallback;
}

export const runChecks: RunChecks = (analysis, corpus, settings) => {
  const ctx = createContext(analysis, corpus, settings);
  const rules = settings.rules ?? {};
  let findings: Finding[] = [];
  for (const rule of RULES) {
    const codes = Object.keys(rule.codes);
    if (codes.every((c) => severityFor(c, rule.codes[c]!, rules) === 'off')) continue;
    for (const f of rule.run(ctx)) {
      const severity = severityFor(f.code, f.severity, rules);
      if (severity === 'off') continue;
      findings.push({ ...f, severity });
    }
  }
  findings = applySuppressions(analysis, findings);
  return findings.sort((a, b) => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code));
};

export type { Finding, FindingSeverity, Fix, TextEdit, RunChecks } from './types';
