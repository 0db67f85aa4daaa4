// The one normalisation shared by the corpus index and the mention matcher.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalize, normalizeWithMap } from '../../server/src/core/normalize';
import { loadCorpus } from '../../server/src/core/corpus/index';

const same = (a: string, b: string) => assert.equal(normalize(a), normalize(b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);

test('Persian: zero-width non-joiner present or absent, Arabic letter variants, Persian and Arabic digits', () => {
  same('پیمان‌های', 'پیمانهای');
  same('ي', 'ی');
  same('ك', 'ک');
  same('كرانه باختري', 'کرانه باختری');
  same('۲۰۱۶', '2016');
  same('٢٠١٦', '2016');
  same('مُشاور', 'مشاور'); // harakat
  same('گروه سیاسی‌نظامی', 'گروه سیاسینظامی');
});

test('dashes, apostrophes, quotes, case, spaces', () => {
  same('Political–Military', 'Political-Military');
  same('Political—Military', 'political-military');
  same('Israel’s', "Israel's");
  same('Israel`s', "Israel's");
  same('“JPMG”', '"jpmg"');
  same('Joint  Political\u00a0Military\tGroup', 'joint political military group');
  same('  JPMG  ', 'JPMG');
  same('ＪＰＭＧ', 'jpmg'); // NFKC
  assert.notEqual(normalize('JPMG'), normalize('JMPG'));
});

test('normalize agrees with normalizeWithMap on any text (the ASCII shortcut changes nothing)', () => {
  const unit = fc.constantFrom(...'aZ09 .-_`\'’–\u200c\u00a0\tيكی۲ÉéＡ😀'.split(''), ...['😀']);
  fc.assert(fc.property(fc.array(unit, { maxLength: 24 }).map((a) => a.join('')), (s) => {
    assert.equal(normalize(s), normalizeWithMap(s).text.trimEnd());
  }), { numRuns: 5000, seed: 7 });
  fc.assert(fc.property(fc.string({ maxLength: 30 }), (s) => {
    assert.equal(normalize(s), normalizeWithMap(s).text.trimEnd());
  }), { numRuns: 5000, seed: 8 });
});

test('the corpus index uses the normalisation: a Persian alias is found however it is typed', () => {
  const text = `entities:
  - id: west-bank
    kind: place
    name: West Bank
    aliases: [{text: کرانه باختری, lang: fa}, {text: پیمان‌های دفاعی, lang: fa}]
    summary: s
    sources: [{source: ext-x, quote: q, external: true, reference: r}]
`;
  const c = loadCorpus([
    { file: '/c/sources/sources.yaml', text: 'sources: []\nexternal: [{id: ext-x, title: T, publisher: P, date: "2020"}]\n', bundled: true },
    { file: '/c/places.yaml', text, bundled: true },
  ]);
  assert.deepEqual(c.problems.filter((p) => p.severity !== 'information'), []);
  assert.deepEqual(c.aliases.get(normalize('كرانه باختري'))?.entityIds, ['west-bank']);
  assert.deepEqual(c.aliases.get(normalize('پیمانهای دفاعی'))?.entityIds, ['west-bank']);
  assert.equal(c.aliases.get(normalize('کرانه باختری'))?.lang, 'fa');
  assert.equal(c.aliases.get(normalize('West Bank'))?.caseSensitive, false);
});
