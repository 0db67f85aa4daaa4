// The workspace index over stdio: briefs on disk indexed at startup (hidden folders and node_modules skipped),
// references across files, watched-file events for created/changed/deleted briefs, open documents overriding
// their disk text, settings pulled per resource — and a server that survives a throwing handler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileUri, positionOf, ROOT, startServer, textAt, type Hover, type Location } from './helpers';

const ON_DISK = '# Notes\n\nWe expect Derek Chollet to attend.\n\nLater: Chollet.\n';
const HIDDEN = 'Derek Chollet in a hidden folder.\n';

function uris(locs: Location[]): string[] {
  return locs.map((l) => `${path.basename(l.uri)}:${l.range.start.line}`);
}

test('references across the workspace: disk briefs, open briefs, watched-file events', async () => {
  const server = await startServer({
    files: {
      'notes/disk.md': ON_DISK,
      '.hidden/x.md': HIDDEN,
      'node_modules/pkg/readme.md': HIDDEN,
      'unrelated.txt': 'Derek Chollet',
    },
  });
  try {
    const open = 'Derek Chollet and Amir Eshel.\n';
    const uri = await server.open('open.md', open);
    const ask = (includeDeclaration: boolean) => server.request<Location[]>('textDocument/references', {
      textDocument: { uri }, position: positionOf(open, 'Chollet'), context: { includeDeclaration },
    });
    // The initial scan runs after startup, off the request path: poll until the disk brief is in.
    const refs = await server.waitFor(async () => {
      const r = await ask(false);
      return r.some((l) => l.uri.endsWith('/disk.md')) ? r : undefined;
    }, 'the disk brief indexed');
    assert.deepEqual(uris(refs), ['open.md:0', 'disk.md:2', 'disk.md:4']);
    assert.equal(textAt(ON_DISK, refs[1]!.range), 'Derek Chollet');

    const withDecl = await ask(true);
    assert.match(withDecl[0]!.uri, /\/corpus\/people\.yaml$/);
    assert.equal(withDecl.length, refs.length + 1);

    // A new brief appears on disk.
    const created = server.write('later/new.md', 'Counselor Chollet wrote.\n');
    await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: created, type: 1 }] });
    await server.waitFor(async () => uris(await ask(false)).includes('new.md:0'), 'the created brief');

    // It changes on disk: its entry is replaced.
    fs.writeFileSync(path.join(server.folder, 'later/new.md'), 'Nobody.\n\n\nDerek Chollet.\n');
    await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: created, type: 2 }] });
    await server.waitFor(async () => uris(await ask(false)).includes('new.md:3'), 'the changed brief');
    assert.ok(!uris(await ask(false)).includes('new.md:0'));

    // Deleted: gone from the results.
    fs.rmSync(path.join(server.folder, 'later/new.md'));
    await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: created, type: 3 }] });
    await server.waitFor(async () => !(await ask(false)).some((l) => l.uri === created), 'the deleted brief gone');

    // Opening the disk brief with other text overrides the disk; closing falls back to the disk text.
    const diskUri = fileUri(path.join(server.folder, 'notes/disk.md'));
    await server.open(diskUri, 'Chollet only once, at the top.\n');
    await server.waitFor(async () => uris(await ask(false)).filter((u) => u.startsWith('disk.md')).join() === 'disk.md:0', 'open overrides disk');
    await server.close(diskUri);
    await server.waitFor(async () => uris(await ask(false)).filter((u) => u.startsWith('disk.md')).join() === 'disk.md:2,disk.md:4', 'closed: disk again');

    // Hidden folders, node_modules and non-Markdown files were never indexed.
    assert.ok(!(await ask(false)).some((l) => /\.hidden|node_modules|unrelated/.test(l.uri)));
  } finally {
    await server.stop();
  }
});

test('settings pulled per resource: hover off, plain-text mentions off', async () => {
  const server = await startServer({ settings: { hover: { enabled: false } } });
  try {
    const text = 'Derek Chollet and [[amir-eshel]].';
    const uri = await server.open('s.md', text);
    assert.equal(await server.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'Chollet') }), null);
    server.settings = { mentions: { plainText: false } };
    await server.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await server.waitFor(async () => await server.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'amir') }), 'hover back on');
    assert.equal(await server.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'Chollet') }), null);
  } finally {
    await server.stop();
  }
});

test('a throwing handler becomes an error response and the server keeps serving; cancellation is answered', async () => {
  const server = await startServer({ env: { JPMG_TEST_FAULTS: '1' } });
  try {
    await assert.rejects(server.request('jpmg/test/throw', {}), /injected fault/);
    await server.request('jpmg/test/throwAsync', {});
    const text = 'Amir Eshel.';
    const uri = await server.open('f.md', text);
    const h = await server.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'Eshel') });
    assert.match(h.contents.value, /Amir Eshel/);

    // Unknown documents and bad params give empty answers, not crashes.
    assert.equal(await server.request('textDocument/hover', { textDocument: { uri: 'file:///nowhere.md' }, position: { line: 0, character: 0 } }), null);
    assert.deepEqual(await server.request('jpmg/searchEntities', {}), await server.request('jpmg/searchEntities', { query: '' }));

    // A cancelled request gets RequestCancelled (-32800) or its result, promptly.
    const { CancellationTokenSource } = await import('vscode-jsonrpc/node');
    const source = new CancellationTokenSource();
    const pending = server.conn.sendRequest('workspace/symbol', { query: 'a' }, source.token);
    source.cancel();
    try {
      const r = await pending;
      assert.ok(Array.isArray(r));
    } catch (e) {
      assert.equal((e as { code?: number }).code, -32800);
    }
    const again = await server.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'Eshel') });
    assert.match(again.contents.value, /Amir Eshel/);
  } finally {
    await server.stop();
  }
});

test('dist/server.js is the package bin and speaks LSP over --stdio', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  assert.equal(pkg.bin['jpmg-language-server'], 'dist/server.js');
  assert.match(fs.readFileSync(path.join(ROOT, 'dist/server.js'), 'utf8').slice(0, 40), /^#!\/usr\/bin\/env node/);
});

test('.jpmg/settings.json applies to the briefs under it, and a change to it is picked up', async () => {
  const server = await startServer({ files: { '.jpmg/settings.json': '{ "hover": { "enabled": false } }' } });
  try {
    const text = 'Amir Eshel.';
    const uri = await server.open('s.md', text);
    const at = { textDocument: { uri }, position: positionOf(text, 'Eshel') };
    assert.equal(await server.request('textDocument/hover', at), null);
    const settingsUri = server.write('.jpmg/settings.json', '{ "hover": { "enabled": true } }');
    await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: settingsUri, type: 2 }] });
    await server.waitFor(async () => await server.request('textDocument/hover', at), 'hover after the settings file changed');
  } finally {
    await server.stop();
  }
});
