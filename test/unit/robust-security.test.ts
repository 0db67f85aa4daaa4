// Security promises on the real loader and language service: escaped hover/completion/card text, no prototype
// pollution from overlays or settings, source paths confined to their corpus folder, YAML limits.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCorpus } from '../../server/src/core/corpus/index';
import { bundledCorpusDir, readCorpusDir } from '../../server/src/node/corpusFiles';
import { analyzeDocument } from '../../server/src/core/analysis/analyze';
import { createLanguageService } from '../../server/src/core/service';
import { renderCard, entityCard } from '../../server/src/core/features/entityCard';
import { hoverCorpusYaml } from '../../server/src/core/corpusYaml';
import { parseSettingsFile, mergeSettings } from '../../server/src/core/settings';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';
import type { Corpus } from '../../server/src/core/types';
import {
  injectionOverlay, pollutionOverlay, billionLaughs, deepFlowNesting, deepBlockNesting, duplicateKeys, tabIndented, bigYaml,
} from '../fixtures/hostile/generate';

const bundled = readCorpusDir(bundledCorpusDir()!, { bundled: true }).inputs;
const OVERLAY = '/work/ws/.jpmg/team.yaml';
const temps: string[] = [];
after(() => { for (const t of temps) fs.rmSync(t, { recursive: true, force: true }); });

function withOverlay(text: string, file = OVERLAY): Corpus {
  return loadCorpus([...bundled, { file, text, bundled: false }]);
}

/** No live link, command URI, raw HTML or unescaped code span in Markdown shown to the user. */
function assertInert(markdown: string, where: string): void {
  assert.ok(!markdown.includes('](command:'), `${where}: live command link in ${markdown}`);
  assert.ok(!/\]\(\s*javascript:/i.test(markdown), `${where}: javascript link`);
  assert.ok(!markdown.includes('<'), `${where}: raw < in ${markdown}`);
  // Every backtick must be escaped: none may open a code span that swallows the escaping around it.
  assert.ok(!/(^|[^\\])`/.test(markdown), `${where}: unescaped backtick in ${markdown}`);
  // No image syntax survives: `![` only as escaped text.
  assert.ok(!/(^|[^\\])!\[/.test(markdown), `${where}: image syntax`);
}

test('hover, completion and cards escape overlay text: no command links, no raw HTML, no stray code spans', () => {
  const corpus = withOverlay(injectionOverlay());
  const entity = corpus.byId.get('hostile-topic');
  assert.ok(entity, `overlay entity loaded (problems: ${corpus.problems.filter((p) => p.file === OVERLAY).map((p) => p.message).join('; ')})`);
  assertInert(renderCard(entity, corpus), 'renderCard');
  assertInert(entityCard('hostile-topic', corpus)!.markdown, 'entityCard');

  const service = createLanguageService({ corpus: () => corpus, analyze: analyzeDocument });
  const text = 'See [[hostile-topic]] and [[';
  const doc = { uri: 'file:///work/ws/brief.md', version: 1, text, languageId: 'markdown' };
  const hover = service.hover(doc, { line: 0, character: 8 });
  assert.ok(hover, 'hover on the wikilink');
  assertInert(JSON.stringify(hover.contents), 'hover');
  const list = service.completion(doc, { line: 0, character: text.length }, { triggerKind: 2, triggerCharacter: '[' });
  const item = list?.items.find((i) => i.data.id === 'hostile-topic');
  assert.ok(item, 'the overlay entity is offered after [[');
  const resolved = service.resolveCompletion(item);
  assert.ok(resolved.documentation, 'documentation resolved');
  assertInert(JSON.stringify(resolved.documentation), 'completion documentation');
  // Labels and details are plain text in LSP; still no HTML in them.
  assert.ok(!JSON.stringify([resolved.label, resolved.detail]).includes('<img'), 'no raw img in label/detail? (plain text, shown verbatim)') ;

  const yaml = 'entities:\n  - id: x\n    related:\n      - entity: hostile-topic\n';
  const yamlHover = hoverCorpusYaml(yaml, yaml.indexOf('hostile-topic') + 2, corpus, renderCard);
  assert.ok(yamlHover);
  assertInert(yamlHover.markdown, 'corpus YAML hover');
});

test('overlay merges cannot pollute prototypes (__proto__, constructor, prototype, << merge keys)', () => {
  const before = Object.getOwnPropertyNames(Object.prototype).sort();
  const corpus = withOverlay(pollutionOverlay());
  // An overlay that extends a bundled entity with the same hostile keys.
  const extendsBundled = [
    'entities:',
    '  - id: jpmg',
    '    kind: organisation',
    '    __proto__: { polluted: "extend" }',
    '    constructor: { prototype: { polluted: "extend-ctor" } }',
    '    aliases: [{ text: "Proto Alias", __proto__: { polluted: "alias" } }]',
    '',
  ].join('\n');
  const corpus2 = withOverlay(extendsBundled, '/work/ws/.jpmg/extend.yaml');
  // Both readers: the fast JSON path (quoted keys) and the full YAML library (anchors force it).
  const jsonish = 'entities:\n  - "__proto__": {"polluted": "json"}\n    id: json-probe\n    kind: topic\n    name: Json Probe\n    summary: s\n    sources: [{source: seed-001, quote: "x"}]\n';
  const corpus3 = withOverlay(jsonish, '/work/ws/.jpmg/json.yaml');
  for (const c of [corpus, corpus2, corpus3]) {
    assert.ok(c.byId.get('jpmg'), 'the bundled corpus still loads');
    for (const e of c.entities) {
      assert.equal(Object.getPrototypeOf(e), Object.prototype, `${e.id}: prototype replaced`);
      assert.equal((e as unknown as Record<string, unknown>).polluted, undefined, `${e.id}: polluted`);
      for (const a of e.aliases) assert.equal((a as unknown as Record<string, unknown>).polluted, undefined);
    }
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined, '({}).polluted');
  assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);
  // Entity ids and aliases that are prototype names are just names (Maps, not objects).
  const ctor = corpus.byId.get('constructor');
  if (ctor) assert.equal(ctor.name, 'constructor');
  assert.equal(corpus.byId.get('toString'), undefined);
  assert.ok(corpus.problems.some((p) => p.file === OVERLAY), 'the hostile overlay is reported, not silently taken');
});

test('settings merges cannot pollute prototypes either', () => {
  const parsed = parseSettingsFile('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}, ' +
    '"rules": {"__proto__": {"polluted": 3}, "constructor": "off", "near-miss-name": "error"}, "corpus": {"paths": ["x"], "__proto__": {"polluted": 4}}}');
  const merged = mergeSettings(DEFAULT_SETTINGS, parsed.values);
  assert.equal(merged.rules['near-miss-name'], 'error', 'the settings were read (the test is not vacuous)');
  assert.deepEqual(merged.corpus.paths, ['x']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal((merged.rules as Record<string, unknown>).polluted, undefined);
  for (const o of [parsed.values, parsed.values.rules, parsed.values.corpus, merged, merged.rules, merged.corpus]) {
    if (o) assert.equal(Object.getPrototypeOf(o), Object.prototype, 'no object had its prototype replaced');
  }
});

test('source paths are confined to the folder of their sources.yaml: ../, absolute, drive and symlinks out are refused', () => {
  const names = ['../secret.txt', '/etc/passwd', 'C:\\Windows\\win.ini', 'sub/../../secret.txt', '..\\secret.txt', './ok/../../x.txt'];
  const sources = ['sources:', ...names.flatMap((n, i) => [
    `  - id: bad-${i}`, `    file: ${JSON.stringify(n)}`, '    title: T', '    publisher: P', '    date: "2020"', '    language: en',
  ])].join('\n') + '\n';
  const file = '/work/ws/.jpmg/sources/sources.yaml';
  const corpus = loadCorpus([...bundled, { file, text: sources, bundled: false }, { file: '/work/ws/secret.txt', text: 'SECRET', bundled: false, kind: 'source-text' }]);
  const refused = corpus.problems.filter((p) => p.file === file && (p.code === 'bad-source-path' || p.code === 'schema'));
  const lines = new Set(refused.map((p) => p.line));
  names.forEach((n, i) => assert.ok(lines.has(2 + i * 6), `${n} refused at its line (got lines ${[...lines]})`));
  for (const s of corpus.sources.values()) assert.ok(!s.text.includes('SECRET'), `${s.id} read a file outside its folder`);

  // On disk: a source text that is a symlink out of the corpus folder is refused, never read.
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-confine-')));
  const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-outside-')));
  temps.push(root, outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'SECRET TEXT');
  fs.mkdirSync(path.join(root, 'sources'));
  fs.writeFileSync(path.join(root, 'sources', 'sources.yaml'), 'sources:\n  - id: linked\n    file: linked.txt\n    title: T\n    publisher: P\n    date: "2020"\n    language: en\n');
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'sources', 'linked.txt'));
  const read = readCorpusDir(root, { bundled: false });
  assert.ok(!read.inputs.some((i) => i.text.includes('SECRET')), 'the linked text is not read');
  assert.ok(read.problems.some((p) => p.code === 'bad-source-path' && p.file.endsWith('linked.txt')), 'refused with a problem');
});

test('YAML limits: bombs, deep nesting, duplicate keys, tabs and a 10 MB file are problems, never throws', () => {
  const cases: [string, string, string[]][] = [
    ['billion laughs', billionLaughs(), ['yaml-alias-limit']],
    ['5,000-deep flow nesting', deepFlowNesting(5000), ['yaml-too-deep', 'yaml-syntax']],
    ['5,000-deep block nesting', deepBlockNesting(5000), ['yaml-too-deep', 'yaml-syntax']],
    ['duplicate keys', duplicateKeys(), ['duplicate-key']],
    ['tabs', tabIndented(), ['yaml-tab', 'yaml-syntax']],
    ['10 MB file', bigYaml(10 * 1024 * 1024), ['file-too-large']],
  ];
  for (const [name, text, codes] of cases) {
    const started = Date.now();
    const corpus = withOverlay(text);
    const mine = corpus.problems.filter((p) => p.file === OVERLAY);
    assert.ok(mine.length > 0 && mine.length <= 51, `${name}: ${mine.length} problems`);
    assert.ok(mine.some((p) => codes.includes(p.code)), `${name}: got ${[...new Set(mine.map((p) => p.code))]}`);
    assert.ok(corpus.byId.get('jpmg'), `${name}: the bundled corpus still loads`);
    assert.ok(Date.now() - started < 60_000, `${name}: hang guard`);
  }
  const dup = withOverlay(duplicateKeys()).problems.find((p) => p.file === OVERLAY && p.code === 'duplicate-key')!;
  assert.equal(dup.line, 3, 'the duplicate key is reported at its own line');
});

test('deep nesting parsed twice cannot abort the process (V8 regexp tier-up near the stack limit)', async () => {
  // Run in a child: without the guard the second parse is a fatal V8 error that no try/catch can stop.
  const { spawnSync } = await import('node:child_process');
  const script = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures/hostile/deepTwice.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `child exited ${r.status} ${r.signal}: ${r.stderr.slice(-600)}`);
  assert.match(r.stdout, /survived/);
});
