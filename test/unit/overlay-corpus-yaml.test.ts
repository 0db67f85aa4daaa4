// Features on corpus YAML files: reference detection, completion of ids, hover, definition, diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  referenceAt, completeCorpusYaml, hoverCorpusYaml, definitionCorpusYaml, corpusDiagnostics, escapeMarkdown,
} from '../../server/src/core/corpusYaml';
import { findQuote } from '../../server/src/core/corpus/index';
import type { Corpus, Entity, SourceDocument } from '../../server/src/core/types';

function entity(id: string, kind: Entity['kind'], name: string, line: number, extra: Partial<Entity> = {}): Entity {
  return { id, kind, name, aliases: [], summary: `About ${name}.`, sources: [], origin: { file: '/c/x.yaml', line, column: 6 }, ...extra };
}
const SOURCE_TEXT = 'Line one.\nThe Joint Political-Military Group\n  met in   Washington today.\n';
function corpus(): Corpus {
  const entities = [
    entity('derek-chollet', 'person', 'Derek Chollet', 3),
    entity('us-department-of-state', 'organisation', 'U.S. Department of State', 10),
    entity('washington', 'place', 'Washington', 20),
  ];
  const source: SourceDocument = {
    id: 'seed-001', file: 'a.txt', title: 'TPS report', publisher: 'TPS', date: '2022-10-26', language: 'en',
    path: '/c/sources/a.txt', text: SOURCE_TEXT, origin: { file: '/c/sources/sources.yaml', line: 1, column: 6 },
  };
  return {
    entities, byId: new Map(entities.map((e) => [e.id, e])), aliases: new Map(), sources: new Map([['seed-001', source]]),
    problems: [], files: [],
  };
}

const YAML = [
  'entities:',
  '  - id: jpmg-48',
  '    kind: meeting',
  '    participants:',
  '      - entity: derek-chollet',
  '        role: head',
  '        sources:',
  '          - source: seed-001',
  '            quote: "met in Washington"',
  '    place: {entity: "washington", sources: []}',
  '    summary: "entity: derek-chollet is not a reference here"',
  '',
].join('\n');
const at = (needle: string, delta = 0) => YAML.indexOf(needle) + delta;

test('referenceAt finds ids in reference fields only', () => {
  assert.deepEqual(referenceAt(YAML, at('derek-chollet', 3)), {
    target: 'entity', key: 'entity', id: 'derek-chollet', start: at('derek-chollet'), end: at('derek-chollet') + 13,
  });
  assert.equal(referenceAt(YAML, at('seed-001'))?.target, 'source');
  assert.equal(referenceAt(YAML, at('washington', 2))?.id, 'washington', 'flow mapping with quotes');
  assert.equal(referenceAt(YAML, at('jpmg-48'))?.target, 'id');
  assert.equal(referenceAt(YAML, at('meeting')), undefined, 'kind: is not a reference');
  assert.equal(referenceAt(YAML, at('is not a reference')), undefined);
  assert.equal(referenceAt(YAML, YAML.indexOf('derek-chollet is not') + 2), undefined, 'inside a quoted summary');
});

test('completion offers entity ids in entity fields, ranked by the enclosing field, replacing the typed prefix', () => {
  const text = 'entities:\n  - id: m\n    participants:\n      - entity: der\n';
  const offset = text.indexOf('der') + 3;
  const items = completeCorpusYaml(text, offset, corpus())!;
  assert.equal(items.length, 3);
  const top = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText))[0]!;
  assert.equal(top.label, 'derek-chollet', 'participants rank people first');
  assert.deepEqual(top.replace, { start: offset - 3, end: offset });
  assert.match(items.find((i) => i.label === 'us-department-of-state')!.filterText, /Department of State/);
  const org = completeCorpusYaml('    organisation: ', 18, corpus())!;
  assert.equal([...org].sort((a, b) => a.sortText.localeCompare(b.sortText))[0]!.label, 'us-department-of-state');
});

test('completion offers source ids after source:, nothing elsewhere', () => {
  const text = '          - source: se';
  const items = completeCorpusYaml(text, text.length, corpus())!;
  assert.deepEqual(items.map((i) => i.label), ['seed-001']);
  assert.equal(completeCorpusYaml('    kind: pe', 12, corpus()), undefined);
  assert.equal(completeCorpusYaml('    summary: text ', 18, corpus()), undefined);
});

test('hover shows the target card; unknown ids show nothing', () => {
  const h = hoverCorpusYaml(YAML, at('derek-chollet', 1), corpus())!;
  assert.match(h.markdown, /Derek Chollet/);
  assert.equal(h.span.start, at('derek-chollet'));
  assert.match(hoverCorpusYaml(YAML, at('seed-001'), corpus())!.markdown, /TPS report/);
  assert.equal(hoverCorpusYaml('  - entity: nobody', 14, corpus()), undefined);
});

test('definition: entity → its id line; source → the quote in the source text (whitespace aside)', () => {
  assert.deepEqual(definitionCorpusYaml(YAML, at('derek-chollet'), corpus()), { file: '/c/x.yaml', line: 3, character: 6 });
  assert.deepEqual(definitionCorpusYaml(YAML, at('seed-001', 2), corpus()), { file: '/c/sources/a.txt', line: 2, character: 2 });
  assert.equal(definitionCorpusYaml(YAML, at('jpmg-48'), corpus()), undefined);
  assert.equal(findQuote(SOURCE_TEXT, 'Political-Military Group met')?.start, SOURCE_TEXT.indexOf('Political'));
  assert.equal(findQuote(SOURCE_TEXT, 'not there'), undefined);
});

test('diagnostics: only this file, exact ranges, severities', () => {
  const d = corpusDiagnostics([
    { file: '/a.yaml', line: 2, column: 4, endLine: 2, endColumn: 9, severity: 'error', code: 'schema', message: 'm1' },
    { file: '/b.yaml', line: 0, column: 0, severity: 'error', code: 'x', message: 'other file' },
    { file: '/a.yaml', line: 5, column: 1, severity: 'warning', code: 'dangling-ref', message: 'm2' },
  ], '/a.yaml');
  assert.deepEqual(d.map((x) => [x.range.start.line, x.range.start.character, x.range.end.line, x.range.end.character, x.severity]), [
    [2, 4, 2, 9, 1], [5, 1, 5, 2, 2],
  ]);
});

test('escapeMarkdown leaves no live link, image, HTML or code span', () => {
  for (const hostile of ['[x](command:foo)', '<img src=x onerror=alert(1)>', '`code` and ``` fences', '![i](http://x/y.png)', '<command:foo>', 'a\n# heading\n- item']) {
    const out = escapeMarkdown(hostile);
    assert.ok(!out.includes('](command:'), out);
    assert.ok(!/<(?!\\)/.test(out) && !out.includes('<'), out);
    assert.ok(!/(^|[^\\])`/.test(out), `unescaped backtick in ${out}`);
    assert.ok(!out.includes('\n'), out);
  }
});
