// The workspace index and the service facade on strings: references across documents, open documents overriding
// disk text, one document's entry replaced per change, corpus YAML routing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLanguageService } from '../../server/src/core/service';
import { analyzeDocument, updateAnalysis } from '../../server/src/core/analysis/analyze';
import { runChecks } from '../../server/src/core/checks/index';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';
import { fileUri } from '../../server/src/core/features/uri';
import { fixtureCorpus, FILES, lineOf, MEETINGS_YAML, PEOPLE_YAML, pos } from './features-fixture';
import fc from 'fast-check';
import { packMentions } from '../../server/src/core/workspace';
import { createLineIndex } from '../../server/src/core/analysis/lineIndex';

function service() {
  let analyses = 0;
  const s = createLanguageService({
    corpus: fixtureCorpus,
    analyze: (...args) => {
      analyses++;
      return analyzeDocument(...args);
    },
    runChecks,
  });
  return { s, count: () => analyses };
}

const A = 'Derek Chollet met Amir Eshel.\n';
const B = '# Other\n\nLater, Chollet spoke.\nChollet again.\n';

test('references: mentions across documents from the index, plus the declaration when asked', () => {
  const { s } = service();
  s.indexFromDisk('file:///w/b.md', B);
  s.indexFromDisk('file:///w/c.md', 'Nothing here.');
  const doc = { uri: 'file:///w/a.md', version: 1, text: A };
  const refs = s.references(doc, pos(A, 'Chollet'), false);
  assert.deepEqual(refs.map((r) => `${r.uri}:${r.range.start.line}:${r.range.start.character}`), [
    'file:///w/a.md:0:0', 'file:///w/b.md:2:7', 'file:///w/b.md:3:0',
  ]);
  const withDecl = s.references(doc, pos(A, 'Chollet'), true);
  assert.equal(withDecl[0]!.uri, fileUri(FILES.people));
  assert.equal(withDecl[0]!.range.start.line, lineOf(PEOPLE_YAML, 'id: derek-chollet'));
  assert.equal(withDecl.length, 4);
});

test('index: a change replaces only that document; open documents override disk; close falls back', () => {
  const { s, count } = service();
  for (let i = 0; i < 50; i++) s.indexFromDisk(`file:///w/${i}.md`, i % 2 ? B : 'none');
  assert.equal(s.index.documentCount('derek-chollet'), 25);
  const before = count();
  const doc = { uri: 'file:///w/1.md', version: 2, text: 'No names now.' };
  s.indexOpen(doc);
  assert.equal(count() - before, 1, 'one analysis for one change');
  assert.equal(s.index.documentCount('derek-chollet'), 24);
  s.indexFromDisk('file:///w/1.md', B); // a disk event while open: ignored
  assert.equal(s.index.documentCount('derek-chollet'), 24);
  s.closed('file:///w/1.md');
  s.indexFromDisk('file:///w/1.md', B);
  assert.equal(s.index.documentCount('derek-chollet'), 25);
  s.removeFromIndex('file:///w/3.md');
  assert.equal(s.index.documentCount('derek-chollet'), 24);
  assert.equal(s.index.has('file:///w/3.md'), false);
});

test('service: analysis cached per version; a new version re-analyses', () => {
  const { s, count } = service();
  const doc = { uri: 'file:///w/a.md', version: 1, text: A };
  s.hover(doc, pos(A, 'Eshel'));
  s.definition(doc, pos(A, 'Eshel'));
  s.documentSymbols(doc);
  assert.equal(count(), 1);
  const h = s.hover({ ...doc, version: 2, text: `Hi. ${A}` }, pos(`Hi. ${A}`, 'Eshel'));
  assert.equal(count(), 2);
  assert.match(h!.contents.value, /Amir Eshel/);
});

test('service: hover off by setting; plain-text mentions off keeps wikilinks', () => {
  const { s } = service();
  const text = 'Derek Chollet and [[amir-eshel]]';
  const doc = { uri: 'file:///w/a.md', version: 1, text };
  assert.equal(s.hover(doc, pos(text, 'Chollet'), { ...DEFAULT_SETTINGS, hover: { enabled: false } }), undefined);
  const plainOff = { ...DEFAULT_SETTINGS, mentions: { plainText: false } };
  assert.equal(s.hover(doc, pos(text, 'Chollet'), plainOff), undefined);
  assert.ok(s.hover(doc, pos(text, 'amir'), plainOff));
});

test('service: corpus YAML documents get corpus features (hover, definition, references from the id line)', () => {
  const { s } = service();
  s.indexFromDisk('file:///w/b.md', B);
  const yaml = { uri: fileUri(FILES.meetings), version: 1, text: MEETINGS_YAML, languageId: 'yaml' };
  assert.equal(s.isCorpusDocument(yaml), true);
  const hover = s.hover(yaml, pos(MEETINGS_YAML, 'entity: derek-chollet', 10));
  assert.match(hover!.contents.value, /^\*\*Derek Chollet\*\*/);
  const [def] = s.definition(yaml, pos(MEETINGS_YAML, 'entity: derek-chollet', 10));
  assert.equal(def!.range.start.line, lineOf(PEOPLE_YAML, 'id: derek-chollet'));
  const people = { uri: fileUri(FILES.people), version: 1, text: PEOPLE_YAML, languageId: 'yaml' };
  const refs = s.references(people, pos(PEOPLE_YAML, 'id: derek-chollet', 1), false);
  assert.deepEqual(refs.map((r) => r.uri), ['file:///w/b.md', 'file:///w/b.md']);
  assert.deepEqual(s.diagnostics(people), []);
});

test('service: diagnostics and quick fixes come from the checks engine', () => {
  const { s } = service();
  const text = 'See [[derek-cholet]] today.';
  const doc = { uri: 'file:///w/a.md', version: 1, text };
  const diags = s.diagnostics(doc);
  const unknown = diags.find((d) => d.code === 'unknown-wikilink');
  assert.ok(unknown, JSON.stringify(diags));
  assert.equal(unknown.source, 'jpmg');
  const actions = s.codeActions(doc, unknown.range);
  assert.ok(actions.some((a) => /derek-chollet|Derek Chollet/.test(a.title)), JSON.stringify(actions.map((a) => a.title)));
});

test('service: YAML that is not a corpus file gets no answers', () => {
  const { s } = service();
  const text = 'name: Derek Chollet\n';
  const doc = { uri: 'file:///w/docker-compose.yaml', version: 1, text, languageId: 'yaml' };
  assert.equal(s.isBrief(doc), false);
  assert.equal(s.hover(doc, pos(text, 'Chollet')), undefined);
  assert.deepEqual(s.semanticTokens(doc).data, []);
  assert.deepEqual(s.diagnostics(doc), []);
  assert.ok(s.hover({ ...doc, uri: 'file:///w/brief.md', languageId: 'markdown' }, pos(text, 'Chollet')));
});

test('service: a checks engine that throws on a corpus is not run again for it; other features keep working', () => {
  let calls = 0;
  const logs: string[] = [];
  const s = createLanguageService({
    corpus: fixtureCorpus,
    analyze: analyzeDocument,
    runChecks: () => {
      calls++;
      throw new RangeError('Map maximum size exceeded');
    },
    log: (m) => logs.push(m),
  });
  const text = 'Derek Chollet.';
  assert.deepEqual(s.diagnostics({ uri: 'file:///w/a.md', version: 1, text }), []);
  assert.deepEqual(s.diagnostics({ uri: 'file:///w/a.md', version: 2, text: `${text} ` }), []);
  assert.equal(calls, 1);
  assert.match(logs.join('\n'), /checks disabled for this corpus: Map maximum size exceeded/);
  assert.ok(s.hover({ uri: 'file:///w/a.md', version: 2, text: `${text} ` }, pos(text, 'Chollet')));
});

test('index: ranges equal the analysis positions (CRLF, CR, emoji, names wrapped over lines)', () => {
  const { s } = service();
  const text = '🇺🇸 Derek Chollet\r\nand Amir\r\nEshel 😀 Chollet\rChollet\n\n[[amir-eshel]]';
  s.indexFromDisk('file:///w/x.md', text);
  const a = analyzeDocument(text, 0, fixtureCorpus());
  for (const id of ['derek-chollet', 'amir-eshel']) {
    const expected = a.mentions.filter((m) => m.entityIds.includes(id))
      .map((m) => ({ uri: 'file:///w/x.md', range: { start: a.lineIndex.positionAt(m.start), end: a.lineIndex.positionAt(m.end) } }));
    assert.ok(expected.length >= 2, id);
    assert.deepEqual(s.index.references(id), expected, id);
  }
});

test('service: a new version of an analysed document goes through the engine\'s incremental update', () => {
  let updates = 0;
  const s = createLanguageService({
    corpus: fixtureCorpus,
    analyze: analyzeDocument,
    update: (...args) => {
      updates++;
      return updateAnalysis(...args);
    },
  });
  const text = 'Derek Chollet met Amir Eshel.\n\nLater, Chollet.\n';
  const doc = { uri: 'file:///w/a.md', version: 1, text };
  s.hover(doc, pos(text, 'Eshel'));
  const next = text.replace('Later', 'Much later');
  const h = s.hover({ uri: doc.uri, version: 2, text: next }, pos(next, 'Chollet.'));
  assert.equal(updates, 1);
  assert.match(h!.contents.value, /Derek Chollet/);
  assert.deepEqual(h!.range.start, pos(next, 'Chollet.'));
});

test('service: completionItem/resolve fills in the card of an item sent without one', () => {
  const { s } = service();
  const resolved = s.resolveCompletion({ label: 'Amir Eshel', data: { id: 'amir-eshel' } }) as { documentation?: { kind: string; value: string } };
  assert.equal(resolved.documentation?.kind, 'markdown');
  assert.match(resolved.documentation!.value, /^\*\*Amir Eshel\*\*/);
  const unknown = s.resolveCompletion({ label: 'x', data: { id: 'nobody' } }) as { documentation?: unknown };
  assert.equal(unknown.documentation, undefined);
});

test('packMentions: each entity\'s ranges, in document order, as a line index converts them (CR, LF, CRLF, several ids)', () => {
  const line = fc.constantFrom('\n', '\r\n', '\r');
  const piece = fc.oneof(fc.string({ maxLength: 6 }), line);
  const ids = fc.subarray(['a', 'b', 'c', 'd'], { maxLength: 3 });
  fc.assert(fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.tuple(fc.nat(), fc.nat(8), ids), { maxLength: 12 }), (pieces, picks) => {
    const text = pieces.join('');
    // Sorted, non-overlapping mentions (as the analysis gives them); an empty id list stands for an unresolved one.
    const mentions: { start: number; end: number; entityIds: string[] }[] = [];
    let from = 0;
    for (const [gap, length, entityIds] of picks) {
      const start = from + (text.length ? gap % (text.length + 1) : 0);
      const end = Math.min(text.length, start + length);
      if (start > text.length) break;
      mentions.push({ start, end, entityIds });
      from = end;
    }
    const packed = packMentions({ text, mentions });
    const index = createLineIndex(text);
    // A position never falls between CR and LF: such an offset counts as the CR's.
    const at = (offset: number) => index.positionAt(offset > 0 && text[offset - 1] === '\r' && text[offset] === '\n' ? offset - 1 : offset);
    const expected = new Map<string, number[]>();
    for (const m of mentions) {
      for (const id of m.entityIds) {
        const s = at(m.start);
        const e = at(m.end);
        expected.set(id, [...(expected.get(id) ?? []), s.line, s.character, e.line, e.character]);
      }
    }
    assert.deepEqual([...packed.ids], [...expected.keys()]);
    packed.ids.forEach((id, k) => assert.deepEqual([...packed.ranges.subarray(packed.offsets[k], packed.offsets[k + 1])], expected.get(id)));
    assert.equal(packed.offsets[packed.ids.length] ?? 0, packed.ranges.length);
  }), { numRuns: 2000 });
});
