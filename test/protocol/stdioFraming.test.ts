// Over stdio the server sends each message's header and body in one write: the client's reader never gets a chunk
// that ends right after a `Content-Length` header (it did when the body followed in a second write). Framing stays
// correct for many answers in flight, for bodies with non-ASCII text and for notifications.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { SERVER } from './helpers';

interface Message { id?: number; method?: string; result?: unknown; error?: unknown; params?: unknown }

/** A raw JSON-RPC client: frames our messages, records every stdout chunk, parses the server's messages. */
function rawServer() {
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  const messages: Message[] = [];
  const waiting = new Map<number, (m: Message) => void>();
  let pending = Buffer.alloc(0);
  proc.stdout.on('data', (d: Buffer) => {
    chunks.push(d);
    pending = Buffer.concat([pending, d]);
    for (;;) {
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) break;
      const length = Number(/Content-Length: (\d+)/i.exec(pending.subarray(0, end).toString('ascii'))?.[1]);
      if (pending.length < end + 4 + length) break;
      const message = JSON.parse(pending.subarray(end + 4, end + 4 + length).toString('utf8')) as Message;
      pending = pending.subarray(end + 4 + length);
      messages.push(message);
      if (message.method === 'workspace/configuration') send({ id: message.id, result: [{}] });
      else if (message.method !== undefined && message.id !== undefined) send({ id: message.id, result: null });
      else if (message.id !== undefined) waiting.get(message.id as number)?.(message);
    }
  });
  const send = (m: object) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m }), 'utf8');
    proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  };
  let nextId = 1;
  const request = (method: string, params: unknown) => new Promise<Message>((resolve, reject) => {
    const id = nextId++;
    const timer = setTimeout(() => reject(new Error(`${method} ${id}: no answer`)), 20_000);
    waiting.set(id, (m) => { clearTimeout(timer); resolve(m); });
    send({ id, method, params });
  });
  return { proc, chunks, messages, send, request };
}

test('header and body of each message arrive together; many answers in flight stay framed', async () => {
  const s = rawServer();
  try {
    await s.request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    s.send({ method: 'initialized', params: {} });
    const uri = 'file:///framing/brief.md';
    // Persian text in the body: Content-Length counts bytes, not characters.
    const text = 'The JPMG met in Washington. Derek Chollet led the U.S. side.\nمتن فارسی — «نشست» در تهران.\n';
    s.send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'markdown', version: 1, text } } });
    const hover = { textDocument: { uri }, position: { line: 0, character: 5 } };
    for (let i = 0; i < 40; i++) {
      const r = await s.request('textDocument/hover', hover);
      assert.match(JSON.stringify(r.result), /Joint Political(\\\\)*-Military Group/);
    }
    const answers = await Promise.all(Array.from({ length: 40 }, () => s.request('textDocument/hover', hover)));
    for (const r of answers) assert.match(JSON.stringify(r.result), /Joint Political(\\\\)*-Military Group/);
    const symbols = await s.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(Array.isArray(symbols.result));
    const headerOnly = s.chunks.filter((c) => c.length < 100 && c.toString('latin1').endsWith('\r\n\r\n'));
    assert.equal(headerOnly.length, 0, `chunks ending right after a header: ${headerOnly.length} of ${s.chunks.length}`);
  } finally {
    s.proc.kill();
  }
});
