// Properties of the analysis on random text (fast-check) and hostile or huge inputs (hang guards, not timings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeDocument } from '../../server/src/core/analysis/analyze';
import { streamNormalize } from '../../server/src/core/analysis/matcher';
import { computeLineStarts } from '../../server/src/core/analysis/lineIndex';
import { isWordCodePoint, normalize, normalizeWithMap } from '../../server/src/core/normalize';
import { analyze, corpus, positions } from './helpers/corpusFixture';

const HANG_GUARD_MS = 20_000;

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isCodePointBoundary(text: string, offset: number): boolean {
  return offset <= 0 || offset >= text.length || !(isHigh(text.charCodeAt(offset - 1)) && isLow(text.charCodeAt(offset)));
}

const aliasTexts = [...corpus().aliases.values()].map((a) => a.text);
const pieces = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...aliasTexts) },
  { weight: 2, arbitrary: fc.constantFrom('Eshel', 'JPMG', 'jpmg', 'Director General Eshel', 'Eshelon', 'Eshel’s', 'DOD') },
  { weight: 2, arbitrary: fc.constantFrom('😀', '👩‍👩‍👧', '🇮🇱', '𝐀', 'ﬁ', 'é', 'e\u0301', '\u200c', '\u200d', '\uFEFF') },
  { weight: 2, arbitrary: fc.constantFrom('پیمان‌های', 'وزارت', 'دفاع', 'اسرائيل', 'سیاسی‌نظامی', '۲۰۱۶', 'ك', 'ي', 'ـ') },
  {
    weight: 6,
    arbitrary: fc.constantFrom('`', '``', '```', '~~~', '[', ']', '(', ')', '](', '[[', ']]', '|', '<', '>', '<!--', '-->',
      '<b>', '</b>', '<https://x.y/', '$$', '#', '# ', '- ', '* ', '1. ', '---', '===', '_', '*', '\\', '@', 'www.', 'http://',
      ':', '"', "'", '    ', '\t'),
  },
  { weight: 6, arbitrary: fc.constantFrom(' ', ' ', ' ', '\n', '\n\n', '\n    ', '\n> ', 'the', 'and', ',', '.') },
);
const documents = fc.array(pieces, { maxLength: 60 }).map((xs) => xs.join(''));
/** Any code points, lone surrogates included (cheaper to generate than fc.string's 'binary' unit). */
const anyCodePoints = fc.array(fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0x80, max: 0xffff }), fc.integer({ min: 0x10000, max: 0x10ffff })), { maxLength: 40 })
  .map((cps) => String.fromCodePoint(...cps));

const NOT_TEXT = new Set(['front-matter', 'fenced-code', 'indented-code', 'inline-code', 'link-destination', 'autolink', 'html-comment', 'math']);

test('property: mention boundaries are code-point boundaries; sorted; disjoint; never inside code or other masks', () => {
  fc.assert(
    fc.property(documents, (text) => {
      const a = analyze(text);
      let lastEnd = -1;
      for (const m of a.mentions) {
        assert.ok(m.start < m.end, 'non-empty');
        assert.ok(m.start >= lastEnd, 'sorted and non-overlapping');
        lastEnd = m.end;
        assert.ok(isCodePointBoundary(text, m.start) && isCodePointBoundary(text, m.end), 'no split surrogate pair');
        for (const r of a.masked) {
          if (!NOT_TEXT.has(r.reason)) continue;
          assert.ok(m.end <= r.start || m.start >= r.end, `mention ${JSON.stringify(text.slice(m.start, m.end))} inside ${r.reason}`);
        }
        if (m.form === 'plain' && !a.masked.some((r) => r.reason === 'html' && r.start < m.end && r.end > m.start)) {
          // The visible text normalises to an alias key naming exactly the mention's entities.
          const entry = corpus().aliases.get(normalize(text.slice(m.start, m.end)));
          assert.ok(entry, `no alias for ${JSON.stringify(text.slice(m.start, m.end))}`);
          assert.deepEqual(m.entityIds, entry.entityIds);
        }
        if (m.form === 'wikilink') assert.ok(text.startsWith('[[', m.start) && text.endsWith(']]', m.end));
      }
      for (let i = 1; i < a.masked.length; i++) assert.ok(a.masked[i - 1].end <= a.masked[i].start, 'masks sorted, disjoint');
    }),
    { numRuns: 400 },
  );
});

/** The matching rules written the slow, obvious way: every slice between code-point boundaries whose normalised
 *  form is an alias key, on whole words, in the right case; then leftmost-longest. Plain prose only (one segment). */
function referenceMentions(text: string): [number, number, string][] {
  const cps: number[] = [];
  for (let i = 0; i < text.length; i += text.codePointAt(i)! > 0xffff ? 2 : 1) cps.push(i);
  cps.push(text.length);
  const cpAt = (o: number) => text.codePointAt(o)!;
  const before = (o: number) => String.fromCodePoint(...[...text.slice(0, o)].slice(-1).map((ch) => ch.codePointAt(0)!)).codePointAt(0)!;
  const visible = (o: number) => normalize(String.fromCodePoint(cpAt(o))) !== '';
  const sig = (s: string) => [...s].filter((ch) => ch.toLowerCase() !== ch.toUpperCase()).map((ch) => (ch === ch.toUpperCase() ? 'U' : 'l')).join('');
  const candidates: [number, number, string][] = [];
  for (let a = 0; a < cps.length - 1; a++) {
    for (let b = a + 1; b < cps.length && cps[b] - cps[a] <= 80; b++) {
      const i = cps[a];
      const j = cps[b];
      if (!visible(i) || !visible(cps[b - 1])) continue;
      const entry = corpus().aliases.get(normalize(text.slice(i, j)));
      if (!entry) continue;
      if (isWordCodePoint(cpAt(i)) && i > 0 && isWordCodePoint(before(i))) continue;
      if (isWordCodePoint(cpAt(cps[b - 1])) && j < text.length && isWordCodePoint(cpAt(j))) continue;
      if (entry.caseSensitive) {
        const written = sig(text.slice(i, j));
        if (written !== sig(entry.text) && (written === '' || written.includes('l'))) continue;
      }
      candidates.push([i, j, entry.entityIds.join()]);
    }
  }
  candidates.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  const out: [number, number, string][] = [];
  let lastEnd = -1;
  for (const c of candidates) if (c[0] >= lastEnd) { out.push(c); lastEnd = c[1]; }
  return out;
}

test('property: the automaton finds exactly what the obvious reference finds (plain prose)', () => {
  const prose = fc.array(fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...aliasTexts) },
    { weight: 3, arbitrary: fc.constantFrom('Eshel', 'JPMG', 'jpmg', 'Jpmg', 'DOD', 'Eshelon', 'preEshel', 'Eshel’s', 'Director', 'General', 'ﬁ', 'office') },
    { weight: 2, arbitrary: fc.constantFrom('😀', '👩‍👩‍👧', 'é', 'e\u0301', '\u200c', '\u00ad', 'پیمان‌های', 'اسرائيل', '۲۰۱۶', 'ي', 'ـ') },
    // Irregular code points: dropped non-word characters, folds that change word-ness.
    { weight: 2, arbitrary: fc.constantFrom('\u00ad', '\u200e', '\u200f', '\ufeff', '™', '½', '℅', '㎏', '²') },
    { weight: 6, arbitrary: fc.constantFrom(' ', ' ', '  ', '\n', ', ', '. ', '-', '’', "'", '"', '(', ')', 'a', 'x1', '9') },
  ), { maxLength: 24 }).map((xs) => xs.join('')
    // Keep it one paragraph of prose: no indented (code) lines, no blank lines.
    .replace(/\n[ \t\n]*/g, '\n').replace(/^[ \t\n]+/, ''));
  fc.assert(
    fc.property(prose, (text) => {
      const got = analyze(text).mentions.map((m) => [m.start, m.end, m.entityIds.join()]);
      assert.deepEqual(got, referenceMentions(text));
    }),
    { numRuns: 150 },
  );
});

test('property: the streamed normalisation equals normalizeWithMap', () => {
  fc.assert(
    fc.property(fc.oneof(documents, anyCodePoints), (text) => {
      assert.equal(streamNormalize(text), normalizeWithMap(text).text);
    }),
    { numRuns: 400 },
  );
});

test('property: LF, CRLF and CR give the same mentions at the same line/character positions', () => {
  const lfDocuments = documents.map((t) => t.replace(/\r/g, ''));
  fc.assert(
    fc.property(lfDocuments, (text) => {
      const lf = positions(text);
      assert.deepEqual(positions(text.replace(/\n/g, '\r\n')), lf);
      assert.deepEqual(positions(text.replace(/\n/g, '\r')), lf);
    }),
    { numRuns: 200 },
  );
});

test('property: line starts equal a character-by-character reference (LF, CRLF, CR mixed)', () => {
  const reference = (t: string) => {
    const out = [0];
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '\n') out.push(i + 1);
      else if (t[i] === '\r') {
        if (t[i + 1] === '\n') i++;
        out.push(i + 1);
      }
    }
    return out;
  };
  fc.assert(
    fc.property(fc.array(fc.constantFrom('\r', '\n', '\r\n', 'x', '😀', ''), { maxLength: 40 }).map((xs) => xs.join('')), (t) => {
      assert.deepEqual([...computeLineStarts(t)], reference(t));
    }),
    { numRuns: 500 },
  );
});

test('property: analysis never throws, whatever the text', () => {
  fc.assert(
    fc.property(fc.oneof(anyCodePoints, documents.map((d) => d + d)), (text) => {
      analyzeDocument(text, 1, corpus());
    }),
    { numRuns: 300 },
  );
});

// ---- hostile and huge inputs -------------------------------------------------------------------------------------

function finishes(name: string, text: string): ReturnType<typeof analyze> {
  const t0 = Date.now();
  const a = analyze(text);
  const ms = Date.now() - t0;
  assert.ok(ms < HANG_GUARD_MS, `${name}: ${ms} ms`);
  return a;
}

test('hostile inputs finish (linear scans, no backtracking)', () => {
  const n = 100_000;
  const cases: [string, string][] = [
    ['[', '['.repeat(n)],
    ['<', '<'.repeat(n)],
    ['<a ', '<a b="'.repeat(n / 4)],
    ['<!--', '<!--'.repeat(n / 4)],
    ['-->', 'x -->'.repeat(n / 4)],
    ['backtick runs', Array.from({ length: n / 4 }, (_, i) => '`'.repeat((i % 9) + 1)).join(' ')],
    ['](', '](a(b)'.repeat(n / 4)],
    ['[x](', '[x]('.repeat(n / 4)],
    ['][', '[a]['.repeat(n / 4)],
    ['$$', '$$ a '.repeat(n / 4)],
    ['@', 'a@'.repeat(n / 2)],
    ['@.', 'a.b@c'.repeat(n / 4)],
    ['http://', 'http://'.repeat(n / 4)],
    ['[[|', '[[a|'.repeat(n / 4)],
    ['lists', '- '.repeat(n / 2)],
    ['quotes', '>'.repeat(n)],
    ['nested list lines', Array.from({ length: n / 10 }, (_, i) => ' '.repeat(i % 40) + '- x').join('\n')],
    ['fences', '```\n~~~\n'.repeat(n / 8)],
    ['indented', '    Eshel\n'.repeat(n / 10)],
    ['headings', '#######\n'.repeat(n / 8)],
    ['CR only', 'Eshel\r'.repeat(n / 6)],
    ['one long line', 'Director General '.repeat(n / 17 + 1)],
  ];
  for (const [name, text] of cases) finishes(name, text);
});

test('hostile inputs still recognise what is recognisable', () => {
  const a = finishes('[[ then a link', '[['.repeat(50_000) + '[[eshel]]');
  assert.deepEqual(a.mentions.map((m) => m.entityIds.join()), ['eshel']);
  const b = finishes('long unclosed code run', 'a ' + '`'.repeat(3) + ' x'.repeat(100_000) + ' Eshel');
  assert.equal(b.mentions.length, 1);
});

test('a 10 MB brief finishes and finds its mentions', () => {
  const block = [
    '## Director General Eshel and the JPMG\n',
    'Eshel met Derek Chollet; the QME and the 2016 MOU were discussed. See [the MOU](https://x.org/mou) and `code`.\n',
    '- item on the Israel Ministry of Defense\n  continued <!-- note -->\n',
    '```\nEshel in code\n```\n',
    'وزارت دفاع اسرائیل و دفتر امور سیاسی‌نظامی [[eshel|the DG]] 😀\n\n',
  ].join('\n');
  const text = block.repeat(Math.ceil(10_000_000 / block.length));
  const a = finishes('10 MB', text);
  const perBlock = analyze(block).mentions.length;
  assert.ok(perBlock >= 8, `per block: ${perBlock}`);
  assert.equal(a.mentions.length, perBlock * Math.ceil(10_000_000 / block.length));
});
