// The precompiled schema validators (server/src/core/corpus/generated/schemaValidators.js, ajv standalone code
// generated at build time) are up to date with corpus/schema.json and give the very errors that compiling the schema
// with ajv at runtime gives, on the bundled corpus and on many broken variants of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import * as precompiled from '../../server/src/core/corpus/generated/schemaValidators';

const root = join(__dirname, '..', '..');
const corpusDir = join(root, 'corpus');

test('the generated validators are up to date with corpus/schema.json', () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'schemaValidators.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

/** What the loader compiled at runtime before the validators were precompiled (same options). */
function runtimeValidators(): Record<'entities' | 'sources', ValidateFunction> {
  const schema = JSON.parse(readFileSync(join(corpusDir, 'schema.json'), 'utf8')) as { $id?: string };
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false, verbose: true });
  ajv.addSchema(schema, 'corpus');
  const base = schema.$id ?? 'corpus';
  const get = (ref: string) => {
    const v = ajv.getSchema(`${base}#/$defs/${ref}`);
    assert.ok(v, `schema has $defs/${ref}`);
    return v;
  };
  return { entities: get('entityFile'), sources: get('sourcesFile') };
}

/** A small deterministic generator (no Math.random: failures must reproduce). */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 8) % n;
  };
}

const replacements: unknown[] = [
  null, 0, -3, 2.5, true, '', 'x', 'BAD ID', 'seed-001', 'seed-999', 'ext-abc', 'person', 'meeting', 'zz',
  '2020-13-01', '1999-02-30', '2019', [], ['a'], {}, { text: 'a' }, { text: 'a', lang: 'xx' }, { bogus: 1 },
  { source: 'seed-001' }, { source: 'ext-x', quote: 'q', external: true },
];

/** A copy of `value` with one to a few edits at random depths: a value replaced, a key deleted or added. */
function broken(value: unknown, rnd: (n: number) => number): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let edits = 1 + rnd(3);
  while (edits-- > 0) {
    let node: unknown = copy;
    let parent: Record<string | number, unknown> | undefined;
    let key: string | number | undefined;
    const depth = rnd(10);
    for (let d = 0; d <= depth && node && typeof node === 'object'; d++) {
      const keys = Object.keys(node);
      if (!keys.length) break;
      parent = node as Record<string | number, unknown>;
      key = Array.isArray(node) ? rnd(node.length) : keys[rnd(keys.length)]!;
      node = parent[key];
    }
    if (!parent || key === undefined) continue;
    const what = rnd(4);
    if (what === 0 && !Array.isArray(parent)) delete parent[key];
    else if (what === 1 && node && typeof node === 'object' && !Array.isArray(node)) (node as Record<string, unknown>)[`extra${rnd(3)}`] = 1;
    else parent[key] = structuredClone(replacements[rnd(replacements.length)]);
  }
  return copy;
}

test('precompiled validators give the same verdicts and error objects as ajv compiling the schema at runtime', () => {
  const runtime = runtimeValidators();
  const files: ['entities' | 'sources', unknown][] = readdirSync(corpusDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ['entities', parse(readFileSync(join(corpusDir, f), 'utf8'))]);
  files.push(['sources', parse(readFileSync(join(corpusDir, 'sources', 'sources.yaml'), 'utf8'))]);
  assert.ok(files.length >= 7, 'the bundled corpus files are found');

  const rnd = random(20221025);
  const keywords = new Set<string>();
  let invalid = 0;
  for (const [kind, value] of files) {
    for (let i = 0; i <= 400; i++) {
      const data = i === 0 ? value : broken(value, rnd);
      const expected = runtime[kind](data);
      const actual = precompiled[kind](data);
      assert.equal(actual, expected, `${kind} verdict, case ${i}`);
      assert.deepEqual(precompiled[kind].errors ?? null, runtime[kind].errors ?? null, `${kind} errors, case ${i}`);
      if (i === 0) assert.equal(actual, true, `bundled ${kind} file is valid`);
      if (!expected) invalid++;
      for (const e of runtime[kind].errors ?? []) keywords.add(e.keyword);
    }
  }
  // The broken variants exercise the schema's kinds of rule, not only type errors.
  assert.ok(invalid > files.length * 300, `most variants are invalid (${invalid})`);
  for (const k of ['type', 'required', 'additionalProperties', 'enum', 'pattern', 'oneOf', 'false schema']) {
    assert.ok(keywords.has(k), `some variant fails a ${k} rule (saw ${[...keywords].join(', ')})`);
  }
});
