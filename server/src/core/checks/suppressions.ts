// Suppression comments, read from the analysis's HTML comments:
//   <!-- jpmg-disable-next-line [RULE[, RULE]] -->   the next line only
//   <!-- jpmg-disable-line [RULE…] -->               the comment's own line(s)
//   <!-- jpmg-disable [RULE…] --> … <!-- jpmg-enable [RULE…] -->   a region (to the end if never enabled)
// No rule names means every rule. Text after " -- " is a free reason. Other comments (e.g. test markers) are ignored.
import type { DocumentAnalysis } from '../analysis/types';
import type { Finding } from './types';

interface Directive {
  kind: 'disable-next-line' | 'disable-line' | 'disable' | 'enable';
  rules: string[]; // empty = all
  offset: number;
  startLine: number;
  endLine: number;
}

const DIRECTIVE_RE = /^jpmg-(disable-next-line|disable-line|disable|enable)(?:\s+([\s\S]*))?$/;

function parseDirective(text: string): { kind: Directive['kind']; rules: string[] } | undefined {
  const m = DIRECTIVE_RE.exec(text.trim());
  if (!m) return undefined;
  const list = (m[2] ?? '').split(/\s--\s|^--\s?/)[0] ?? '';
  const rules = list.split(/[\s,]+/).filter(Boolean);
  return { kind: m[1] as Directive['kind'], rules };
}

/** Drops the findings that a suppression comment silences. */
export function applySuppressions(analysis: DocumentAnalysis, findings: Finding[]): Finding[] {
  const directives: Directive[] = [];
  for (const c of analysis.comments) {
    const d = parseDirective(c.text);
    if (!d) continue;
    directives.push({
      ...d,
      offset: c.end,
      startLine: analysis.lineIndex.positionAt(c.start).line,
      endLine: analysis.lineIndex.positionAt(c.end).line,
    });
  }
  if (directives.length === 0) return findings;
  directives.sort((a, b) => a.offset - b.offset);

  // Region states after each disable/enable directive.
  interface State { offset: number; all: boolean; rules: Set<string>; except: Set<string> }
  const states: State[] = [];
  let cur: State = { offset: 0, all: false, rules: new Set(), except: new Set() };
  for (const d of directives) {
    if (d.kind !== 'disable' && d.kind !== 'enable') continue;
    const next: State = { offset: d.offset, all: cur.all, rules: new Set(cur.rules), except: new Set(cur.except) };
    if (d.kind === 'disable') {
      if (d.rules.length === 0) { next.all = true; next.except.clear(); }
      for (const r of d.rules) { next.rules.add(r); next.except.delete(r); }
    } else {
      if (d.rules.length === 0) { next.all = false; next.rules.clear(); next.except.clear(); }
      for (const r of d.rules) { next.rules.delete(r); if (next.all) next.except.add(r); }
    }
    states.push(next);
    cur = next;
  }
  const stateAt = (offset: number): State | undefined => {
    let lo = 0;
    let hi = states.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (states[mid]!.offset <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? states[lo - 1] : undefined;
  };
  const lineRules = new Map<number, string[][]>();
  const addLine = (line: number, rules: string[]) => {
    const list = lineRules.get(line) ?? [];
    list.push(rules);
    lineRules.set(line, list);
  };
  for (const d of directives) {
    if (d.kind === 'disable-next-line') addLine(d.endLine + 1, d.rules);
    if (d.kind === 'disable-line') for (let l = d.startLine; l <= d.endLine; l++) addLine(l, d.rules);
  }
  return findings.filter((f) => {
    const line = analysis.lineIndex.positionAt(f.start).line;
    for (const rules of lineRules.get(line) ?? []) if (rules.length === 0 || rules.includes(f.code)) return false;
    const s = stateAt(f.start);
    if (s && ((s.all && !s.except.has(f.code)) || s.rules.has(f.code))) return false;
    return true;
  });
}
