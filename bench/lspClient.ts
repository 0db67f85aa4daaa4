// A minimal LSP client for the benchmark: spawns `dist/server.js --stdio`, speaks JSON-RPC over its pipes, answers
// the server's requests the way VS Code would (configuration, capability registration, progress tokens) and
// records its notifications (progress, corpus status, diagnostics) with timestamps, so measurements can wait on
// the server's own signals and fall back to polling when there is none.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { now, procMemory } from './stats';

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface Note { at: number; method: string; params: unknown }

export const fileUri = (path: string) => pathToFileURL(path).href;

export interface SessionOptions {
  serverPath: string;
  /** Workspace folder paths. */
  folders: string[];
  /** Values for `workspace/configuration` items in section `jpmg` (merged over the defaults by the server). */
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  /** Extra node flags for the server process (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Arguments after `--stdio` (the hover floor's `--raw`). */
  serverArgs?: string[];
  cwd?: string;
}

/** Memory cap for any process the benchmark starts (targets are 400-500 MB; this only protects the machine). */
export const MEMORY_CAP_MB = 4096;
/** No single request may take longer (a server stuck for a minute has failed the figure anyway). */
const REQUEST_TIMEOUT_MS = 60_000;

/** Servers started and not yet exited (killed by PID if the benchmark is interrupted). */
const live = new Set<ChildProcess>();
export function killAllSessions(): void {
  for (const p of live) p.kill('SIGKILL');
  live.clear();
}

export class Session {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly spawnedAt: number;
  readonly notes: Note[] = [];
  readonly progress = new Map<string | number, { title?: string; beganAt?: number; endedAt?: number }>();
  initializedAt = 0;
  initializeMs = NaN;
  capabilities: Record<string, unknown> = {};
  stderr = '';
  /** Set when the benchmark killed the server for using more memory than MEMORY_CAP_MB. */
  killedForMemory?: number;
  /** Highest peak RSS (VmHWM, MB) seen by the watchdog: survives the process. */
  peakSeenMB = 0;
  private exited = false;
  private readonly watchdog: NodeJS.Timeout;
  private waiters: (() => void)[] = [];

  constructor(readonly opts: SessionOptions) {
    this.spawnedAt = now();
    this.proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.serverPath, '--stdio', ...(opts.serverArgs ?? [])], {
      cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.proc.stderr!.on('data', (d: Buffer) => { if (this.stderr.length < 20000) this.stderr += d.toString(); });
    this.proc.setMaxListeners(0);
    live.add(this.proc);
    // A server that balloons would take the shared machine down with it: stop it at the cap and say so.
    this.watchdog = setInterval(() => {
      const m = this.memory();
      const rss = m?.rssMB ?? 0;
      if (m && Number.isFinite(m.peakRssMB)) this.peakSeenMB = Math.max(this.peakSeenMB, m.peakRssMB);
      if (rss > MEMORY_CAP_MB) { this.killedForMemory = rss; this.proc.kill('SIGKILL'); }
    }, 250);
    this.watchdog.unref();
    this.proc.on('exit', () => { this.exited = true; clearInterval(this.watchdog); live.delete(this.proc); this.wake(); });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onRequest((method: string, params: unknown) => this.answer(method, params));
    this.conn.onNotification((method: string, params: unknown) => {
      const at = now();
      if (method === '$/progress') this.onProgress(params as { token: string | number; value: { kind: string; title?: string } }, at);
      if (method !== 'window/logMessage' || this.notes.length < 10000) this.notes.push({ at, method, params });
      this.wake();
    });
    this.conn.onError(() => { /* reported through failed requests */ });
    this.conn.listen();
  }

  get pid(): number { return this.proc.pid!; }
  get alive(): boolean { return !this.exited; }

  private answer(method: string, params: unknown): unknown {
    switch (method) {
      case 'workspace/configuration': {
        const items = (params as { items: { section?: string }[] }).items;
        return items.map((i) => (i.section === 'jpmg' ? this.opts.settings ?? {} : i.section?.startsWith('jpmg.') ? null : null));
      }
      case 'workspace/workspaceFolders':
        return this.opts.folders.map((f) => ({ uri: fileUri(f), name: f.split('/').pop() }));
      case 'window/workDoneProgress/create': {
        const token = (params as { token: string | number }).token;
        this.progress.set(token, {});
        return null;
      }
      default:
        return null; // registerCapability, refresh requests, showMessageRequest...
    }
  }

  private onProgress(p: { token: string | number; value: { kind: string; title?: string } }, at: number) {
    const entry = this.progress.get(p.token) ?? {};
    if (p.value.kind === 'begin') { entry.title = p.value.title; entry.beganAt = at; }
    if (p.value.kind === 'end') entry.endedAt = at;
    this.progress.set(p.token, entry);
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolve when `test` holds (checked on every notification and every `pollMs`), or reject after `timeoutMs`. */
  async until<T>(test: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, pollMs = 100): Promise<T> {
    const deadline = now() + timeoutMs;
    for (;;) {
      const v = await test();
      if (v) return v;
      if (!this.alive) throw new Error(this.exitReason());
      if (now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  async initialize(): Promise<number> {
    const folders = this.opts.folders.map((f) => ({ uri: fileUri(f), name: f.split('/').pop()! }));
    const result = await this.request<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      clientInfo: { name: 'jpmg-bench', version: '1' },
      rootUri: folders[0]?.uri ?? null,
      workspaceFolders: folders.length ? folders : null,
      initializationOptions: this.opts.initializationOptions ?? {},
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true },
          symbol: {}, semanticTokens: { refreshSupport: true }, codeLens: { refreshSupport: true } },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] }, contextSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          publishDiagnostics: { versionSupport: true, relatedInformation: true },
          semanticTokens: { requests: { full: { delta: true } }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] },
        },
        window: { workDoneProgress: true },
        general: { positionEncodings: ['utf-16'] },
      },
    });
    this.initializeMs = now() - this.spawnedAt;
    this.capabilities = result.capabilities ?? {};
    await this.conn.sendNotification('initialized', {});
    this.initializedAt = now();
    return this.initializeMs;
  }

  /** A request that fails (never hangs) when the server exits or takes longer than `timeoutMs`. */
  request<R>(method: string, params: unknown, timeoutMs = REQUEST_TIMEOUT_MS): Promise<R> {
    if (this.exited) return Promise.reject(new Error(this.exitReason()));
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      const onExit = () => reject(new Error(`${method}: ${this.exitReason()}`));
      this.proc.once('exit', onExit);
      (this.conn.sendRequest(method, params) as Promise<R>).then(resolve, reject).finally(() => {
        clearTimeout(timer);
        this.proc.off('exit', onExit);
      });
    });
  }

  private exitReason(): string {
    return this.killedForMemory ? `server killed by the benchmark at ${this.killedForMemory} MB RSS (cap ${MEMORY_CAP_MB} MB)`
      : `server exited (code ${this.proc.exitCode}, signal ${this.proc.signalCode}): ${this.stderr.slice(-1000)}`;
  }

  /** Wall time of one request, from send to answer. */
  async timed<R>(method: string, params: unknown): Promise<[number, R]> {
    const t0 = now();
    const r = await this.request<R>(method, params);
    return [now() - t0, r];
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.conn.sendNotification(method, params);
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
  }

  change(uri: string, version: number, range: Range, text: string): Promise<void> {
    return this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version }, contentChanges: [{ range, text }],
    });
  }

  memory() { return procMemory(this.pid); }

  /** CPU time (ms) the server's threads have run, from /proc/PID/task/*\/schedstat (nanosecond resolution). */
  cpuMs(): number {
    let ns = 0;
    try {
      for (const t of readdirSync(`/proc/${this.pid}/task`)) {
        try { ns += Number(readFileSync(`/proc/${this.pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]); } catch { /* thread gone */ }
      }
    } catch { return NaN; }
    return ns / 1e6;
  }

  /** CPU time (ms) of the server's main thread alone: cheap to read around one request. */
  mainCpuMs(): number {
    try {
      return Number(readFileSync(`/proc/${this.pid}/task/${this.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
    } catch {
      return NaN;
    }
  }

  /** Wall time and the server main thread's CPU time of one request (CPU time is what a busy machine cannot inflate). */
  async timedCpu<R>(method: string, params: unknown): Promise<[number, number, R]> {
    const c0 = this.mainCpuMs();
    const t0 = now();
    const r = await this.request<R>(method, params);
    const wall = now() - t0;
    return [wall, this.mainCpuMs() - c0, r];
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 3000))]);
      await this.conn.sendNotification('exit');
    } catch { /* already gone */ }
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
    this.conn.dispose();
  }
}
