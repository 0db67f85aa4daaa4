// Mention recognition: longest match, whole words, acronym case, ambiguity, Persian, offsets after emoji, line
// endings and BOM, wikilinks, options and the per-version cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, createLineIndex } from '../../server/src/core/analysis/analyze';
import { AnalysisCache } from '../../server/src/core/analysis/cache';
import { getMatcher } from '../../server/src/core/analysis/matcher';
import { loadCorpus } from '../../server/src/core/corpus/index';
import { analyze, buildCorpus, corpus, found, mentions, positions } from './helpers/corpusFixture';

// ---- line index ------------------------------------------------------------------------------------------------

test('line index: LF, CRLF and CR each end one line', () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    const text = ['alpha', 'beta', '', 'gamma'].join(eol);
    const idx = createLineIndex(text);
    assert.equal(idx.lineCount, 4);
    const gamma = text.indexOf('gamma');
    assert.deepEqual(idx.positionAt(gamma + 2), { line: 3, character: 2 });
    assert.equal(idx.offsetAt({ line: 3, character: 2 }), gamma + 2);
    assert.deepEqual(idx.positionAt(text.indexOf('beta')), { line: 1, character: 0 });
    // Past the end of a line clamps to the line's end (before its break).
    assert.equal(idx.offsetAt({ line: 0, character: 99 }), 5);
  }
});

test('line index: edges — empty text, trailing newline, out-of-range positions, offset inside CRLF', () => {
  const empty = createLineIndex('');
  assert.equal(empty.lineCount, 1);
  assert.deepEqual(empty.positionAt(10), { line: 0, character: 0 });
  const t = 'ab\r\ncd\n';
  const idx = createLineIndex(t);
  assert.equal(idx.lineCount, 3);
  assert.deepEqual(idx.positionAt(3), { line: 0, character: 2 }, 'between CR and LF');
  assert.deepEqual(idx.positionAt(t.length), { line: 2, character: 0 });
  assert.deepEqual(idx.positionAt(-5), { line: 0, character: 0 });
  assert.equal(idx.offsetAt({ line: 9, character: 0 }), t.length);
  assert.equal(idx.offsetAt({ line: -1, character: 3 }), 0);
});

test('line index: characters are UTF-16 code units', () => {
  const text = '😀 x\n👩‍👩‍👧 y';
  const idx = createLineIndex(text);
  assert.deepEqual(idx.positionAt(text.indexOf('x')), { line: 0, character: 3 });
  assert.deepEqual(idx.positionAt(text.indexOf('y')), { line: 1, character: 9 });
});

// ---- plain mentions --------------------------------------------------------------------------------------------

test('longest match wins: "Director General Eshel" beats "Eshel"', () => {
  assert.deepEqual(mentions('Director General Eshel spoke; later Eshel left.'), [
    ['Director General Eshel', 'eshel'],
    ['Eshel', 'eshel'],
  ]);
  assert.deepEqual(found('Israel Ministry of Defense and Ministry of Defense'), ['Israel Ministry of Defense', 'Ministry of Defense']);
});

test('a multi-word name may wrap inside a paragraph, not across a blank line or a code span', () => {
  assert.deepEqual(found('Director General\nEshel'), ['Director General\nEshel']);
  assert.deepEqual(found('Director   General \t Eshel'), ['Director   General \t Eshel']);
  assert.deepEqual(found('Director General\n\nEshel'), ['Eshel']);
  assert.deepEqual(found('Director General `x` Eshel'), ['Eshel']);
  assert.deepEqual(found('> Director General\n> Eshel'), ['Director General\n> Eshel'], 'block-quote markers read as spaces');
});

test('whole words only', () => {
  assert.deepEqual(found('Eshelon preEshel Eshel_x Eshel2 xEshel'), []);
  assert.deepEqual(found('(Eshel) "Eshel", Eshel. -Eshel- Eshel!'), ['Eshel', 'Eshel', 'Eshel', 'Eshel', 'Eshel']);
  assert.deepEqual(found('**Eshel** _JPMG_ __QME__'), ['Eshel', 'JPMG', 'QME'], 'emphasis underscores are delimiters');
  assert.deepEqual(found('Eshel_x x_JPMG'), [], 'but not an underscore inside a word');
});

test('possessives still mention the entity', () => {
  assert.deepEqual(found('Eshel’s team and Eshel\'s deputy'), ['Eshel', 'Eshel']);
});

test('acronyms are case-sensitive; an all-capitals form of a mixed-case acronym counts', () => {
  assert.deepEqual(found('JPMG jpmg Jpmg jPMG'), ['JPMG']);
  assert.deepEqual(found('QME qme'), ['QME']);
  assert.deepEqual(found('DoD DOD dod Dod'), ['DoD', 'DOD']);
  assert.deepEqual(found('the US and us'), ['US']);
  assert.deepEqual(found('Joint Political-Military Group / joint political-military group'), [
    'Joint Political-Military Group', 'joint political-military group',
  ], 'names that are not acronyms match in any case');
});

test('every declared spelling of a case-sensitive key counts ("IMOD" and "IMoD" share the key "imod")', () => {
  const c = buildCorpus([{ id: 'imod', kind: 'organisation', name: 'Israeli Ministry of Defense', aliases: ['IMOD', { text: 'IMoD', acronym: true }] }]);
  assert.equal(c.aliases.get('imod')?.text, 'IMOD', 'the index keeps one text per key');
  assert.deepEqual(mentions('IMOD IMoD imod Imod', undefined, c), [['IMOD', 'imod'], ['IMoD', 'imod']]);
});

test('fullwidth acronyms match through NFKC, in capitals only', () => {
  assert.deepEqual(found('ＪＰＭＧ ｊｐｍｇ'), ['ＪＰＭＧ']);
});

test('an ambiguous alias gives one mention with several entity ids', () => {
  assert.deepEqual(mentions('Chollet and Derek Chollet'), [['Chollet', 'chollet,chollet-2'], ['Derek Chollet', 'chollet']]);
});

test('emoji and ZWJ sequences before a mention keep offsets exact', () => {
  const text = '👩‍👩‍👧‍👦😀 🇮🇱 Eshel';
  const a = analyze(text);
  assert.equal(a.mentions.length, 1);
  assert.equal(a.mentions[0].start, text.indexOf('Eshel'));
  assert.equal(a.mentions[0].end, text.length);
  assert.deepEqual(a.lineIndex.positionAt(a.mentions[0].start), { line: 0, character: text.indexOf('Eshel') });
  assert.deepEqual(found('😀Eshel😀'), ['Eshel'], 'emoji are not word characters');
});

test('LF, CRLF, CR and a BOM give the same mentions at the same positions', () => {
  const lines = ['---', 'date: 2022-10-25', '---', '# Director General', 'Eshel met the JPMG', '', '```', 'Eshel', '```',
    '', '    QME code', '', '[[eshel|the DG]] and Chollet <!-- Eshel', 'multi --> QME'];
  const lf = positions(lines.join('\n'));
  assert.ok(lf.length >= 5, lf.join('\n'));
  assert.deepEqual(positions(lines.join('\r\n')), lf);
  assert.deepEqual(positions(lines.join('\r')), lf);
  const bom = positions('\uFEFF' + lines.join('\r\n'));
  // The BOM is one code unit on line 0, before the front matter: later lines are unchanged.
  assert.deepEqual(bom, lf);
});

test('Persian: with and without ZWNJ, Arabic yeh and kaf, Persian and ASCII digits', () => {
  assert.deepEqual(mentions('دفتر امور سیاسی‌نظامی'), [['دفتر امور سیاسی‌نظامی', 'pm-bureau']]);
  assert.deepEqual(mentions('دفتر امور سیاسینظامی'), [['دفتر امور سیاسینظامی', 'pm-bureau']]);
  assert.deepEqual(mentions('وزارت دفاع اسرائيل'), [['وزارت دفاع اسرائيل', 'imod']], 'Arabic yeh');
  assert.deepEqual(mentions('یادداشت تفاهم ۲۰۱۶'), [['یادداشت تفاهم ۲۰۱۶', 'mou-2016']]);
  assert.deepEqual(mentions('یادداشت تفاهم 2016'), [['یادداشت تفاهم 2016', 'mou-2016']]);
  assert.deepEqual(mentions('الکرياه'), [['الکرياه', 'kirya']], 'Persian keheh for Arabic kaf');
  assert.deepEqual(mentions('درور اشل و تهران'), [['درور اشل', 'eshel'], ['تهران', 'tehran']]);
  assert.deepEqual(mentions('درورِ اشل'), [['درورِ اشل', 'eshel']], 'vowel marks are ignored');
});

test('Persian whole words: an attached suffix after ZWNJ is still part of the word', () => {
  assert.deepEqual(found('تهران‌ها'), []);
  assert.deepEqual(found('تهرانی'), []);
  assert.deepEqual(found('«تهران»'), ['تهران']);
});

test('mentions never split a surrogate pair and cover the whole name', () => {
  const c = buildCorpus([{ id: 'math', name: '𝐀𝐁𝐂 Group' }]);
  const text = 'x 𝐀𝐁𝐂 Group y';
  const a = analyzeDocument(text, 1, c);
  assert.equal(a.mentions.length, 1);
  assert.equal(text.slice(a.mentions[0].start, a.mentions[0].end), '𝐀𝐁𝐂 Group');
  assert.deepEqual(mentions('ABC group', undefined, c), [['ABC group', 'math']], 'NFKC folds mathematical letters');
});

test('a ligature that folds to several units matches only as a whole', () => {
  const c = buildCorpus([{ id: 'f', name: 'fi' }, { id: 'office', name: 'oﬃce' }]);
  assert.deepEqual(mentions('ﬁ', undefined, c), [['ﬁ', 'f']]);
  assert.deepEqual(mentions('office', undefined, c), [['office', 'office']]);
  const half = buildCorpus([{ id: 'f', name: 'f' }]);
  assert.deepEqual(mentions('ﬁ f', undefined, half), [['f', 'f']], 'half of a ligature is not a match');
});

test('no plain mentions in code, comments or link destinations; plainText:false keeps wikilinks only', () => {
  const text = 'Eshel `JPMG` [[qme]] [QME](x/Eshel)';
  assert.deepEqual(mentions(text), [['Eshel', 'eshel'], ['[[qme]]', 'qme'], ['QME', 'qme']]);
  assert.deepEqual(mentions(text, { plainText: false }), [['[[qme]]', 'qme']]);
});

test('mentions come in document order and carry the alias text as matched', () => {
  const a = analyze('JPMG, Eshel, [[qme]], Director General Eshel');
  assert.deepEqual(a.mentions.map((m) => [m.form, m.matched]), [
    ['plain', 'JPMG'], ['plain', 'Eshel'], ['wikilink', 'qme'], ['plain', 'Director General Eshel'],
  ]);
  for (let i = 1; i < a.mentions.length; i++) assert.ok(a.mentions[i - 1].end <= a.mentions[i].start);
});

test('an empty corpus finds nothing and does not fail', () => {
  const empty = buildCorpus([]);
  assert.deepEqual(analyzeDocument('Eshel [[eshel]]', 1, empty).mentions.map((m) => m.entityIds), [[]]);
});

test('the matcher is built once per corpus', () => {
  const c = corpus();
  assert.equal(getMatcher(c), getMatcher(c));
  assert.notEqual(getMatcher(buildCorpus([{ id: 'a', name: 'A b' }])), getMatcher(c));
});

test('works with a corpus loaded from YAML by the corpus loader', () => {
  const yaml = [
    'entities:',
    '  - id: amir-eshel',
    '    kind: person',
    '    name: Amir Eshel',
    '    aliases: [Eshel, {text: IMOD DG, acronym: false}, {text: اشل, lang: fa}]',
    '    summary: Director General.',
    '    sources: [{source: ext-x, quote: "q", external: true, reference: "r"}]',
    '  - id: jpmg',
    '    kind: organisation',
    '    name: Joint Political-Military Group',
    '    aliases: [JPMG]',
    '    summary: The group.',
    '    sources: [{source: ext-x, quote: "q", external: true, reference: "r"}]',
  ].join('\n');
  const c = loadCorpus([{ file: '/c/people.yaml', text: yaml, bundled: false }], { checkQuotes: false, validateSchema: false });
  assert.ok(c.byId.has('amir-eshel'), JSON.stringify(c.problems));
  assert.deepEqual(mentions('Amir Eshel, Eshel, اشل, JPMG, jpmg, [[jpmg]], [[Amir Eshel|him]]', undefined, c), [
    ['Amir Eshel', 'amir-eshel'], ['Eshel', 'amir-eshel'], ['اشل', 'amir-eshel'], ['JPMG', 'jpmg'],
    ['[[jpmg]]', 'jpmg'], ['[[Amir Eshel|him]]', 'amir-eshel'],
  ]);
});

// ---- wikilinks -------------------------------------------------------------------------------------------------

test('wikilinks: [[id]], [[id|shown]], [[Name or alias]], unresolved', () => {
  const text = 'A [[eshel]] B [[ jpmg | the group ]] C [[Director General Eshel]] D [[Nobody Here]]';
  const a = analyze(text);
  const w = a.mentions.filter((m) => m.form === 'wikilink');
  assert.deepEqual(w.map((m) => [text.slice(m.start, m.end), m.entityIds.join(',')]), [
    ['[[eshel]]', 'eshel'], ['[[ jpmg | the group ]]', 'jpmg'], ['[[Director General Eshel]]', 'eshel'], ['[[Nobody Here]]', ''],
  ]);
  const shown = w[1];
  assert.equal(shown.target!.text, 'jpmg');
  assert.equal(text.slice(shown.target!.start, shown.target!.end), 'jpmg');
  assert.equal(shown.shown!.text, 'the group');
  assert.equal(text.slice(shown.shown!.start, shown.shown!.end), 'the group');
  assert.equal(w[0].shown, undefined);
  assert.equal(w[3].matched, 'Nobody Here');
});

test('wikilinks resolve by id before alias, and aliases through normalisation', () => {
  const c = buildCorpus([{ id: 'eshel', name: 'Amir Eshel' }, { id: 'other', name: 'eshel' }]);
  assert.deepEqual(mentions('[[eshel]] [[AMIR  ESHEL]]', undefined, c), [['[[eshel]]', 'eshel'], ['[[AMIR  ESHEL]]', 'eshel']]);
});

test('plain mentions inside a wikilink are not reported separately', () => {
  assert.deepEqual(found('[[eshel|Director General Eshel]] JPMG'), ['[[eshel|Director General Eshel]]', 'JPMG']);
});

test('not wikilinks: in code, across lines, empty, escaped, unclosed', () => {
  assert.deepEqual(found('`[[eshel]]`'), []);
  assert.deepEqual(found('```\n[[eshel]]\n```'), []);
  assert.deepEqual(analyze('[[eshel\n]]').mentions.map((m) => m.form), ['plain'], 'a line break ends the attempt');
  assert.deepEqual(found('[[ ]] [[|x]]'), []);
  assert.deepEqual(analyze('[[eshel').mentions.map((m) => m.form), ['plain'], 'unclosed: the name still counts as text');
  assert.deepEqual(found('[[a [[eshel]]'), ['[[eshel]]'], 'the innermost [[ wins');
  assert.deepEqual(found('[[[eshel]]]'), ['[[eshel]]']);
});

test('100,000 "[[" stay linear and find the one real wikilink', () => {
  const text = '[['.repeat(100_000) + ' [[eshel]] ' + '[[x'.repeat(50_000);
  const t0 = Date.now();
  const a = analyze(text);
  assert.ok(Date.now() - t0 < 20_000, 'hang guard');
  assert.deepEqual(a.mentions.map((m) => m.entityIds.join()), ['eshel']);
});

// ---- cache -----------------------------------------------------------------------------------------------------

test('the cache returns one analysis per version and recomputes on change', () => {
  const cache = new AnalysisCache(2);
  const c = corpus();
  const a1 = cache.get('file:///a.md', 1, 'Eshel', c);
  assert.equal(cache.get('file:///a.md', 1, 'Eshel', c), a1);
  const a2 = cache.get('file:///a.md', 2, 'JPMG', c);
  assert.notEqual(a2, a1);
  assert.equal(a2.version, 2);
  assert.deepEqual(a2.mentions.map((m) => m.matched), ['JPMG']);
  assert.equal(cache.size, 1, 'one entry per uri');
  // Another corpus or plain-text setting is another analysis.
  const other = buildCorpus([{ id: 'x', name: 'JPMG' }]);
  assert.deepEqual(cache.get('file:///a.md', 2, 'JPMG', other).mentions[0].entityIds, ['x']);
  assert.equal(cache.get('file:///a.md', 2, 'JPMG', other, { plainText: false }).mentions.length, 0);
  // Same version, different text (a reopened document): never serve the stale one.
  assert.deepEqual(cache.get('file:///a.md', 2, 'Eshel', c).mentions.map((m) => m.matched), ['Eshel']);
});

test('the cache is bounded, least recently used out', () => {
  const cache = new AnalysisCache(2);
  const c = corpus();
  const a = cache.get('a', 1, 'x', c);
  cache.get('b', 1, 'x', c);
  cache.get('a', 1, 'x', c); // refresh a
  cache.get('c', 1, 'x', c); // evicts b
  assert.equal(cache.size, 2);
  assert.equal(cache.peek('b'), undefined);
  assert.equal(cache.peek('a'), a);
  cache.delete('a');
  assert.equal(cache.peek('a'), undefined);
  cache.clear();
  assert.equal(cache.size, 0);
});
