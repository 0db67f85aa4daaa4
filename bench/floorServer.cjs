// The hover floor: a language server that answers every hover with the same short card and does nothing else. The
// benchmark drives it with the same client, loop and pauses as the real server's hover figure, so the difference
// between the two p99s is what the real server adds; what the floor itself takes is the machine, Node's event loop
// and pipes, and (without --raw) vscode-languageserver's JSON-RPC layer, which the real server is built on.
// `--raw`: no library, Content-Length framing by hand (the floor under the library).
'use strict';
const CARD = {
  contents: {
    kind: 'markdown',
    value: '**Amir Eshel** (person)\n\nDirector General, Israeli Ministry of Defense (2016–2021)\n\n*Source:* seed-001 — “Director General Eshel”',
  },
};
const CAPABILITIES = { capabilities: { hoverProvider: true, textDocumentSync: 1 } };

if (process.argv.includes('--raw')) {
  let pending = Buffer.alloc(0);
  const answer = (msg) => {
    if (msg.id === undefined) {
      if (msg.method === 'exit') process.exit(0);
      return;
    }
    const result = msg.method === 'initialize' ? CAPABILITIES : msg.method === 'textDocument/hover' ? CARD : null;
    const body = JSON.stringify({ jsonrpc: '2.0', id: msg.id, result });
    process.stdout.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  process.stdin.on('data', (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      const headerEnd = pending.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: *(\d+)/i.exec(pending.subarray(0, headerEnd).toString('ascii'))?.[1]);
      const start = headerEnd + 4;
      if (!Number.isFinite(length) || pending.length < start + length) return;
      const msg = JSON.parse(pending.subarray(start, start + length).toString('utf8'));
      pending = pending.subarray(start + length);
      answer(msg);
    }
  });
} else {
  const { createConnection, ProposedFeatures } = require('vscode-languageserver/node');
  const connection = createConnection(ProposedFeatures.all);
  connection.onInitialize(() => CAPABILITIES);
  connection.onHover(() => CARD);
  connection.listen();
}
