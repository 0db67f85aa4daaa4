// The bundled corpus (corpus/): validates clean, every quote is verbatim in its source, every reference resolves,
// and the index answers for what the source documents call things.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findQuote } from '../../server/src/core/corpus/index';
import { normalize } from '../../server/src/core/normalize';
import { bundledCorpusDir, loadBundledCorpus } from '../../server/src/node/corpusFiles';
import type { Citation, Entity, EntityRef } from '../../server/src/core/types';

const corpus = loadBundledCorpus();
const fmt = (p: { file: string; line: number; column: number; code: string; message: string }) =>
  `${p.file}:${p.line + 1}:${p.column + 1}: ${p.code}: ${p.message}`;

function citationsOf(e: Entity): Citation[] {
  const out: Citation[] = [...e.sources];
  for (const a of e.aliases) out.push(...(a.sources ?? []));
  for (const r of e.roles ?? []) out.push(...r.sources);
  for (const f of [e.date, e.format, e.ordinal]) if (f) out.push(...f.sources);
  for (const r of refsOf(e)) out.push(...r.sources);
  for (const c of e.commits ?? []) out.push(...c.sources);
  return out;
}

function refsOf(e: Entity): EntityRef[] {
  return [
    ...(e.place ? [e.place] : []), ...(e.parent ? [e.parent] : []),
    ...(e.participants ?? []), ...(e.organisations ?? []), ...(e.agreements ?? []), ...(e.topics ?? []),
    ...(e.parties ?? []), ...(e.related ?? []),
  ];
}

test('the bundled corpus is found and has the five sources', () => {
  assert.ok(bundledCorpusDir(), 'corpus/sources/sources.yaml above the code');
  assert.deepEqual([...corpus.sources.keys()].sort(), ['seed-000', 'seed-001', 'seed-002', 'seed-003', 'seed-004']);
  for (const s of corpus.sources.values()) assert.ok(s.text.length > 1000, `${s.id} text loaded`);
});

test('the bundled corpus validates clean (no errors or warnings)', () => {
  const serious = corpus.problems.filter((p) => p.severity !== 'information');
  assert.deepEqual(serious.map(fmt), []);
  assert.ok(corpus.entities.length > 0);
});

test('every non-external quote in the bundled corpus is verbatim in its source', () => {
  const bad: string[] = [];
  let n = 0;
  for (const e of corpus.entities) {
    for (const c of citationsOf(e)) {
      if (c.external) {
        assert.ok(corpus.externalSources?.has(c.source), `${e.id}: external ${c.source} is declared`);
        assert.ok(c.reference && c.reference.trim(), `${e.id}: external citation has a reference`);
        continue;
      }
      n++;
      const src = corpus.sources.get(c.source);
      if (!src || !findQuote(src.text, c.quote)) bad.push(`${e.id}: ${c.source}: "${c.quote}"`);
    }
  }
  assert.deepEqual(bad, []);
  assert.ok(n > 0);
});

test('every reference in the bundled corpus resolves', () => {
  const dangling: string[] = [];
  for (const e of corpus.entities) {
    for (const r of refsOf(e)) if (!corpus.byId.has(r.entity)) dangling.push(`${e.id} → ${r.entity}`);
    for (const role of e.roles ?? []) if (role.organisation && !corpus.byId.has(role.organisation)) dangling.push(`${e.id} → ${role.organisation}`);
  }
  assert.deepEqual(dangling, []);
});

test('every entity has a name, a summary and at least one source', () => {
  for (const e of corpus.entities) {
    assert.ok(e.name.trim(), e.id);
    assert.ok(e.summary.trim(), `${e.id} summary`);
    assert.ok(e.sources.length > 0, `${e.id} sources`);
  }
});

test('the alias index knows what the documents call the JPMG, and every name maps back to its entity', () => {
  for (const name of ['JPMG', 'Joint Political-Military Group']) {
    const entry = corpus.aliases.get(normalize(name));
    assert.ok(entry, name);
    assert.ok(entry.entityIds.includes('jpmg'), `${name} → ${entry.entityIds.join(', ')}`);
  }
  assert.equal(corpus.aliases.get('jpmg')?.caseSensitive, true);
  for (const e of corpus.entities) {
    assert.ok(corpus.aliases.get(normalize(e.name))?.entityIds.includes(e.id), `${e.id}: its name is indexed`);
  }
});
