// The node side of overlays: discovery under .jpmg/ and jpmg.corpus.paths, trust, confinement, live changes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceCorpus } from '../../server/src/node/overlayFiles';
import { CORPUS_YAML_LIMITS, type OverlayInput } from '../../server/src/core/overlays';
import type { Corpus } from '../../server/src/core/types';

const yaml = (id: string) => `entities:\n  - id: ${id}\n    kind: topic\n    name: ${id}\n`;

const temps: string[] = [];
after(() => { for (const t of temps) fs.rmSync(t, { recursive: true, force: true }); });
function tempWorkspace(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-overlay-')));
  temps.push(dir);
  return dir;
}
function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
/** A loader stand-in that records the inputs it was given. */
function recordingLoad() {
  const calls: OverlayInput[][] = [];
  const load = (inputs: OverlayInput[]): Corpus => {
    calls.push(inputs);
    return { entities: [], byId: new Map(), aliases: new Map(), sources: new Map(), problems: [], files: inputs.map((i) => i.file) };
  };
  return { calls, load, last: () => calls[calls.length - 1]! };
}
const BUNDLED: OverlayInput[] = [{ file: '/ext/corpus/topics.yaml', text: yaml('bundled'), bundled: true }];

test('trusted: .jpmg/**/*.yaml of every folder and jpmg.corpus.paths folders are read; settings.json is not corpus', () => {
  const a = tempWorkspace();
  const b = tempWorkspace();
  const team = tempWorkspace();
  write(path.join(a, '.jpmg/entities.yaml'), yaml('a1'));
  write(path.join(a, '.jpmg/deep/more.yml'), yaml('a2'));
  write(path.join(a, '.jpmg/settings.json'), '{}');
  write(path.join(a, 'shared/corpus/x.yaml'), yaml('a3'));
  write(path.join(b, '.jpmg/entities.yaml'), yaml('b1'));
  write(path.join(team, 'team.yaml'), yaml('t1'));
  const rec = recordingLoad();
  const wc = new WorkspaceCorpus({ bundledInputs: BUNDLED, load: rec.load, trusted: true });
  wc.setFolders([a, b]);
  wc.setCorpusPaths(a, ['shared/corpus', team]);
  wc.corpus();
  const files = rec.last().map((i) => i.file);
  assert.deepEqual(files.slice(0, 1), ['/ext/corpus/topics.yaml']);
  assert.deepEqual(new Set(files.slice(1)), new Set([
    path.join(a, '.jpmg/entities.yaml'), path.join(a, '.jpmg/deep/more.yml'), path.join(a, 'shared/corpus/x.yaml'),
    path.join(b, '.jpmg/entities.yaml'), path.join(team, 'team.yaml'),
  ]));
  assert.ok(rec.last().slice(1).every((i) => i.bundled === false));
  assert.equal(wc.overlayFileCount(), 5);
  // Removing a folder drops its overlays.
  wc.setFolders([b]);
  wc.corpus();
  assert.deepEqual(rec.last().map((i) => i.file), ['/ext/corpus/topics.yaml', path.join(b, '.jpmg/entities.yaml')]);
});

test('untrusted: no overlay is listed, read or taken from the editor; bundled corpus still loads; trust toggles', () => {
  const a = tempWorkspace();
  write(path.join(a, '.jpmg/entities.yaml'), yaml('a1'));
  const rec = recordingLoad();
  const wc = new WorkspaceCorpus({ bundledInputs: BUNDLED, load: rec.load, trusted: false });
  wc.setFolders([a]);
  wc.setCorpusPaths(a, ['/etc']);
  assert.deepEqual(wc.roots(), []);
  assert.equal(wc.isCorpusFile(path.join(a, '.jpmg/entities.yaml')), true, 'still a corpus file (YAML features), never read');
  assert.equal(wc.isCorpusFile('/etc/x.yaml'), false, 'corpus paths are ignored');
  assert.equal(wc.setDocumentText(path.join(a, '.jpmg/entities.yaml'), yaml('typed')), false);
  assert.equal(wc.setDocumentText('/ext/corpus/topics.yaml', yaml('typed')), false, 'not even bundled files change');
  assert.equal(wc.fileChanged(path.join(a, '.jpmg/entities.yaml'), 'changed'), false);
  wc.corpus();
  assert.deepEqual(rec.last(), BUNDLED);
  assert.equal(wc.setTrusted(true), true);
  wc.corpus();
  assert.deepEqual(rec.last().map((i) => i.file), ['/ext/corpus/topics.yaml', path.join(a, '.jpmg/entities.yaml')]);
  assert.equal(wc.setTrusted(false), true);
  wc.corpus();
  assert.deepEqual(rec.last(), BUNDLED);
});

test('live changes: create, broken edit (last good stays), fix, delete of a file and of a directory', () => {
  const a = tempWorkspace();
  const rec = recordingLoad();
  const wc = new WorkspaceCorpus({ bundledInputs: [], load: rec.load, trusted: true });
  wc.setFolders([a]);
  const f = path.join(a, '.jpmg/entities.yaml');
  write(f, yaml('v1'));
  assert.equal(wc.fileChanged(f, 'created'), true);
  assert.equal(wc.corpus().files.length, 1);
  write(f, 'entities: [broken\n');
  wc.fileChanged(f, 'changed');
  const c = wc.corpus();
  assert.equal(rec.last()[0]!.text, yaml('v1'), 'last good text in force');
  assert.ok(c.problems.some((p) => p.code === 'yaml-syntax' && p.file === f));
  write(f, yaml('v2'));
  wc.fileChanged(f, 'changed');
  wc.corpus();
  assert.equal(rec.last()[0]!.text, yaml('v2'));
  assert.equal(wc.fileChanged(path.join(a, 'elsewhere.yaml'), 'created'), false, 'outside the roots');
  write(path.join(a, '.jpmg/sub/one.yaml'), yaml('s1'));
  write(path.join(a, '.jpmg/sub/two.yaml'), yaml('s2'));
  assert.equal(wc.fileChanged(path.join(a, '.jpmg/sub'), 'created'), true, 'a new directory is scanned');
  wc.corpus();
  assert.equal(rec.last().length, 3);
  fs.rmSync(path.join(a, '.jpmg/sub'), { recursive: true });
  assert.equal(wc.fileChanged(path.join(a, '.jpmg/sub'), 'deleted'), true);
  wc.corpus();
  assert.equal(rec.last().length, 1);
  fs.rmSync(f);
  wc.fileChanged(f, 'deleted');
  wc.corpus();
  assert.deepEqual(rec.last(), []);
});

test('editor text of an open overlay wins over disk; closing re-reads the disk', () => {
  const a = tempWorkspace();
  const f = path.join(a, '.jpmg/entities.yaml');
  write(f, yaml('disk'));
  const rec = recordingLoad();
  const wc = new WorkspaceCorpus({ bundledInputs: [], load: rec.load, trusted: true });
  wc.setFolders([a]);
  assert.equal(wc.setDocumentText(f, yaml('typed')), true);
  wc.corpus();
  assert.equal(rec.last()[0]!.text, yaml('typed'));
  assert.equal(wc.closeDocument(f), true);
  wc.corpus();
  assert.equal(rec.last()[0]!.text, yaml('disk'));
});

test('confinement: symlinks out of the corpus folder and oversized files are refused with a problem', () => {
  const a = tempWorkspace();
  const outside = tempWorkspace();
  write(path.join(outside, 'secret.yaml'), yaml('secret'));
  write(path.join(a, '.jpmg/real.yaml'), yaml('real'));
  fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(a, '.jpmg/link-out.yaml'));
  fs.symlinkSync(path.join(a, '.jpmg/real.yaml'), path.join(a, '.jpmg/link-in.yaml'));
  fs.symlinkSync(outside, path.join(a, '.jpmg/dir-out'));
  write(path.join(a, '.jpmg/huge.yaml'), 'entities: []\n#' + 'x'.repeat(CORPUS_YAML_LIMITS.maxFileChars));
  const rec = recordingLoad();
  const wc = new WorkspaceCorpus({ bundledInputs: [], load: rec.load, trusted: true });
  wc.setFolders([a]);
  const corpus = wc.corpus();
  const texts = rec.last().map((i) => i.text);
  assert.ok(!texts.some((t) => t.includes('secret')), 'nothing from outside is loaded');
  assert.deepEqual(rec.last().map((i) => path.basename(i.file)).sort(), ['link-in.yaml', 'real.yaml']);
  const codes = corpus.problems.map((p) => `${path.basename(p.file)}:${p.code}`).sort();
  assert.deepEqual(codes, ['dir-out:bad-source-path', 'huge.yaml:file-too-large', 'link-out.yaml:bad-source-path']);
});

test('a change to one known file reads that file alone, with the same confinement; a new file reads the folder', () => {
  const a = tempWorkspace();
  const outside = tempWorkspace();
  const one = path.join(a, '.jpmg/one.yaml');
  const two = path.join(a, '.jpmg/two.yaml');
  write(one, yaml('one-v1'));
  write(two, yaml('two-v1'));
  const rec = recordingLoad();
  const wc = new WorkspaceCorpus({ bundledInputs: [], load: rec.load, trusted: true });
  wc.setFolders([a]);
  wc.corpus();
  write(one, yaml('one-v2'));
  write(two, yaml('two-v2')); // its own event has not come yet
  assert.equal(wc.fileChanged(one, 'changed'), true);
  wc.corpus();
  const texts = () => rec.last().map((i) => i.text).sort();
  assert.deepEqual(texts(), [yaml('one-v2'), yaml('two-v1')], 'only the changed file was read again');
  wc.fileChanged(two, 'changed');
  wc.corpus();
  assert.deepEqual(texts(), [yaml('one-v2'), yaml('two-v2')]);

  // Replaced by a link out of the folder: refused, with its last good text in force.
  write(path.join(outside, 'secret.yaml'), yaml('secret'));
  fs.rmSync(one);
  fs.symlinkSync(path.join(outside, 'secret.yaml'), one);
  wc.fileChanged(one, 'changed');
  const corpus = wc.corpus();
  assert.ok(!texts().some((t) => t.includes('secret')));
  assert.ok(corpus.problems.some((p) => p.file === one && p.code === 'bad-source-path'));
  assert.deepEqual(texts(), [yaml('one-v2'), yaml('two-v2')]);

  // A created file is found by reading the folder.
  const three = path.join(a, '.jpmg/three.yaml');
  write(three, yaml('three'));
  wc.fileChanged(three, 'created');
  wc.corpus();
  assert.equal(rec.last().length, 3);
});
