// The matcher's first-word filter (a word is skipped whole unless its leading ASCII letters and digits are some
// key's) is only a shortcut: with it and without it, the matcher must find exactly the same mentions. Texts are
// built from the corpus's own aliases and their prefixes, in any case, joined by the separators and non-ASCII
// characters where folding and word boundaries are delicate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildMatcher } from '../../server/src/core/analysis/matcher';
import { scanMarkdown } from '../../server/src/core/analysis/markdown';
import { sortedAliasKeys } from '../../server/src/core/corpus/aliases';
import { loadBundledCorpus } from '../../server/src/node/corpusFiles';
import type { Corpus } from '../../server/src/core/types';
import { buildCorpus } from './helpers/corpusFixture';

/** Keys whose folding is delicate where a first run ends: diacritics, ligatures, apostrophes, soft hyphens, ™. */
const tricky = buildCorpus([
  { id: 'muller', name: 'Hans Müller', aliases: ['Müller', 'Mueller'] },
  { id: 'strasse', name: 'Straße Group', aliases: ['Strasse'] },
  { id: 'finance', name: 'ﬁnance board', aliases: ['Finance Board'] },
  { id: 'ebert', name: 'Ébert', aliases: ['Ebert Plan'] },
  { id: 'obrien', name: 'O’Brien', aliases: ["O'Brien", 'OBrien'] },
  { id: 'coop', name: 'Co\u00adop Council', aliases: ['Coop Council'] },
  { id: 'acme', name: 'Acme™ Systems', aliases: ['AcmeTM', 'ACME'] },
  { id: 'f35', kind: 'agreement', name: 'F-35 sale', aliases: ['F35', 'F-35'] },
  { id: 'us', kind: 'organisation', name: 'U.S. government', aliases: ['US', 'U.S.'] },
  // Keys that begin with ASCII punctuation: a match may begin there, mid-word or not.
  { id: 'uprog', kind: 'agreement', name: '(U) Program', aliases: ['#JPMGTalks', '.NET Council', '"Iron Dome"', '-Minus Plan'] },
]);

function matchersFor(corpus: Corpus) {
  const keys = sortedAliasKeys(corpus);
  const aliasTexts = [...new Set(corpus.entities.flatMap((e) => [e.name, ...e.aliases.map((a) => a.text)]))];
  return {
    filtered: buildMatcher(corpus.aliases.values(), undefined, keys),
    unfiltered: buildMatcher(corpus.aliases.values(), undefined, keys, { firstRunFilter: false }),
    aliasTexts,
    words: aliasTexts.flatMap((t) => t.split(/\s+/)).filter((w) => w.length > 0),
  };
}

const fragmentsOf = ({ aliasTexts, words }: { aliasTexts: string[]; words: string[] }) => fc.oneof(
  fc.constantFrom(...aliasTexts),
  fc.constantFrom(...words),
  // A prefix of a word: the automaton walks into it and fails, where the filter skips it.
  fc.tuple(fc.constantFrom(...words), fc.nat()).map(([w, n]) => w.slice(0, 1 + (n % w.length))),
  // A word with letters glued on, before or after.
  fc.tuple(fc.constantFrom(...words), fc.constantFrom('s', 'x', 'é', 'ü', '1', 'ing')).map(([w, s]) => w + s),
  fc.tuple(fc.constantFrom('x', 'Re', 'é', '3'), fc.constantFrom(...words)).map(([p, w]) => p + w),
  fc.constantFrom('the', 'of', 'and', 'Security', 'STATE', 'us', 'US', 'U.S', 'idf', 'IDF', 'Idf', 'f', 'F-35', '2016', 'mou'),
  fc.constantFrom('é', 'ü', 'ß', 'ﬁ', '™', '\u00ad', '\u200c', '\u200e', 'ـ', 'ی', 'ك', '٣', '’', '“', '—', '–', '😀'),
);
const separator = fc.constantFrom(' ', ' ', ' ', '-', '.', ', ', '’', "'", '_', '/', '\n', '  ', '', '(', ')', '\t', '&');
const anyCase = (t: string, mode: number) => (mode === 0 ? t : mode === 1 ? t.toUpperCase() : t.toLowerCase());

for (const [name, corpus] of [['bundled', loadBundledCorpus()], ['tricky folds', tricky]] as const) {
  const m = matchersFor(corpus);
  const text = fc.array(fc.tuple(fragmentsOf(m), separator), { maxLength: 24 }).map((parts) => parts.map(([f, s]) => f + s).join(''));
  test(`the first-word filter finds exactly the mentions the full automaton finds (${name} corpus)`, () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 2 }), (t, mode) => {
        const written = anyCase(t, mode);
        const segments = scanMarkdown(written).segments;
        assert.deepEqual(m.filtered.find(written, segments), m.unfiltered.find(written, segments));
      }),
      { numRuns: 3000 },
    );
  });
}

test('the first-word filter: a whole brief of aliases in running text', () => {
  const { filtered, unfiltered, aliasTexts } = matchersFor(loadBundledCorpus());
  const brief = aliasTexts.map((a, i) => `${i % 3 ? 'the' : 'Re'} ${a}${i % 5 ? ',' : '.'} ${a.toUpperCase()}s ${a}`).join(' ');
  const segments = scanMarkdown(brief).segments;
  const expected = unfiltered.find(brief, segments);
  assert.ok(expected.length > aliasTexts.length, 'the brief names many entities');
  assert.deepEqual(filtered.find(brief, segments), expected);
});
