// Completion of ids inside corpus YAML on a large corpus: capped, ranked by the typed prefix, marked incomplete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeCorpusYaml, completeCorpusYamlList, MAX_YAML_COMPLETION_ITEMS } from '../../server/src/core/corpusYaml';
import type { Corpus, Entity } from '../../server/src/core/types';

function bigCorpus(n: number): Corpus {
  const entities: Entity[] = [];
  for (let i = 0; i < n; i++) {
    const kind: Entity['kind'] = i % 3 === 0 ? 'organisation' : 'person';
    const name = kind === 'person' ? `Person ${i} Zamani` : `Office ${i}`;
    entities.push({ id: `gen-${kind}-${i}`, kind, name, aliases: i === 1234 ? [{ text: 'Kalvendor' }] : [], summary: '', sources: [],
      origin: { file: '/w/.jpmg/x.yaml', line: i, column: 6 } } as Entity);
  }
  return { entities, byId: new Map(entities.map((e) => [e.id, e])), aliases: new Map(), sources: new Map(), externalSources: new Map(), problems: [], files: [] };
}

const corpus = bigCorpus(3000);

test('a large corpus gives at most the cap, marked incomplete; ids starting with the prefix first', () => {
  const text = '    organisation: gen-person-12';
  const list = completeCorpusYamlList(text, text.length, corpus)!;
  assert.equal(list.items.length, MAX_YAML_COMPLETION_ITEMS);
  assert.equal(list.isIncomplete, true);
  const starting = corpus.entities.filter((e) => e.id.startsWith('gen-person-12')).map((e) => e.id).sort();
  const ranked = [...list.items].sort((a, b) => a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0).map((i) => i.label);
  assert.deepEqual(ranked.slice(0, starting.length), starting, 'every id with the prefix, before anything else');
  for (const i of list.items) assert.deepEqual(i.replace, { start: text.length - 'gen-person-12'.length, end: text.length });
});

test('with an empty prefix the enclosing field\'s kind ranks first; an alias word match beats no match', () => {
  const empty = completeCorpusYamlList('    organisation: ', 18, corpus)!;
  assert.equal(empty.isIncomplete, true);
  assert.ok(empty.items.every((i) => corpus.byId.get(i.label)!.kind === 'organisation'), 'organisations fill the capped list');
  const alias = completeCorpusYaml('  - entity: kalv', 16, corpus)!;
  assert.equal([...alias].sort((a, b) => a.sortText < b.sortText ? -1 : 1)[0]!.label, 'gen-person-1234');
});

test('a small corpus is answered in full (not incomplete)', () => {
  const small = bigCorpus(50);
  const list = completeCorpusYamlList('  - entity: ', 12, small)!;
  assert.equal(list.items.length, 50);
  assert.equal(list.isIncomplete, false);
});
