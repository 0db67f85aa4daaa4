// The corpus YAML reader: the fast reader for the plain subset must give exactly what the `yaml` library gives
// (or decline), positions must agree with the library's, and hostile YAML must give problems, never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { fastParse, resolvePlain } from '../../server/src/core/corpus/fastYaml';
import { parseYamlText, type Path } from '../../server/src/core/corpus/yamlDoc';
import { loadCorpus } from '../../server/src/core/corpus/index';

const SCALARS = [
  'word', 'two words', 'Derek Chollet', '1', '-3', '+4', '1.5', '1.50', '.5', '1e3', '1E-2', '0x1F', '0o17', '0o9', '08',
  '.inf', '-.Inf', '.nan', 'null', 'Null', '~', 'true', 'True', 'FALSE', 'yes', 'no', 'on', '1_000', '2020-10-22',
  '12:30', 'a: b', 'a:b', 'a #b', 'a#b', "it's", 'say "hi"', '- x', '-x', '? x', ':x', '[x]', '{x}', 'x, y', 'x]',
  'http://a.b/c?d=1#e', ' lead', 'trail ', '', '#', '&a', '*a', '!tag', '|', '>', '@x', '`x`', '%x', 'a\\b',
  'گروه سیاسی-نظامی', 'پیمان‌های', '۲۰۱۶', '😀 ok', 'é', 'x\ty', 'a\nb', 'line1\nline2\n\nline4', '"', "'", '\\"',
];
const KEYS = ['id', 'name', 'kind', 'a', 'b_c', 'd-e', 'x1', 'true', 'null', '__proto__', 'a b', '"q"', '1', 'constructor', '<<'];

type Node = { t: 'map'; entries: [string, Node][] } | { t: 'seq'; items: Node[] } | { t: 'scalar'; s: string };

const SAFE = ['word', 'two words', 'Derek Chollet', 'گروه سیاسی-نظامی', '2020-10-22', '48', 'it\'s', 'x, y', 'U.S.'];
const scalar = fc.oneof(
  { arbitrary: fc.constantFrom(...SAFE), weight: 4 },
  { arbitrary: fc.constantFrom(...SCALARS), weight: 1 },
).map((s): Node => ({ t: 'scalar', s }));
const key = fc.oneof({ arbitrary: fc.constantFrom('id', 'name', 'kind', 'a', 'b_c', 'd-e', 'x1'), weight: 8 }, { arbitrary: fc.constantFrom(...KEYS), weight: 1 });
const tree = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }).map((entries): Node => ({ t: 'map', entries })),
    fc.array(tie('node'), { maxLength: 4 }).map((items): Node => ({ t: 'seq', items })),
  ),
})).node;
const style = fc.record({
  indent: fc.constantFrom(2, 4),
  scalarStyle: fc.constantFrom('plain', 'plain', 'double', 'single', 'json', 'block'),
  flow: fc.boolean(),
  comments: fc.boolean(),
  sameIndentSeq: fc.boolean(),
});
type Style = { indent: number; scalarStyle: string; flow: boolean; comments: boolean; sameIndentSeq: boolean };

function renderScalar(s: string, st: Style, indent: number): string {
  switch (st.scalarStyle) {
    case 'double': return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
    case 'single': return s.includes('\n') ? JSON.stringify(s) : `'${s.replace(/'/g, "''")}'`;
    case 'json': return JSON.stringify(s);
    case 'block': {
      const pad = ' '.repeat(indent + st.indent);
      return (s.length % 2 ? '>-' : '|') + '\n' + s.split('\n').map((l) => (l ? pad + l : '')).join('\n');
    }
    default: return s;
  }
}

function renderFlow(n: Node, st: Style): string {
  if (n.t === 'scalar') return st.scalarStyle === 'block' ? JSON.stringify(n.s) : renderScalar(n.s, st, 0);
  if (n.t === 'seq') return `[${n.items.map((i) => renderFlow(i, st)).join(', ')}]`;
  return `{${n.entries.map(([k, v]) => `${k}: ${renderFlow(v, st)}`).join(', ')}}`;
}

function render(n: Node, st: Style, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const c = st.comments ? ' # note' : '';
  const inline = (v: Node, at: number) => (st.flow || v.t === 'scalar' || (v.t === 'map' && v.entries.length === 0) || (v.t === 'seq' && v.items.length === 0))
    ? (v.t === 'scalar' ? renderScalar(v.s, st, at) : renderFlow(v, st)) : undefined;
  if (n.t === 'map') {
    if (n.entries.length === 0) return [pad + '{}'];
    const out: string[] = [];
    for (const [k, v] of n.entries) {
      const one = inline(v, indent);
      if (one !== undefined) out.push(`${pad}${k}: ${one}${one.includes('\n') ? '' : c}`);
      else {
        out.push(`${pad}${k}:${c}`);
        const childIndent = v.t === 'seq' && st.sameIndentSeq ? indent : indent + st.indent;
        out.push(...render(v, st, childIndent));
      }
    }
    return out;
  }
  if (n.t === 'seq') {
    if (n.items.length === 0) return [pad + '[]'];
    const out: string[] = [];
    for (const v of n.items) {
      const one = inline(v, indent);
      if (one !== undefined) out.push(`${pad}- ${one}`);
      else if (v.t === 'map') {
        const lines = render(v, st, indent + 2);
        out.push(`${pad}- ${lines[0]!.slice(indent + 2)}`, ...lines.slice(1));
      } else {
        out.push(`${pad}-${c}`, ...render(v, st, indent + st.indent));
      }
    }
    return out;
  }
  return [pad + renderScalar(n.s, st, indent)];
}

test('the fast reader gives exactly what the yaml library gives, or declines', () => {
  let accepted = 0;
  let runs = 0;
  fc.assert(fc.property(tree, style, (n, st) => {
    runs++;
    const text = render(n, st, 0).join('\n') + '\n';
    const fast = fastParse(text);
    if (!fast) return;
    const doc = parseDocument(text, { uniqueKeys: true });
    assert.deepEqual(doc.errors.map((e) => e.message), [], `the fast reader accepted invalid YAML:\n${text}`);
    assert.deepStrictEqual(fast.value, doc.toJS(), text);
    accepted++;
  }), { numRuns: 3000, seed: 20240601 });
  assert.ok(accepted > runs * 0.25, `the property must exercise the fast reader (accepted ${accepted} of ${runs})`);
});

test('documents with markers, directives or several documents go to the full parser', () => {
  for (const text of ['---\na: 1\n', 'a: 1\n...\n', '%YAML 1.2\n---\na: 1\n', 'a: 1\n---\nb: 2\n', '--- \na: 1\n']) {
    assert.equal(fastParse(text), undefined, JSON.stringify(text));
    const fast = parseYamlText('f.yaml', text);
    const lib = parseYamlText('f.yaml', text, undefined, { fast: false });
    assert.deepStrictEqual(fast.value, lib.value);
    assert.deepStrictEqual(fast.problems, lib.problems);
  }
  assert.deepStrictEqual(fastParse('a: ---x\nb: "..."\n')?.value, { a: '---x', b: '...' });
});

test('plain scalars resolve as in the YAML 1.2 core schema', () => {
  for (const s of SCALARS.filter((x) => !x.includes('\n') && x.trim() === x && !/^[-?:,[\]{}#&*!|>'"%@`]/.test(x) && !/: | #/.test(x))) {
    const lib = parseDocument(`v: ${s}\n`).toJS() as { v: unknown };
    assert.deepStrictEqual(resolvePlain(s), lib.v, s);
  }
});

function scalarPaths(value: unknown, path: (string | number)[] = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => scalarPaths(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => scalarPaths(v, [...path, k]));
  return [path];
}

test('positions from the fast reader agree with the yaml library', () => {
  const dir = join(__dirname, '..', 'fixtures', 'corpora', 'base');
  const texts = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(dir, f), 'utf8'));
  texts.push(readFileSync(join(dir, 'sources', 'sources.yaml'), 'utf8'));
  const corpusDir = join(__dirname, '..', '..', 'corpus');
  for (const f of readdirSync(corpusDir).filter((x) => x.endsWith('.yaml'))) texts.push(readFileSync(join(corpusDir, f), 'utf8'));
  let compared = 0;
  for (const text of texts) {
    const fast = parseYamlText('f.yaml', text);
    const lib = parseYamlText('f.yaml', text, undefined, { fast: false });
    assert.deepStrictEqual(fast.value, lib.value);
    for (const path of scalarPaths(lib.value)) {
      assert.deepEqual(fast.locate(path), lib.locate(path), `value at ${path.join('/')}`);
      if (typeof path[path.length - 1] === 'string') assert.deepEqual(fast.locate(path, 'key'), lib.locate(path, 'key'), `key at ${path.join('/')}`);
      compared++;
    }
  }
  assert.ok(compared > 100);
});

test('the bundled corpus files are read by the fast reader', () => {
  const corpusDir = join(__dirname, '..', '..', 'corpus');
  for (const f of readdirSync(corpusDir).filter((x) => x.endsWith('.yaml'))) {
    assert.ok(fastParse(readFileSync(join(corpusDir, f), 'utf8')), `${f} is in the fast subset`);
  }
});

test('hostile YAML gives problems, never an exception or a hang', () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    .concat('bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill('*' + 'abcdefghi'[i]).join(',')}]`)).join('\n');
  const cases: [string, string][] = [
    ['billion laughs', bomb],
    ['deep flow', '['.repeat(5000)],
    ['deep block', Array.from({ length: 3000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n')],
    ['deep seq', '- '.repeat(5000) + 'x'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['tabs', 'a:\n\tb: 1\n'],
    ['many errors', ']\n'.repeat(10000)],
    ['10 MB', 'entities:\n' + '  - {id: x}\n'.repeat(1_000_000)],
    ['control chars', 'a: "\u0000\u0001"\n'],
    ['lone surrogates', 'a: "\ud800"\nb: \udc00\n'],
  ];
  for (const [name, text] of cases) {
    const t0 = Date.now();
    const c = loadCorpus([{ file: `/h/${name}.yaml`, text, bundled: false }]);
    assert.ok(Date.now() - t0 < 20_000, `${name}: finishes (hang guard)`);
    assert.ok(c.problems.length <= 52, `${name}: problems are capped (${c.problems.length})`);
    if (name !== 'lone surrogates' && name !== 'control chars') assert.ok(c.problems.some((p) => p.severity === 'error'), `${name}: reported`);
  }
});
