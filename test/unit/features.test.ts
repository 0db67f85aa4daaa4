// Feature providers on plain strings: hover card, definition (briefs and corpus YAML), completion, references,
// highlights, symbols, workspace symbols, semantic tokens, meetings, brief entities, search, code actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { provideHover } from '../../server/src/core/features/hover';
import { provideDefinition, provideYamlDefinition } from '../../server/src/core/features/definition';
import { provideCompletion, wikilinkContext, EAGER_DOCUMENTATION, MAX_COMPLETION_ITEMS } from '../../server/src/core/features/completion';
import { provideHighlights } from '../../server/src/core/features/highlights';
import { provideDocumentSymbols } from '../../server/src/core/features/symbols';
import { provideWorkspaceSymbols } from '../../server/src/core/features/workspaceSymbols';
import { provideSemanticTokens } from '../../server/src/core/features/semanticTokens';
import { provideMeetings } from '../../server/src/core/features/meetings';
import { provideBriefEntities } from '../../server/src/core/features/briefEntities';
import { searchEntities } from '../../server/src/core/features/search';
import { entityCard, renderCard } from '../../server/src/core/features/entityCard';
import { provideCodeActions } from '../../server/src/core/features/codeActions';
import { escapeMarkdown, safeHttpsUrl } from '../../server/src/core/features/markdown';
import { canonicalUri, fileUri, uriToPath } from '../../server/src/core/features/uri';
import { SEMANTIC_TOKEN_TYPES } from '../../server/src/protocol';
import { loadCorpus } from '../../server/src/core/corpus/index';
import type { Corpus } from '../../server/src/core/types';
import { analyse, fixtureCorpus, FILES, lineOf, MEETINGS_YAML, PEOPLE_YAML, pos, SOURCE_TEXT } from './features-fixture';

const corpus = fixtureCorpus();

function hoverText(text: string, needle: string, delta = 1, c: Corpus = corpus): string | undefined {
  return provideHover(analyse(text, c), c, pos(text, needle, delta))?.contents.value;
}

// ---- hover ----

test('hover: the card has name, kind, roles with organisation name and dates, summary, related meetings, sources', () => {
  const card = hoverText('We met Derek Chollet today.', 'Chollet')!;
  assert.ok(card.startsWith('**Derek Chollet** · person'), card);
  assert.match(card, /Counselor of the Department — The Department \(2021\\-02 – \\\?\)/);
  assert.doesNotMatch(card, /— department\b/, 'organisation shown by name, not id');
  assert.match(card, /Counselor of the Department\\\./, 'summary');
  assert.match(card, /\*\*Meetings:\*\* 48th Round \(2022\\-10\\-25\) — led the U\\\.S\\\. side/);
  assert.match(card, /\[Joint Statement of the 48th Group\]\(https:\/\/example\.org\/statement\), Test Wire, 2022\\-10\\-26: “Derek Chollet\\, the Counselor of the Department”/);
});

test('hover: range covers the whole mention; title + surname form and Persian alias resolve', () => {
  const text = 'Then Director General Eshel spoke, and درک شولت replied.';
  const a = analyse(text);
  const h = provideHover(a, corpus, pos(text, 'General'))!;
  assert.deepEqual(h.range, { start: pos(text, 'Director'), end: pos(text, ' spoke') });
  assert.match(h.contents.value, /^\*\*Amir Eshel\*\*/);
  assert.match(hoverText(text, 'شولت')!, /^\*\*Derek Chollet\*\*/);
});

test('hover: a wikilink resolves by id and shows the card; outside mentions there is no hover', () => {
  const text = 'See [[amir-eshel]] and nothing else.';
  assert.match(hoverText(text, 'amir-eshel')!, /^\*\*Amir Eshel\*\*/);
  assert.equal(hoverText(text, 'nothing'), undefined);
});

test('hover: no mention inside code spans, fenced code or front matter', () => {
  const text = '---\ntitle: Derek Chollet\n---\nText `Derek Chollet` here.\n\n```\nDerek Chollet\n```\n';
  for (let n = 0; n < 3; n++) {
    const at = text.split('Derek Chollet').slice(0, n + 1).join('Derek Chollet').length + 2;
    const a = analyse(text);
    assert.equal(provideHover(a, corpus, a.lineIndex.positionAt(at)), undefined, `occurrence ${n}`);
  }
});

test('hover: an ambiguous mention lists the candidates', () => {
  const card = hoverText('The Shared Name arrived.', 'Shared')!;
  assert.match(card, /may refer to 2 entities/);
  assert.match(card, /\*\*Amir Eshel\*\*/);
  assert.match(card, /\*\*Other Person\*\*/);
});

test('hover: corpus text is escaped — no live command link, no raw HTML, no code span', () => {
  const card = hoverText('Amir Eshel', 'Eshel')!;
  assert.doesNotMatch(card, /\]\(command:/);
  assert.doesNotMatch(card, /</);
  assert.doesNotMatch(card, /(^|[^\\])`/);
  assert.match(card, /&lt;img/);
});

test('escapeMarkdown and safeHttpsUrl', () => {
  assert.equal(escapeMarkdown('[a](command:x) <b> & *c*'), '\\[a\\]\\(command\\:x\\) &lt;b&gt; &amp; \\*c\\*');
  assert.equal(escapeMarkdown('line\nbreak'), 'line break');
  assert.equal(safeHttpsUrl('command:workbench.action.quit'), undefined);
  assert.equal(safeHttpsUrl('http://example.org'), undefined);
  assert.equal(safeHttpsUrl('https://example.org/a(b)'), 'https://example.org/a%28b%29');
});

// ---- definition ----

test('definition: a mention goes to the line of its id in the corpus YAML file', () => {
  const text = 'Amir Eshel and [[derek-chollet]].';
  const a = analyse(text);
  const [eshel] = provideDefinition(a, corpus, pos(text, 'Eshel'));
  assert.equal(eshel!.uri, fileUri(FILES.people));
  assert.equal(eshel!.range.start.line, lineOf(PEOPLE_YAML, 'id: amir-eshel'));
  const [chollet] = provideDefinition(a, corpus, pos(text, 'derek'));
  assert.equal(chollet!.range.start.line, lineOf(PEOPLE_YAML, 'id: derek-chollet'));
  assert.deepEqual(provideDefinition(a, corpus, pos(text, ' and', 2)), []);
});

test('definition in corpus YAML: a cross-reference goes to its entity, a citation to the quote in the source', () => {
  const entityAt = MEETINGS_YAML.indexOf('entity: amir-eshel') + 'entity: am'.length;
  const [target] = provideYamlDefinition(MEETINGS_YAML, entityAt, corpus);
  assert.equal(target!.uri, fileUri(FILES.people));
  assert.equal(target!.range.start.line, lineOf(PEOPLE_YAML, 'id: amir-eshel'));

  const citation = '{source: seed-001, quote: "the 2016 Memorandum of Understanding"}';
  const onSource = PEOPLE_YAML.length; // the citation is appended below
  const yaml = `${PEOPLE_YAML}    extra: [${citation}]\n`;
  for (const offset of [onSource + yaml.slice(onSource).indexOf('seed-001') + 2, onSource + yaml.slice(onSource).indexOf('2016')]) {
    const [loc] = provideYamlDefinition(yaml, offset, corpus);
    assert.ok(loc, `offset ${offset}`);
    assert.equal(loc.uri, fileUri(FILES.sourceText));
    assert.equal(loc.range.start.line, lineOf(SOURCE_TEXT, '2016 Memorandum') );
    assert.equal(loc.range.start.character, SOURCE_TEXT.split('\n')[3]!.indexOf('the 2016'));
  }
});

// ---- completion ----

function complete(text: string, cursor: string, triggerKind = 2, c: Corpus = corpus) {
  const offset = text.indexOf(cursor);
  const clean = text.replace(cursor, '');
  const a = analyse(clean, c);
  return {
    text: clean,
    result: provideCompletion({
      text: clean, offset, corpus: c, context: { triggerKind, triggerCharacter: triggerKind === 2 ? '[' : undefined },
      isMasked: (o) => a.masked.some((r) => o > r.start && o < r.end),
      positionAt: (o) => a.lineIndex.positionAt(o),
    }),
  };
}

function applyEdit(text: string, edit: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }): string {
  const a = analyse(text);
  const start = a.lineIndex.offsetAt(edit.range.start);
  const end = a.lineIndex.offsetAt(edit.range.end);
  return text.slice(0, start) + edit.newText + text.slice(end);
}

test('completion after [[ offers every entity with detail, documentation, filterText and sortText', () => {
  const { result } = complete('See [[|', '|');
  assert.ok(result);
  assert.equal(result.items.length, corpus.entities.length);
  const chollet = result.items.find((i) => i.data.id === 'derek-chollet')!;
  assert.equal(chollet.label, 'Derek Chollet');
  assert.match(chollet.detail, /^person · Counselor of the Department, The Department \(2021-02 – \?\)$/);
  assert.equal(chollet.documentation?.kind, 'markdown');
  assert.match(chollet.documentation!.value, /^\*\*Derek Chollet\*\*/);
  for (const word of ['derek-chollet', 'Derek Chollet', 'Counselor Chollet', 'درک شولت']) assert.ok(chollet.filterText.includes(word), word);
  const sorted = [...result.items].sort((x, y) => (x.sortText < y.sortText ? -1 : 1)).map((i) => i.label);
  assert.deepEqual(sorted, [...sorted].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase())));
});

test('completion never doubles brackets: [[|]], [[ab|]], [[ab|, [[ab|] and [[ab|cd]]', () => {
  const cases: [string, string][] = [
    ['See [[|]] here', 'See [[derek-chollet]] here'],
    ['See [[der|]] here', 'See [[derek-chollet]] here'],
    ['See [[der|', 'See [[derek-chollet]]'],
    ['See [[der| and more', 'See [[derek-chollet]] and more'],
    ['See [[der|] x', 'See [[derek-chollet]] x'],
    ['See [[der|ek]] x', 'See [[derek-chollet]] x'],
    ['See [[der|ek|shown]] x', 'See [[derek-chollet|shown]] x'],
  ];
  for (const [input, expected] of cases) {
    const { text, result } = complete(input, '|');
    const item = result?.items.find((i) => i.data.id === 'derek-chollet');
    assert.ok(item, input);
    assert.equal(applyEdit(text, item.textEdit), expected, input);
  }
});

test('completion filters by the typed prefix (name, alias, id, Persian) and ranks exact and prefix matches first', () => {
  const ids = (input: string) => complete(input, '|').result!.items.map((i) => i.data.id);
  assert.deepEqual(ids('[[Chol|'), ['derek-chollet']);
  assert.deepEqual(ids('[[amir-e|'), ['amir-eshel']);
  assert.deepEqual(ids('[[شولت|'), ['derek-chollet']);
  assert.ok(ids('[[shared|').includes('other-person'));
  assert.deepEqual(complete('[[zzzz|', '|').result!.items, []);
});

test('completion: nothing inside code, after the | of a wikilink, or on a lone [', () => {
  assert.equal(complete('Text `[[der|` x', '|').result, undefined);
  assert.equal(complete('```\n[[der|\n```\n', '|').result, undefined);
  assert.equal(complete('[[x|sho‸]]', '‸').result, undefined);
  assert.equal(complete('a [| b', '|').result, undefined);
});

test('completion of plain names only when invoked explicitly', () => {
  assert.equal(complete('We met Chol| today', '|', 2).result, undefined);
  const { text, result } = complete('We met Chol| today', '|', 1);
  const item = result!.items.find((i) => i.data.id === 'derek-chollet')!;
  assert.equal(applyEdit(text, item.textEdit), 'We met Derek Chollet today');
});

test('completion on a 5,000-entity corpus stays capped and marked incomplete', () => {
  const lines = ['entities:'];
  for (let i = 0; i < 5_000; i++) {
    lines.push(`  - {id: person-${i}, kind: person, name: "Person Number ${i}", aliases: [], summary: s, sources: [{source: ext-x, quote: q, external: true, reference: r}]}`);
  }
  const big = loadCorpus([{ file: '/big/people.yaml', text: lines.join('\n'), bundled: true }], { checkQuotes: false, validateSchema: false });
  assert.equal(big.entities.length, 5_000);
  const all = complete('[[|', '|', 2, big).result!;
  assert.equal(all.items.length, MAX_COMPLETION_ITEMS);
  assert.equal(all.isIncomplete, true);
  // Cards travel with the first items only; the rest come from completionItem/resolve.
  assert.equal(all.items.filter((i) => i.documentation).length, EAGER_DOCUMENTATION);
  assert.ok(all.items.slice(0, EAGER_DOCUMENTATION).every((i) => i.documentation));
  const narrow = complete('[[person-1999|', '|', 2, big).result!;
  assert.equal(narrow.items[0]!.data.id, 'person-1999');
  assert.equal(narrow.isIncomplete, false);
});

test('wikilinkContext is bounded to the line', () => {
  assert.equal(wikilinkContext('[[a\nb', 5), undefined);
  assert.equal(wikilinkContext('[[a]] b', 7), undefined);
  assert.equal(wikilinkContext('x'.repeat(500), 500), undefined);
});

// ---- highlights, symbols, tokens ----

const BRIEF = '# Brief\n\nDerek Chollet met Amir Eshel at the 48th JPMG.\nLater Chollet and [[amir-eshel]] signed the 2016 MOU.\n';

test('highlights: the other mentions of the same entity in this brief', () => {
  const a = analyse(BRIEF);
  const h = provideHighlights(a, pos(BRIEF, 'Eshel'));
  assert.deepEqual(h.map((x) => BRIEF.slice(a.lineIndex.offsetAt(x.range.start), a.lineIndex.offsetAt(x.range.end))), ['Amir Eshel', '[[amir-eshel]]']);
});

test('document symbols: entities by kind, each at its first mention', () => {
  const syms = provideDocumentSymbols(analyse(BRIEF), corpus);
  const names = syms.map((s) => `${s.name}: ${s.children!.map((c) => `${c.name} (${c.detail})`).join(', ')}`);
  assert.deepEqual(names, [
    'People: Derek Chollet (2 mentions), Amir Eshel (2 mentions)',
    'Agreements: 2016 Memorandum of Understanding (1 mention)',
    'Meetings: 48th Round (1 mention)',
  ]);
  const chollet = syms[0]!.children![0]!;
  assert.deepEqual(chollet.selectionRange.start, pos(BRIEF, 'Derek'));
});

test('semantic tokens: one token per mention with the kind type and the wikilink modifier; range requests filter', () => {
  const a = analyse(BRIEF);
  const { data } = provideSemanticTokens(a, corpus);
  const tokens: { line: number; char: number; length: number; type: string; mods: number }[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i]!;
    char = data[i]! === 0 ? char + data[i + 1]! : data[i + 1]!;
    tokens.push({ line, char, length: data[i + 2]!, type: SEMANTIC_TOKEN_TYPES[data[i + 3]!]!, mods: data[i + 4]! });
  }
  const lines = BRIEF.split('\n');
  assert.deepEqual(tokens.map((t) => `${lines[t.line]!.slice(t.char, t.char + t.length)}:${t.type}:${t.mods}`), [
    'Derek Chollet:jpmgPerson:0', 'Amir Eshel:jpmgPerson:0', '48th JPMG:jpmgMeeting:0',
    'Chollet:jpmgPerson:0', '[[amir-eshel]]:jpmgPerson:1', '2016 MOU:jpmgAgreement:0',
  ]);
  const ranged = provideSemanticTokens(a, corpus, { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } });
  assert.equal(ranged.data.length, 3 * 5);
  assert.equal(ranged.data[0], 3, 'first token of a range is relative to line 0');
});

test('semantic tokens: a name wrapped over two lines becomes two tokens', () => {
  const text = 'We met Derek\nChollet today.';
  const a = analyse(text);
  assert.equal(a.mentions.length, 1);
  assert.deepEqual(provideSemanticTokens(a, corpus).data, [0, 7, 5, 0, 0, 1, 0, 7, 0, 0]);
});

// ---- custom requests ----

test('meetings: years newest first, meetings newest first, description, participants with roles, sources at the quote', () => {
  const { years } = provideMeetings(corpus);
  assert.deepEqual(years.map((y) => `${y.label}: ${y.children!.map((m) => m.label).join(', ')}`), [
    '2022: 48th Round', '2021: Second Round of 2021, First Round',
  ]);
  const round = years[0]!.children![0]!;
  assert.equal(round.description, '2022-10-25 · in-person · 48th round');
  assert.equal(round.location!.range.start.line, lineOf(MEETINGS_YAML, 'id: round-48'));
  const groups = Object.fromEntries(round.children!.map((g) => [g.label, g.children!]));
  assert.deepEqual(groups.Participants!.map((p) => `${p.label} — ${p.description}`), [
    'Derek Chollet — led the U.S. side', 'Amir Eshel — led the Israeli side',
  ]);
  assert.deepEqual(groups.Organisations!.map((p) => p.label), ['Joint Political-Military Group']);
  assert.deepEqual(groups.Agreements!.map((p) => p.entityId), ['mou-2016']);
  const source = groups.Sources![0]!;
  assert.equal(source.kind, 'source');
  assert.equal(source.citation!.location!.uri, fileUri(FILES.sourceText));
  assert.equal(source.citation!.location!.range.start.line, 0);
});

test('briefEntities: counts and first mention, in order of first mention', () => {
  const r = provideBriefEntities('file:///b.md', analyse(BRIEF), corpus);
  assert.deepEqual(r.entities.map((e) => `${e.entity.id}:${e.count}`), ['derek-chollet:2', 'amir-eshel:2', 'round-48:1', 'mou-2016:1']);
  assert.deepEqual(r.entities[0]!.first.range.start, pos(BRIEF, 'Derek'));
  assert.equal(r.entities[0]!.entity.location.uri, fileUri(FILES.people));
});

test('entityCard and searchEntities', () => {
  const card = entityCard('amir-eshel', corpus)!;
  assert.equal(card.entity.name, 'Amir Eshel');
  assert.equal(card.markdown, renderCard(corpus.byId.get('amir-eshel')!, corpus));
  assert.equal(card.citations[0]!.location!.uri, fileUri(FILES.sourceText));
  assert.equal(entityCard('nobody', corpus), undefined);
  assert.deepEqual(searchEntities({ query: 'eshel' }, corpus).entities.map((e) => e.id), ['amir-eshel']);
  assert.deepEqual(searchEntities({ query: 'things' }, corpus).entities.map((e) => e.id), ['department']);
  assert.equal(searchEntities({ query: '', limit: 3 }, corpus).entities.length, 3);
});

test('workspace symbols: name, alias and substring matches, located at the corpus entry', () => {
  const syms = provideWorkspaceSymbols('chol', corpus);
  assert.deepEqual(syms.map((s) => s.name), ['Derek Chollet']);
  assert.equal(syms[0]!.location.range.start.line, lineOf(PEOPLE_YAML, 'id: derek-chollet'));
  assert.deepEqual(provideWorkspaceSymbols('JPMG', corpus).map((s) => s.name).sort(), ['48th Round', 'Joint Political-Military Group']);
  assert.deepEqual(provideWorkspaceSymbols('ollet', corpus).map((s) => s.name), ['Derek Chollet']);
});

test('code actions: fixes of findings overlapping the range become quick fixes with edits', () => {
  const text = 'We met Derek Cholet.';
  const a = analyse(text);
  const start = text.indexOf('Cholet');
  const finding = {
    start, end: start + 6, code: 'near-miss-name', severity: 'warning' as const, message: 'Did you mean Chollet?',
    fixes: [{ title: 'Replace with Chollet', edits: [{ start, end: start + 6, newText: 'Chollet' }], isPreferred: true }],
  };
  const at = (o: number) => a.lineIndex.positionAt(o);
  const actions = provideCodeActions({ uri: 'file:///b.md', analysis: a, findings: [finding], range: { start: at(start + 2), end: at(start + 2) } });
  assert.equal(actions.length, 1);
  assert.equal(actions[0]!.isPreferred, true);
  assert.deepEqual(actions[0]!.edit, { changes: { 'file:///b.md': [{ range: { start: at(start), end: at(start + 6) }, newText: 'Chollet' }] } });
  assert.deepEqual(provideCodeActions({ uri: 'file:///b.md', analysis: a, findings: [finding], range: { start: at(0), end: at(2) } }), []);
});

// ---- uris ----

test('file URIs: encoded like VS Code, round-trip, Windows drives', () => {
  assert.equal(fileUri('/a b/c#d.md'), 'file:///a%20b/c%23d.md');
  assert.equal(fileUri('C:\\Users\\x\\b.md'), 'file:///c%3A/Users/x/b.md');
  assert.equal(uriToPath('file:///c%3A/Users/x/b.md'), 'c:/Users/x/b.md');
  assert.equal(uriToPath(fileUri('/tmp/پیمان.md')), '/tmp/پیمان.md');
  assert.equal(canonicalUri('file:///a%20b/c.md'), 'file:///a%20b/c.md');
  assert.equal(canonicalUri('untitled:Untitled-1'), 'untitled:Untitled-1');
});
