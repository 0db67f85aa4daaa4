// Workspace corpora over stdio, in a two-folder workspace: each folder's `.jpmg/` is merged over the bundled corpus;
// files created, broken, fixed and deleted on disk take effect through workspace/didChangeWatchedFiles (a broken
// file keeps its last good version in force and reports its problems); an open corpus YAML file gets diagnostics
// at exact ranges, hover, definition and completion on cross-references; the "Add entity to the workspace corpus"
// quick fix creates .jpmg/entities.yaml and the wikilink resolves; removing a folder drops its overlays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, hoverText, withTimeout, fileUri, ROOT, type TestServer, type Range } from '../fixtures/hostile/lspClient';

const GUARD = 60_000;
const entity = (id: string, name: string, extra = '') =>
  `  - id: ${id}\n    kind: organisation\n    name: ${name}\n    summary: ${name}, a test organisation.\n` +
  `    sources: [{source: seed-001, quote: "Joint Political-Military Group"}]\n${extra}`;

let a: string;
let b: string;
let server: TestServer;
const changed = (file: string, type: 1 | 2 | 3) =>
  server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(file), type }] });

before(async () => {
  a = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-live-a-')));
  b = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-live-b-')));
  fs.mkdirSync(path.join(a, '.jpmg'));
  fs.mkdirSync(path.join(b, '.jpmg', 'nested'), { recursive: true });
  fs.writeFileSync(path.join(a, '.jpmg', 'a.yaml'), `entities:\n${entity('alpha-panel', 'Alpha Panel')}`);
  fs.writeFileSync(path.join(b, '.jpmg', 'nested', 'b.yml'), `entities:\n${entity('beta-panel', 'Beta Panel')}`);
  server = await startServer({ folders: [a, b] });
  await server.waitFor(() => server.notifications.some((n) => n.method === 'jpmg/corpusStatus' &&
    (n.params as { overlayFiles: number }).overlayFiles >= 2), GUARD, 'both overlays read');
});
after(async () => {
  await server?.stop();
  for (const d of [a, b]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

async function hover(uri: string, line: number, character: number): Promise<string> {
  return hoverText(await withTimeout(server.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } }), GUARD));
}
async function eventually(uri: string, line: number, character: number, want: RegExp, what: string): Promise<void> {
  let last = '';
  await server.waitFor(async () => want.test(last = await hover(uri, line, character)), GUARD, `${what} (last hover: ${last.slice(0, 60)})`);
}

test('multi-root: both folders\' overlays are in force, in briefs of either folder', async () => {
  for (const folder of [a, b]) {
    const uri = fileUri(path.join(folder, 'brief.md'));
    await server.open(uri, 'Alpha Panel and Beta Panel met.\n');
    assert.match(await hover(uri, 0, 2), /Alpha Panel/);
    assert.match(await hover(uri, 0, 18), /Beta Panel/);
  }
});

test('live reload: create, break (last good stays, problems reported), fix, delete', async () => {
  const uri = fileUri(path.join(a, 'gamma.md'));
  const file = path.join(a, '.jpmg', 'gamma.yaml');
  await server.open(uri, 'Gamma Panel and Gamma Prime met.\n', 'markdown', 1);
  assert.equal(await hover(uri, 0, 2), '');
  fs.writeFileSync(file, `entities:\n${entity('gamma-panel', 'Gamma Panel')}`);
  await changed(file, 1);
  await eventually(uri, 0, 2, /Gamma Panel/, 'created file in force');

  fs.writeFileSync(file, `entities:\n${entity('gamma-panel', 'Gamma Prime')}  - id: [unclosed\n`);
  await changed(file, 2);
  await server.waitFor(() => {
    const s = server.notifications.filter((n) => n.method === 'jpmg/corpusStatus').pop()?.params as { problems: number } | undefined;
    return s && s.problems > 0;
  }, GUARD, 'the broken file reported');
  assert.match(await hover(uri, 0, 2), /Gamma Panel/, 'last good version still in force');
  assert.equal(await hover(uri, 0, 18), '', 'the broken text is not in force');
  // Open the broken file: its problem shows at the unclosed bracket.
  const yamlUri = fileUri(file);
  await server.open(yamlUri, fs.readFileSync(file, 'utf8'), 'yaml');
  const diags = await server.waitFor(() => server.diagnostics.get(yamlUri)?.length ? server.diagnostics.get(yamlUri) : undefined, GUARD, 'diagnostics');
  assert.ok(diags.some((d) => d.severity === 1 && d.range.start.line >= 6), JSON.stringify(diags.map((d) => [d.code, d.range.start])));
  assert.ok(diags.some((d) => d.code === 'last-good-in-force'), 'says the last good version is in force');
  // Fix it in the editor (unsaved): the editor text wins.
  await server.change(yamlUri, 2, [{ text: `entities:\n${entity('gamma-panel', 'Gamma Prime')}` }]);
  await eventually(uri, 0, 18, /Gamma Prime/, 'editor text in force');
  await server.waitFor(() => server.diagnostics.get(yamlUri)?.length === 0, GUARD, 'diagnostics cleared');
  // Close without saving: the disk is broken, so the last good disk version (Gamma Panel) comes back.
  await server.close(yamlUri);
  await eventually(uri, 0, 2, /Gamma Panel/, 'last good disk version after closing the unsaved editor');
  // Delete: gone.
  fs.rmSync(file);
  await changed(file, 3);
  await eventually(uri, 0, 2, /^$/, 'deleted file out of force');
});

test('an open corpus YAML file: diagnostics at exact ranges, hover, definition and completion on references', async () => {
  const file = path.join(a, '.jpmg', 'refs.yaml');
  const text = `entities:\n${entity('delta-panel', 'Delta Panel', '    parent: {entity: no-such-entity, sources: [{source: seed-001, quote: "Joint Political-Military Group"}]}\n    related:\n      - entity: derek-chollet\n        sources: [{source: seed-001, quote: "Joint Political-Military Group"}]\n      - entity: der\n        sources: []\n')}`;
  fs.writeFileSync(file, text);
  await changed(file, 1);
  const uri = fileUri(file);
  await server.open(uri, text, 'yaml');
  const lines = text.split('\n');
  const at = (needle: string, delta = 0) => {
    const line = lines.findIndex((l) => l.includes(needle));
    return { line, character: lines[line]!.indexOf(needle) + delta };
  };
  const dangling = at('no-such-entity');
  const diags = await server.waitFor(() => server.diagnostics.get(uri)?.find((d) => d.code === 'dangling-ref') ? server.diagnostics.get(uri) : undefined, GUARD, 'dangling-ref diagnostic');
  const d = diags.find((x) => x.code === 'dangling-ref')!;
  assert.deepEqual(d.range as Range, { start: dangling, end: { line: dangling.line, character: dangling.character + 'no-such-entity'.length } }, 'exactly the id');

  assert.match(hoverText(await withTimeout(server.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: at('derek-chollet', 3) }), GUARD)), /Chollet/);
  const def = await withTimeout(server.conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: at('derek-chollet', 3) }), GUARD) as { uri: string; range: Range }[];
  const people = fs.readFileSync(path.join(ROOT, 'corpus', 'people.yaml'), 'utf8').split('\n');
  assert.equal(def[0]!.uri, fileUri(path.join(ROOT, 'corpus', 'people.yaml')));
  assert.match(people[def[0]!.range.start.line]!, /id: derek-chollet/);
  const list = await withTimeout(server.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: lines.indexOf('      - entity: der'), character: '      - entity: der'.length } }), GUARD) as { items: { label: string; textEdit: { range: Range } }[] };
  const item = list.items.find((i) => i.label === 'derek-chollet');
  assert.ok(item, 'entity ids offered');
  const line = lines.indexOf('      - entity: der');
  assert.deepEqual(item.textEdit.range, { start: { line, character: 16 }, end: { line, character: 19 } }, 'replaces the typed prefix');
  await server.close(uri);
});

test('quick fix on an unknown wikilink creates .jpmg/entities.yaml and the link resolves', async () => {
  const uri = fileUri(path.join(b, 'fix.md'));
  const text = 'We met [[Totally New Council]] today.\n';
  await server.open(uri, text);
  const diags = await server.waitFor(() => server.diagnostics.get(uri)?.find((d) => d.code === 'unknown-wikilink') ? server.diagnostics.get(uri) : undefined, GUARD, 'unknown-wikilink');
  const diag = diags.find((d) => d.code === 'unknown-wikilink')!;
  const actions = await withTimeout(server.conn.sendRequest('textDocument/codeAction', {
    textDocument: { uri }, range: diag.range, context: { diagnostics: [diag], only: ['quickfix'] },
  }), GUARD) as { title: string; edit?: { documentChanges?: ({ kind?: string; uri?: string } | { textDocument: { uri: string }; edits: { range: Range; newText: string }[] })[] } }[];
  const add = actions.find((x) => /Add entity "Totally New Council" to the workspace corpus/.test(x.title));
  assert.ok(add?.edit?.documentChanges, `actions: ${actions.map((x) => x.title)}`);
  const target = path.join(b, '.jpmg', 'entities.yaml');
  assert.deepEqual(add.edit.documentChanges[0], { kind: 'create', uri: fileUri(target), options: { overwrite: false, ignoreIfExists: true } });
  // Apply the edit the way an editor would, save, and let the watcher report it.
  const edit = add.edit.documentChanges[1] as { edits: { newText: string }[] };
  fs.writeFileSync(target, edit.edits[0]!.newText);
  await changed(target, 1);
  await server.waitFor(() => !server.diagnostics.get(uri)?.some((d) => d.code === 'unknown-wikilink'), GUARD, 'the wikilink resolves');
  assert.match(await hover(uri, 0, 12), /Totally New Council/);
});

test('removing a workspace folder drops its overlays', async () => {
  const uri = fileUri(path.join(a, 'folders.md'));
  await server.open(uri, 'Alpha Panel and Beta Panel met.\n');
  assert.match(await hover(uri, 0, 18), /Beta Panel/);
  await server.conn.sendNotification('workspace/didChangeWorkspaceFolders', {
    event: { added: [], removed: [{ uri: fileUri(b), name: path.basename(b) }] },
  });
  await eventually(uri, 0, 18, /^$/, 'Beta Panel gone with its folder');
  assert.match(await hover(uri, 0, 2), /Alpha Panel/);
});
