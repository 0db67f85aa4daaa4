// The real server over stdio on example briefs: hover (name, title + surname, Persian, wikilink), definition into
// corpus/*.yaml at the id line, completion after `[[`, highlights, symbols, workspace symbols, semantic tokens,
// custom requests — and the text forms that break naive servers: CRLF, emoji before a mention, front matter, code
// fences and inline code, links, Persian with and without ZWNJ, incremental edits.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileUri, positionOf, ROOT, startServer, textAt, type Hover, type Location, type Range, type Server } from './helpers';

let server: Server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const PEOPLE = path.join(ROOT, 'corpus/people.yaml');

/** 0-based line of `- id: <id>` in a corpus file, read now (the corpus may grow; the test follows it). */
function idLine(file: string, id: string): number {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const n = lines.findIndex((l) => new RegExp(`^\\s*-?\\s*id:\\s*${id}\\s*$`).test(l));
  assert.ok(n >= 0, `${id} in ${file}`);
  return n;
}

const BRIEF = [
  '---',
  'title: Read-ahead, Derek Chollet visit',
  'date: 2022-10-20',
  '---',
  '# Read-ahead: the 48th JPMG',
  '',
  '🇺🇸🤝 Derek Chollet leads the U.S. side; Director General Eshel leads the Israeli delegation.',
  'See [[amir-eshel]] and [[derek-chollet|the Counselor]]; a link: [Eshel](https://example.org/Chollet).',
  '',
  'Inline `Derek Chollet` is code.',
  '',
  '```',
  'Derek Chollet in a fence',
  '```',
  '',
  'درک شولت و پیمان‌های ابراهیم و پیمانهای ابراهیم.',
  '',
].join('\n');

async function hover(uri: string, text: string, needle: string, delta = 1, n = 0): Promise<Hover | null> {
  return server.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, needle, delta, n) });
}

function cardName(h: Hover | null): string | undefined {
  return h ? /^\*\*(.+?)\*\*/.exec(h.contents.value)?.[1] : undefined;
}

test('hover: plain name, title + surname, wikilink, Persian, link text — with exact ranges after emoji', async () => {
  const uri = await server.open('brief.md', BRIEF);
  const cases: [string, number, string, string][] = [
    // needle, occurrence, expected card name, expected covered text
    ['Derek Chollet leads', 0, 'Derek Chollet', 'Derek Chollet'],
    ['Director General Eshel', 0, 'Amir Eshel', 'Director General Eshel'],
    ['[[amir-eshel]]', 0, 'Amir Eshel', '[[amir-eshel]]'],
    ['[[derek-chollet|', 0, 'Derek Chollet', '[[derek-chollet|the Counselor]]'],
    ['[Eshel]', 0, 'Amir Eshel', 'Eshel'],
    ['درک شولت', 0, 'Derek Chollet', 'درک شولت'],
    ['پیمان‌های ابراهیم', 0, 'Abraham Accords', 'پیمان‌های ابراهیم'],
    ['پیمانهای ابراهیم', 0, 'Abraham Accords', 'پیمانهای ابراهیم'],
  ];
  for (const [needle, n, name, covered] of cases) {
    const h = await hover(uri, BRIEF, needle, 2, n);
    assert.equal(cardName(h), name, needle);
    assert.equal(textAt(BRIEF, h!.range!), covered, needle);
  }
});

test('hover: an alias the corpus declares ambiguous lists every candidate', async () => {
  const agreements = fs.readFileSync(path.join(ROOT, 'corpus/agreements.yaml'), 'utf8');
  const declaring = agreements.split(/\n(?=  - id: )/).filter((e) => /text: MOU, ambiguous: true/.test(e));
  assert.ok(declaring.length >= 2, 'the corpus declares "MOU" ambiguous');
  const text = 'The MOU was renewed.';
  const uri = await server.open('ambiguous.md', text);
  const h = (await hover(uri, text, 'MOU'))!;
  assert.match(h.contents.value, new RegExp(`may refer to ${declaring.length} entities`));
  for (const entry of declaring) {
    const name = /\n    name: (.+)/.exec(entry)![1]!.replace(/^"|"$/g, '');
    assert.ok(h.contents.value.includes(`**${name.replace(/[\\`*_{}[\]()#+\-.!|~:"'=$%^,;?@/]/g, '\\$&')}**`), name);
  }
});

test('hover: nothing in front matter, inline code, fenced code or a link destination', async () => {
  const uri = await server.open('masked.md', BRIEF);
  for (const [needle, n] of [['Derek Chollet visit', 0], ['`Derek Chollet`', 0], ['Chollet in a fence', 0], ['Chollet)', 0]] as const) {
    assert.equal(await hover(uri, BRIEF, needle, needle.startsWith('`') ? 2 : 1, n), null, needle);
  }
});

test('hover: the card is escaped Markdown with sources and no command links', async () => {
  const uri = await server.open('card.md', BRIEF);
  const h = (await hover(uri, BRIEF, 'Derek Chollet leads'))!;
  assert.equal(h.contents.kind, 'markdown');
  assert.match(h.contents.value, /\*\*Sources\*\*/);
  assert.match(h.contents.value, /Counselor/);
  assert.doesNotMatch(h.contents.value, /command:/);
  assert.doesNotMatch(h.contents.value, /</);
});

test('CRLF and LF give the same answers', async () => {
  const crlf = BRIEF.replace(/\n/g, '\r\n');
  const a = await server.open('lf.md', BRIEF);
  const b = await server.open('crlf.md', crlf);
  for (const needle of ['Director General Eshel', 'درک شولت', '[[amir-eshel]]']) {
    const ha = await hover(a, BRIEF, needle, 3);
    const hb = await hover(b, crlf, needle, 3);
    assert.deepEqual(hb, ha, needle);
  }
  const sa = await server.request('textDocument/semanticTokens/full', { textDocument: { uri: a } });
  const sb = await server.request('textDocument/semanticTokens/full', { textDocument: { uri: b } });
  assert.deepEqual(sb, sa);
});

test('definition: mention and wikilink → corpus/people.yaml at the id line', async () => {
  const uri = await server.open('def.md', BRIEF);
  for (const [needle, id] of [['Derek Chollet leads', 'derek-chollet'], ['[[amir-eshel]]', 'amir-eshel']] as const) {
    const locs = await server.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(BRIEF, needle, 3) });
    assert.equal(locs.length, 1, needle);
    assert.equal(locs[0]!.uri, fileUri(PEOPLE));
    assert.equal(locs[0]!.range.start.line, idLine(PEOPLE, id));
  }
});

test('definition inside a corpus YAML file: a cross-reference to its entity, a citation to the source text', async () => {
  const meetingsFile = path.join(ROOT, 'corpus/meetings.yaml');
  const text = fs.readFileSync(meetingsFile, 'utf8');
  const uri = await server.open(fileUri(meetingsFile), text, 'yaml');
  const [entity] = await server.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(text, 'entity: derek-chollet', 10) });
  assert.equal(entity!.uri, fileUri(PEOPLE));
  assert.equal(entity!.range.start.line, idLine(PEOPLE, 'derek-chollet'));
  const [source] = await server.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(text, 'source: seed-001', 10) });
  assert.match(source!.uri, /corpus\/sources\/001_[0-9a-f]+\.txt$/);
  const sourceText = fs.readFileSync(decodeURIComponent(source!.uri.replace('file://', '')), 'utf8');
  const line = text.slice(text.indexOf('source: seed-001')).split('\n')[0]!;
  const quote = /quote: "([^"]+)"/.exec(line)![1]!;
  assert.equal(textAt(sourceText, source!.range).replace(/\s+/g, ' '), quote.replace(/\s+/g, ' '));
  await server.close(uri);
});

test('completion after [[: entities with the id inserted and the brackets closed exactly once', async () => {
  const base = 'Brief text.\nSee ';
  for (const [typed, expected] of [['[[]]', '[[derek-chollet]]'], ['[[der]]', '[[derek-chollet]]'], ['[[der', '[[derek-chollet]]']] as const) {
    const text = `${base}${typed} end`;
    const uri = await server.open(`complete-${typed.length}.md`, text);
    const cursor = positionOf(text, typed, typed.replace(/\]+$/, '').length);
    const list = await server.request<{ isIncomplete: boolean; items: { label: string; detail: string; documentation?: { value: string }; textEdit: { range: Range; newText: string }; filterText: string }[] }>(
      'textDocument/completion', { textDocument: { uri }, position: cursor, context: { triggerKind: 2, triggerCharacter: '[' } });
    const item = list.items.find((i) => i.label === 'Derek Chollet');
    assert.ok(item, typed);
    assert.match(item.detail, /^person/);
    assert.match(item.filterText, /derek-chollet/);
    // The card travels with the first items; for the others the editor asks completionItem/resolve.
    const documented = item.documentation ? item : await server.request<typeof item>('completionItem/resolve', item);
    assert.match(documented.documentation!.value, /^\*\*Derek Chollet\*\*/);
    const lines = text.split('\n');
    const r = item.textEdit.range;
    assert.equal(r.start.line, 1);
    lines[1] = lines[1]!.slice(0, r.start.character) + item.textEdit.newText + lines[1]!.slice(r.end.character);
    assert.equal(lines.join('\n'), `${base}${expected} end`, typed);
  }
  // An entity the brief never mentions is offered too.
  const text = 'Nothing yet: [[';
  const uri = await server.open('complete-all.md', text);
  const list = await server.request<{ items: { label: string }[] }>('textDocument/completion', {
    textDocument: { uri }, position: positionOf(text, '[[', 2), context: { triggerKind: 2, triggerCharacter: '[' },
  });
  assert.ok(list.items.some((i) => i.label === 'Abraham Accords'));
});

test('completion: none inside code; plain names only when invoked', async () => {
  const text = 'Code `[[der` here.\nWe met Chol';
  const uri = await server.open('complete-code.md', text);
  const inCode = await server.request('textDocument/completion', {
    textDocument: { uri }, position: positionOf(text, '[[der', 5), context: { triggerKind: 2, triggerCharacter: '[' },
  });
  assert.ok(inCode === null || (inCode as { items: unknown[] }).items.length === 0);
  const invoked = await server.request<{ items: { label: string }[] }>('textDocument/completion', {
    textDocument: { uri }, position: { line: 1, character: 11 }, context: { triggerKind: 1 },
  });
  assert.ok(invoked.items.some((i) => i.label === 'Derek Chollet'));
});

test('highlights, document symbols, workspace symbols', async () => {
  const uri = await server.open('symbols.md', BRIEF);
  const highlights = await server.request<{ range: Range }[]>('textDocument/documentHighlight', { textDocument: { uri }, position: positionOf(BRIEF, 'Director General Eshel', 2) });
  assert.deepEqual(highlights.map((h) => textAt(BRIEF, h.range)), ['Director General Eshel', '[[amir-eshel]]', 'Eshel']);

  const symbols = await server.request<{ name: string; children: { name: string; selectionRange: Range }[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
  const people = symbols.find((s) => s.name === 'People')!;
  assert.deepEqual(people.children.map((c) => c.name).slice(0, 2), ['Derek Chollet', 'Amir Eshel']);
  assert.equal(textAt(BRIEF, people.children[0]!.selectionRange), 'Derek Chollet');
  assert.ok(symbols.some((s) => s.name === 'Agreements'));

  const ws = await server.request<{ name: string; location: Location }[]>('workspace/symbol', { query: 'chollet' });
  assert.equal(ws[0]!.name, 'Derek Chollet');
  assert.equal(ws[0]!.location.range.start.line, idLine(PEOPLE, 'derek-chollet'));
  const persian = await server.request<{ name: string }[]>('workspace/symbol', { query: 'شولت' });
  assert.ok(persian.some((s) => s.name === 'Derek Chollet'));
});

test('semantic tokens: full and range, decoded against the legend', async () => {
  const uri = await server.open('tokens.md', BRIEF);
  const full = await server.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri } });
  const lines = BRIEF.split('\n');
  const decoded: string[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < full.data.length; i += 5) {
    line += full.data[i]!;
    char = full.data[i] === 0 ? char + full.data[i + 1]! : full.data[i + 1]!;
    decoded.push(`${line}:${lines[line]!.slice(char, char + full.data[i + 2]!)}:${full.data[i + 3]}:${full.data[i + 4]}`);
  }
  assert.ok(decoded.includes('6:Derek Chollet:0:0'), decoded.join('\n'));
  assert.ok(decoded.includes('7:[[amir-eshel]]:0:1'), decoded.join('\n'));
  assert.ok(decoded.some((d) => d.startsWith('15:پیمان‌های ابراهیم:2:')), decoded.join('\n'));
  assert.ok(!decoded.some((d) => /^(1|9|12):/.test(d)), 'no tokens in front matter or code');
  const ranged = await server.request<{ data: number[] }>('textDocument/semanticTokens/range', {
    textDocument: { uri }, range: { start: { line: 7, character: 0 }, end: { line: 8, character: 0 } },
  });
  assert.ok(ranged.data.length > 0 && ranged.data.length < full.data.length);
  assert.equal(ranged.data[0], 7);
});

test('incremental edits (didChange with ranges) then hover answers on the new text', async () => {
  let text = 'Intro line.\nNobody here.\n';
  const uri = await server.open('edits.md', text);
  let version = 1;
  const edit = async (range: Range, newText: string) => {
    const lines = text.split('\n');
    const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
    text = text.slice(0, offset(range.start)) + newText + text.slice(offset(range.end));
    await server.change(uri, ++version, [{ range, text: newText }]);
  };
  await edit({ start: { line: 1, character: 0 }, end: { line: 1, character: 6 } }, 'Derek Chollet');
  assert.equal(cardName(await hover(uri, text, 'Chollet')), 'Derek Chollet');
  await edit({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '🇮🇱 Amir Eshel, ');
  assert.equal(cardName(await hover(uri, text, 'Eshel')), 'Amir Eshel');
  assert.equal(cardName(await hover(uri, text, 'Chollet')), 'Derek Chollet');
  await edit({ start: { line: 1, character: 0 }, end: { line: 1, character: 6 } }, 'Mr. ');
  const h = await hover(uri, text, 'Chollet');
  assert.equal(text.split('\n')[1], 'Mr. Chollet here.');
  assert.equal(textAt(text, h!.range!), 'Chollet', 'the surname alone, now that the first name is gone');
  assert.equal(await hover(uri, text, 'Mr.', 1), null);
});

test('custom requests: meetings (48th round, 2022-10-25), briefEntities, entityCard, searchEntities', async () => {
  const meetings = await server.request<{ years: { label: string; children: { id: string; label: string; description: string; children: { label: string; children: { label: string; description?: string; citation?: { location?: Location } }[] }[] }[] }[] }>('jpmg/meetings', {});
  const years = meetings.years.map((y) => y.label);
  assert.deepEqual(years.filter((y) => /^\d{4}$/.test(y)), [...years.filter((y) => /^\d{4}$/.test(y))].sort().reverse());
  const y2022 = meetings.years.find((y) => y.label === '2022')!;
  const round = y2022.children.find((m) => /48th/.test(m.label))!;
  assert.match(round.description, /^2022-10-25 · /);
  assert.match(round.description, /48th round/);
  const participants = round.children.find((g) => g.label === 'Participants')!;
  assert.ok(participants.children.some((p) => p.label === 'Derek Chollet' && /Counselor/.test(p.description ?? '')));
  const sources = round.children.find((g) => g.label === 'Sources')!;
  assert.ok(sources.children.some((s) => s.citation?.location?.uri.includes('/corpus/sources/')));

  const uri = await server.open('entities.md', BRIEF);
  const brief = await server.request<{ entities: { entity: { id: string }; count: number; first: Location }[] }>('jpmg/briefEntities', { uri });
  const chollet = brief.entities.find((e) => e.entity.id === 'derek-chollet')!;
  assert.equal(chollet.count, 3);
  assert.equal(textAt(BRIEF, chollet.first.range), 'Derek Chollet');

  const card = await server.request<{ markdown: string; entity: { name: string }; citations: unknown[] }>('jpmg/entityCard', { id: 'amir-eshel' });
  assert.equal(card.entity.name, 'Amir Eshel');
  assert.ok(card.citations.length > 0);
  assert.equal(await server.request('jpmg/entityCard', { id: 'no-such-entity' }), null);
  const found = await server.request<{ entities: { id: string }[] }>('jpmg/searchEntities', { query: 'esh' });
  assert.equal(found.entities[0]!.id, 'amir-eshel');
});

test('diagnostics are pushed with source jpmg; an unknown wikilink gets a quick fix', async () => {
  const text = 'See [[derek-cholet]] today.\n';
  const uri = await server.open('diag.md', text);
  const published = await server.waitFor(() => server.diagnostics.get(uri), 'diagnostics');
  const unknown = published.diagnostics.find((d) => d.code === 'unknown-wikilink');
  assert.ok(unknown, JSON.stringify(published));
  assert.equal(unknown.source, 'jpmg');
  const actions = await server.request<{ title: string; kind: string; edit: { changes?: Record<string, { newText: string }[]> } }[]>(
    'textDocument/codeAction', { textDocument: { uri }, range: unknown.range, context: { diagnostics: [unknown] } });
  const fix = actions.find((a) => a.edit.changes?.[uri]?.some((e) => e.newText.includes('derek-chollet')));
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.kind, 'quickfix');
});
