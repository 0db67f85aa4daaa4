// Markdown structure: where mentions are recognised and where they are not (code, link destinations, autolinks,
// comments, raw HTML, front matter), headings and front-matter dates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, found, masks } from './helpers/corpusFixture';
import { parseFrontMatterDate } from '../../server/src/core/analysis/markdown';

test('front matter is masked and its date parsed', () => {
  const text = '---\ntitle: Eshel\ndate: 2022-10-25\n---\nEshel spoke.\n';
  const a = analyze(text);
  assert.deepEqual(found(text), ['Eshel']);
  assert.equal(a.mentions[0].start, text.indexOf('Eshel spoke'));
  assert.equal(a.frontMatter?.date, '2022-10-25');
  assert.equal(a.frontMatter?.raw, 'title: Eshel\ndate: 2022-10-25\n');
  assert.deepEqual(masks(text)[0], ['front-matter', '---\ntitle: Eshel\ndate: 2022-10-25\n---']);
});

test('front matter after a BOM, with CRLF, and closed by "..."', () => {
  const text = '\uFEFF---\r\ndate: "2023-05"\r\nwho: Eshel\r\n...\r\nEshel\r\n';
  const a = analyze(text);
  assert.equal(a.frontMatter?.date, '2023-05');
  assert.equal(a.frontMatter?.start, 1);
  assert.deepEqual(found(text), ['Eshel']);
});

test('"---" that is not at the very start, or never closed, is not front matter', () => {
  assert.equal(analyze('Intro\n---\ndate: 2022-01-01\n---\n').frontMatter, undefined);
  const unclosed = '---\nEshel met the JPMG\n';
  assert.equal(analyze(unclosed).frontMatter, undefined);
  assert.deepEqual(found(unclosed), ['Eshel', 'JPMG']);
});

test('front-matter dates: forms accepted and rejected', () => {
  assert.equal(parseFrontMatterDate('date: 2022-10-25T10:00:00Z\n'), '2022-10-25');
  assert.equal(parseFrontMatterDate("date: '2022'  # year only\n"), '2022');
  assert.equal(parseFrontMatterDate('title: x\ndate: 2022-13-01\n'), undefined);
  assert.equal(parseFrontMatterDate('date: 2023-02-29\n'), undefined);
  assert.equal(parseFrontMatterDate('date: 2024-02-29\n'), '2024-02-29');
  assert.equal(parseFrontMatterDate('  date: 2022-01-01\n'), undefined, 'nested keys are not the document date');
  assert.equal(parseFrontMatterDate('date: soon\n'), undefined);
});

test('fenced code with ``` and ~~~ is masked; text around it counts', () => {
  const text = 'Eshel\n```ts\nconst Eshel = 1;\n```\nJPMG\n~~~\nEshel\n~~~\nQME\n';
  assert.deepEqual(found(text), ['Eshel', 'JPMG', 'QME']);
  assert.deepEqual(masks(text).map(([r]) => r), ['fenced-code', 'fenced-code']);
});

test('a longer fence holds shorter backtick runs; a shorter closing run does not close it', () => {
  const text = '````\n```\nEshel\n```\n````\nJPMG\n';
  assert.deepEqual(found(text), ['JPMG']);
  const tilde = '~~~~\n~~~\nEshel\n~~~~\nQME\n';
  assert.deepEqual(found(tilde), ['QME']);
});

test('an unclosed fence runs to the end of the document', () => {
  const text = 'JPMG\n```\nEshel\n\nEshel again\n';
  assert.deepEqual(found(text), ['JPMG']);
  const [reason, body] = masks(text)[0];
  assert.equal(reason, 'fenced-code');
  assert.ok(body.endsWith('Eshel again\n'));
});

test('a backtick fence whose info string holds a backtick is not a fence', () => {
  assert.deepEqual(found('``` Eshel ` x\nJPMG\n'), ['Eshel', 'JPMG']);
});

test('fences inside list items and block quotes', () => {
  const list = '1. Step\n   ```\n   Eshel\n   ```\n   JPMG after\n';
  assert.deepEqual(found(list), ['JPMG']);
  const quote = '> ```\n> Eshel\n> ```\n> QME\n';
  assert.deepEqual(found(quote), ['QME']);
  // The fence ends with its block quote.
  const ended = '> ```\n> Eshel\nJPMG outside\n';
  assert.deepEqual(found(ended), ['JPMG']);
});

test('indented code after a blank line is masked', () => {
  const text = 'Intro.\n\n    Eshel in code\n    more\n\nJPMG\n';
  assert.deepEqual(found(text), ['JPMG']);
  assert.deepEqual(masks(text), [['indented-code', 'Eshel in code\n    more']]);
  assert.deepEqual(found('\tEshel in tab-indented code\n\nQME'), ['QME']);
});

test('an indented line right after a paragraph line is a continuation, not code', () => {
  assert.deepEqual(found('The talks were led by\n    Eshel and the JPMG.\n'), ['Eshel', 'JPMG']);
});

test('list continuation lines are text; code in a list item needs the item indent plus four', () => {
  const text = '- first item\n    continued with Eshel\n\n  second paragraph with JPMG\n\n      QME in item code\n';
  assert.deepEqual(found(text), ['Eshel', 'JPMG']);
  const nested = '- a\n  - b mentions Eshel\n\n    still in b: JPMG\n';
  assert.deepEqual(found(nested), ['Eshel', 'JPMG']);
});

test('a heading after indented code ends the code', () => {
  assert.deepEqual(found('    code Eshel\n# JPMG\n'), ['JPMG']);
});

test('inline code spans of equal backtick runs are masked', () => {
  assert.deepEqual(found('Eshel `Eshel` JPMG'), ['Eshel', 'JPMG']);
  assert.deepEqual(found('``a ` Eshel`` QME'), ['QME']);
  assert.deepEqual(found('`` Eshel ` JPMG'), ['Eshel', 'JPMG'], 'an unmatched run is literal');
  assert.deepEqual(found('`code\nEshel` JPMG'), ['JPMG'], 'a span may cross a line inside one paragraph');
  assert.deepEqual(found('`code\n\nEshel` JPMG'), ['Eshel', 'JPMG'], 'but not a blank line');
  assert.deepEqual(found('\\`Eshel\\` QME'), ['Eshel', 'QME'], 'escaped backticks are literal');
  // Closing runs are searched for directly until a search fails; the spans after that come from the block's index.
  assert.deepEqual(found('`a` Eshel ``b`` `` open ` Eshel ` JPMG `QME` QME'), ['Eshel', 'JPMG', 'QME'],
    'spans before and after an unmatched run');
  assert.deepEqual(found('` JPMG `` Eshel ``` QME ` ``x`` JPMG'), ['JPMG'], 'runs of other lengths do not close a span');
});

test('link text counts; destination and title do not', () => {
  const text = 'See [Eshel](https://example.org/Eshel "Eshel bio") and ![JPMG logo](jpmg.png).';
  assert.deepEqual(found(text), ['Eshel', 'JPMG']);
  assert.deepEqual(masks(text), [
    ['link-destination', '(https://example.org/Eshel "Eshel bio")'],
    ['link-destination', '(jpmg.png)'],
  ]);
  assert.deepEqual(found('[QME](<a b/Eshel> (Eshel))'), ['QME']);
  assert.deepEqual(found('[x](a(b)c/Eshel) Eshel'), ['Eshel']);
});

test('reference links: the label and the definition are masked', () => {
  const text = 'Met [Eshel][eshel-bio] and [JPMG][].\n\n[eshel-bio]: https://x.org/Eshel "Eshel"\n';
  assert.deepEqual(found(text), ['Eshel', 'JPMG']);
  assert.ok(masks(text).some(([r, t]) => r === 'link-destination' && t.startsWith('[eshel-bio]:')));
});

test('a reference definition cannot interrupt a paragraph', () => {
  assert.deepEqual(found('Intro\n[Eshel]: not a definition\n'), ['Eshel']);
});

test('autolinks, bare URLs and e-mail addresses are masked', () => {
  assert.deepEqual(found('<https://eshel.org/JPMG> Eshel'), ['Eshel']);
  assert.deepEqual(found('<mailto:eshel@mod.gov.il> QME'), ['QME']);
  assert.deepEqual(found('<eshel@mod.gov.il> QME'), ['QME']);
  assert.deepEqual(found('see https://www.state.gov/Eshel, then Eshel.'), ['Eshel']);
  assert.deepEqual(found('see www.eshel.com/JPMG. JPMG'), ['JPMG']);
  assert.deepEqual(found('(see http://x.org/Eshel) JPMG'), ['JPMG']);
  assert.deepEqual(found('write to eshel@mod.gov.il or Eshel'), ['Eshel']);
  const m = masks('(see http://x.org/a_(b)) z');
  assert.deepEqual(m, [['autolink', 'http://x.org/a_(b)']]);
});

test('HTML comments, single- and multi-line, are masked and recorded', () => {
  const text = 'Eshel <!-- JPMG --> QME\n\n<!-- jpmg-disable-next-line dates\nEshel -->\nJPMG\n';
  const a = analyze(text);
  assert.deepEqual(found(text), ['Eshel', 'QME', 'JPMG']);
  assert.deepEqual(a.comments.map((c) => c.text), ['JPMG', 'jpmg-disable-next-line dates\nEshel']);
  assert.equal(text.slice(a.comments[1].start, a.comments[1].end), '<!-- jpmg-disable-next-line dates\nEshel -->');
});

test('a block HTML comment holds blank lines and fence-like lines; text after it on its last line counts', () => {
  const text = '<!--\n\n```\nEshel\n-->Eshel\n\nJPMG\n';
  assert.deepEqual(found(text), ['Eshel', 'JPMG']);
  assert.equal(analyze(text).mentions[0].start, text.indexOf('-->Eshel') + 3);
});

test('an unclosed comment at a block start runs to the end; inside a paragraph it is literal', () => {
  assert.deepEqual(found('JPMG\n\n<!-- Eshel\n\nQME\n'), ['JPMG']);
  assert.deepEqual(found('JPMG <!-- Eshel'), ['JPMG', 'Eshel']);
});

test('raw HTML: tags are masked, the text between them counts', () => {
  const text = '<div class="Eshel">Eshel</div> and <span title=\'JPMG\'>QME</span>';
  assert.deepEqual(found(text), ['Eshel', 'QME']);
  assert.ok(masks(text).every(([r]) => r === 'html'));
  assert.deepEqual(found('Director <b>General</b> Eshel'), ['Director <b>General</b> Eshel'], 'inline tags read as spaces');
  assert.deepEqual(found('a < b and Eshel > c'), ['Eshel'], 'a lone < is not a tag');
});

test('script, style and pre blocks are masked whole', () => {
  assert.deepEqual(found('<script>\nvar Eshel = 1;\n</script>\nJPMG\n'), ['JPMG']);
  assert.deepEqual(found('<pre>\nEshel\n\nEshel\n</pre>\nQME'), ['QME']);
});

test('display math $$ … $$ is masked', () => {
  assert.deepEqual(found('$$\nEshel = 1\n$$\nJPMG'), ['JPMG']);
  assert.deepEqual(found('inline $$Eshel$$ QME'), ['QME']);
  assert.deepEqual(found('costs $3 billion for Eshel'), ['Eshel'], 'single dollars are money, not math');
});

test('headings: ATX with closing hashes, setext, and their mentions', () => {
  const text = '# Eshel meets the JPMG ##\n\nQME talks\n=========\n\nSub\n---\n\n####### not a heading\n';
  const a = analyze(text);
  assert.deepEqual(a.headings.map((h) => [h.level, h.text]), [[1, 'Eshel meets the JPMG'], [1, 'QME talks'], [2, 'Sub']]);
  const h = a.headings[0];
  assert.equal(text.slice(h.textStart!, h.textEnd!), 'Eshel meets the JPMG');
  assert.equal(text.slice(h.start, h.end), '# Eshel meets the JPMG ##');
  assert.deepEqual(found(text), ['Eshel', 'JPMG', 'QME']);
  assert.equal(text.slice(a.headings[1].start, a.headings[1].end), 'QME talks\n=========');
});

test('a thematic break is not a setext heading without a paragraph above it', () => {
  assert.deepEqual(analyze('\n---\nEshel\n').headings, []);
  assert.deepEqual(analyze('* * *\n').headings, []);
});

test('masked regions are sorted and disjoint', () => {
  const text = '---\na: 1\n---\n`x` [a](b) <!-- c --> <https://d.e> <b>f</b>\n\n```\ng\n```\n\n    h\n';
  const m = analyze(text).masked;
  for (let i = 1; i < m.length; i++) assert.ok(m[i - 1].end <= m[i].start, JSON.stringify(m));
  assert.deepEqual(m.map((r) => r.reason), ['front-matter', 'inline-code', 'link-destination', 'html-comment', 'autolink', 'html', 'html', 'fenced-code', 'indented-code']);
});
