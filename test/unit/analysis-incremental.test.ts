// Incremental analysis: after any edit (or chain of edits), updateAnalysis equals a full analysis of the new text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeDocument, mentionsOf, updateAnalysis } from '../../server/src/core/analysis/analyze';
import { AnalysisCache } from '../../server/src/core/analysis/cache';
import type { DocumentAnalysis } from '../../server/src/core/analysis/types';
import { buildCorpus, corpus } from './helpers/corpusFixture';

function comparable(a: DocumentAnalysis) {
  return { text: a.text, mentions: a.mentions, masked: a.masked, comments: a.comments, headings: a.headings, frontMatter: a.frontMatter };
}

const blocks = fc.constantFrom(
  'Eshel met the JPMG.\n', 'Director General\nEshel spoke.\n', '\n', '\n\n', '```\nEshel\n```\n', '```\n', '~~~\n',
  '    code Eshel\n', '- item Eshel\n', '  continued JPMG\n', '1. first QME\n', '> quoted Chollet\n', '# Heading Eshel\n',
  'Setext\n---\n', '<!-- c\n', '-->\n', '<!-- one -->\n', '[[eshel]] and [[Nobody]]\n', '[Eshel](x/Eshel)\n', '`Eshel`\n',
  '---\ndate: 2022-01-01\n---\n', '<div>\nEshel\n</div>\n', '$$\nx\n$$\n', 'وزارت دفاع اسرائیل\n', '😀 Eshel\r\n', '\r', 'Eshel\r',
);
const documents = fc.array(blocks, { maxLength: 30 }).map((xs) => xs.join(''));
const insertions = fc.oneof(
  blocks,
  fc.constantFrom('', 'x', ' ', '\n', '`', '```', '[[', ']]', '<!--', '-->', 'Eshel', 'Director General ', '    ', '- ', '>', '\r', '\n\n'),
);
const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 12 }), insert: insertions });

function applyEdit(text: string, e: { at: number; remove: number; insert: string }): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
}

test('property: one edit — incremental equals full', () => {
  fc.assert(
    fc.property(documents, edit, (text, e) => {
      const c = corpus();
      const before = analyzeDocument(text, 1, c);
      const after = applyEdit(text, e);
      assert.deepEqual(comparable(updateAnalysis(before, after, 2, c)), comparable(analyzeDocument(after, 2, c)));
    }),
    { numRuns: 600 },
  );
});

test('property: chains of edits with nothing reading the lists in between (lists kept as slices) — equal to full', () => {
  fc.assert(
    fc.property(documents, fc.array(edit, { minLength: 1, maxLength: 60 }), (text, edits) => {
      const c = corpus();
      const steps: [DocumentAnalysis, string][] = [];
      let current = analyzeDocument(text, 0, c);
      let version = 0;
      for (const e of edits) {
        text = applyEdit(text, e);
        current = updateAnalysis(current, text, ++version, c);
        steps.push([current, text]);
        // mentionsOf reads single mentions without materialising the list.
        const full = analyzeDocument(text, version, c).mentions;
        const view = mentionsOf(current);
        assert.equal(view.length, full.length);
        for (let i = 0; i < full.length; i++) {
          assert.equal(view.startAt(i), full[i]!.start);
          assert.deepEqual(view.at(i), full[i]);
        }
      }
      // Every version, read late and in any order, is still its own text's analysis (no version shares shifts).
      for (const [a, t] of steps.reverse()) assert.deepEqual(comparable(a), comparable(analyzeDocument(t, a.version, c)));
    }),
    { numRuns: 150 },
  );
});

test('property: chains of edits — incremental on incremental equals full', () => {
  fc.assert(
    fc.property(documents, fc.array(edit, { minLength: 1, maxLength: 12 }), (text, edits) => {
      const c = corpus();
      let current = analyzeDocument(text, 0, c);
      let version = 0;
      for (const e of edits) {
        text = applyEdit(text, e);
        current = updateAnalysis(current, text, ++version, c);
        assert.deepEqual(comparable(current), comparable(analyzeDocument(text, version, c)));
        assert.equal(current.version, version);
      }
    }),
    { numRuns: 250 },
  );
});

test('property: with plain text off, incremental equals full', () => {
  fc.assert(
    fc.property(documents, edit, (text, e) => {
      const c = corpus();
      const before = analyzeDocument(text, 1, c, { plainText: false });
      const after = applyEdit(text, e);
      assert.deepEqual(comparable(updateAnalysis(before, after, 2, c, { plainText: false })), comparable(analyzeDocument(after, 2, c, { plainText: false })));
    }),
    { numRuns: 150 },
  );
});

test('an edit in a large brief reuses the untouched parts', () => {
  const block = '## Talks\n\nDirector General Eshel met the JPMG.\n\n```\nEshel\n```\n\n- item [[eshel]]\n\n';
  const text = block.repeat(2000);
  const c = corpus();
  const before = analyzeDocument(text, 1, c);
  const at = text.length >> 1;
  const after = text.slice(0, at) + ' Eshel ' + text.slice(at);
  const updated = updateAnalysis(before, after, 2, c);
  assert.deepEqual(comparable(updated), comparable(analyzeDocument(after, 2, c)));
  // Mentions before the edit are the very same objects: nothing was recomputed there.
  assert.equal(updated.mentions[0], before.mentions[0]);
  assert.equal(updated.mentions[10], before.mentions[10]);
});

test('a changed corpus or option means a full analysis, not a stale reuse', () => {
  const c = corpus();
  const other = buildCorpus([{ id: 'x', name: 'Eshel' }]);
  const before = analyzeDocument('Eshel\n\nJPMG\n', 1, c);
  assert.deepEqual(updateAnalysis(before, 'Eshel\n\nJPMG!\n', 2, other).mentions.map((m) => m.entityIds), [['x']]);
  assert.deepEqual(updateAnalysis(before, 'Eshel\n\nJPMG!\n', 2, c, { plainText: false }).mentions, []);
});

test('the cache analyses a new version incrementally and equals a full analysis', () => {
  const cache = new AnalysisCache();
  const c = corpus();
  const text = 'Eshel\n\n'.repeat(100);
  const first = cache.get('u', 1, text, c);
  const middle = text.length >> 1;
  const edited = text.slice(0, middle) + text.slice(middle).replace('Eshel', 'Director General Eshel');
  const second = cache.get('u', 2, edited, c);
  assert.equal(second.mentions[0], first.mentions[0], 'reused');
  assert.deepEqual(comparable(second), comparable(analyzeDocument(edited, 2, c)));
});
