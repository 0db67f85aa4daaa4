// The "Add entity to the workspace corpus" quick fix: creates or extends .jpmg/entities.yaml with a valid skeleton.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { addEntityFix, slug, type PlainTextEdit, type PlainTextDocumentEdit } from '../../server/src/core/features/addEntityFix';
import type { Corpus, Entity } from '../../server/src/core/types';

function corpusWith(ids: string[]): Corpus {
  const entities: Entity[] = ids.map((id) => ({ id, kind: 'topic', name: id, aliases: [], summary: '', sources: [], origin: { file: '/x', line: 0, column: 0 } }));
  return { entities, byId: new Map(entities.map((e) => [e.id, e])), aliases: new Map(), sources: new Map(), problems: [], files: [] };
}

function offsetOf(text: string, pos: { line: number; character: number }): number {
  let line = 0;
  let i = 0;
  while (line < pos.line && i < text.length) {
    const c = text[i]!;
    i++;
    if (c === '\n' || (c === '\r' && text[i] !== '\n')) line++;
  }
  return i + pos.character;
}
function apply(text: string, edits: PlainTextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start));
  for (const e of sorted) text = text.slice(0, offsetOf(text, e.range.start)) + e.newText + text.slice(offsetOf(text, e.range.end));
  return text;
}
function run(existing: string | undefined, target = 'Yossi Cohen', ids: string[] = []) {
  const fix = addEntityFix({ target, folderUri: 'file:///w/briefs/', existingText: existing, corpus: corpusWith(ids) });
  if (!fix) return undefined;
  const docEdit = fix.edit.documentChanges.find((c): c is PlainTextDocumentEdit => 'textDocument' in c)!;
  assert.equal(docEdit.textDocument.uri, 'file:///w/briefs/.jpmg/entities.yaml');
  return { fix, text: apply(existing ?? '', docEdit.edits) };
}
function entitiesOf(text: string): Record<string, unknown>[] {
  return (parse(text, { uniqueKeys: true }) as { entities: Record<string, unknown>[] }).entities;
}

test('missing file: CreateFile then the skeleton', () => {
  const r = run(undefined)!;
  assert.deepEqual(r.fix.edit.documentChanges[0], { kind: 'create', uri: 'file:///w/briefs/.jpmg/entities.yaml', options: { overwrite: false, ignoreIfExists: true } });
  const [e] = entitiesOf(r.text);
  assert.equal(e!.id, 'yossi-cohen');
  assert.equal(e!.name, 'Yossi Cohen');
  assert.equal(e!.kind, 'topic');
  assert.deepEqual(Object.keys(e!), ['id', 'kind', 'name', 'aliases', 'summary', 'sources']);
  assert.match(r.fix.title, /Add entity "Yossi Cohen" to the workspace corpus/);
});

test('extends block lists at their indentation, flow lists, empty files, files without entities:', () => {
  const cases: [string, number][] = [
    ['entities:\n  - id: a\n    kind: topic\n    name: A\n\n# trailing comment\nother: 1\n', 2],
    ['entities:\n- id: a\n  kind: topic\n  name: A', 2],
    ['entities:\r\n  - id: a\r\n    name: A\r\n', 2],
    ['entities: []\n', 1],
    ['entities: [{id: a, name: A}]\n', 2],
    ['', 1],
    ['# only a comment\n', 1],
    ['entities:\n', 1],
    ['entities: ~\nother: 1\n', 1],
    ['other: 1\n', 1],
  ];
  for (const [existing, count] of cases) {
    const r = run(existing);
    assert.ok(r, `fix offered for ${JSON.stringify(existing)}`);
    assert.equal(r.fix.edit.documentChanges.length, 1, 'no CreateFile when the file exists');
    const list = entitiesOf(r.text);
    assert.equal(list.length, count, `${JSON.stringify(existing)} → ${r.text}`);
    assert.equal(list[list.length - 1]!.id, 'yossi-cohen');
    if (existing.includes('other: 1')) assert.equal((parse(r.text) as { other: number }).other, 1);
  }
});

test('never touches a broken file or an unexpected shape', () => {
  assert.equal(run('entities: [unclosed\n'), undefined);
  assert.equal(run('- a list\n'), undefined);
  assert.equal(run('entities: 3\n'), undefined);
  assert.equal(run(undefined, '   '), undefined);
});

test('ids are unique against the corpus and the file; odd names stay valid YAML', () => {
  assert.equal(run(undefined, 'Yossi Cohen', ['yossi-cohen'])!.fix.id, 'yossi-cohen-2');
  assert.equal(run('entities:\n  - id: yossi-cohen\n    name: Y\n', 'Yossi Cohen', ['yossi-cohen-2'])!.fix.id, 'yossi-cohen-3');
  for (const name of ['"quoted": name # not a comment', 'وزارت امور خارجه', 'Ḥaïfa — port', '[x](command:foo)', 'a\\b\u2028c']) {
    const r = run('entities:\n  - id: a\n', name)!;
    const list = entitiesOf(r.text);
    assert.equal(list[1]!.name, name.replace(/\s+/g, ' ').trim());
  }
  assert.equal(slug('وزارت امور خارجه'), 'entity');
  assert.equal(slug('Ḥaïfa — port'), 'haifa-port');
});

test('the skeleton loads with the real loader: schema-valid, the entity resolves, only the placeholder citation is flagged', async () => {
  const { loadCorpus } = await import('../../server/src/core/corpus/index');
  const { bundledCorpusDir, readCorpusDir } = await import('../../server/src/node/corpusFiles');
  const bundled = readCorpusDir(bundledCorpusDir()!, { bundled: true }).inputs;
  for (const existing of [undefined, 'entities:\n  - id: team-thing\n    kind: topic\n    name: Team Thing\n    summary: s\n    sources: [{source: seed-001, quote: "Joint Political-Military Group"}]\n']) {
    const r = run(existing, 'Totally New Council')!;
    const file = '/w/briefs/.jpmg/entities.yaml';
    const corpus = loadCorpus([...bundled, { file, text: r.text, bundled: false }]);
    assert.equal(corpus.byId.get('totally-new-council')?.name, 'Totally New Council');
    const mine = corpus.problems.filter((p) => p.file === file);
    assert.deepEqual(mine.map((p) => p.code), ['unknown-source'], JSON.stringify(mine));
    const placeholderLine = r.text.split('\n').findIndex((l) => l.includes('source: workspace'));
    assert.equal(mine[0]!.line, placeholderLine, 'flagged on the placeholder, prompting a real citation');
  }
});
