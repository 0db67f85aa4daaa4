// The corpus loader on hand-made corpora: each broken fixture names, in its header, the problems it must give
// (`# expect: CODE LINE:COL`, 0-based; `*` for a column that depends on the runtime) and the loader must give
// exactly those, at those places. Also overlays, the alias index, sources and quotes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findQuote, loadCorpus, type CorpusInput } from '../../server/src/core/corpus/index';
import { normalize } from '../../server/src/core/normalize';
import { loadCorpusDirs, readCorpusDir } from '../../server/src/node/corpusFiles';
import type { Corpus, CorpusProblem } from '../../server/src/core/types';

const FIXTURES = join(__dirname, '..', 'fixtures', 'corpora');
const baseInputs = (): CorpusInput[] => readCorpusDir(join(FIXTURES, 'base'), { bundled: true }).inputs;
const serious = (c: Corpus) => c.problems.filter((p) => p.severity !== 'information');

interface Expectation { code: string; line: number; column: number | '*' }

function expectations(text: string): { expected: Expectation[]; cascade: boolean } {
  const expected: Expectation[] = [];
  for (const m of text.matchAll(/^# expect: (\S+) (\d+):(\d+|\*)$/gm)) {
    expected.push({ code: m[1]!, line: Number(m[2]), column: m[3] === '*' ? '*' : Number(m[3]) });
  }
  return { expected, cascade: /^# cascade:/m.test(text) };
}

function checkExpectations(name: string, text: string, problems: readonly CorpusProblem[]) {
  const { expected, cascade } = expectations(text);
  assert.ok(expected.length > 0, `${name} has no expectations`);
  const show = problems.map((p) => `${p.code} ${p.line}:${p.column} ${p.message}`).join('\n');
  for (const e of expected) {
    const hit = problems.some((p) => p.code === e.code && p.line === e.line && (e.column === '*' || p.column === e.column));
    assert.ok(hit, `${name}: expected ${e.code} at ${e.line}:${e.column}; got\n${show}`);
  }
  if (cascade) {
    const first = problems[0]!;
    assert.equal(first.code, expected[0]!.code, `${name}: the first problem is the cause`);
  } else {
    assert.equal(problems.length, expected.length, `${name}: exactly the expected problems; got\n${show}`);
  }
}

test('the fixture base corpus loads clean', () => {
  const c = loadCorpus(baseInputs());
  assert.deepEqual(serious(c), []);
  assert.equal(c.entities.length, 5);
  assert.equal(c.sources.get('doc-a')?.text.startsWith('The Joint Political-Military Group'), true);
  assert.equal(c.externalSources?.get('ext-test')?.reference, 'Somebody, 2020');
});

for (const name of readdirSync(join(FIXTURES, 'broken')).sort()) {
  test(`broken fixture ${name}: the right problems at the right places, never a crash`, () => {
    const text = readFileSync(join(FIXTURES, 'broken', name), 'utf8');
    const file = join(FIXTURES, 'broken', name);
    const c = loadCorpus([...baseInputs(), { file, text, bundled: true }]);
    const mine = c.problems.filter((p) => p.file === file);
    checkExpectations(name, text, mine);
    // The rest of the corpus still loads and stays clean.
    for (const id of ['jpmg', 'derek-chollet', 'amir-eshel']) assert.ok(c.byId.has(id), `${id} still loaded`);
    assert.deepEqual(serious(c).filter((p) => p.file !== file), []);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  });
}

test('bad sources: missing files, escaping paths and duplicate ids are problems; no file outside is read', () => {
  const dir = join(FIXTURES, 'bad-sources');
  const sourcesYaml = join(dir, 'sources', 'sources.yaml');
  const c = loadCorpusDirs([{ dir, bundled: true }]);
  checkExpectations('bad-sources', readFileSync(sourcesYaml, 'utf8'), c.problems.filter((p) => p.file === sourcesYaml));
  assert.equal(c.sources.get('ok')?.text, 'A fine source text.\n');
  assert.equal(c.sources.has('escape'), false);
  assert.equal(c.sources.has('absolute'), false);
  // No input beyond the folder was read.
  const r = readCorpusDir(dir, { bundled: true });
  for (const input of r.inputs) assert.ok(input.file.startsWith(dir), input.file);
});

test('source paths are resolved in the core without touching the file system', () => {
  const yaml = 'sources:\n  - {id: s, file: "sub/./t.txt", title: T, publisher: P, date: "2020", language: en}\n';
  const c = loadCorpus([
    { file: '/c/sources/sources.yaml', text: yaml, bundled: true },
    { file: '/c/sources/sub/t.txt', text: 'hello', bundled: true },
  ]);
  assert.equal(c.sources.get('s')?.path, '/c/sources/sub/t.txt');
  assert.equal(c.sources.get('s')?.text, 'hello');
  const win = loadCorpus([
    { file: 'C:\\c\\sources\\sources.yaml', text: yaml.replace('sub/./t.txt', 'sub\\\\t.txt'), bundled: true },
    { file: 'C:\\c\\sources\\sub\\t.txt', text: 'hi', bundled: true },
  ]);
  assert.equal(win.sources.get('s')?.text, 'hi');
});

test('entity origins point at the `id:` key', () => {
  const c = loadCorpus(baseInputs());
  const e = c.byId.get('amir-eshel')!;
  assert.ok(e.origin.file.endsWith('people.yaml'));
  const line = readFileSync(e.origin.file, 'utf8').split('\n')[e.origin.line]!;
  assert.equal(line.slice(e.origin.column, e.origin.column + 3), 'id:');
  assert.match(line, /id: amir-eshel/);
});

test('alias index: names, aliases and generated title + surname forms; acronyms case-sensitive', () => {
  const c = loadCorpus(baseInputs());
  const get = (s: string) => c.aliases.get(normalize(s));
  assert.deepEqual(get('JPMG')?.entityIds, ['jpmg']);
  assert.equal(get('JPMG')?.caseSensitive, true);
  assert.equal(get('Joint Political-Military Group')?.caseSensitive, false);
  assert.deepEqual(get('Counselor Chollet')?.entityIds, ['derek-chollet']);
  assert.deepEqual(get('Director General Eshel')?.entityIds, ['amir-eshel']);
  assert.deepEqual(get('Maj. Gen. (ret.) Eshel')?.entityIds, ['amir-eshel']);
  assert.deepEqual(get('Washington, D.C.')?.entityIds, ['washington']);
  assert.equal(get('Derek Chollet')?.text, 'Derek Chollet');
  assert.equal(get('the group')?.lang, 'en');
});

test('an alias naming two entities maps to both; declared on both it is no problem', () => {
  const overlay = `entities:
  - id: another-group
    kind: topic
    name: Another group
    aliases: [{text: The Group, ambiguous: true}]
    summary: Shares a declared ambiguous alias.
    sources: [{source: ext-test, quote: "x", external: true, reference: "Somebody, 2020"}]
`;
  const c = loadCorpus([...baseInputs(), { file: '/ws/.jpmg/a.yaml', text: overlay, bundled: false }]);
  assert.deepEqual(serious(c), []);
  assert.deepEqual(c.aliases.get('the group')?.entityIds, ['jpmg', 'another-group']);
  // Undeclared on one side: still both ids, and a problem at the overlay's alias.
  const c2 = loadCorpus([...baseInputs(), { file: '/ws/.jpmg/a.yaml', text: overlay.replace(', ambiguous: true', ''), bundled: false }]);
  assert.deepEqual(c2.aliases.get('the group')?.entityIds, ['jpmg', 'another-group']);
  const p = serious(c2);
  assert.equal(p.length, 1);
  assert.equal(p[0]!.code, 'alias-collision');
  assert.equal(p[0]!.file, '/ws/.jpmg/a.yaml');
  assert.deepEqual([p[0]!.line, p[0]!.column], [4, 21]);
});

test('generated title forms never displace a written alias, and two people sharing one keep both', () => {
  const people = `entities:
  - id: john-smith
    kind: person
    name: John Smith
    summary: One.
    sources: [{source: ext-test, quote: "x", external: true, reference: "r"}]
    roles: [{title: Envoy, titles: [Envoy], sources: [{source: ext-test, quote: "x", external: true, reference: "r"}]}]
  - id: jane-smith
    kind: person
    name: Jane Smith
    summary: Two.
    sources: [{source: ext-test, quote: "x", external: true, reference: "r"}]
    roles: [{title: Envoy, titles: [Envoy, Counselor], sources: [{source: ext-test, quote: "x", external: true, reference: "r"}]}]
  - id: envoy-smith-topic
    kind: topic
    name: Counselor Smith
    summary: A written name that a generated form must not take over.
    sources: [{source: ext-test, quote: "x", external: true, reference: "r"}]
`;
  const c = loadCorpus([...baseInputs(), { file: '/ws/p.yaml', text: people, bundled: false }]);
  assert.deepEqual(serious(c), []);
  assert.deepEqual(c.aliases.get('envoy smith')?.entityIds, ['john-smith', 'jane-smith']);
  assert.deepEqual(c.aliases.get('counselor smith')?.entityIds, ['envoy-smith-topic']);
  assert.ok(c.problems.some((p) => p.code === 'alias-ambiguous-title' && p.severity === 'information'));
});

test('discouraged aliases carry the preferred term', () => {
  const text = `entities:
  - id: west-bank
    kind: place
    name: West Bank
    aliases:
      - {text: Judea and Samaria, discouraged: true}
      - {text: the territories, discouraged: true, preferred: the West Bank}
    summary: A place with two names.
    sources: [{source: ext-test, quote: "x", external: true, reference: "r"}]
`;
  const c = loadCorpus([...baseInputs(), { file: '/ws/w.yaml', text, bundled: false }]);
  assert.deepEqual(serious(c), []);
  assert.deepEqual(c.aliases.get('judea and samaria')?.discouraged, { preferred: 'West Bank' });
  assert.deepEqual(c.aliases.get('the territories')?.discouraged, { preferred: 'the West Bank' });
  assert.equal(c.aliases.get('west bank')?.discouraged, undefined);
});

test('overlay merge: a bundled id is extended (lists appended, scalars replaced only when given)', () => {
  const overlay = `entities:
  - id: derek-chollet
    kind: person
    aliases: [D. Chollet]
    sources: [{source: ext-test, quote: "He was there.", external: true, reference: "Somebody, 2020"}]
  - id: amir-eshel
    kind: person
    name: Amir Eshel (ret.)
    summary: Replaced summary.
    sources: [{source: ext-test, quote: "y", external: true, reference: "Somebody, 2020"}]
  - id: new-person
    kind: person
    name: New Person
    summary: Added by the overlay.
    sources: [{source: ext-test, quote: "z", external: true, reference: "Somebody, 2020"}]
`;
  const file = '/ws/.jpmg/people.yaml';
  const c = loadCorpus([{ file, text: overlay, bundled: false }, ...baseInputs()]); // order of inputs: bundled first anyway
  const chollet = c.byId.get('derek-chollet')!;
  assert.equal(chollet.name, 'Derek Chollet');
  assert.equal(chollet.summary, 'Counselor of the Department of State.');
  assert.equal(chollet.sources.length, 2);
  assert.deepEqual(chollet.aliases.map((a) => a.text), ['D. Chollet']);
  assert.equal(chollet.roles?.length, 1);
  assert.ok(chollet.origin.file.endsWith('people.yaml') && !chollet.origin.file.startsWith('/ws'), 'origin stays bundled');
  assert.deepEqual(c.aliases.get('d. chollet')?.entityIds, ['derek-chollet']);
  const eshel = c.byId.get('amir-eshel')!;
  assert.equal(eshel.name, 'Amir Eshel (ret.)');
  assert.equal(eshel.summary, 'Replaced summary.');
  assert.deepEqual(eshel.aliases.map((a) => a.text), ['Eshel']);
  assert.deepEqual(c.aliases.get('amir eshel')?.entityIds, ['amir-eshel'], 'the old name still finds it');
  assert.equal(c.byId.get('new-person')?.origin.file, file);
  assert.equal(c.entities.length, 6);
  // An extending entry may leave out the name, summary and sources the schema requires of a new entity.
  assert.deepEqual(serious(c), []);
  const alone = loadCorpus([{ file, text: overlay.replace(/\n    name: New Person/, ''), bundled: false }, ...baseInputs()]);
  assert.deepEqual(serious(alone).map((p) => [p.code, p.line]), [['schema', 10]], 'a new entity still needs its name');
});

test('overlay: a kind mismatch is refused at the overlay, and the bundled entity is untouched', () => {
  const text = `entities:
  - id: jpmg
    kind: person
    name: Not a person
    summary: Wrong kind.
    sources: [{source: ext-test, quote: "x", external: true, reference: "r"}]
`;
  const c = loadCorpus([...baseInputs(), { file: '/ws/k.yaml', text, bundled: false }]);
  const p = serious(c);
  assert.equal(p.length, 1);
  assert.equal(p[0]!.code, 'overlay-kind-mismatch');
  assert.deepEqual([p[0]!.file, p[0]!.line, p[0]!.column], ['/ws/k.yaml', 2, 10]);
  assert.equal(c.byId.get('jpmg')?.kind, 'organisation');
  assert.equal(c.byId.get('jpmg')?.name, 'Joint Political-Military Group');
});

test("overlay problems land in the overlay; the bundled corpus's stay clean", () => {
  const text = `entities:
  - id: bad-overlay
    kind: meeting
    name: Bad overlay meeting
    summary: Dangling place, bad quote.
    sources: [{source: doc-a, quote: "not in the document"}]
    place: {entity: atlantis, sources: [{source: doc-a, quote: "met in Washington"}]}
`;
  const c = loadCorpus([...baseInputs(), { file: '/ws/o.yaml', text, bundled: false }]);
  const p = serious(c);
  assert.deepEqual(p.map((x) => [x.file, x.code, x.line, x.column]), [
    ['/ws/o.yaml', 'quote-not-verbatim', 5, 37],
    ['/ws/o.yaml', 'dangling-ref', 6, 20],
  ]);
});

test('a duplicate key in one overlay file, two files extending one id, and a file-internal duplicate id', () => {
  const one = `entities:
  - {id: x-topic, kind: topic, name: X, summary: s, sources: [{source: ext-test, quote: q, external: true, reference: r}]}
  - {id: x-topic, kind: topic, name: X again, summary: s, sources: [{source: ext-test, quote: q, external: true, reference: r}]}
`;
  const two = `entities:
  - {id: x-topic, kind: topic, aliases: [Ex], sources: [{source: ext-test, quote: q2, external: true, reference: r}]}
`;
  const c = loadCorpus([...baseInputs(), { file: '/ws/1.yaml', text: one, bundled: false }, { file: '/ws/2.yaml', text: two, bundled: false }]);
  const dup = c.problems.filter((p) => p.code === 'duplicate-id');
  assert.deepEqual(dup.map((p) => [p.file, p.line, p.column]), [['/ws/1.yaml', 2, 9]]);
  assert.equal(c.byId.get('x-topic')?.name, 'X');
  assert.deepEqual(c.byId.get('x-topic')?.aliases.map((a) => a.text), ['Ex']);
});

test('citations: external ids need external: true, seed ids must not have it', () => {
  const text = `entities:
  - id: cite-test
    kind: topic
    name: Cite test
    summary: s
    sources:
      - {source: ext-test, quote: "q"}
      - {source: doc-a, quote: "met in Washington", external: true, reference: r}
`;
  const c = loadCorpus([...baseInputs(), { file: '/ws/c.yaml', text, bundled: false }]);
  assert.deepEqual(serious(c).map((p) => [p.code, p.line, p.column]), [['unknown-source', 6, 17], ['unknown-source', 7, 17]]);
});

test('empty and comment-only files contribute nothing and no problem', () => {
  const c = loadCorpus([...baseInputs(), { file: '/ws/e.yaml', text: '', bundled: false }, { file: '/ws/f.yaml', text: '# nothing yet\n', bundled: false }]);
  assert.deepEqual(serious(c), []);
  assert.equal(c.entities.length, 5);
});

test('loadCorpus never throws, whatever it is given', () => {
  const hostile: unknown[] = [
    [], [{ file: 'a.yaml', text: '' }], [{ file: 'a.yaml', text: 'entities: 5' }], [{ file: 'a.yaml', text: '- 1\n- 2' }],
    [{ file: 'a.yaml', text: 'entities:\n  - 5\n  - [1]\n  - {id: 7}\n  - {id: a, kind: nope}\n' }],
    [{ file: 'sources.yaml', text: 'sources: [1, {id: x}, {id: y, file: 5}]\nexternal: {a: 1}' }],
    [{ file: 'a.yaml', text: 'x'.repeat(6_000_000) }], [null], [{ file: 5, text: 'x' }], [{ file: 'a.yaml', text: '\ufeff\r\r\r' }],
  ];
  for (const inputs of hostile) {
    const c = loadCorpus(inputs as CorpusInput[]);
    assert.ok(Array.isArray(c.problems));
  }
  const big = loadCorpus([{ file: 'big.yaml', text: 'x'.repeat(6_000_000), bundled: false }]);
  assert.deepEqual(big.problems.map((p) => [p.code, p.line, p.column]), [['file-too-large', 0, 0]]);
});

test('LF, CRLF, CR and a BOM give the same corpus and positions', () => {
  const base = readFileSync(join(FIXTURES, 'broken', 'dangling-ref.yaml'), 'utf8');
  const variants = [base, base.replace(/\n/g, '\r\n'), base.replace(/\n/g, '\r'), '\ufeff' + base];
  const results = variants.map((text) => {
    const c = loadCorpus([...baseInputs(), { file: '/x.yaml', text, bundled: true }]);
    return JSON.stringify({
      p: c.problems.filter((p) => p.file === '/x.yaml'),
      e: c.byId.get('jane-doe'),
    });
  });
  for (const r of results) assert.equal(r, results[0]);
});

test('findQuote: whitespace-insensitive, original offsets', () => {
  const src = 'Counselor  Derek\n  Chollet led the\r\nU.S. delegation.';
  const r = findQuote(src, 'Derek Chollet led the U.S. delegation')!;
  assert.equal(src.slice(r.start, r.end), 'Derek\n  Chollet led the\r\nU.S. delegation');
  assert.deepEqual(findQuote(src, '  Counselor\nDerek  '), findQuote(src, 'Counselor Derek'));
  assert.equal(src.slice(findQuote(src, 'Counselor Derek')!.start, findQuote(src, 'Counselor Derek')!.end), 'Counselor  Derek');
  assert.equal(findQuote(src, 'counselor derek'), undefined, 'case matters: quotes are verbatim');
  assert.equal(findQuote(src, ''), undefined);
  assert.equal(findQuote(src, '   '), undefined);
  assert.equal(findQuote(src, 'not there'), undefined);
  const fa = 'مشاور شولت و مدیر کل اشل';
  assert.deepEqual(findQuote(`x ${fa} y`, fa), { start: 2, end: 2 + fa.length });
});

test('a 12,000-entity overlay (one 4 MB file) loads, indexes and reports a planted problem (hang guard, no O(n²))', () => {
  const lines = ['entities:'];
  for (let i = 0; i < 12_000; i++) {
    lines.push(`  - id: gen-${i}`, '    kind: topic', `    name: Generated topic ${i}`, `    aliases: [GT${i}]`, '    summary: A generated topic.',
      `    sources: [{source: ext-test, quote: "Topic ${i}.", external: true, reference: "Somebody, 2020"}]`,
      `    related: [{entity: gen-${(i * 7) % 12_000}, sources: [{source: ext-test, quote: "x", external: true, reference: "r"}]}]`);
  }
  lines.push('  - {id: planted, kind: topic, name: Planted, summary: s, sources: [{source: ext-test, quote: q, external: true, reference: r}], related: [{entity: nowhere, sources: []}]}');
  const t0 = Date.now();
  const c = loadCorpus([...baseInputs(), { file: '/ws/gen.yaml', text: lines.join('\n') + '\n', bundled: false }]);
  assert.ok(Date.now() - t0 < 60_000, 'finishes (hang guard)');
  assert.equal(c.entities.length, 5 + 12_001);
  assert.deepEqual(c.aliases.get('gt11999')?.entityIds, ['gen-11999']);
  assert.equal(c.aliases.get('gt11999')?.caseSensitive, true);
  assert.equal(c.byId.get('gen-10345')?.origin.line, 1 + 10345 * 7);
  const p = serious(c);
  assert.deepEqual(p.map((x) => [x.code, x.line]), [['dangling-ref', 84_001], ['schema', 84_001]]);
});
