// Malformed JSON-RPC, wrong parameters, injected faults and cancellation: the server answers an error (or nothing,
// for notifications) and then a correct hover, from the same process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { startServer, hoverText, writeRaw, withTimeout, type TestServer } from '../fixtures/hostile/lspClient';
import { bigBrief } from '../fixtures/hostile/generate';

const URI = 'file:///robust-rpc/brief.md';
const TEXT = 'The JPMG met in Washington. Derek Chollet led the U.S. side.\n';
let server: TestServer;

before(async () => {
  server = await startServer({ env: { JPMG_TEST_FAULTS: '1' } });
  await server.open(URI, TEXT);
});
after(async () => { await server?.stop(); });

/** The hover on "JPMG" still names the Joint Political-Military Group. */
async function assertHealthy(what: string): Promise<void> {
  const hover = await withTimeout(server.conn.sendRequest('textDocument/hover', {
    textDocument: { uri: URI }, position: { line: 0, character: 5 },
  }), 20_000, `hover after ${what}`);
  assert.match(hoverText(hover), /Joint Political\\?-Military Group/, `hover after ${what}`);
  assert.ok(server.alive(), `alive after ${what}`);
}

async function errorCode(p: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await withTimeout(p, 20_000);
    return 'ok';
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'number') throw e;
    return code;
  }
}

test('malformed frames and bodies are survived', async () => {
  const bodies: [string, string][] = [
    ['truncated JSON', '{"jsonrpc":"2.0","id":99,"method":'],
    ['not JSON', 'not json at all'],
    ['a JSON array', '[1,2,3]'],
    ['a JSON string', '"hello"'],
    ['null', 'null'],
    ['no method', '{"jsonrpc":"2.0","id":98}'],
    ['a response to nothing', '{"jsonrpc":"2.0","id":12345,"result":{}}'],
    ['invalid UTF-8 escape', '{"jsonrpc":"2.0","id":97,"method":"textDocument/hover","params":"\\ud800"}'],
    ['hover with a numeric uri', '{"jsonrpc":"2.0","id":100,"method":"textDocument/hover","params":{"textDocument":{"uri":5}}}'],
    ['hover with null params', '{"jsonrpc":"2.0","id":101,"method":"textDocument/hover","params":null}'],
    ['didChange of an unknown document', '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///nope.md","version":2},"contentChanges":[{"text":"x"}]}}'],
    ['didOpen without text', '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x.md"}}}'],
    ['didChangeWatchedFiles with garbage', '{"jsonrpc":"2.0","method":"workspace/didChangeWatchedFiles","params":{"changes":[{"uri":42,"type":"x"},null]}}'],
    ['didChangeConfiguration with garbage', '{"jsonrpc":"2.0","method":"workspace/didChangeConfiguration","params":{"settings":{"jpmg":{"corpus":{"paths":"not-a-list"}}}}}'],
    ['trustChanged with garbage', '{"jsonrpc":"2.0","method":"jpmg/trustChanged","params":"yes"}'],
    ['cancel of nothing', '{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"nope"}}'],
  ];
  for (const [what, body] of bodies) {
    await writeRaw(server, body);
    await assertHealthy(what);
  }
});

test('unknown methods and wrong parameters get error responses, not a crash', async () => {
  assert.equal(await errorCode(server.conn.sendRequest('no/such/method', {})), -32601);
  const wrong: [string, unknown][] = [
    ['textDocument/hover', { textDocument: {}, position: 'x' }],
    ['textDocument/hover', { textDocument: { uri: URI }, position: { line: -1, character: 1e12 } }],
    ['textDocument/completion', { textDocument: { uri: URI }, position: { line: 1e9, character: 0 } }],
    ['textDocument/definition', { textDocument: { uri: URI } }],
    ['textDocument/references', { textDocument: { uri: URI }, position: { line: 0, character: 5 } }],
    ['textDocument/semanticTokens/range', { textDocument: { uri: URI }, range: { start: { line: 5, character: 0 }, end: { line: 0, character: 0 } } }],
    ['textDocument/codeAction', { textDocument: { uri: URI }, range: null, context: {} }],
    ['workspace/symbol', { query: 42 }],
    ['jpmg/entityCard', { id: { toString: 1 } }],
    ['jpmg/searchEntities', { query: null, limit: -5 }],
    ['jpmg/briefEntities', null],
    ['completionItem/resolve', { label: 'x', data: { id: '__proto__' } }],
  ];
  for (const [method, params] of wrong) {
    const code = await errorCode(server.conn.sendRequest(method, params));
    assert.ok(code === 'ok' || code < 0, `${method}: ${code}`);
    await assertHealthy(`${method} ${JSON.stringify(params)}`);
  }
});

test('a throwing handler and a throwing timer (JPMG_TEST_FAULTS=1) leave the server answering', async () => {
  assert.equal(await errorCode(server.conn.sendRequest('jpmg/test/throw', {})), -32603);
  await assertHealthy('a throwing handler');
  await errorCode(server.conn.sendRequest('jpmg/test/throwAsync', {}));
  await server.waitFor(() => server.notifications.some((n) => n.method === 'window/logMessage' &&
    /injected timer fault/.test(JSON.stringify(n.params))), 20_000, 'the uncaught exception to be logged');
  await assertHealthy('an uncaught exception in a timer');
});

test('a cancelled request answers RequestCancelled (-32800) or its result, promptly', async () => {
  const uri = 'file:///robust-rpc/big.md';
  await server.open(uri, bigBrief(2 * 1024 * 1024));
  const outcomes: (number | 'ok')[] = [];
  for (const method of ['textDocument/semanticTokens/full', 'textDocument/documentSymbol', 'textDocument/hover', 'textDocument/completion']) {
    const source = new CancellationTokenSource();
    const p = server.conn.sendRequest(method, { textDocument: { uri }, position: { line: 10, character: 4 } }, source.token);
    source.cancel();
    const code = await errorCode(p);
    assert.ok(code === 'ok' || code === -32800, `${method}: ${code}`);
    outcomes.push(code);
  }
  await assertHealthy('cancellations');
  await server.close(uri);
  // Report what happened, for the record (both outcomes are correct).
  console.log(`cancellation outcomes: ${outcomes.join(', ')}`);
});
