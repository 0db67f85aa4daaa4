// Measurements that run inside a fresh Node process each (so one's JIT warm-up, heap and peak RSS never leak into
// another's): `node --import tsx bench/task.ts <task> <inputs.json>`. Prints one JSON line on stdout.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Inputs } from './inputs';
import type { Corpus } from '../server/src/core/types';
import type { DocumentAnalysis } from '../server/src/core/analysis/types';
import type { JpmgSettings } from '../server/src/protocol';
import { bigBrief, hoverFloor, initializeLatency, overlayServer, setServerNodeArgs, workspaceScale } from './lspBench';
import { killAllSessions } from './lspClient';
import { median, now, procMemory, round } from './stats';

type Result = Record<string, unknown>;

/** Import a module of the code under test, or say why it is not there yet. */
export async function importOrSkip<T>(root: string, rel: string, names: string[]): Promise<T | string> {
  const path = join(root, rel);
  if (!existsSync(path)) return `${rel} does not exist yet`;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(path)) as Record<string, unknown>;
  } catch (e) {
    return `${rel} failed to load: ${(e as Error).message.split('\n')[0]}`;
  }
  const missing = names.filter((n) => typeof mod[n] !== 'function' && typeof (mod.default as Record<string, unknown> | undefined)?.[n] !== 'function');
  if (missing.length) return `${rel} does not export ${missing.join(', ')}`;
  return { ...(mod.default as object ?? {}), ...mod } as T;
}

/** CPU time of this process (all threads) in ms: next to wall time, it shows how much a busy machine inflated it. */
const cpuNow = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };

/** Run `fn` `warmup` times untimed, then `runs` times timed; the median is the figure. */
async function repeat(warmup: number, runs: number, fn: () => unknown | Promise<unknown>): Promise<{ wall: number[]; cpu: number[] }> {
  for (let i = 0; i < warmup; i++) await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    const c0 = cpuNow();
    await fn();
    wall.push(round(now() - t0));
    cpu.push(round(cpuNow() - c0));
  }
  return { wall, cpu };
}

const tasks: Record<string, (inputs: Inputs) => Promise<Result>> = {
  async yardstick(inputs) {
    const { createYardstick } = await import('./yardstick');
    const y = createYardstick();
    const text = readFileSync(inputs.brief.path, 'utf8');
    let ranges = 0;
    const runs = await repeat(2, inputs.quick ? 5 : 11, async () => { ranges = (await y.fold(text))[1]; });
    return { medianMs: median(runs.wall), cpuMedianMs: median(runs.cpu), runs: runs.wall, cpuRuns: runs.cpu, ranges };
  },
};

type CorpusInput = { file: string; text: string; bundled: boolean };
interface CorpusApi { loadCorpus(inputs: CorpusInput[], options?: unknown): Corpus }
interface CorpusFilesApi {
  loadBundledCorpus(options?: unknown): Corpus;
  readCorpusDir(dir: string, opts: { bundled: boolean }): { inputs: CorpusInput[]; problems: unknown[] };
}
type AnalyzeApi = { analyzeDocument(text: string, version: number, corpus: Corpus, options?: { plainText?: boolean }): DocumentAnalysis };
type ChecksApi = { runChecks(a: DocumentAnalysis, corpus: Corpus, settings: JpmgSettings): { code: string }[] };

const CORPUS = 'server/src/core/corpus/index.ts';
const CORPUS_FILES = 'server/src/node/corpusFiles.ts';
const ANALYZE = 'server/src/core/analysis/analyze.ts';
const CHECKS = 'server/src/core/checks/index.ts';

/** Full analysis of the 1 MB brief with the bundled corpus: analyzeDocument then runChecks, each version new. */
tasks.analysis = async (inputs) => {
  const files = await importOrSkip<CorpusFilesApi>(inputs.root, CORPUS_FILES, ['loadBundledCorpus']);
  if (typeof files === 'string') return { skipped: files };
  const analyzeApi = await importOrSkip<AnalyzeApi>(inputs.root, ANALYZE, ['analyzeDocument']);
  if (typeof analyzeApi === 'string') return { skipped: analyzeApi };
  const checksApi = await importOrSkip<ChecksApi>(inputs.root, CHECKS, ['runChecks']);
  const { DEFAULT_SETTINGS } = await import('../server/src/protocol');
  const corpus = files.loadBundledCorpus();
  const text = readFileSync(inputs.brief.path, 'utf8');
  let version = 0;
  const analyzeRuns: number[] = [];
  const checksRuns: number[] = [];
  const totals: number[] = [];
  const cpus: number[] = [];
  let mentions = 0;
  let findings = 0;
  const codes: Record<string, number> = {};
  const n = inputs.quick ? 5 : 11;
  for (let i = 0; i < n + 2; i++) {
    const c0 = cpuNow();
    const t0 = now();
    const a = analyzeApi.analyzeDocument(text, ++version, corpus);
    const t1 = now();
    const f = typeof checksApi === 'string' ? [] : checksApi.runChecks(a, corpus, DEFAULT_SETTINGS);
    const t2 = now();
    if (i < 2) continue; // warm-up, as for the yardstick
    cpus.push(round(cpuNow() - c0));
    analyzeRuns.push(round(t1 - t0));
    checksRuns.push(round(t2 - t1));
    totals.push(round(t2 - t0));
    mentions = a.mentions.length;
    findings = f.length;
    if (i === 2) for (const x of f) codes[x.code] = (codes[x.code] ?? 0) + 1;
  }
  return {
    medianMs: median(totals), cpuMedianMs: median(cpus), runs: totals, cpuRuns: cpus, analyzeMedianMs: median(analyzeRuns), checksMedianMs: median(checksRuns),
    mentions, findings, findingsByCode: codes, corpusEntities: corpus.entities.length,
    ...(typeof checksApi === 'string' ? { checksSkipped: checksApi } : {}),
  };
};

/** Load (parse, validate, index) the bundled corpus plus the generated overlay, in a fresh process: time and RSS. */
tasks.overlay = async (inputs) => {
  const corpusApi = await importOrSkip<CorpusApi>(inputs.root, CORPUS, ['loadCorpus']);
  if (typeof corpusApi === 'string') return { skipped: corpusApi };
  const files = await importOrSkip<CorpusFilesApi>(inputs.root, CORPUS_FILES, ['readCorpusDir']);
  if (typeof files === 'string') return { skipped: files };
  const before = procMemory();
  const c0 = cpuNow();
  const t0 = now();
  const bundled = files.readCorpusDir(join(inputs.root, 'corpus'), { bundled: true }).inputs;
  const overlay = files.readCorpusDir(join(inputs.overlay.dir, '.jpmg'), { bundled: false }).inputs;
  const readMs = now() - t0;
  const corpus = corpusApi.loadCorpus([...bundled, ...overlay]);
  const loadMs = now() - t0 - readMs;
  // The matcher over every alias is built on first use: count it as part of "index".
  const analyzeApi = await importOrSkip<AnalyzeApi>(inputs.root, ANALYZE, ['analyzeDocument']);
  let firstAnalysisMs: number | undefined;
  let analysis: DocumentAnalysis | undefined;
  if (typeof analyzeApi !== 'string') {
    const t1 = now();
    analysis = analyzeApi.analyzeDocument('# Probe\n\nMiriam met the delegation in [[gen-person-1]] and [[Kalvendor]].\n', 1, corpus);
    firstAnalysisMs = round(now() - t1);
  }
  const problems: Record<string, number> = {};
  for (const p of corpus.problems) problems[p.code] = (problems[p.code] ?? 0) + 1;
  const loaded = {
    loadAndMatcherMs: round(now() - t0), readMs: round(readMs), loadCorpusMs: round(loadMs), firstAnalysisMs,
    inputFiles: overlay.length, entities: corpus.entities.length, aliases: corpus.aliases.size, problems,
    baselineMemory: before, memoryAfterLoad: procMemory(),
  };
  // Emitted now, so that the figures survive if the checks' first run below is killed (time or memory cap).
  process.stdout.write(JSON.stringify({ ...loaded, medianMs: loaded.loadAndMatcherMs, cpuMs: round(cpuNow() - c0), memory: procMemory(),
    incomplete: "the checks' first run (their per-corpus indexes) did not finish" }) + '\n');

  // The checks build their own per-corpus indexes (near-miss names, wikilink targets) on first use.
  const checksApi = await importOrSkip<ChecksApi>(inputs.root, CHECKS, ['runChecks']);
  let firstChecksMs: number | undefined;
  if (typeof checksApi !== 'string' && analysis) {
    const { DEFAULT_SETTINGS } = await import('../server/src/protocol');
    const t2 = now();
    checksApi.runChecks(analysis, corpus, DEFAULT_SETTINGS);
    firstChecksMs = round(now() - t2);
  }
  return { ...loaded, medianMs: round(now() - t0), cpuMs: round(cpuNow() - c0), firstChecksMs,
    heapUsedMB: round(process.memoryUsage().heapUsed / 1e6, 1) };
};

// The groups over LSP run here too, as the client of the servers they start: the benchmark's own process holds the
// garbage of generating ~100 MB of inputs, and its collections landed inside the figures (a 150 ms first hover).
const lspGroups: Record<string, (inputs: Inputs, serverPath: string) => Promise<Result>> = {
  'lsp-init': initializeLatency,
  // The hover floor runs right after, from the same client process, so that both loops meet the same conditions.
  'lsp-brief': async (inputs, serverPath) => ({ ...(await bigBrief(inputs, serverPath)), hoverFloor: await hoverFloor(inputs) }),
  'lsp-workspace': workspaceScale, 'lsp-overlay': overlayServer,
};
for (const [name, run] of Object.entries(lspGroups)) {
  tasks[name] = async (inputs) => {
    const profileDir = process.env.JPMG_BENCH_PROFILE_DIR;
    if (profileDir) setServerNodeArgs((figure) => ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, figure)}`]);
    process.once('exit', killAllSessions);
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
    return run(inputs, join(inputs.root, 'dist', 'server.js'));
  };
}

async function main() {
  const [name, inputsPath] = process.argv.slice(2);
  const task = tasks[name!];
  if (!task) throw new Error(`unknown task ${name}`);
  const inputs = JSON.parse(readFileSync(inputsPath!, 'utf8')) as Inputs;
  let result: Result;
  try {
    result = await task(inputs);
  } catch (e) {
    result = { skipped: `error: ${(e as Error).stack?.split('\n').slice(0, 4).join(' | ')}` };
  }
  process.stdout.write(JSON.stringify({ memory: procMemory(), ...result }) + '\n'); // an LSP task's own `memory` (its server's) wins
}

void main().then(() => process.exit(0));
