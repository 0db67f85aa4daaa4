// Precision and recall of the writers' checks, per rule, on the labelled drafts (test/fixtures/drafts/*.md, with
// `<!-- expect: CODE "text" -->` markers) and the five source documents read as briefs (seeds.expect.json).
// Run: npx tsx scripts/measure-checks.ts [--verbose]. The unit test test/unit/checks-measure.test.ts holds the
// thresholds. `--speed` times runChecks on the benchmark's 1 MB brief instead.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../server/src/core/analysis/analyze';
import { runChecks, RULE_DEFAULTS } from '../server/src/core/checks/index';
import type { Finding } from '../server/src/core/checks/types';
import { loadBundledCorpus } from '../server/src/node/corpusFiles';
import { DEFAULT_SETTINGS } from '../server/src/protocol';
import type { Corpus } from '../server/src/core/types';

const root = path.resolve(__dirname, '..');
export const DRAFTS_DIR = path.join(root, 'test', 'fixtures', 'drafts');
export const SEEDS_DIR = path.join(root, 'corpus', 'sources');

export interface Expectation {
  line: number; // 0-based
  code: string;
  text?: string;
}

export interface DocumentResult {
  file: string;
  text: string;
  findings: Finding[];
  expected: Expectation[];
  truePositives: { finding: Finding; expectation: Expectation }[];
  falsePositives: Finding[];
  missed: Expectation[];
}

export interface RuleScore {
  code: string;
  expected: number;
  found: number;
  truePositives: number;
  precision: number;
  recall: number;
}

const MARKER = /^\s*<!--\s*expect:\s*([a-z-]+)(?:\s+"([^"]*)")?\s*-->\s*$/;

/** Expectations from marker comments: each names a finding on the next line that is not itself a marker. */
export function parseMarkers(text: string): Expectation[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: Expectation[] = [];
  let pending: { code: string; text?: string }[] = [];
  lines.forEach((line, i) => {
    const m = MARKER.exec(line);
    if (m) {
      pending.push({ code: m[1]!, ...(m[2] !== undefined ? { text: m[2] } : {}) });
      return;
    }
    for (const p of pending) out.push({ line: i, ...p });
    pending = [];
  });
  return out;
}

export function scoreDocument(file: string, text: string, expected: Expectation[], corpus: Corpus): DocumentResult {
  const analysis = analyzeDocument(text, 1, corpus, { plainText: true });
  const findings = runChecks(analysis, corpus, DEFAULT_SETTINGS);
  const open = [...expected];
  const truePositives: DocumentResult['truePositives'] = [];
  const falsePositives: Finding[] = [];
  for (const f of findings) {
    const line = analysis.lineIndex.positionAt(f.start).line;
    const covered = text.slice(f.start, f.end);
    const i = open.findIndex((e) => e.code === f.code && e.line === line && (e.text === undefined || e.text === covered));
    if (i >= 0) truePositives.push({ finding: f, expectation: open.splice(i, 1)[0]! });
    else falsePositives.push(f);
  }
  return { file, text, findings, expected, truePositives, falsePositives, missed: open };
}

export function measureChecks(corpus: Corpus = loadBundledCorpus()): { documents: DocumentResult[]; rules: RuleScore[] } {
  const documents: DocumentResult[] = [];
  for (const name of fs.readdirSync(DRAFTS_DIR).filter((n) => n.endsWith('.md') && n !== 'README.md').sort()) {
    const text = fs.readFileSync(path.join(DRAFTS_DIR, name), 'utf8');
    documents.push(scoreDocument(`drafts/${name}`, text, parseMarkers(text), corpus));
  }
  const seeds = JSON.parse(fs.readFileSync(path.join(DRAFTS_DIR, 'seeds.expect.json'), 'utf8')) as Record<string, { line: number; code: string; text?: string }[]>;
  for (const [name, list] of Object.entries(seeds)) {
    if (name.startsWith('//')) continue;
    const text = fs.readFileSync(path.join(SEEDS_DIR, name), 'utf8');
    documents.push(scoreDocument(`seeds/${name}`, text, list.map((e) => ({ ...e, line: e.line - 1 })), corpus));
  }
  const rules = Object.keys(RULE_DEFAULTS).map((code) => {
    const expected = documents.reduce((n, d) => n + d.expected.filter((e) => e.code === code).length, 0);
    const found = documents.reduce((n, d) => n + d.findings.filter((f) => f.code === code).length, 0);
    const tp = documents.reduce((n, d) => n + d.truePositives.filter((t) => t.finding.code === code).length, 0);
    return { code, expected, found, truePositives: tp, precision: found ? tp / found : 1, recall: expected ? tp / expected : 1 };
  });
  return { documents, rules };
}

function main(): void {
  const verbose = process.argv.includes('--verbose');
  const { documents, rules } = measureChecks();
  const pct = (x: number) => x.toFixed(2);
  const rows = [['rule', 'expected', 'found', 'TP', 'precision', 'recall'], ...rules.map((r) => [r.code, String(r.expected), String(r.found), String(r.truePositives), pct(r.precision), pct(r.recall)])];
  const all = rules.reduce((a, r) => ({ e: a.e + r.expected, f: a.f + r.found, t: a.t + r.truePositives }), { e: 0, f: 0, t: 0 });
  rows.push(['all rules', String(all.e), String(all.f), String(all.t), pct(all.f ? all.t / all.f : 1), pct(all.e ? all.t / all.e : 1)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`${documents.length} documents (${documents.filter((d) => d.file.startsWith('drafts/')).length} drafts, ${documents.filter((d) => d.file.startsWith('seeds/')).length} source documents)\n`);
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  const problems = documents.flatMap((d) => [
    ...d.falsePositives.map((f) => `  false positive  ${d.file}:${d.text.slice(0, f.start).split('\n').length} ${f.code} “${d.text.slice(f.start, f.end)}” — ${f.message}`),
    ...d.missed.map((e) => `  missed          ${d.file}:${e.line + 1} ${e.code}${e.text ? ` “${e.text}”` : ''}`),
  ]);
  if (problems.length) console.log(`\n${problems.join('\n')}`);
  if (verbose) {
    for (const d of documents) for (const t of d.truePositives) console.log(`  ok ${d.file}:${t.expectation.line + 1} ${t.finding.code} “${d.text.slice(t.finding.start, t.finding.end)}” — ${t.finding.message}`);
  }
}

/** `--speed`: runChecks on the benchmark's deterministic 1 MB brief (bench/generate.ts, bundled corpus): one
 *  analysis, 2 warm-up runs, then the median wall and process-CPU time of 10 runs. */
async function speed(): Promise<void> {
  const { generateBrief } = await import('../bench/generate');
  const { loadNameBook } = await import('../bench/names');
  const { SEED } = await import('../bench/inputs');
  const corpus = loadBundledCorpus();
  const text = generateBrief(loadNameBook(root), { targetChars: 1_000_000, seed: SEED, title: 'Generated 1 MB brief' }).text;
  const analysis = analyzeDocument(text, 1, corpus);
  const wall: number[] = [];
  const cpu: number[] = [];
  let findings = 0;
  for (let i = 0; i < 12; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    findings = runChecks(analysis, corpus, DEFAULT_SETTINGS).length;
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (i < 2) continue;
    wall.push(ms);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const r = (x: number) => Math.round(x * 10) / 10;
  console.log(JSON.stringify({ chars: text.length, mentions: analysis.mentions.length, findings, runs: wall.length,
    runChecksMedianMs: r(median(wall)), runChecksCpuMedianMs: r(median(cpu)), wallMs: wall.map(r) }));
}

if (process.argv[1] && /measure-checks\.ts$/.test(process.argv[1])) {
  if (process.argv.includes('--speed')) void speed();
  else main();
}
