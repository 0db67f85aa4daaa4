// Thread priority: by default every server thread keeps the priority it was started with; with
// JPMG_BACKGROUND_NICE=N the threads Node starts before the server's code (V8's compiler and GC helpers) run at
// nice N and the main thread keeps its own. Linux only (per-thread niceness read from /proc/PID/task/TID/stat).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { SERVER } from './helpers';

const linux = process.platform === 'linux' && fs.existsSync('/proc/self/task');

/** Niceness of every thread of `pid` (field 19 of /proc/PID/task/TID/stat, after the command name). */
function threadNiceness(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      out.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** Starts the server, waits for its `initialize` answer (its module code has run), returns its threads' niceness. */
async function niceAfterInitialize(env: Record<string, string | undefined>): Promise<{ pid: number; nice: Map<number, number> }> {
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  conn.listen();
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    return { pid: proc.pid!, nice: threadNiceness(proc.pid!) };
  } finally {
    conn.dispose();
    proc.kill();
  }
}

test('by default every thread keeps the priority it was started with', { skip: !linux && 'Linux only' }, async () => {
  const own = os.getPriority();
  const { nice } = await niceAfterInitialize({ JPMG_BACKGROUND_NICE: undefined });
  for (const [tid, n] of nice) assert.equal(n, own, `thread ${tid}`);
});

test('JPMG_BACKGROUND_NICE=10: background threads at nice 10, the main thread keeps its priority', { skip: !linux && 'Linux only' }, async () => {
  const own = os.getPriority();
  const { pid, nice } = await niceAfterInitialize({ JPMG_BACKGROUND_NICE: '10' });
  assert.equal(nice.get(pid), own, 'main thread');
  const lowered = [...nice].filter(([tid, n]) => tid !== pid && n === Math.max(own, 10));
  // Node starts V8's platform workers (4 by default) and its task scheduler before any JavaScript runs.
  assert.ok(lowered.length >= 4, `threads at nice 10: ${JSON.stringify([...nice])}`);
});
