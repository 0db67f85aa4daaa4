// Incremental re-analysis must equal a full analysis of the new text, whatever the edit: fast-check drives random
// edit sequences over Markdown built from risky pieces (code, lists, quotes, comments, links, wikilinks, Persian).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { updateAnalysis } from '../../server/src/core/features/incrementalAnalysis';
import { analyzeDocument } from '../../server/src/core/analysis/analyze';
import type { DocumentAnalysis } from '../../server/src/core/analysis/types';
import { fixtureCorpus } from './features-fixture';

const corpus = fixtureCorpus();
const full = (text: string, version = 0) => analyzeDocument(text, version, corpus);

function comparable(a: DocumentAnalysis) {
  return {
    mentions: a.mentions.map((m) => ({ ...m })),
    masked: a.masked.map((m) => ({ ...m })),
    comments: a.comments.map((c) => ({ ...c })),
    headings: a.headings.map((h) => ({ ...h })),
    frontMatter: a.frontMatter ? { ...a.frontMatter } : undefined,
  };
}

const PIECES = [
  'Derek Chollet met Amir Eshel in Washington.',
  'Later, Director General Eshel and Counselor Chollet talked about the 2016 MOU.',
  'See [[derek-chollet]] and [[amir-eshel|the DG]] and [[nobody]].',
  '```\nDerek Chollet in code\n```',
  '    indented Derek Chollet',
  '- a list item about Derek Chollet\n  continued Amir Eshel',
  '> quoted Derek\n> Chollet across lines',
  '<!-- jpmg-disable-next-line near-miss-name -->\nDerek Cholet',
  'Inline `Derek Chollet` and [Eshel](https://x.org/Chollet) link.',
  '# Heading with Amir Eshel',
  'Setext heading Derek Chollet\n---',
  'درک شولت و Shared Name و JPMG.',
  '1. first Derek Chollet\n2. second',
  '<div>\nDerek Chollet in html\n</div>',
  '<pre>\nDerek Chollet\n\nAmir Eshel\n</pre>',
  '<pr Derek Chollet\n\nAmir Eshel',
  '[ref]: https://x.org/Chollet "Derek Chollet"',
  '$$\nDerek Chollet\n$$',
  '_Derek Chollet_ and __Amir__ Eshel *x*',
  '| Derek Chollet | Amir Eshel |\n|---|---|\n| a | b |',
  'Text with <span>Derek</span> Chollet and <!-- note --> Eshel.',
  '---\ndate: 2022-10-25\n---',
];

const doc = fc.array(fc.constantFrom(...PIECES), { minLength: 2, maxLength: 8 }).chain((parts) =>
  fc.constantFrom('\n\n', '\n', '\r\n\r\n').map((sep) => parts.join(sep)));

const proseChar = fc.constantFrom('a', 'e', 'x', ' ', 'D', 'Chollet', 'Eshel', 'ش', '\u200c', "'", '1');
const riskyChar = fc.constantFrom('`', '\n', '[', ']', '#', '-', '|', '<', '>', '*', '_', '    ');
const edit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 3 }),
  insert: fc.oneof({ weight: 5, arbitrary: proseChar }, { weight: 1, arbitrary: riskyChar }, { weight: 1, arbitrary: fc.constant('') }),
});

test('updateAnalysis equals a full analysis after every edit of a random sequence', () => {
  let incremental = 0;
  fc.assert(
    fc.property(doc, fc.array(edit, { minLength: 1, maxLength: 25 }), (start, edits) => {
      let text = start;
      let prev = full(text, 1);
      let version = 1;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        const next = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
        version++;
        const updated = updateAnalysis(prev, { text: next, version }, (t) => full(t));
        const reference = full(next, version);
        if (updated) {
          incremental++;
          assert.deepEqual(comparable(updated), comparable(reference), `edit ${JSON.stringify(e)} of ${JSON.stringify(text)}`);
          assert.equal(updated.version, version);
          assert.equal(updated.text, next);
        }
        prev = updated ?? reference;
        text = next;
      }
    }),
    { numRuns: Number(process.env.RUNS ?? 300), seed: process.env.SEED ? Number(process.env.SEED) : 20221025 },
  );
  assert.ok(incremental > 300, `the incremental path was taken ${incremental} times`);
});

test('updateAnalysis: a typed letter in a long brief keeps the rest and shifts positions', () => {
  const para = 'Derek Chollet met Amir Eshel in Washington.\n\n';
  const text = para.repeat(500);
  const prev = full(text, 1);
  const at = text.length / 2 + 10;
  const next = `${text.slice(0, at)}x${text.slice(at)}`;
  const updated = updateAnalysis(prev, { text: next, version: 2 }, (t) => full(t));
  assert.ok(updated);
  assert.deepEqual(comparable(updated), comparable(full(next, 2)));
  assert.equal(updated.mentions[0], prev.mentions[0], 'mentions before the edit are reused as they are');
});

test('updateAnalysis declines structural edits', () => {
  const text = 'Para one about Derek Chollet.\n\nPara two.\n';
  const prev = full(text, 1);
  for (const insert of ['\n', '`', '[[', '# ']) {
    const at = text.indexOf('two');
    assert.equal(updateAnalysis(prev, { text: text.slice(0, at) + insert + text.slice(at), version: 2 }, (t) => full(t)), undefined, insert);
  }
  const atLineStart = text.indexOf('Para two');
  assert.equal(updateAnalysis(prev, { text: `${text.slice(0, atLineStart)} ${text.slice(atLineStart)}`, version: 2 }, (t) => full(t)), undefined);
});
