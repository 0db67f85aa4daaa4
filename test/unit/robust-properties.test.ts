// fast-check properties on the pure core, many runs, no server: analysis ranges are code-point boundaries and
// line endings change nothing; corpus YAML features never throw and stay in bounds; the overlay state keeps only
// good text in force; the add-entity fix always yields YAML that parses with one more entity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { loadBundledCorpus } from '../../server/src/node/corpusFiles';
import { analyzeDocument } from '../../server/src/core/analysis/analyze';
import { referenceAt, completeCorpusYaml, hoverCorpusYaml, definitionCorpusYaml } from '../../server/src/core/corpusYaml';
import { addEntityFix, type PlainTextDocumentEdit } from '../../server/src/core/features/addEntityFix';
import {
  EMPTY_OVERLAYS, setDiskText, setEditorText, closeEditor, removeDiskFile, inputsInForce, parseProblems, currentText,
  type OverlayState,
} from '../../server/src/core/overlays';
import { brief, lfBrief, splitsSurrogate } from '../fixtures/hostile/textModel';

const RUNS = Number(process.env.JPMG_PROPERTY_RUNS ?? 40) * 5;
const corpus = loadBundledCorpus();

test('the properties run against the real bundled corpus', () => {
  assert.ok(corpus.entities.length >= 50, `bundled corpus loaded (${corpus.entities.length} entities; ${corpus.problems[0]?.message ?? ''})`);
});

test('analysis: mentions are sorted, disjoint, in bounds, and never split a surrogate pair', () => {
  fc.assert(fc.property(brief, (text) => {
    const a = analyzeDocument(text, 1, corpus);
    let last = 0;
    for (const m of a.mentions) {
      assert.ok(m.start >= last && m.end > m.start && m.end <= text.length, `mention ${m.start}-${m.end}`);
      assert.ok(!splitsSurrogate(text, m.start) && !splitsSurrogate(text, m.end), `mention ${m.start}-${m.end} splits a pair`);
      last = m.end;
    }
  }), { numRuns: RUNS });
});

test('analysis: LF, CRLF, CR and BOM give the same mentions by line and character', () => {
  fc.assert(fc.property(lfBrief, (text) => {
    const at = (t: string, shift: number) => {
      const a = analyzeDocument(t, 1, corpus);
      return a.mentions.map((m) => {
        const s = a.lineIndex.positionAt(m.start);
        const e = a.lineIndex.positionAt(m.end);
        const fix = (p: { line: number; character: number }) => (p.line === 0 ? { line: 0, character: p.character - shift } : p);
        return { s: fix(s), e: fix(e), ids: m.entityIds.join(), form: m.form };
      });
    };
    const base = at(text, 0);
    assert.deepEqual(at(text.replace(/\n/g, '\r\n'), 0), base, 'CRLF');
    assert.deepEqual(at(text.replace(/\n/g, '\r'), 0), base, 'CR');
    assert.deepEqual(at('\ufeff' + text, 1), base, 'BOM');
  }), { numRuns: RUNS });
});

const yamlPiece = fc.constantFrom('entities:', '\n', '  - ', 'id: ', 'entity: ', 'organisation: ', 'source: ', 'seed-001',
  'derek-chollet', 'jpmg', 'der', '"', "'", '{', '}', '[', ']', ', ', ': ', '#', '😀', '\t', 'quote: "x"', '- - ', '\r\n', 'پیمان');
const yamlText = fc.array(yamlPiece, { maxLength: 60 }).map((p) => p.join(''));

test('corpus YAML features never throw and stay in bounds on any text and offset', () => {
  fc.assert(fc.property(yamlText, fc.double({ min: 0, max: 1, noNaN: true }), (text, f) => {
    const offset = Math.floor(f * text.length);
    const ref = referenceAt(text, offset);
    if (ref) {
      assert.ok(ref.start <= offset && offset <= ref.end && ref.end <= text.length);
      assert.ok(!splitsSurrogate(text, ref.start) && !splitsSurrogate(text, ref.end));
    }
    const items = completeCorpusYaml(text, offset, corpus);
    for (const i of items ?? []) assert.ok(i.replace.start <= offset && offset <= i.replace.end && i.replace.end <= text.length);
    const hover = hoverCorpusYaml(text, offset, corpus);
    if (hover) assert.ok(hover.span.end <= text.length);
    definitionCorpusYaml(text, offset, corpus);
  }), { numRuns: RUNS });
});

const GOOD = (n: number) => `entities:\n  - id: t-${n}\n    kind: topic\n    name: T ${n}\n`;
const BROKEN = 'entities: [unclosed\n';
type Op = { op: 'disk' | 'editor'; good: boolean; n: number } | { op: 'close' | 'delete' };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom<'disk' | 'editor'>('disk', 'editor'), good: fc.boolean(), n: fc.nat(9) }),
  fc.record({ op: fc.constantFrom<'close' | 'delete'>('close', 'delete') }),
);

test('overlay state: only text that parses is ever in force; good current text is always the one in force', () => {
  const file = '/w/.jpmg/a.yaml';
  fc.assert(fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
    let s: OverlayState = EMPTY_OVERLAYS;
    for (const o of ops) {
      if (o.op === 'disk') s = setDiskText(s, file, o.good ? GOOD(o.n) : BROKEN);
      else if (o.op === 'editor') s = setEditorText(s, file, o.good ? GOOD(o.n) : BROKEN);
      else if (o.op === 'close') s = closeEditor(s, file);
      else s = removeDiskFile(s, file);
      const inForce = inputsInForce(s);
      for (const i of inForce) assert.deepEqual(parseProblems(i.file, i.text), [], 'a broken text is in force');
      const f = s.files.get(file);
      const now = f && currentText(f);
      if (now !== undefined && parseProblems(file, now).length === 0) assert.equal(inForce[0]?.text, now, 'good current text not in force');
      if (!f) assert.equal(inForce.length, 0);
    }
  }), { numRuns: RUNS });
});

const existingFile = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('', 'entities: []\n', 'entities:\n', '# c\n', 'other: 1\n', 'entities:\n  - id: a\n    name: A\n',
    'entities:\n- id: a\n  name: A', 'entities: [{id: a}]\n', 'entities:\r\n  - id: a\r\n', 'entities:\n  - id: a\n\n# end\n'),
);

test('add-entity fix: whenever offered, the result parses and has exactly one more entity with a fresh id', () => {
  fc.assert(fc.property(existingFile, fc.string({ minLength: 1, maxLength: 40 }), (existing, target) => {
    const fix = addEntityFix({ target, folderUri: 'file:///w', existingText: existing, corpus });
    if (!fix) return;
    const edit = fix.edit.documentChanges.find((c): c is PlainTextDocumentEdit => 'textDocument' in c)!;
    assert.equal(edit.edits.length, 1);
    const e = edit.edits[0]!;
    const lines = (existing ?? '').split(/\r\n|\r|\n/);
    const offset = (p: { line: number; character: number }) => {
      let o = 0;
      const text = existing ?? '';
      for (let l = 0; l < p.line; l++) {
        o += lines[l]!.length;
        o += text.startsWith('\r\n', o) ? 2 : 1;
      }
      return o + p.character;
    };
    const text = existing ?? '';
    const next = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
    const before = existing ? ((parse(existing) as { entities?: unknown[] } | null)?.entities ?? []).length : 0;
    const after = (parse(next, { uniqueKeys: true }) as { entities: { id: string; name: string }[] }).entities;
    assert.equal(after.length, before + 1, next);
    assert.equal(after[after.length - 1]!.id, fix.id);
    assert.ok(!corpus.byId.has(fix.id));
    assert.match(fix.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, 'a schema-valid id');
  }), { numRuns: RUNS });
});
