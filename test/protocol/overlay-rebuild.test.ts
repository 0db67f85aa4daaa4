// A large workspace corpus, loaded at start and rebuilt after a save, over stdio: the server goes on answering from
// the corpus in force (at start, the bundled one) while it loads and indexes the new one between requests, then puts
// the new one in force and says so.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, hoverText, withTimeout, fileUri, type TestServer } from '../fixtures/hostile/lspClient';

const GUARD = 120_000;
/** Enough entities that loading and indexing them takes many slices on any machine. */
const COUNT = 15_000;

function overlay(extra: string): string {
  const lines = ['entities:'];
  for (let i = 0; i < COUNT; i++) {
    lines.push(`  - id: gen-${i}`, '    kind: person', `    name: "Person ${i} Kal${(i * 7919) % 1000}"`,
      `    summary: "Generated ${i}."`, '    sources: [{source: seed-001, quote: "Joint Political-Military Group"}]');
  }
  return lines.join('\n') + '\n' + extra;
}
const PROBE = '  - id: rebuild-probe\n    kind: organisation\n    name: "Rebuild Probe Office"\n    summary: "Added by a save."\n' +
  '    sources: [{source: seed-001, quote: "Joint Political-Military Group"}]\n';

let server: TestServer | undefined;
let folder: string | undefined;
after(async () => {
  await server?.stop();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

const entitiesAnnounced = (s: TestServer) => s.notifications.filter((n) => n.method === 'jpmg/corpusStatus')
  .map((n) => (n.params as { entities: number }).entities);

test('a large overlay at start and after a save: requests are answered from the corpus in force until the new one is ready', async () => {
  folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-rebuild-')));
  const file = path.join(folder, '.jpmg', 'generated.yaml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, overlay(''));
  const s = (server = await startServer({ folders: [folder] }));
  const uri = fileUri(path.join(folder, 'brief.md'));
  const text = 'Amir Eshel met the Rebuild Probe Office and Person 12 Kal28.\n';
  const hoverAt = async (word: string) => hoverText(await withTimeout(s.conn.sendRequest('textDocument/hover',
    { textDocument: { uri }, position: { line: 0, character: text.indexOf(word) + 2 } }), GUARD));
  const hover = () => hoverAt('Rebuild');

  // At start the bundled corpus is in force at once, and answers while the workspace's corpus loads.
  await s.waitFor(() => entitiesAnnounced(s).length > 0, GUARD, 'a first corpus status');
  assert.ok(entitiesAnnounced(s)[0]! < COUNT, `the bundled corpus first (${entitiesAnnounced(s)[0]} entities)`);
  await s.open(uri, text);
  assert.match(await hoverAt('Amir'), /Eshel/);
  assert.ok(!entitiesAnnounced(s).some((n) => n > COUNT), 'answered before the workspace corpus went into force');
  await s.waitFor(() => entitiesAnnounced(s).some((n) => n > COUNT), GUARD, 'the overlay in force');
  assert.match(await hoverAt('Person 12'), /Person 12 Kal28/);
  const before = entitiesAnnounced(s).pop()!;
  assert.equal(await hover(), '', 'not an entity yet');

  fs.writeFileSync(file, overlay(PROBE));
  await s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(file), type: 2 }] });
  // The new corpus is loaded: its indexes are being built, between requests.
  await s.waitFor(() => s.notifications.some((n) => n.method === 'window/logMessage' &&
    (n.params as { message: string }).message.startsWith(`corpus: ${before + 1} entities`)), GUARD, 'the new corpus loaded');
  const during = await hover();
  assert.ok(!entitiesAnnounced(s).includes(before + 1), 'answered before the new corpus went into force');
  assert.equal(during, '', 'from the corpus in force');

  await s.waitFor(() => entitiesAnnounced(s).includes(before + 1), GUARD, 'the new corpus in force');
  assert.match(await hover(), /Rebuild Probe Office/);
});
