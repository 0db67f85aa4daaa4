// Overlay state: last good text in force while a file is broken, editor text over disk, deletes, removal by folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EMPTY_OVERLAYS, setDiskText, setEditorText, closeEditor, removeDiskFile, removeWhere, inputsInForce,
  buildCorpus, parseProblems, CORPUS_YAML_LIMITS, judge, unjudgedFiles, type OverlayInput,
} from '../../server/src/core/overlays';
import type { Corpus, CorpusProblem } from '../../server/src/core/types';

const GOOD = 'entities:\n  - id: team-topic\n    kind: topic\n    name: Team Topic\n';
const GOOD2 = 'entities:\n  - id: team-topic-2\n    kind: topic\n    name: Team Topic Two\n';
const BROKEN = 'entities:\n  - id: team-topic\n    name: [unclosed\n';

/** A stand-in loader: records its inputs and reports one problem per input so we can see which survive. */
function fakeLoad(seen: OverlayInput[][]) {
  return (inputs: OverlayInput[]): Corpus => {
    seen.push(inputs);
    const problems: CorpusProblem[] = inputs.map((i) => ({
      file: i.file, line: 0, column: 0, severity: 'warning', code: 'fake', message: `loaded ${i.text.length}`,
    }));
    return { entities: [], byId: new Map(), aliases: new Map(), sources: new Map(), problems, files: inputs.map((i) => i.file) };
  };
}

test('a good file is in force; a broken edit keeps the last good text and reports its own problems', () => {
  let s = setDiskText(EMPTY_OVERLAYS, '/w/.jpmg/a.yaml', GOOD);
  assert.deepEqual(inputsInForce(s), [{ file: '/w/.jpmg/a.yaml', text: GOOD, bundled: false }]);
  s = setDiskText(s, '/w/.jpmg/a.yaml', BROKEN);
  assert.deepEqual(inputsInForce(s).map((i) => i.text), [GOOD]);
  const seen: OverlayInput[][] = [];
  const corpus = buildCorpus([], s, fakeLoad(seen));
  assert.equal(seen[0]![0]!.text, GOOD);
  const codes = corpus.problems.map((p) => p.code);
  assert.ok(codes.some((c) => c.startsWith('yaml')), `problems: ${codes}`);
  assert.ok(codes.includes('last-good-in-force'));
  assert.ok(!codes.includes('fake'), 'loader problems about the old text are dropped for a broken file');
  const syntax = corpus.problems.find((p) => p.code.startsWith('yaml'))!;
  assert.ok(syntax.line >= 2, `syntax error located on the broken line, got ${syntax.line}`);
  // Fixing the file puts the new text in force.
  s = setDiskText(s, '/w/.jpmg/a.yaml', GOOD2);
  assert.deepEqual(inputsInForce(s).map((i) => i.text), [GOOD2]);
  assert.deepEqual(buildCorpus([], s, fakeLoad([])).problems.map((p) => p.code), ['fake']);
});

test('a file that was never good contributes only problems', () => {
  const s = setDiskText(EMPTY_OVERLAYS, '/w/.jpmg/b.yaml', BROKEN);
  assert.deepEqual(inputsInForce(s), []);
  const corpus = buildCorpus([], s, fakeLoad([]));
  assert.ok(corpus.problems.length > 0 && corpus.problems.every((p) => p.code.startsWith('yaml')), corpus.problems.map((p) => p.code).join());
});

test('editor text wins over disk; closing the editor restores the disk text; delete removes', () => {
  let s = setDiskText(EMPTY_OVERLAYS, '/w/.jpmg/a.yaml', GOOD);
  s = setEditorText(s, '/w/.jpmg/a.yaml', GOOD2);
  assert.deepEqual(inputsInForce(s).map((i) => i.text), [GOOD2]);
  s = setDiskText(s, '/w/.jpmg/a.yaml', GOOD); // a save of something else on disk does not beat the open editor
  assert.deepEqual(inputsInForce(s).map((i) => i.text), [GOOD2]);
  s = closeEditor(s, '/w/.jpmg/a.yaml');
  assert.deepEqual(inputsInForce(s).map((i) => i.text), [GOOD]);
  s = removeDiskFile(s, '/w/.jpmg/a.yaml');
  assert.deepEqual(inputsInForce(s), []);
  // An unsaved editor-only file disappears when closed.
  s = setEditorText(s, '/w/.jpmg/new.yaml', GOOD);
  assert.equal(inputsInForce(s).length, 1);
  s = closeEditor(s, '/w/.jpmg/new.yaml');
  assert.equal(inputsInForce(s).length, 0);
});

test('deleting a file that is open keeps the editor text; removeWhere drops a folder', () => {
  let s = setDiskText(EMPTY_OVERLAYS, '/w/.jpmg/a.yaml', GOOD);
  s = setEditorText(s, '/w/.jpmg/a.yaml', GOOD);
  s = removeDiskFile(s, '/w/.jpmg/a.yaml');
  assert.equal(inputsInForce(s).length, 1);
  s = setDiskText(s, '/v/.jpmg/x.yaml', GOOD2);
  s = removeWhere(s, (f) => f.file.startsWith('/w/'));
  assert.deepEqual(inputsInForce(s).map((i) => i.file), ['/v/.jpmg/x.yaml']);
});

test('an open bundled file replaces the bundled input of the same path', () => {
  const bundled: OverlayInput[] = [{ file: '/ext/corpus/people.yaml', text: GOOD, bundled: true }, { file: '/ext/corpus/topics.yaml', text: GOOD, bundled: true }];
  const s = setEditorText(EMPTY_OVERLAYS, '/ext/corpus/people.yaml', GOOD2, true);
  const seen: OverlayInput[][] = [];
  buildCorpus(bundled, s, fakeLoad(seen));
  assert.deepEqual(seen[0], [
    { file: '/ext/corpus/topics.yaml', text: GOOD, bundled: true },
    { file: '/ext/corpus/people.yaml', text: GOOD2, bundled: true },
  ]);
});

test('updates never mutate an earlier state (handlers keep consistent snapshots)', () => {
  const s1 = setDiskText(EMPTY_OVERLAYS, '/w/.jpmg/a.yaml', GOOD);
  const s2 = setDiskText(s1, '/w/.jpmg/a.yaml', GOOD2);
  assert.equal(inputsInForce(s1)[0]!.text, GOOD);
  assert.equal(inputsInForce(s2)[0]!.text, GOOD2);
  assert.equal(EMPTY_OVERLAYS.files.size, 0);
});

test('parseProblems: hostile YAML is a problem, never a throw', () => {
  let laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let prev = 'a';
  for (let i = 0; i < 9; i++) {
    const n = String.fromCharCode(98 + i);
    laughs += `${n}: &${n} [${Array(9).fill('*' + prev).join(',')}]\n`;
    prev = n;
  }
  const cases: [string, string, string][] = [
    ['billion laughs', laughs, 'yaml-alias-limit'],
    ['5,000-deep flow nesting', '['.repeat(5000), 'yaml-too-deep'],
    ['5,000-deep block nesting', '- '.repeat(5000) + 'a', 'yaml-too-deep'],
    ['duplicate keys', 'entities: []\nentities: []\n', 'duplicate-key'],
    ['tab indentation', 'entities:\n\t- id: x\n', 'yaml-tab'],
    ['not a mapping', '- just\n- a list\n', 'schema'],
    ['too large', 'entities:\n' + '#'.repeat(CORPUS_YAML_LIMITS.maxFileChars), 'file-too-large'],
  ];
  for (const [name, text, code] of cases) {
    const problems = parseProblems('/w/.jpmg/h.yaml', text);
    assert.ok(problems.length > 0, name);
    assert.ok(problems.length <= CORPUS_YAML_LIMITS.maxProblemsPerFile + 1, `${name}: ${problems.length} problems`);
    assert.equal(problems[0]!.code, code, name);
    for (const p of problems) {
      assert.ok(p.line >= 0 && p.column >= 0 && p.file === '/w/.jpmg/h.yaml', name);
    }
  }
  const dup = parseProblems('/w/.jpmg/h.yaml', 'entities: []\nentities: []\n')[0]!;
  assert.equal(dup.line, 1, 'the duplicate key is reported on its own line');
  assert.deepEqual(parseProblems('/w/.jpmg/h.yaml', ''), []);
  assert.deepEqual(parseProblems('/w/.jpmg/h.yaml', GOOD), []);
});

test('closing an unsaved editor over a broken disk file falls back to the last good disk text, not the unsaved one', () => {
  let s = setDiskText(EMPTY_OVERLAYS, '/w/.jpmg/a.yaml', GOOD);
  s = setEditorText(s, '/w/.jpmg/a.yaml', GOOD2);
  assert.deepEqual(inputsInForce(s).map((i) => i.text), [GOOD2]);
  s = setDiskText(s, '/w/.jpmg/a.yaml', BROKEN); // saved something broken elsewhere, editor still open
  s = closeEditor(s, '/w/.jpmg/a.yaml');
  assert.deepEqual(inputsInForce(s).map((i) => i.text), [GOOD], 'the unsaved text is gone; the last good disk text stays');
  assert.ok(buildCorpus([], s, fakeLoad([])).problems.some((p) => p.code.startsWith('yaml')), 'the disk file is reported broken');
});

test('a file parsed to decide whether it is in force is not parsed again by the load that follows', async () => {
  const { parseYamlTextForLoad, takeParsedYaml, DEFAULT_YAML_LIMITS } = await import('../../server/src/core/corpus/yamlDoc');
  const { loadCorpus } = await import('../../server/src/core/corpus/index');
  // The hand-over itself: taken once, for the same text and limits only.
  const kept = parseYamlTextForLoad('/w/.jpmg/k.yaml', GOOD);
  assert.equal(takeParsedYaml('/w/.jpmg/k.yaml', GOOD, DEFAULT_YAML_LIMITS), kept);
  assert.notEqual(takeParsedYaml('/w/.jpmg/k.yaml', GOOD, DEFAULT_YAML_LIMITS), kept, 'a kept parse serves one load');
  parseYamlTextForLoad('/w/.jpmg/k.yaml', GOOD);
  assert.notEqual(takeParsedYaml('/w/.jpmg/k.yaml', GOOD2, DEFAULT_YAML_LIMITS).value, kept.value, 'another text is parsed anew');
  // The loader adopts a schema-valid entity object as parsed: here, the kept parse's own object (no second parse).
  const valid = `${GOOD}    summary: A topic.\n    sources: [{source: s1, quote: "A topic."}]\n`;
  const parsed = parseYamlTextForLoad('/w/.jpmg/a.yaml', valid);
  const adopted = loadCorpus([{ file: '/w/.jpmg/a.yaml', text: valid, bundled: false }]).byId.get('team-topic');
  assert.equal(adopted, (parsed.value as { entities: unknown[] }).entities[0]);
  // Through the overlay state (parseProblems keeps its parse) and the real loader.
  const s = setDiskText(EMPTY_OVERLAYS, '/w/.jpmg/a.yaml', GOOD);
  const corpus = buildCorpus([], s, (inputs) => loadCorpus(inputs));
  assert.equal(corpus.byId.get('team-topic')?.name, 'Team Topic');
  // What that load did not take is forgotten: a later load parses again and gets fresh objects.
  parseYamlTextForLoad('/w/.jpmg/b.yaml', GOOD2);
  loadCorpus([{ file: '/w/.jpmg/a.yaml', text: GOOD, bundled: false }]);
  const again = loadCorpus([{ file: '/w/.jpmg/b.yaml', text: GOOD2, bundled: false }]);
  assert.equal(again.byId.get('team-topic-2')?.name, 'Team Topic Two');
});

test('a file with no last good text is judged later (a server parses a large workspace corpus between requests)', () => {
  const file = '/w/.jpmg/new.yaml';
  let s = setDiskText(EMPTY_OVERLAYS, file, GOOD);
  assert.deepEqual(unjudgedFiles(s), [file], 'not parsed yet');
  assert.deepEqual(inputsInForce(s).map((i) => i.text), [GOOD], 'read as judged all the same');
  s = judge(s, file);
  assert.deepEqual(unjudgedFiles(s), []);
  assert.deepEqual(inputsInForce(s).map((i) => i.text), [GOOD]);
  // With a last good text, a change is decided at once: the last good text is always the last one seen good.
  s = setDiskText(s, file, BROKEN);
  assert.deepEqual(unjudgedFiles(s), []);
  assert.deepEqual(inputsInForce(s).map((i) => i.text), [GOOD]);

  // A good text awaiting judgement, replaced by a broken one: judged first, so it stays in force.
  let t = setDiskText(EMPTY_OVERLAYS, file, GOOD);
  t = setDiskText(t, file, BROKEN);
  assert.deepEqual(inputsInForce(t).map((i) => i.text), [GOOD]);
  assert.ok(buildCorpus([], t, fakeLoad([])).problems.some((p) => p.code === 'last-good-in-force'));

  // Editor text is judged when the corpus is rebuilt, not on every keystroke.
  let e = judge(setDiskText(EMPTY_OVERLAYS, file, GOOD), file);
  e = setEditorText(e, file, BROKEN);
  assert.deepEqual(unjudgedFiles(e), [file]);
  e = setEditorText(e, file, GOOD2);
  assert.deepEqual(unjudgedFiles(e), [file]);
  assert.deepEqual(inputsInForce(e).map((i) => i.text), [GOOD2]);
  e = setEditorText(judge(e, file), file, BROKEN);
  assert.deepEqual(inputsInForce(e).map((i) => i.text), [GOOD2], 'the last judged good editor text stays in force');

  // Unsaved editor text awaiting judgement never outlives the editor.
  let u = setDiskText(EMPTY_OVERLAYS, file, BROKEN);
  u = judge(u, file);
  u = setEditorText(u, file, GOOD2);
  assert.deepEqual(unjudgedFiles(u), [file]);
  u = closeEditor(u, file);
  assert.deepEqual(inputsInForce(u), [], 'the disk text was never good, the editor text is gone');
});
