// Measurements over LSP: `dist/server.js --stdio` driven by the benchmark's client (lspClient.ts). Every figure is
// wall time at the client, from sending to receiving, so it includes JSON-RPC and the server's queue.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Inputs, WorkspaceInput } from './inputs';
import { fileUri, Session, type Position } from './lspClient';
import { median, now, percentile, round, summary } from './stats';

type Result = Record<string, unknown>;

const DEFAULT_INIT_OPTIONS = { trusted: true };
const HOVER = 'textDocument/hover';

/** Extra node flags for every server the benchmark starts (`--profile` sets --cpu-prof into a folder per figure). */
let serverNodeArgs: (figure: string) => string[] = () => [];
export function setServerNodeArgs(f: (figure: string) => string[]): void { serverNodeArgs = f; }

function session(inputs: Inputs, serverPath: string, folders: string[], figure: string): Session {
  return new Session({ serverPath, folders, cwd: inputs.root, initializationOptions: DEFAULT_INIT_OPTIONS, nodeArgs: serverNodeArgs(figure) });
}

function hasCapability(s: Session, name: string): boolean {
  const v = s.capabilities[name];
  return v !== undefined && v !== null && v !== false;
}

/** A position inside a mention (one character in, so word-boundary edge cases never matter). */
const inside = (m: { line: number; character: number }): Position => ({ line: m.line, character: m.character + 1 });

/** Wait until diagnostics for `version` of `uri` were published, or nothing arrived for `quietMs` since the wait began
 *  (a server that publishes nothing). Quiet is counted from the start: the last note may be long past, while the
 *  server's diagnostics for a big brief wait out their debounce and then run (counting from the last note let the
 *  first timed hover meet a 200 ms checks run). */
async function settle(s: Session, uri: string, version: number, quietMs = 3000): Promise<void> {
  const start = now();
  await s.until(() => {
    const published = s.notes.some((n) => n.method === 'textDocument/publishDiagnostics' &&
      (n.params as { uri: string; version?: number }).uri === uri && (n.params as { version?: number }).version === version);
    const last = Math.max(start, s.notes[s.notes.length - 1]?.at ?? 0);
    return published || now() - last > quietMs ? true : undefined;
  }, 30_000, 100);
}

/** Time from spawn to the `initialize` answer, over several fresh servers (no workspace folder). */
export async function initializeLatency(inputs: Inputs, serverPath: string): Promise<Result> {
  const runs: number[] = [];
  let rss: unknown;
  for (let i = 0; i < (inputs.quick ? 3 : 7); i++) {
    const s = session(inputs, serverPath, [], 'initialize');
    try {
      runs.push(round(await s.initialize()));
      rss = s.memory();
    } finally {
      await s.close();
    }
  }
  return { medianMs: median(runs), runs, memoryAfterInitialize: rss };
}

/** The 1 MB brief: an edit followed by a hover (wall time until the hover answer), then hovers on the unchanged text. */
export async function bigBrief(inputs: Inputs, serverPath: string): Promise<{ editHover: Result; hover: Result; firstAnalysis: Result }> {
  const s = session(inputs, serverPath, [], 'big-brief');
  try {
    await s.initialize();
    if (!hasCapability(s, 'hoverProvider')) {
      const skipped = { skipped: 'server does not advertise hoverProvider yet' };
      return { editHover: skipped, hover: skipped, firstAnalysis: skipped };
    }
    const uri = fileUri(inputs.brief.path);
    const text = readFileSync(inputs.brief.path, 'utf8');
    const { mention, lineLength } = inputs.brief.edit;
    let version = 1;
    // First answer after opening: the whole document analysed from scratch.
    const t0 = now();
    await s.open(uri, text, version);
    const first = await s.request(HOVER, { textDocument: { uri }, position: inside(mention) });
    const firstAnalysis = { ms: round(now() - t0), hoverFound: first !== null };

    // Edit + hover: type a character at the end of the mention's line, then hover the mention; then delete it.
    const editRuns: number[] = [];
    const editCpu: number[] = [];
    let editNulls = 0;
    const n = inputs.quick ? 10 : 21;
    for (let i = 0; i < n + 2; i++) {
      const typing = i % 2 === 0;
      const at = { line: mention.line, character: lineLength };
      const range = typing ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
      const c = s.mainCpuMs();
      const t = now();
      await s.change(uri, ++version, range, typing ? 'x' : '');
      const r = await s.request(HOVER, { textDocument: { uri }, position: inside(mention) });
      if (i >= 2) { editRuns.push(round(now() - t)); editCpu.push(round(s.mainCpuMs() - c)); if (r === null) editNulls++; }
    }
    const editHover = { medianMs: median(editRuns), ...summary(editRuns), serverCpu: summary(editCpu), nullAnswers: editNulls, runs: editRuns };

    // Hovers on the unchanged document, spread over its mentions, once the server is done with the last edit
    // (its diagnostics for that version are out, or nothing has arrived for a second).
    await s.request(HOVER, { textDocument: { uri }, position: inside(mention) });
    await settle(s, uri, version);
    const targets = inputs.brief.hoverTargets.map(inside);
    const loop = await hoverLoop(s, uri, targets, inputs.quick ? 200 : 500);
    const hover = { ...loop, distinctTargets: targets.length, memory: s.memory() };
    return { editHover, hover, firstAnalysis };
  } finally {
    await s.close();
  }
}

/** Timed hovers one after another, cycling through `positions`: wall time at the client and the server's main-thread
 *  CPU time of each, the 10 slowest with their index, and how many answers were null. */
async function hoverLoop(s: Session, uri: string, positions: readonly Position[], total: number): Promise<Result> {
  const runs: number[] = [];
  const cpu: number[] = [];
  let nullAnswers = 0;
  for (let i = 0; i < total; i++) {
    const [ms, c, r] = await s.timedCpu(HOVER, { textDocument: { uri }, position: positions[i % positions.length] });
    runs.push(round(ms));
    cpu.push(round(c));
    if (r === null) nullAnswers++;
  }
  const slowest = runs.map((ms, i) => ({ i, ms })).sort((a, b) => b.ms - a.ms).slice(0, 10);
  return { ...summary(runs), serverCpu: summary(cpu), slowest, nullAnswers };
}

/**
 * The hover floor (bench/floorServer.cjs): a server that answers every hover with a constant card, driven by the same
 * client with the same loop, after a 3 s pause as the real loop has. It gets 300 untimed hovers first (more warm-up
 * than the real server's loop gets, so the floor is if anything low). Once built on vscode-languageserver, as the
 * real server is, and once `--raw` (hand-written framing, no library).
 */
export async function hoverFloor(inputs: Inputs): Promise<Result> {
  const out: Result = {};
  for (const [name, serverArgs] of [['library', []], ['raw', ['--raw']]] as const) {
    const s = new Session({ serverPath: join(inputs.root, 'bench', 'floorServer.cjs'), folders: [], cwd: inputs.root, serverArgs: [...serverArgs] });
    try {
      await s.initialize();
      const uri = fileUri(inputs.brief.path);
      const positions = inputs.brief.hoverTargets.map(inside);
      for (let i = 0; i < 300; i++) await s.request(HOVER, { textDocument: { uri }, position: positions[i % positions.length] });
      await new Promise((resolve) => setTimeout(resolve, 3000));
      out[name] = await hoverLoop(s, uri, positions, inputs.quick ? 200 : 500);
    } finally {
      await s.close();
    }
  }
  return out;
}

/**
 * A team member saves one overlay file (an entity added at its end) while a brief is open: the client reports the
 * change, and the server reloads the corpus. Meanwhile the writer keeps working: a hover on the brief every 25 ms.
 * Reported: the time until the server announces the new entity count, and how long the hovers waited (their max is
 * the longest the server was unavailable). The file is restored afterwards.
 */
async function overlayReload(inputs: Inputs, s: Session, briefUri: string): Promise<Result> {
  const file = inputs.overlay.files[0]!;
  let original: string;
  try {
    original = readFileSync(file, 'utf8');
  } catch (e) {
    return { skipped: `cannot read ${file}: ${(e as Error).message}` };
  }
  const id = 'bench-reload-probe';
  const added = `  - id: ${id}\n    kind: organisation\n    name: "Reload Probe Office"\n    summary: "Added while the benchmark runs."\n` +
    `    sources: [{source: ext-dod-2020-10-22, quote: "Reload Probe Office exists.", external: true, reference: "bench"}]\n`;
  const statuses = s.notes.filter((n) => n.method === 'jpmg/corpusStatus');
  const before = (statuses[statuses.length - 1]?.params as { entities?: number } | undefined)?.entities;
  if (before === undefined) return { skipped: 'the server sent no jpmg/corpusStatus' };
  const expected = before + 1;
  const announced = () => s.notes.some((n) => n.method === 'jpmg/corpusStatus' && (n.params as { entities?: number } | null)?.entities === expected);
  const waits: number[] = [];
  try {
    writeFileSync(file, original.endsWith('\n') ? original + added : `${original}\n${added}`);
    const t0 = now();
    await s.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(file), type: 2 }] });
    let reloadMs: number | undefined;
    while (now() - t0 < (inputs.quick ? 60_000 : 120_000)) {
      const t = now();
      await s.request(HOVER, { textDocument: { uri: briefUri }, position: { line: 0, character: 3 } });
      waits.push(round(now() - t));
      if (announced()) { reloadMs = round(now() - t0); break; }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (reloadMs === undefined) return { skipped: 'the server did not announce the new entity', hovers: waits.length };
    return { reloadMs, hovers: waits.length, longestWaitMs: Math.max(...waits), waits: summary(waits) };
  } catch (e) {
    return { skipped: `error: ${(e as Error).message.split('\n')[0]}`, hovers: waits.length };
  } finally {
    writeFileSync(file, original);
  }
}

/**
 * A team member types in one of the overlay's files (2.3 MB, 5,000 entities), open in the editor: a character every
 * 60 ms, each followed by a hover in that file. Wall time from the change to the hover's answer.
 */
async function typingInCorpusFile(inputs: Inputs, s: Session): Promise<Result> {
  const file = inputs.overlay.files[0]!;
  const uri = fileUri(file);
  try {
    await s.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(file, 'utf8') } });
    await s.request(HOVER, { textDocument: { uri }, position: { line: 1, character: 8 } });
    const runs: number[] = [];
    for (let version = 2; version < (inputs.quick ? 12 : 32); version++) {
      const t = now();
      await s.change(uri, version, { start: { line: 3, character: 12 }, end: { line: 3, character: 12 } }, 'x');
      await s.request(HOVER, { textDocument: { uri }, position: { line: 1, character: 8 } });
      runs.push(round(now() - t));
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await s.notify('textDocument/didClose', { textDocument: { uri } });
    return { ...summary(runs), runs };
  } catch (e) {
    return { skipped: `error: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** How the benchmark learns that the workspace index is complete. */
async function waitForIndex(s: Session, ws: WorkspaceInput, timeoutMs: number, poll: boolean): Promise<{ ms: number; signal: string; files: number; serverCpuMs: number }> {
  const r = await waitForIndexSignal(s, ws, timeoutMs, poll);
  return { ...r, serverCpuMs: round(s.cpuMs()) };
}

async function waitForIndexSignal(s: Session, ws: WorkspaceInput, timeoutMs: number, poll: boolean): Promise<{ ms: number; signal: string; files: number }> {
  const uri = fileUri(ws.firstPath);
  await s.open(uri, readFileSync(ws.firstPath, 'utf8'), 1);
  const sentinelPos = inside(ws.sentinel);
  let lastPoll = 0;
  let files = 0;
  return s.until(async () => {
    // 1. Standard LSP: a work-done progress whose title mentions indexing, ended.
    for (const p of s.progress.values()) {
      if (p.endedAt && /index/i.test(p.title ?? '')) return { ms: round(p.endedAt - s.spawnedAt), signal: `$/progress "${p.title}" end`, files: ws.count };
    }
    // 2. A custom notification saying the index is done, or the server's log line "indexed N briefs".
    for (const n of s.notes) {
      const p = n.params as Record<string, unknown> | null;
      if (/index/i.test(n.method) && p && (p.done === true || p.state === 'done' || p.indexing === false)) {
        return { ms: round(n.at - s.spawnedAt), signal: `${n.method} done`, files: ws.count };
      }
      const m = n.method === 'window/logMessage' ? /\bindexed (\d+) briefs/.exec(String(p?.message ?? '')) : null;
      if (m && Number(m[1]) >= ws.count) return { ms: round(n.at - s.spawnedAt), signal: 'window/logMessage "indexed N briefs"', files: Number(m[1]) };
    }
    // 3. Poll references to a name every brief mentions until every brief is among them.
    if (poll && hasCapability(s, 'referencesProvider') && now() - lastPoll >= 100) {
      lastPoll = now();
      const refs = await s.request<{ uri: string }[] | null>('textDocument/references', {
        textDocument: { uri }, position: sentinelPos, context: { includeDeclaration: false },
      });
      files = new Set((refs ?? []).map((r) => r.uri)).size;
      if (files >= ws.count) return { ms: round(now() - s.spawnedAt), signal: 'references to the sentinel cover every brief (polled every 100 ms)', files };
    }
    return undefined;
  }, timeoutMs, 50);
}

/** Keystrokes in the first brief: didChange then documentSymbol (or semantic tokens), which waits for analysis. */
async function keystrokes(s: Session, ws: WorkspaceInput, count: number): Promise<Result> {
  const uri = fileUri(ws.firstPath);
  const method = hasCapability(s, 'documentSymbolProvider') ? 'textDocument/documentSymbol'
    : hasCapability(s, 'semanticTokensProvider') ? 'textDocument/semanticTokens/full' : HOVER;
  const params = method === HOVER ? { textDocument: { uri }, position: inside(ws.sentinel) } : { textDocument: { uri } };
  let version = 100;
  const at = { line: ws.sentinel.line, character: ws.sentinelLineLength };
  const runs: number[] = [];
  const cpu0 = s.cpuMs();
  for (let i = 0; i < count + 4; i++) {
    const typing = i % 2 === 0;
    const range = typing ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
    const t = now();
    await s.change(uri, ++version, range, typing ? 'x' : '');
    await s.request(method, params);
    if (i >= 4) runs.push(round(now() - t));
    await new Promise((r) => setTimeout(r, 20)); // typing pace: lets debounced background work run and be counted
  }
  await new Promise((r) => setTimeout(r, 300));
  const cpuPerKeystroke = round((s.cpuMs() - cpu0) / (count + 4));
  return { request: method, medianMs: median(runs), p99: percentile(runs, 99), cpuMsPerKeystroke: cpuPerKeystroke, runs };
}

/** Workspace of many briefs: index time, peak RSS, and keystroke cost next to a 10-brief workspace. The small
 *  workspace runs first, which also tells whether the server signals the end of indexing itself: if it does, the
 *  large runs never poll (polling references costs the server time and would inflate the figure). */
export async function workspaceScale(inputs: Inputs, serverPath: string): Promise<Result> {
  const timeout = inputs.quick ? 60_000 : 120_000;
  let small: Result;
  let poll = true;
  {
    const s = session(inputs, serverPath, [inputs.smallWorkspace.dir], 'workspace-small');
    try {
      await s.initialize();
      const done = await waitForIndex(s, inputs.smallWorkspace, timeout, true);
      // Polling may have won the race against the server's own signal: give that signal a moment to show up.
      poll = done.signal.startsWith('references') &&
        !(await waitForIndexSignal(s, inputs.smallWorkspace, 2000, false).catch(() => undefined));
      small = await keystrokes(s, inputs.smallWorkspace, inputs.quick ? 20 : 40);
    } finally {
      await s.close();
    }
  }
  const indexRuns: number[] = [];
  const cpuRuns: number[] = [];
  let signal = '';
  let peak = 0;
  let large: Result = {};
  const repeats = inputs.quick ? 1 : 2;
  for (let i = 0; i < repeats; i++) {
    const s = session(inputs, serverPath, [inputs.workspace.dir], 'workspace-large');
    try {
      await s.initialize();
      const done = await waitForIndex(s, inputs.workspace, timeout, poll);
      indexRuns.push(done.ms);
      cpuRuns.push(done.serverCpuMs);
      signal = done.signal;
      if (i === 0) large = await keystrokes(s, inputs.workspace, inputs.quick ? 20 : 40);
      peak = Math.max(peak, s.memory()?.peakRssMB ?? 0);
      if (done.ms > 10_000) break; // one slow run is enough to know
    } finally {
      await s.close();
    }
  }
  return {
    index: { medianMs: median(indexRuns), runs: indexRuns, serverCpuMs: median(cpuRuns), signal, briefs: inputs.workspace.count, chars: inputs.workspace.chars },
    peakRssMB: peak,
    keystroke: {
      ratio: round((large.medianMs as number) / (small.medianMs as number), 2),
      cpuRatio: round((large.cpuMsPerKeystroke as number) / (small.cpuMsPerKeystroke as number), 2),
      large, small,
    },
  };
}

/** 100,000-entity overlay through the server: time until the last entity is known, RSS, completion after `[[`. */
export async function overlayServer(inputs: Inputs, serverPath: string): Promise<Result> {
  const s = session(inputs, serverPath, [inputs.overlay.dir], 'overlay');
  try {
    await s.initialize();
    const draft = `${inputs.overlay.dir}/briefs/draft.md`;
    const uri = fileUri(draft);
    const base = readFileSync(draft, 'utf8');
    await s.open(uri, base, 1);
    const lines = base.split('\n');
    const line = lines.length - 1; // the empty last line
    let lastPoll = 0;
    let how = '';
    // Meanwhile a writer hovers the open brief: how long the server keeps requests waiting (those hovers and the
    // polls below) while the overlay loads.
    const startWaits: number[] = [];
    const hoverWhileLoading = async () => {
      const t = now();
      await s.request(HOVER, { textDocument: { uri }, position: { line: 0, character: 3 } });
      startWaits.push(round(now() - t));
    };
    const loaded = await s.until(async () => {
      await hoverWhileLoading();
      for (const n of s.notes) {
        const p = n.params as { entities?: number; overlayFiles?: number } | null;
        if (n.method === 'jpmg/corpusStatus' && (p?.entities ?? 0) >= inputs.overlay.count) {
          how = 'jpmg/corpusStatus entities'; return round(n.at - s.spawnedAt);
        }
      }
      if (now() - lastPoll >= 200 && hasCapability(s, 'workspaceSymbolProvider')) {
        lastPoll = now();
        const r = await s.request<{ name: string }[] | null>('workspace/symbol', { query: inputs.overlay.probeName });
        startWaits.push(round(now() - lastPoll));
        if ((r ?? []).some((x) => x.name === inputs.overlay.probeName)) { how = 'workspace/symbol finds the last entity (polled)'; return round(now() - s.spawnedAt); }
      }
      return undefined;
    }, inputs.quick ? 60_000 : 120_000, 50);
    // A server that builds the corpus's indexes between requests says when it is done (`indexing: false` in its
    // corpus status): completion is measured from then, with everything loaded and indexed.
    const statuses = () => s.notes.filter((n) => n.method === 'jpmg/corpusStatus').map((n) => n.params as { indexing?: boolean } | null);
    let indexedMs: number | undefined;
    if (statuses().some((p) => p?.indexing !== undefined)) {
      indexedMs = await s.until(() => (statuses().pop()?.indexing === false ? round(now() - s.spawnedAt) : undefined), inputs.quick ? 60_000 : 120_000, 50);
    }
    const memory = s.memory();
    const start = { requests: startWaits.length, longestWaitMs: Math.max(...startWaits), waits: summary(startWaits) };
    if (!hasCapability(s, 'completionProvider')) return { loadMs: loaded, indexedMs, signal: how, memory, start, completion: { skipped: 'no completionProvider' } };

    // Type `[[` and a growing prefix; ask for completion after each keystroke. A failure here (the server stuck
    // for a minute) fails the completion figure and keeps the load figure.
    const prefixes = ['', 'm', 'mi', 'mir', '', 'k', 'ka', 'kal', '', 'round', 'bx', 'acc'];
    const emptyRuns: number[] = [];
    const typedRuns: number[] = [];
    const cpuRuns: number[] = [];
    let version = 1;
    let current = '';
    let items = 0;
    let incomplete: unknown;
    let found = 0;
    let firstCompletionMs: number | undefined;
    let completion: Result;
    const n = inputs.quick ? 60 : 120;
    try {
      for (let i = 0; i < n + prefixes.length; i++) {
        const prefix = prefixes[i % prefixes.length]!;
        const next = `[[${prefix}`;
        await s.change(uri, ++version, { start: { line, character: 0 }, end: { line, character: current.length } }, next);
        current = next;
        const [ms, cpu, r] = await s.timedCpu<{ items: unknown[]; isIncomplete?: boolean } | unknown[] | null>('textDocument/completion', {
          textDocument: { uri }, position: { line, character: next.length },
          context: prefix === '' ? { triggerKind: 2, triggerCharacter: '[' } : { triggerKind: 3 },
        });
        firstCompletionMs ??= round(ms);
        const list = Array.isArray(r) ? r : r?.items ?? [];
        if (i >= prefixes.length) { (prefix === '' ? emptyRuns : typedRuns).push(round(ms)); cpuRuns.push(round(cpu)); }
        if (prefix === '') { items = list.length; incomplete = Array.isArray(r) ? false : r?.isIncomplete; }
        if (list.length > 0) found++;
      }
      const all = [...emptyRuns, ...typedRuns];
      completion = { ...summary(all), serverCpu: summary(cpuRuns), afterBrackets: summary(emptyRuns), withPrefix: summary(typedRuns),
        itemsAfterBrackets: items, isIncomplete: incomplete, answersWithItems: found, firstCompletionMs };
    } catch (e) {
      completion = { skipped: `error after ${emptyRuns.length + typedRuns.length} answers: ${(e as Error).message.split('\n')[0]}` };
    }
    const diagnosticsAt = s.notes.find((x) => x.method === 'textDocument/publishDiagnostics' && (x.params as { uri: string }).uri === uri)?.at;

    // An edit with the overlay in force, then its diagnostics: the checks build their per-corpus indexes (near-miss
    // names, wikilink targets) over all 100,000 entities on first use. A writer meets this on their first keystroke.
    let diagnosticsAfterEdit: Result;
    try {
      const text = 'Prepared by Director Kalvendr for the round. ';
      await s.change(uri, ++version, { start: { line, character: 0 }, end: { line, character: current.length } }, text);
      const t = now();
      const target = version;
      await s.until(() => s.notes.some((x) => x.method === 'textDocument/publishDiagnostics' &&
        (x.params as { uri: string; version?: number }).uri === uri && (x.params as { version?: number }).version === target) || undefined,
      inputs.quick ? 60_000 : 90_000, 50);
      diagnosticsAfterEdit = { ms: round(now() - t), memory: s.memory() };
    } catch (e) {
      diagnosticsAfterEdit = { skipped: `error: ${(e as Error).message.split('\n')[0]}`, memory: s.memory() };
    }
    // The session's figures so far; the reload below holds two corpora for a while, and has its own peak.
    const memoryAtEnd = s.memory();
    const peakSeenMB = Math.max(s.peakSeenMB, memoryAtEnd?.peakRssMB ?? 0);
    const reload = await overlayReload(inputs, s, uri);
    const yamlTyping = await typingInCorpusFile(inputs, s);
    return {
      loadMs: loaded, indexedMs, signal: how, memory, start, memoryAtEnd, peakSeenMB, killedForMemory: s.killedForMemory,
      completion, diagnosticsAfterEdit, reload: { ...reload, peakRssMB: s.memory()?.peakRssMB }, yamlTyping,
      firstDiagnosticsOfTheBriefMs: diagnosticsAt === undefined ? 'none' : round(diagnosticsAt - s.spawnedAt),
    };
  } finally {
    await s.close();
  }
}
