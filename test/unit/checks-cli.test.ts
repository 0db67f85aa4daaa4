// `jpmg check`: output formats, exit codes, the workspace settings file and overlays, on temporary folders.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkCommand } from '../../server/src/cli/checkCommand';
import { findWorkspaceRoot, findWorkspaceSettings } from '../../server/src/node/settingsFile';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-check-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

async function run(args: string[], cwd = tmp): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await checkCommand(args, { out: (s) => { out += s; }, err: (s) => { err += s; }, cwd });
  return { code, out, err };
}

const BAD = '# Brief\n\nThe Joint Political-Military Group (JPMG) met.\n\nSecretary Chollet met the 😀 JMPG.\n';
const INFO_ONLY = '# Brief\n\nThe JPMG met.\n';
const CLEAN = '# Brief\n\nThe Joint Political-Military Group (JPMG) met in Washington.\n';

write('plain/bad.md', BAD);
write('plain/info.md', INFO_ONLY);
write('plain/clean.md', CLEAN);
write('plain/sub/deeper.md', BAD);
write('plain/node_modules/ignored.md', BAD);
write('plain/notes.txt', BAD);

test('text format: file:line:col severity code message, 1-based; exit 1 on warnings', async () => {
  const r = await run(['plain/bad.md']);
  assert.equal(r.code, 1);
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^plain\/bad\.md:5:1 warning wrong-title Derek Chollet did not hold the title “Secretary”/);
  // "JMPG" after an emoji (two UTF-16 units): column counts UTF-16 units.
  assert.match(lines[1]!, /^plain\/bad\.md:5:30 warning near-miss-name “JMPG” is not a known name; did you mean “JPMG”/);
});

test('only information and hints: exit 0; clean: exit 0 with no output', async () => {
  const info = await run(['plain/info.md']);
  assert.equal(info.code, 0);
  assert.match(info.out, /information acronym-first-use/);
  const clean = await run(['plain/clean.md']);
  assert.deepEqual([clean.code, clean.out], [0, '']);
});

test('folders expand to **/*.md, skipping node_modules; explicit non-.md files are checked', async () => {
  const r = await run(['--format', 'json', 'plain']);
  const files = [...new Set((JSON.parse(r.out) as { file: string }[]).map((f) => f.file))].sort();
  assert.deepEqual(files, ['plain/bad.md', 'plain/info.md', 'plain/sub/deeper.md']);
  const txt = await run(['plain/notes.txt']);
  assert.equal(txt.code, 1);
});

test('JSON format: LSP 0-based UTF-16 ranges', async () => {
  const r = await run(['--format=json', 'plain/bad.md']);
  const items = JSON.parse(r.out) as { file: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity: string; code: string; message: string }[];
  const jmpg = items.find((i) => i.code === 'near-miss-name')!;
  assert.deepEqual(jmpg.range, { start: { line: 4, character: 29 }, end: { line: 4, character: 33 } });
  assert.deepEqual(Object.keys(jmpg).sort(), ['code', 'file', 'message', 'range', 'severity']);
  assert.equal(jmpg.severity, 'warning');
});

test('SARIF 2.1.0 with rule metadata, levels, regions and fixes', async () => {
  const r = await run(['--format', 'sarif', 'plain/bad.md', 'plain/info.md']);
  assert.equal(r.code, 1);
  const sarif = JSON.parse(r.out);
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  const ruleIds = run0.tool.driver.rules.map((x: { id: string }) => x.id);
  assert.ok(ruleIds.includes('near-miss-name') && ruleIds.includes('acronym-first-use'));
  const result = run0.results.find((x: { ruleId: string }) => x.ruleId === 'near-miss-name');
  assert.equal(result.level, 'warning');
  assert.equal(run0.tool.driver.rules[result.ruleIndex].id, 'near-miss-name');
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 5, startColumn: 30, endLine: 5, endColumn: 34 });
  assert.equal(result.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, 'JPMG');
  assert.equal(run0.results.find((x: { ruleId: string }) => x.ruleId === 'acronym-first-use').level, 'note');
});

test('usage errors exit 2: no paths, bad format, unknown option, missing file, unreadable --config', async () => {
  for (const args of [[], ['--format', 'xml', 'plain'], ['--fast', 'plain'], ['nope.md'], ['--config', 'nope.json', 'plain']]) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /jpmg check:/);
  }
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /Usage: jpmg check/);
});

test('the nearest .jpmg/settings.json applies: severities, "off", ignoreWords; its problems go to stderr', async () => {
  write('ws/.jpmg/settings.json', '{\n  // team settings\n  "jpmg.rules": {"wrong-title": "off", "near-miss-name": "information"},\n  "jpmg.bogus": 1\n}\n');
  write('ws/briefs/a.md', BAD);
  const r = await run(['ws/briefs/a.md']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /information near-miss-name/);
  assert.doesNotMatch(r.out, /wrong-title/);
  assert.match(r.err, /ws\/\.jpmg\/settings\.json:4:3: settings: unknown setting "jpmg\.bogus"/);
  assert.equal(findWorkspaceRoot(path.join(tmp, 'ws/briefs/a.md')), path.join(tmp, 'ws'));
  assert.equal(findWorkspaceSettings(path.join(tmp, 'plain/bad.md')).root, undefined);
});

test('--config replaces the workspace settings file', async () => {
  write('alt.json', '{"jpmg.ignoreWords": ["JMPG"], "jpmg.rules": {"wrong-title": "hint"}}');
  const r = await run(['--config', 'alt.json', 'plain/bad.md']);
  assert.equal(r.code, 0);
  assert.deepEqual(r.out.trim().split('\n').map((l) => l.split(' ').slice(1, 3).join(' ')), ['hint wrong-title']);
});

test('workspace overlays (.jpmg/**/*.yaml) add entities; settings.json is not read as corpus', async () => {
  write('ov/.jpmg/settings.json', '{"jpmg.rules": {"acronym-first-use": "off"}}');
  write('ov/.jpmg/people/extra.yaml', [
    'entities:',
    '  - id: avi-zorblatt',
    '    kind: person',
    '    name: Avi Zorblatt',
    '    aliases: [Zorblatt]',
    '    summary: A test person added by a workspace overlay.',
    '    sources: [{source: seed-001, quote: "Jerusalem"}]',
    '',
  ].join('\n'));
  write('ov/brief.md', 'Zorblat met [[avi-zorblatt]] and [[avi-zorblat]].\n');
  const r = await run(['--format', 'json', 'ov/brief.md']);
  const items = JSON.parse(r.out) as { code: string; message: string }[];
  assert.deepEqual(items.map((i) => i.code), ['near-miss-name', 'unknown-wikilink']);
  assert.match(items[0]!.message, /Zorblatt/);
  assert.match(items[1]!.message, /\[\[avi-zorblatt\]\]/);
  assert.doesNotMatch(r.err, /settings\.json/);
});
