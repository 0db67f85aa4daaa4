// Protocol test helper: starts `dist/server.js --stdio` as a child process and talks JSON-RPC to it with
// vscode-jsonrpc, the way an editor does. Answers the server's own requests (configuration, registrations),
// records published diagnostics and notifications, and offers polling (never sleeps) for asynchronous results.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { positionAt } from '../fixtures/hostile/textModel';
import {
  createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection,
} from 'vscode-jsonrpc/node';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const SERVER = path.join(ROOT, 'dist/server.js');

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface Location { uri: string; range: Range }
export interface Diagnostic { range: Range; severity?: number; code?: string | number; source?: string; message: string }

/** `file:` URI of an absolute path, encoded the way VS Code does (and the server does). */
export function fileUri(p: string): string {
  return 'file://' + p.split('/').map((s) => encodeURIComponent(s)).join('/');
}

export function uriPath(uri: string): string {
  return decodeURIComponent(uri.replace(/^file:\/\//, ''));
}

export interface Server {
  conn: MessageConnection;
  folder: string;
  diagnostics: Map<string, { version?: number; diagnostics: Diagnostic[] }>;
  notifications: { method: string; params: unknown }[];
  settings: Record<string, unknown>;
  stderr(): string;
  /** Writes a brief into the workspace folder and returns its URI (not opened). */
  write(name: string, text: string): string;
  open(name: string, text: string, languageId?: string): Promise<string>;
  change(uri: string, version: number, changes: { range?: Range; text: string }[]): Promise<void>;
  close(uri: string): Promise<void>;
  request<R>(method: string, params: unknown): Promise<R>;
  /** Resolves with the first truthy value of `check`, polling; fails after `timeoutMs` (a hang guard only). */
  waitFor<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string,
    timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Files to create in the temporary workspace folder before the server starts. */
  files?: Record<string, string>;
  settings?: Record<string, unknown>;
  initializationOptions?: unknown;
  env?: Record<string, string>;
}

export async function startServer(options: StartOptions = {}): Promise<Server> {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run node scripts/build.mjs`);
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-protocol-')));
  for (const [name, text] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  const proc: ChildProcessWithoutNullStreams = spawn(process.execPath, [SERVER, '--stdio'], {
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const diagnostics = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();
  const notifications: { method: string; params: unknown }[] = [];
  const server: Server = {
    conn,
    folder,
    diagnostics,
    notifications,
    settings: options.settings ?? {},
    stderr: () => stderr,
    write(name, text) {
      const file = path.join(folder, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return fileUri(file);
    },
    async open(name, text, languageId = 'markdown') {
      const uri = name.startsWith('file://') ? name : fileUri(path.join(folder, name));
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
      return uri;
    },
    async change(uri, version, changes) {
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    },
    async close(uri) {
      await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    request: (method, params) => conn.sendRequest(method, params),
    async waitFor(check, what, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await check();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${stderr.slice(-2000)}`);
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async stop() {
      try {
        await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await conn.sendNotification('exit');
      } catch {
        // already gone
      }
      conn.dispose();
      if (proc.exitCode === null) proc.kill();
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
    diagnostics.set(p.uri, { version: p.version, diagnostics: p.diagnostics });
  });
  conn.onNotification((method: string, params: unknown) => {
    notifications.push({ method, params });
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => server.settings));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('client/unregisterCapability', () => null);
  conn.onRequest('workspace/semanticTokens/refresh', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: fileUri(folder),
    workspaceFolders: [{ uri: fileUri(folder), name: path.basename(folder) }],
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
      textDocument: {
        hover: { contentFormat: ['markdown', 'plaintext'] },
        completion: { completionItem: { snippetSupport: false } },
        synchronization: { dynamicRegistration: false },
      },
    },
    initializationOptions: options.initializationOptions,
  });
  await conn.sendNotification('initialized', {});
  // The corpus is loaded once initialized: jpmg/corpusStatus says so.
  await server.waitFor(() => notifications.some((n) => n.method === 'jpmg/corpusStatus'), 'jpmg/corpusStatus');
  return server;
}

/** Position of the `n`th (0-based) occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, n = 0): Position {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not found (occurrence ${n})`);
  }
  return positionAt(text, at + delta);
}

/** The text a range covers. */
export function textAt(text: string, range: Range): string {
  const offset = (p: Position) => {
    let line = 0;
    let i = 0;
    while (line < p.line && i < text.length) {
      const c = text.charCodeAt(i);
      i++;
      if (c === 10 || (c === 13 && text.charCodeAt(i) !== 10)) line++;
    }
    return i + p.character;
  };
  return text.slice(offset(range.start), offset(range.end));
}

export interface Hover { contents: { kind: string; value: string }; range?: Range }
