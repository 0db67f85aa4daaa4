// The example briefs under test/fixtures/briefs, analysed with the bundled corpus: what counts, what doesn't, and
// the same answers whatever the line endings or a BOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../server/src/core/analysis/analyze';
import { loadCorpusDirs } from '../../server/src/node/corpusFiles';

const root = join(__dirname, '..', '..');
const corpus = loadCorpusDirs([{ dir: join(root, 'corpus'), bundled: true }]);
const brief = (name: string) => readFileSync(join(root, 'test', 'fixtures', 'briefs', name), 'utf8');

test('mixed.md: mentions in prose, none in code, comments, destinations or front matter', () => {
  const text = brief('mixed.md');
  const a = analyzeDocument(text, 1, corpus);
  const seen = a.mentions.map((m) => [text.slice(m.start, m.end), m.entityIds.join(',')]);
  const lineOf = (m: { start: number }) => a.lineIndex.positionAt(m.start).line;
  // Nothing inside masked regions other than inline HTML.
  for (const m of a.mentions) for (const r of a.masked) assert.ok(m.end <= r.start || m.start >= r.end, `${text.slice(m.start, m.end)} in ${r.reason}`);
  // Front matter: not a mention, but its date is read.
  assert.equal(a.frontMatter?.date, '2022-10-25');
  assert.ok(a.mentions.every((m) => m.start > a.frontMatter!.end));
  // The heading's title form beats the surname; the possessive counts; the link text counts.
  assert.deepEqual(seen[0], ['Director General Eshel', 'amir-eshel']);
  assert.ok(seen.some(([t]) => t === 'Eshel'), 'Eshel’s');
  const linkText = text.indexOf('[Derek Chollet](') + 1;
  assert.ok(a.mentions.some((m) => m.start === linkText && m.entityIds.includes('derek-chollet')));
  // Wikilinks: three resolve, one does not.
  const wl = a.mentions.filter((m) => m.form === 'wikilink');
  assert.deepEqual(wl.map((m) => m.entityIds.join()), ['amir-eshel', 'derek-chollet', 'amir-eshel', '']);
  assert.equal(wl[1].shown?.text, 'the Counselor');
  // The indented continuation of a list item is text, not code.
  const cont = text.indexOf('continued: Amir Eshel') + 'continued: '.length;
  assert.ok(a.mentions.some((m) => m.start === cont), 'list continuation counts');
  // Persian: with and without ZWNJ, and with an Arabic yeh.
  const persian = a.mentions.filter((m) => lineOf(m) === a.lineIndex.positionAt(text.indexOf('گروه سیاسی')).line);
  assert.equal(persian.length, 3, JSON.stringify(persian.map((m) => text.slice(m.start, m.end))));
  // Comments are recorded (suppression comments included).
  assert.ok(a.comments.some((c) => c.text.startsWith('jpmg-disable-next-line dates')));
  assert.deepEqual(a.headings.map((h) => h.text), ['Director General Eshel and the JPMG', 'Code and links', 'Persian']);
});

test('mixed.md in CRLF, and with a BOM and CR line ends: the same mentions at the same positions', () => {
  const positions = (name: string) => {
    const text = brief(name);
    const a = analyzeDocument(text, 1, corpus);
    return a.mentions.map((m) => {
      const s = a.lineIndex.positionAt(m.start);
      const e = a.lineIndex.positionAt(m.end);
      return `${s.line}:${s.character}-${e.line}:${e.character} ${m.entityIds.join(',')}`;
    });
  };
  const lf = positions('mixed.md');
  assert.ok(lf.length > 15);
  assert.deepEqual(positions('mixed-crlf.md'), lf);
  assert.deepEqual(positions('mixed-bom-cr.md'), lf);
});
