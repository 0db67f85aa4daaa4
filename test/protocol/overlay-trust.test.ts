// Workspace Trust over stdio: untrusted, no overlay file is read (hovers show only the bundled corpus, and the files'
// access times do not move), `jpmg.corpus.paths` is ignored and editor text of overlay files changes nothing;
// `jpmg/trustChanged` brings the overlays in and takes them out again. Trusted, overlay text shown in hovers and
// completion is escaped. The manifest declares limited support with `jpmg.corpus.paths` restricted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, hoverText, withTimeout, fileUri, ROOT, type TestServer } from '../fixtures/hostile/lspClient';
import { injectionOverlay } from '../fixtures/hostile/generate';

const GUARD = 60_000;
const ZEPHYR = 'entities:\n  - id: zephyr-forum\n    kind: organisation\n    name: Zephyr Forum\n    summary: A team-only forum.\n' +
  '    sources: [{source: seed-001, quote: "Joint Political-Military Group"}]\n';
const QUILL = 'entities:\n  - id: quill-committee\n    kind: organisation\n    name: Quill Committee\n    summary: From a corpus path.\n' +
  '    sources: [{source: seed-001, quote: "Joint Political-Military Group"}]\n';
const BRIEF = 'Zephyr Forum and Quill Committee met the JPMG. See [[hostile-topic]].\n';

let folder: string;
let overlayFile: string;
let pathFile: string;
const servers: TestServer[] = [];

before(() => {
  folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-trust-')));
  overlayFile = path.join(folder, '.jpmg', 'team.yaml');
  pathFile = path.join(folder, 'team-corpus', 'extra.yaml');
  fs.mkdirSync(path.dirname(overlayFile), { recursive: true });
  fs.mkdirSync(path.dirname(pathFile), { recursive: true });
  fs.writeFileSync(overlayFile, ZEPHYR + injectionOverlay().replace(/^entities:\n/, ''));
  fs.writeFileSync(pathFile, QUILL);
});
after(async () => {
  for (const s of servers) await s.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

async function start(trusted: boolean | undefined): Promise<TestServer> {
  const s = await startServer({
    folders: [folder],
    settings: { corpus: { paths: ['team-corpus'] } },
    initializationOptions: trusted === undefined ? undefined : { trusted },
  });
  servers.push(s);
  return s;
}

function status(s: TestServer): { trusted: boolean; overlayFiles: number; entities: number } | undefined {
  return s.notifications.filter((n) => n.method === 'jpmg/corpusStatus').pop()?.params as never;
}

async function hoverAt(s: TestServer, uri: string, character: number): Promise<string> {
  return hoverText(await withTimeout(s.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character } }), GUARD));
}

/** Set the access time well before the modification time, so any read (relatime) moves it. */
function ageAccessTime(file: string): number {
  const st = fs.statSync(file);
  const old = new Date(st.mtimeMs - 3_600_000);
  fs.utimesSync(file, old, st.mtime);
  return fs.statSync(file).atimeMs;
}

function assertInert(markdown: string, where: string): void {
  assert.ok(!markdown.includes('](command:'), `${where}: live command link`);
  assert.ok(!markdown.includes('<'), `${where}: raw <`);
  assert.ok(!/(^|[^\\])`/.test(markdown), `${where}: unescaped backtick`);
}

test('the manifest declares limited untrusted support and restricts jpmg.corpus.paths', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const untrusted = manifest.capabilities?.untrustedWorkspaces;
  assert.equal(untrusted?.supported, 'limited');
  assert.ok(untrusted.restrictedConfigurations.includes('jpmg.corpus.paths'));
});

test('untrusted: overlays and corpus paths are never read; the bundled corpus works; trustChanged switches both ways', async () => {
  const atimes = [ageAccessTime(overlayFile), ageAccessTime(pathFile)];
  const s = await start(false);
  await s.waitFor(() => status(s), GUARD, 'corpus status');
  assert.equal(status(s)!.trusted, false);
  assert.equal(status(s)!.overlayFiles, 0);
  const uri = fileUri(path.join(folder, 'brief.md'));
  await s.open(uri, BRIEF);
  assert.match(await hoverAt(s, uri, BRIEF.indexOf('JPMG') + 1), /Joint Political\\?-Military Group/, 'bundled hover works');
  assert.equal(await hoverAt(s, uri, 2), '', 'no overlay entity');
  assert.equal(await hoverAt(s, uri, BRIEF.indexOf('Quill') + 1), '', 'no corpus-path entity');
  // Typing into an overlay file changes nothing while untrusted.
  await s.open(fileUri(overlayFile), ZEPHYR.replace('Zephyr Forum', 'Typed Forum'), 'yaml');
  const completion = await withTimeout(s.conn.sendRequest('textDocument/completion', {
    textDocument: { uri }, position: { line: 0, character: BRIEF.length - 1 }, context: { triggerKind: 1 },
  }), GUARD) as { items: { data?: { id?: string } }[] } | null;
  assert.ok(!(completion?.items ?? []).some((i) => ['zephyr-forum', 'quill-committee', 'hostile-topic'].includes(String(i.data?.id))));
  const unread = [fs.statSync(overlayFile).atimeMs, fs.statSync(pathFile).atimeMs];
  assert.deepEqual(unread, atimes, 'neither file was read (access times unchanged)');

  // Trust granted: both come in (and the files are read: the positive control for the access-time check).
  await s.conn.sendNotification('jpmg/trustChanged', { trusted: true });
  await s.waitFor(() => status(s)?.trusted === true && status(s)!.overlayFiles >= 2, GUARD, 'trusted status');
  assert.match(await waitForHover(s, uri, BRIEF.indexOf('Quill') + 1, /Quill Committee/), /From a corpus path/);
  // The overlay file open in the editor counts once trusted: its editor text, not the disk's.
  await s.waitFor(async () => {
    const card = await withTimeout(s.conn.sendRequest('jpmg/entityCard', { id: 'zephyr-forum' }), GUARD) as { markdown: string } | null;
    return card !== null && /Typed Forum/.test(card.markdown);
  }, GUARD, 'the open overlay editor text in force after trust');
  assert.equal(await hoverAt(s, uri, 2), '', '"Zephyr Forum" is no longer a name: the editor renamed it');
  if (fs.statSync(overlayFile).atimeMs === atimes[0]) {
    console.log('overlay-trust: this file system does not update access times; the unread check above proved nothing here');
  }
  // Trust revoked: gone again, for the very next request (not once a rebuild between requests is done).
  await s.conn.sendNotification('jpmg/trustChanged', { trusted: false });
  assert.equal(await hoverAt(s, uri, BRIEF.indexOf('Quill') + 1), '', 'the next answer already ignores the overlays');
  await s.waitFor(() => status(s)?.trusted === false, GUARD, 'untrusted status');
  assert.equal(await waitForHover(s, uri, BRIEF.indexOf('Quill') + 1, /^$/), '');
  assert.match(await hoverAt(s, uri, BRIEF.indexOf('JPMG') + 1), /Joint Political\\?-Military Group/);
});

async function waitForHover(s: TestServer, uri: string, character: number, want: RegExp): Promise<string> {
  let last = '';
  await s.waitFor(async () => {
    last = await hoverAt(s, uri, character);
    return want.test(last);
  }, GUARD, `hover matching ${want} (last: ${last.slice(0, 80)})`);
  return last;
}

test('trusted (the default for plain LSP clients): overlay text in hovers and completion is escaped', async () => {
  const s = await start(undefined);
  await s.waitFor(() => status(s)?.trusted === true && status(s)!.overlayFiles >= 2, GUARD, 'trusted status');
  const uri = fileUri(path.join(folder, 'brief-trusted.md'));
  await s.open(uri, BRIEF + '[[');
  const hover = await waitForHover(s, uri, BRIEF.indexOf('hostile') + 2, /Hostile/);
  assertInert(hover, 'hover');
  assert.match(await hoverAt(s, uri, 2), /Zephyr Forum/);
  const list = await withTimeout(s.conn.sendRequest('textDocument/completion', {
    textDocument: { uri }, position: { line: 1, character: 2 }, context: { triggerKind: 2, triggerCharacter: '[' },
  }), GUARD) as { items: { label: string; data?: { id?: string }; documentation?: unknown }[] };
  const item = list.items.find((i) => i.data?.id === 'hostile-topic');
  assert.ok(item, 'hostile entity offered');
  const resolved = await withTimeout(s.conn.sendRequest('completionItem/resolve', item), GUARD) as { documentation?: { value: string } };
  assert.ok(resolved.documentation?.value, 'documentation');
  assertInert(resolved.documentation.value, 'completion documentation');
  const card = await withTimeout(s.conn.sendRequest('jpmg/entityCard', { id: 'hostile-topic' }), GUARD) as { markdown: string };
  assertInert(card.markdown, 'entity card');
});
