// The neighbour index filled from existing keys (NeighbourIndex.over): the same answers as one filled pair by pair,
// whether its keys arrive sorted or not; values are asked for only for keys a lookup reaches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NeighbourIndex } from '../../server/src/core/checks/distance';

const WORDS = ['chollet', 'eshel', 'esher', 'gantz', 'esper', 'espen', 'eshel', 'weinberger', 'weinberg', 'a', 'ab'];

function lookups(index: NeighbourIndex<string>): unknown[] {
  return ['cholet', 'eshal', 'espr', 'weinburg', 'b', 'zzzz'].flatMap((q) => [1, 2].map((d) => index.lookup(q, d)));
}

test('over() finds what add() finds, from unsorted keys or from keys sorted in advance', () => {
  const added = new NeighbourIndex<string>(2);
  for (const w of WORDS) added.add(w, w.toUpperCase());
  const asked: string[] = [];
  const valuesOf = (key: string) => {
    asked.push(key);
    return [key.toUpperCase()];
  };
  const distinctValues = (hits: unknown[]) => JSON.stringify(hits).replace(/"ESHEL","ESHEL"/g, '"ESHEL"');
  const expected = distinctValues(lookups(added));
  assert.equal(JSON.stringify(lookups(NeighbourIndex.over(2, [...WORDS], valuesOf))), expected);
  assert.equal(JSON.stringify(lookups(NeighbourIndex.over(2, [...WORDS].sort(), valuesOf, true))), expected);
  assert.ok(!asked.includes('gantz'), 'a key no lookup reached was never asked for its values');
  assert.ok(expected.includes('CHOLLET') && expected.includes('"WEINBERG"'), 'the lookups find something');
});

test('over() leaves out keys whose values are empty (a key that no longer names anything)', () => {
  const index = NeighbourIndex.over(2, ['eshel', 'esher'], (key) => (key === 'esher' ? [] : [key]));
  assert.deepEqual(index.lookup('eshal', 1).map((h) => h.key), ['eshel']);
});
