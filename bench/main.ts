// `npm run bench` (via scripts/bench.mjs): builds, generates the inputs, runs every measurement, compares each
// figure with its target and prints one JSON document (also written to bench-results/latest.json).
// `--quick` shrinks the inputs (0.2 MB brief, 10k entities, 1,000 briefs) for a smoke run; its figures are not the
// targets' figures. `--keep` leaves the generated inputs in place; `--only=a,b` runs some groups
// (yardstick, analysis, overlay, lsp-init, lsp-brief, lsp-workspace, lsp-overlay, client, vsix); `--profile` writes
// CPU profiles of every server and task (figures are then slower: profiling costs time).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInputs, SEED, type Inputs } from './inputs';
import { MEMORY_CAP_MB } from './lspClient';
import { median, now, round } from './stats';

type Json = Record<string, unknown>;
interface Figure { value?: number; unit?: string; target?: string; pass?: boolean; skipped?: string; [k: string]: unknown }

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const wants = (group: string) => !only || only.includes(group);
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
/** `--profile`: every server and in-process task writes a V8 CPU profile under bench-results/profiles/<figure>/;
 *  summarise one with `node bench/topFrames.cjs <file.cpuprofile>`. */
const profileDir = args.includes('--profile') ? join(root, 'bench-results', 'profiles') : undefined;
const profArgs = (figure: string) => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, figure)}`] : []);

/** Run a task of bench/task.ts in a fresh process (asynchronously, so a signal can still stop the benchmark).
 *  The LSP tasks (`lsp-*`) are the client of their servers; `--profile` profiles the servers, not that client. */
function runTask(name: string, inputsPath: string, timeoutMs = 300_000): Promise<Json> {
  return new Promise((resolve) => {
    const lsp = name.startsWith('lsp-');
    const child = spawn(process.execPath, [...(lsp ? [] : profArgs(name)), `--max-old-space-size=${MEMORY_CAP_MB}`, '--import', 'tsx', join(root, 'bench', 'task.ts'), name, inputsPath],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(lsp && profileDir ? { JPMG_BENCH_PROFILE_DIR: profileDir } : {}) } });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { if (stderr.length < 100_000) stderr += d.toString(); });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      children.delete(child);
      const why0 = /heap out of memory/i.test(stderr) ? `ran out of its ${MEMORY_CAP_MB} MB heap cap`
        : signal ? `killed by ${signal}${timedOut ? ` after ${timeoutMs / 1000} s` : ''}` : `status ${status}`;
      // The last complete JSON line wins; an earlier one (a partial result) is kept, marked, if the task died.
      const lines = stdout.trim().split('\n').reverse();
      for (const line of lines) {
        try {
          const j = JSON.parse(line) as Json;
          resolve(status === 0 ? j : { ...j, incomplete: `${j.incomplete ?? 'task did not finish'} (${why0})` });
          return;
        } catch { /* not JSON */ }
      }
      resolve({ skipped: `task ${name} failed (${why0}): ${(stderr || stdout).slice(-600)}` });
    });
  });
}

/** Child processes started by the benchmark (tasks); servers are tracked by lspClient. */
const children = new Set<ChildProcess>();

/** An LSP group in its own client process (see task.ts), logged with its duration. */
async function lspTask(what: string, name: string, inputsPath: string): Promise<Json> {
  const t0 = now();
  log(`${what}...`);
  const r = await runTask(name, inputsPath, 900_000);
  log(`${what} ${skippedOf(r) ? `failed: ${skippedOf(r)}` : 'done'} in ${round((now() - t0) / 1000, 1)} s`);
  return r;
}

/** The hover floor's p99s (library and raw), when the run measured them. */
function floorP99(r: Json): Json | undefined {
  const floor = r.hoverFloor as Json | undefined;
  if (!floor || skippedOf(floor)) return undefined;
  return { library: (floor.library as Json | undefined)?.p99, raw: (floor.raw as Json | undefined)?.p99 };
}

function fig(value: number | undefined, unit: string, limit: number, targetText: string, extra: Json = {}): Figure {
  if (value === undefined || !Number.isFinite(value)) return { skipped: 'no value measured', ...extra };
  return { value: round(value), unit, target: targetText, limitValue: round(limit), pass: value <= limit, ...extra };
}

/** The same target judged on CPU time (process or server-thread), which a busy shared machine does not inflate. */
function onCpu(f: Figure | undefined, cpuValue: unknown, cpuLimit: number | undefined, what: string): void {
  if (!f || f.skipped !== undefined || typeof cpuValue !== 'number' || cpuLimit === undefined || !Number.isFinite(cpuLimit)) return;
  f.cpuValue = round(cpuValue);
  f.cpuLimit = round(cpuLimit);
  f.cpuWhat = what;
  f.passOnCpu = cpuValue <= cpuLimit;
}

const skippedOf = (r: Json | undefined): string | undefined =>
  r === undefined ? 'not run' : typeof r.skipped === 'string' ? r.skipped : undefined;

/** Rounds of the yardstick and the analysis alternated in one run (see main()). */
const PAIRED_ROUNDS = quick ? 1 : 3;

/** Several rounds of one in-process task as one result: their runs pooled (median of all), each round's median kept.
 *  A round that failed stands for the whole. */
function pooled(rounds: readonly Json[]): Json | undefined {
  if (rounds.length === 0) return undefined;
  const failed = rounds.find((r) => skippedOf(r) || !Array.isArray(r.runs));
  if (failed || rounds.length === 1) return failed ?? rounds[0];
  const all = (key: string) => rounds.flatMap((r) => (Array.isArray(r[key]) ? (r[key] as number[]) : []));
  const middle = (key: string) => median(rounds.map((r) => r[key]).filter((v): v is number => typeof v === 'number'));
  const out: Json = { ...rounds[0], medianMs: median(all('runs')), runs: all('runs'), roundMediansMs: rounds.map((r) => r.medianMs) };
  if (all('cpuRuns').length > 0) out.cpuMedianMs = median(all('cpuRuns'));
  for (const key of ['analyzeMedianMs', 'checksMedianMs']) if (key in rounds[0]!) out[key] = middle(key);
  return out;
}

/** Client activation in fresh plain-node processes (no tsx hooks in the way of `require`); see clientActivation.cjs. */
function clientActivation(runs: number): Json {
  if (!existsSync(join(root, 'dist', 'client.js'))) return { skipped: 'dist/client.js does not exist' };
  const samples: Json[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [join(root, 'bench', 'clientActivation.cjs'), root], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    let j: Json;
    try { j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Json; } catch { return { skipped: `activation run failed: ${(r.stderr || r.stdout).slice(-500)}` }; }
    if (typeof j.skipped === 'string') return j;
    samples.push(j);
  }
  const pick = (k: string) => samples.map((s) => round(s[k] as number));
  return {
    medianMs: median(pick('totalMs')), cpuMedianMs: median(pick('cpuMs')), requireMedianMs: median(pick('requireMs')), activateMedianMs: median(pick('activateMs')),
    runs: pick('totalMs'), bundleBytes: samples[0]!.bundleBytes,
    stubbed: 'vscode API (deep no-op stub), ExtensionContext, child_process.spawn/fork for the client bundle (no server process); built-ins preloaded as in the extension host',
  };
}

function vsixSize(): Figure {
  const find = () => readdirSync(root).filter((f) => f.endsWith('.vsix')).map((f) => join(root, f));
  let files = find();
  let note = 'existing .vsix in the root';
  if (files.length === 0) {
    if (!existsSync(join(root, 'scripts', 'package.mjs'))) return { skipped: 'no .vsix in the root and no scripts/package.mjs yet' };
    log('packaging (npm run package)...');
    const r = spawnSync('npm', ['run', 'package'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
    files = find();
    if (files.length === 0) return { skipped: `npm run package produced no .vsix (status ${r.status}): ${(r.stderr || r.stdout).slice(-400)}` };
    note = 'built by npm run package';
  }
  const newest = files.map((f) => ({ f, s: statSync(f) })).sort((a, b) => b.s.mtimeMs - a.s.mtimeMs)[0]!;
  return fig(newest.s.size / 1e6, 'MB', 1, '≤ 1 MB', { file: newest.f.slice(root.length + 1), how: note });
}

// Run state, module-level so that an interrupted run can still write what it measured.
const started = now();
const tmp = join(tmpdir(), `jpmg-bench-${process.pid}`);
const figures: Record<string, Figure> = {};
const raw: Json = {};
let build = 'skipped (--no-build)';
let currentInputs: Inputs | undefined;

/** Write the figures so far to bench-results/ (after every group: a killed run keeps its figures); print when done. */
function report(complete: boolean, interrupted?: string): void {
  const list = Object.values(figures);
  const out = {
    meta: {
      complete, ...(interrupted ? { interrupted } : {}),
      date: new Date().toISOString(), quick, loadAverage: loadavg().map((x) => round(x, 2)), node: process.version, cpus: cpus().length,
      commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim(),
      build, seed: SEED, profiled: profileDir !== undefined, namesFromCorpus: currentInputs?.namesFromCorpus,
      inputs: currentInputs && { briefChars: currentInputs.brief.chars, briefMentions: currentInputs.brief.mentionCount, overlayEntities: currentInputs.overlay.count,
        overlayYamlChars: currentInputs.overlay.chars, overlayFiles: currentInputs.overlay.files.length, workspaceBriefs: currentInputs.workspace.count,
        workspaceChars: currentInputs.workspace.chars, generateMs: currentInputs.generateMs },
      totalSeconds: round((now() - started) / 1000, 1),
    },
    summary: {
      pass: list.filter((f) => f.pass === true).length,
      fail: list.filter((f) => f.pass === false).length,
      skipped: list.filter((f) => f.skipped !== undefined).length,
      failed: Object.entries(figures).filter(([, f]) => f.pass === false).map(([k]) => k),
      /** Judged on CPU time where the figure has one (see docs/performance.md: the machine is shared). */
      failedOnCpu: Object.entries(figures).filter(([, f]) => f.passOnCpu === false || (f.passOnCpu === undefined && f.pass === false)).map(([k]) => k),
    },
    figures,
    raw,
  };
  const text = JSON.stringify(out, null, 2);
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', quick ? 'latest-quick.json' : 'latest.json'), text + '\n');
  if (complete || interrupted) process.stdout.write(text + '\n');
}

function cleanUp(): void {
  for (const c of children) c.kill('SIGTERM'); // an LSP task stops its servers on the way out
  if (!args.includes('--keep')) rmSync(tmp, { recursive: true, force: true });
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    log(`${sig}: writing the figures measured so far and stopping`);
    cleanUp();
    report(false, sig);
    process.exit(130);
  });
}

// Keeps the event loop alive: without it, a promise that can never settle (a dead server's request) would let
// Node exit silently with status 0 and no figures.
const heartbeat = setInterval(() => undefined, 1000);
let finished = false;
process.on('beforeExit', () => {
  if (finished) return;
  log('the run stopped early (nothing left to wait on): writing the figures measured so far');
  cleanUp();
  report(false, 'stopped early');
});

async function main() {

  if (!args.includes('--no-build')) {
    log('building (node scripts/build.mjs)...');
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    const errors = (b.stderr + b.stdout).match(/\[ERROR\][^\n]*/g) ?? [(b.stderr || b.stdout).slice(-300)];
    build = b.status === 0 ? 'ok' : `failed, measuring the previous dist/ if any: ${errors.slice(0, 3).join('; ')}`;
  }
  const serverPath = join(root, 'dist', 'server.js');
  const haveServer = existsSync(serverPath);

  log(`generating inputs in ${tmp}${quick ? ' (quick)' : ''}...`);
  const inputs = buildInputs(root, tmp, quick);
  currentInputs = inputs;
  const inputsPath = join(tmp, 'inputs.json');
  log(`inputs ready in ${round(inputs.generateMs / 1000, 1)} s`);

  try {
    // ---- yardstick and in-process core ----
    // The yardstick and the analysis alternate, each round in fresh processes, and their runs are pooled: on a shared
    // machine speed drifts by up to 2× within minutes, and one yardstick measured before one analysis gave ratios
    // from 0.44 to 0.88 for the same code. Alternating puts both under the same conditions.
    const yardRounds: Json[] = [];
    const analysisRounds: Json[] = [];
    if (wants('yardstick') || wants('analysis') || wants('lsp-brief')) {
      const rounds = wants('analysis') ? PAIRED_ROUNDS : 1;
      for (let r = 0; r < rounds; r++) {
        yardRounds.push(await runTask('yardstick', inputsPath));
        if (wants('analysis')) {
          log(`analysis (analyzeDocument + runChecks), round ${r + 1} of ${rounds}...`);
          analysisRounds.push(await runTask('analysis', inputsPath));
        }
      }
    }
    const yard = pooled(yardRounds);
    raw.yardstick = yard;
    const folding = typeof yard?.medianMs === 'number' ? yard.medianMs : undefined;
    if (yard) figures.foldingYardstick = folding === undefined ? { skipped: skippedOf(yard) ?? 'not run' }
      : { value: folding, unit: 'ms', what: 'vscode-markdown-languageservice getFoldingRanges, 1 MB brief (median)', cpuMs: yard!.cpuMedianMs, ranges: yard!.ranges };
    report(false);

    if (wants('analysis')) {
      const a = pooled(analysisRounds)!;
      raw.analysis = a;
      figures.fullAnalysis = skippedOf(a) ? { skipped: skippedOf(a)! }
        : folding === undefined ? { skipped: 'no yardstick' }
        : fig(a.medianMs as number, 'ms', 0.5 * folding, '≤ 0.5 × folding', { ratioToFolding: round((a.medianMs as number) / folding, 3), cpuMs: a.cpuMedianMs, analyzeMs: a.analyzeMedianMs, checksMs: a.checksMedianMs, mentions: a.mentions, findings: a.findings });
      report(false);
    }
    const foldingCpu = typeof yard?.cpuMedianMs === 'number' ? yard.cpuMedianMs : undefined;
    if (figures.fullAnalysis) onCpu(figures.fullAnalysis, (raw.analysis as Json | undefined)?.cpuMedianMs, foldingCpu && 0.5 * foldingCpu, 'process CPU ms vs 0.5 × folding CPU ms');
    if (wants('overlay')) {
      log('overlay corpus load (in process)...');
      const o = await runTask('overlay', inputsPath, quick ? 120_000 : 150_000);
      raw.overlayLoad = o;
      figures.overlayLoad = skippedOf(o) ? { skipped: skippedOf(o)! } : fig(o.medianMs as number, 'ms', 2000, '≤ 2000 ms (read + loadCorpus + first analysis + first checks)', { ...(o.incomplete ? { incomplete: o.incomplete } : {}), cpuMs: o.cpuMs, loadCorpusMs: o.loadCorpusMs, firstAnalysisMs: o.firstAnalysisMs, firstChecksMs: o.firstChecksMs, entities: o.entities, problems: o.problems, yamlMB: round(inputs.overlay.chars / 1e6, 1) });
      // A run that did not finish (time or memory cap) fails whatever the partial figure says.
      for (const f of [figures.overlayLoad]) if (o.incomplete && f) f.pass = false;
      onCpu(figures.overlayLoad, o.incomplete ? undefined : o.cpuMs, 2000, 'process CPU ms');
      figures.overlayRss = skippedOf(o) ? { skipped: skippedOf(o)! } : fig((o.memory as Json)?.peakRssMB as number, 'MB', 400, '≤ 400 MB (peak RSS of the loading process)', { afterLoad: o.memoryAfterLoad, ...(o.incomplete ? { incomplete: o.incomplete } : {}) });
    }

    // ---- over LSP ----
    const noServer = { skipped: 'dist/server.js does not exist (server not written or build failed)' };
    if (wants('lsp-init')) {
      const r = haveServer ? await lspTask('initialize latency', 'lsp-init', inputsPath) : noServer;
      raw.initialize = r;
      figures.serverInitialize = skippedOf(r) ? { skipped: skippedOf(r)! } : fig((r as Json).medianMs as number, 'ms', 300, '≤ 300 ms from spawn');
      report(false);
    }
    if (wants('lsp-brief')) {
      const r = haveServer ? await lspTask('1 MB brief over LSP', 'lsp-brief', inputsPath) : noServer;
      raw.bigBrief = r;
      const eh = (r as Json).editHover as Json | undefined;
      const h = (r as Json).hover as Json | undefined;
      figures.editThenHover = skippedOf(r) ?? skippedOf(eh) ? { skipped: (skippedOf(r) ?? skippedOf(eh))! }
        : folding === undefined ? { skipped: 'no yardstick' }
        : fig(eh!.medianMs as number, 'ms', 0.1 * folding, '≤ 0.1 × folding', { ratioToFolding: round((eh!.medianMs as number) / folding, 3), p99: eh!.p99, serverCpuMedianMs: (eh!.serverCpu as Json).median, nullAnswers: eh!.nullAnswers });
      figures.hoverP99 = skippedOf(r) ?? skippedOf(h) ? { skipped: (skippedOf(r) ?? skippedOf(h))! }
        : fig(h!.p99 as number, 'ms', 2, '≤ 2 ms (p99)', { p50: h!.p50, n: h!.n, nullAnswers: h!.nullAnswers, floorP99: floorP99(r) });
      const floor = (r as Json).hoverFloor as Json | undefined;
      if (floor) figures.hoverFloor = skippedOf(floor) ? { skipped: skippedOf(floor)! } : {
        value: (floor.library as Json).p99 as number, unit: 'ms',
        what: 'hover p99 of bench/floorServer.cjs (a constant answer, on vscode-languageserver), same client and loop: what this machine allows',
        p50: (floor.library as Json).p50, rawP99: (floor.raw as Json).p99, rawP50: (floor.raw as Json).p50,
      };
      onCpu(figures.editThenHover, (eh?.serverCpu as Json | undefined)?.median, foldingCpu && 0.1 * foldingCpu, 'server main-thread CPU ms (median) vs 0.1 × folding CPU ms');
      onCpu(figures.hoverP99, (h?.serverCpu as Json | undefined)?.p99, 2, 'server main-thread CPU ms per hover (p99)');
      report(false);
    }
    if (wants('lsp-workspace')) {
      const r = haveServer ? await lspTask(`${inputs.workspace.count}-brief workspace over LSP`, 'lsp-workspace', inputsPath) : noServer;
      raw.workspace = r;
      const sk = skippedOf(r);
      const idx = (r as Json).index as Json | undefined;
      const ks = (r as Json).keystroke as Json | undefined;
      figures.workspaceIndex = sk ? { skipped: sk } : fig(idx!.medianMs as number, 'ms', 5000, '≤ 5000 ms from spawn', { briefs: idx!.briefs, serverCpuMs: idx!.serverCpuMs, signal: idx!.signal });
      onCpu(figures.workspaceIndex, idx?.serverCpuMs, 5000, 'server CPU ms (all threads) from spawn to index complete');
      figures.workspacePeakRss = sk ? { skipped: sk } : fig((r as Json).peakRssMB as number, 'MB', 500, '≤ 500 MB (server VmHWM)');
      figures.keystrokeRatio = sk ? { skipped: sk } : fig(ks!.ratio as number, '×', 1.2, '≤ 1.2 (median latency, large ÷ 10 briefs)', {
        largeMs: (ks!.large as Json).medianMs, smallMs: (ks!.small as Json).medianMs, request: (ks!.large as Json).request,
        cpuRatio: ks!.cpuRatio, cpuMsPerKeystroke: { large: (ks!.large as Json).cpuMsPerKeystroke, small: (ks!.small as Json).cpuMsPerKeystroke } });
      report(false);
    }
    if (figures.keystrokeRatio) onCpu(figures.keystrokeRatio, figures.keystrokeRatio.cpuRatio, 1.2, 'server CPU per keystroke, large ÷ small');
    if (wants('lsp-overlay')) {
      const r = haveServer ? await lspTask(`${inputs.overlay.count}-entity overlay over LSP`, 'lsp-overlay', inputsPath) : noServer;
      raw.overlayServer = r;
      const sk = skippedOf(r);
      const c = (r as Json).completion as Json | undefined;
      figures.overlayLoadServer = sk ? { skipped: sk } : fig((r as Json).loadMs as number, 'ms', 2000, '≤ 2000 ms from spawn', { signal: (r as Json).signal, indexedMs: (r as Json).indexedMs, memory: (r as Json).memory, memoryAtEnd: (r as Json).memoryAtEnd });
      const start = (r as Json).start as Json | undefined;
      if (start && !sk) figures.overlayStartStall = {
        value: start.longestWaitMs as number, unit: 'ms',
        what: 'longest wait of a request (a hover every ~50 ms, workspace/symbol every 200 ms) from the start of the server until the overlay is in force',
        requests: start.requests, waitP50: (start.waits as Json).p50,
      };
      const reload = (r as Json).reload as Json | undefined;
      if (reload) figures.overlayReloadStall = sk ?? skippedOf(reload) ? { skipped: (sk ?? skippedOf(reload))! } : {
        value: reload.longestWaitMs as number, unit: 'ms',
        what: 'longest hover wait (one every 25 ms) while the server reloads the overlay after one file was saved',
        reloadMs: reload.reloadMs, hovers: reload.hovers, waitP50: (reload.waits as Json).p50, peakRssMB: reload.peakRssMB,
      };
      const typing = (r as Json).yamlTyping as Json | undefined;
      if (typing) figures.corpusFileKeystroke = sk ?? skippedOf(typing) ? { skipped: (sk ?? skippedOf(typing))! } : {
        value: typing.median as number, unit: 'ms',
        what: 'typing in a 2.3 MB overlay file open in the editor: a keystroke then a hover in it (median; a keystroke every 60 ms)',
        p99: typing.p99, max: typing.max,
      };
      figures.completionP99 = sk ?? skippedOf(c) ? { skipped: (sk ?? skippedOf(c))! } : fig(c!.p99 as number, 'ms', 10, '≤ 10 ms (p99)', {
        p50: c!.p50, serverCpuP99: (c!.serverCpu as Json).p99, afterBracketsP99: (c!.afterBrackets as Json).p99, withPrefixP99: (c!.withPrefix as Json).p99, items: c!.itemsAfterBrackets, isIncomplete: c!.isIncomplete });
      report(false);
    }
    {
      const ov = raw.overlayServer as Json | undefined;
      const end = ov?.memoryAtEnd as Json | undefined;
      if (ov && !skippedOf(ov)) {
        const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
        const peak = Math.max(num(end?.peakRssMB), num(ov.peakSeenMB), num(ov.killedForMemory));
        figures.overlayServerRss = fig(peak || undefined, 'MB', 400, '≤ 400 MB (server VmHWM over the overlay session: load, completion, diagnostics)',
          { afterLoad: ov.memory, ...(ov.killedForMemory ? { killedForMemory: `the benchmark killed the server at ${ov.killedForMemory} MB` } : {}) });
      }
      const d = ov?.diagnosticsAfterEdit as Json | undefined;
      if (d) figures.overlayEditDiagnostics = skippedOf(d) ? { skipped: skippedOf(d)!, memory: d.memory }
        : { value: d.ms as number, unit: 'ms', what: 'informational: an edit in a brief with the overlay in force → its diagnostics', memory: d.memory };
    }
    if (figures.completionP99) onCpu(figures.completionP99, ((raw.overlayServer as Json | undefined)?.completion as Json | undefined)?.serverCpu && (((raw.overlayServer as Json).completion as Json).serverCpu as Json).p99, 10, 'server main-thread CPU ms per completion (p99)');
    if (wants('client')) {
      log('client activation...');
      const c = clientActivation(quick ? 5 : 11);
      raw.client = c;
      figures.clientActivation = skippedOf(c) ? { skipped: skippedOf(c)! } : fig(c.medianMs as number, 'ms', 50, '≤ 50 ms (require + activate)', { requireMs: c.requireMedianMs, activateMs: c.activateMedianMs, stubbed: c.stubbed });
      onCpu(figures.clientActivation, c.cpuMedianMs, 50, 'process CPU ms');
      report(false);
    }
    if (wants('vsix')) figures.vsixSize = quick ? { skipped: 'not in --quick mode' } : vsixSize();
  } finally {
    cleanUp();
  }

  finished = true;
  clearInterval(heartbeat);
  report(true);
}

main().then(() => process.exit(0), (e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
