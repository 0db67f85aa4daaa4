// The corpus search behind completion and workspace symbols, on a hand-made corpus: an id that is also an alias
// key, a name the alias index lacks, an alias entry naming its entity twice. Each is found, each entity once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SearchIndex } from '../../server/src/core/features/corpusView';
import type { AliasEntry, Corpus, Entity } from '../../server/src/core/types';

const entity = (id: string, name: string): Entity => ({
  id, kind: 'organisation', name, aliases: [], summary: '', sources: [], origin: { file: '/c.yaml', line: 0, column: 0 },
});
const alias = (key: string, text: string, entityIds: string[]): [string, AliasEntry] =>
  [key, { key, text, entityIds, caseSensitive: false, lang: 'en' }];

const jpmg = entity('jpmg', 'Joint Political-Military Group');
const bee = entity('bee-office', 'Bee Office');
const corpus: Corpus = {
  entities: [jpmg, bee],
  byId: new Map([[jpmg.id, jpmg], [bee.id, bee]]),
  aliases: new Map([
    alias('jpmg', 'JPMG', ['jpmg', 'jpmg']),
    alias('joint political-military group', 'Joint Political-Military Group', ['jpmg']),
  ]),
  sources: new Map(),
  problems: [],
  files: [],
};

test('ids, names and aliases are all found, and every entity once', () => {
  const index = new SearchIndex(corpus);
  const ids = (q: string) => index.query(q, 10).hits.map((h) => h.entity.id);
  assert.deepEqual(ids('jpmg'), ['jpmg']);
  assert.deepEqual(ids('joint'), ['jpmg']);
  assert.deepEqual(ids('military'), ['jpmg']);
  assert.deepEqual(ids('bee'), ['bee-office'], 'a name the alias index lacks, and the id, find it once');
  assert.deepEqual(ids('office'), ['bee-office']);
  assert.deepEqual(ids('zzz'), []);
});
