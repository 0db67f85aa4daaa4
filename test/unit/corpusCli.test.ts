// `jpmg corpus` and `jpmg corpus validate`, run from the sources (the same code dist/cli.js bundles).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'corpora');
function jpmg(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'server', 'src', 'cli.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('jpmg corpus validate: a clean corpus prints a summary and exits 0', () => {
  const r = jpmg('corpus', 'validate', join(fixtures, 'base'));
  assert.equal(r.code, 0, r.out + r.err);
  assert.equal(r.out.trim(), '5 entities, 0 problems');
});

test('jpmg corpus validate: problems as file:line:col (1-based) and exit 1', () => {
  const r = jpmg('corpus', 'validate', join(fixtures, 'bad-sources'));
  assert.equal(r.code, 1);
  assert.match(r.out, /^test\/fixtures\/corpora\/bad-sources\/sources\/sources\.yaml:11:11: error missing-source: /m);
  assert.match(r.out, /sources\.yaml:18:11: error bad-source-path: /);
  assert.match(r.out, /^0 entities, 6 problems$/m);
});

test('jpmg corpus validate: an overlay folder is checked against the bundled corpus, its own problems only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jpmg-cli-'));
  try {
    cpSync(join(fixtures, 'broken', 'dangling-ref.yaml'), join(dir, 'people.yaml'));
    const r = jpmg('corpus', 'validate', dir);
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.slice(0, -1).every((l) => l.includes('people.yaml:')), r.out);
    assert.ok(lines.some((l) => /people\.yaml:12:23: error dangling-ref: .*no-such-organisation/.test(l)), r.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('jpmg corpus --json lists entities with their fields; the text form is a table', () => {
  const r = jpmg('corpus', '--json');
  assert.equal(r.code, 0, r.err);
  const list = JSON.parse(r.out) as { id: string; kind: string; name: string; aliases: string[]; summary: string; sources: unknown[] }[];
  const jpmgEntity = list.find((e) => e.id === 'jpmg');
  assert.ok(jpmgEntity);
  assert.equal(jpmgEntity.kind, 'organisation');
  assert.ok(jpmgEntity.aliases.includes('JPMG'));
  assert.ok(jpmgEntity.sources.length > 0);
  const t = jpmg('corpus');
  assert.match(t.out.split('\n')[0]!, /^id\s+kind\s+name$/);
  assert.equal(t.out.trim().split('\n').length, list.length + 1);
});

test('jpmg --help, --version, unknown commands', () => {
  assert.match(jpmg('--help').out, /Usage: jpmg <command>/);
  assert.match(jpmg('--version').out.trim(), /^\d+\.\d+\.\d+/);
  const bad = jpmg('frobnicate');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown command/);
});
