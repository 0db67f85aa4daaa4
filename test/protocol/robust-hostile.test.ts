// Hostile inputs over stdio, generated at test time into a temporary workspace: a 10 MB brief, 100,000 `[[`,
// 100,000 `<` and `[`, and corpus YAML bombs (billion laughs, 5,000-deep nesting, duplicate keys, tabs, a 10 MB
// file, a 50,000-line file). Each must give answers or diagnostics within a generous hang guard, with the server
// alive, its memory bounded, and a correct hover afterwards. Time limits here are hang guards, not speed targets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, hoverText, withTimeout, fileUri, type TestServer } from '../fixtures/hostile/lspClient';
import {
  bigBrief, manyOpeners, manyChars, billionLaughs, deepFlowNesting, deepBlockNesting, duplicateKeys, tabIndented, bigYaml,
} from '../fixtures/hostile/generate';

const GUARD_MS = 180_000;
/** Heap bound for the server process (RSS), far above normal use (~150 MB) and far below a runaway. */
const MAX_RSS = 1536 * 1024 * 1024;
const HEALTH_URI = 'file:///robust-hostile/health.md';

let server: TestServer;
let folder: string;
let tried = 0;
const notes: string[] = [];

before(async () => {
  folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-hostile-')));
  const jpmg = path.join(folder, '.jpmg');
  fs.mkdirSync(jpmg);
  const files: Record<string, string> = {
    'billion.yaml': billionLaughs(),
    'deep-flow.yaml': deepFlowNesting(5000),
    'deep-block.yaml': deepBlockNesting(5000),
    // Top-level forms: parsed twice (disk, then editor) they aborted the process before the depth guard.
    'deep-flow-top.yaml': '['.repeat(5000),
    'deep-block-top.yaml': '- '.repeat(5000) + 'a',
    'duplicate.yaml': duplicateKeys(),
    'tabs.yaml': tabIndented(),
    'big.yaml': bigYaml(10 * 1024 * 1024),
    'good.yaml': 'entities:\n  - id: hostile-survivor\n    kind: topic\n    name: Hostile Survivor\n    summary: Loads beside the bombs.\n    sources: [{source: seed-001, quote: "Joint Political-Military Group"}]\n',
  };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(jpmg, name), text);
  server = await startServer({ folders: [folder] });
  await server.waitFor(() => server.notifications.some((n) => n.method === 'jpmg/corpusStatus' &&
    (n.params as { overlayFiles: number }).overlayFiles >= 9), GUARD_MS, 'the overlay folder to be read');
  await server.open(HEALTH_URI, 'The JPMG met. Hostile Survivor.\n');
});

after(async () => {
  console.log(`robust-hostile: ${tried} hostile inputs tried, server alive: ${server?.alive()}; ${notes.join('; ')}`);
  await server?.stop();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

async function request<T>(method: string, params: unknown): Promise<T> {
  return withTimeout(server.conn.sendRequest(method, params) as Promise<T>, GUARD_MS, method);
}

async function assertHealthy(what: string): Promise<void> {
  const hover = await request('textDocument/hover', { textDocument: { uri: HEALTH_URI }, position: { line: 0, character: 5 } });
  assert.match(hoverText(hover), /Joint Political\\?-Military Group/, `bundled hover after ${what}`);
  assert.ok(server.alive(), `alive after ${what}`);
  const rss = server.rss();
  assert.ok(rss < MAX_RSS, `RSS ${Math.round(rss / 1e6)} MB after ${what}`);
}

test('corpus YAML bombs on disk: problems reported, the rest of the overlay in force, bundled corpus intact', async () => {
  tried += 8;
  const hover = await request('textDocument/hover', { textDocument: { uri: HEALTH_URI }, position: { line: 0, character: 16 } });
  assert.match(hoverText(hover), /Hostile Survivor/, 'the good overlay file loads beside the bombs');
  await assertHealthy('loading YAML bombs');
  notes.push(`RSS after loading the bombs from disk: ${Math.round(server.rss() / 1e6)} MB`);
  const status = server.notifications.filter((n) => n.method === 'jpmg/corpusStatus').pop()?.params as { problems: number; overlayFiles: number } | undefined;
  assert.ok(status && status.problems >= 8 && status.overlayFiles >= 9, `corpus status ${JSON.stringify(status)}`);
});

test('corpus YAML bombs opened in the editor: each a diagnostic at its place, never a crash', async () => {
  const cases: [string, string, string[], number][] = [
    ['billion.yaml', billionLaughs(), ['yaml-alias-limit'], 0],
    ['deep-flow.yaml', deepFlowNesting(5000), ['yaml-too-deep', 'yaml-syntax'], 0],
    ['deep-block.yaml', deepBlockNesting(5000), ['yaml-too-deep', 'yaml-syntax'], 1],
    ['deep-flow-top.yaml', '['.repeat(5000), ['yaml-too-deep'], 0],
    ['deep-block-top.yaml', '- '.repeat(5000) + 'a', ['yaml-too-deep'], 0],
    ['duplicate.yaml', duplicateKeys(), ['duplicate-key'], 3],
    ['tabs.yaml', tabIndented(), ['yaml-tab', 'yaml-syntax'], 1],
    ['big.yaml', bigYaml(10 * 1024 * 1024), ['file-too-large'], 0],
  ];
  for (const [name, text, codes, line] of cases) {
    tried++;
    const uri = fileUri(path.join(folder, '.jpmg', name));
    server.diagnostics.delete(uri);
    await server.open(uri, text, 'yaml');
    const diags = await server.waitFor(() => {
      const d = server.diagnostics.get(uri);
      return d && d.length > 0 ? d : undefined;
    }, GUARD_MS, `diagnostics for ${name}`);
    const hit = diags.find((d) => codes.includes(String(d.code)));
    assert.ok(hit, `${name}: codes ${diags.map((d) => d.code)}`);
    assert.equal(hit.range.start.line, line, `${name}: reported at line ${line}`);
    assert.ok(diags.length <= 52, `${name}: ${diags.length} diagnostics (capped)`);
    await server.close(uri);
    await assertHealthy(name);
  }
  notes.push(`RSS after the YAML bombs in the editor: ${Math.round(server.rss() / 1e6)} MB`);
});

test('a 50,000-line corpus YAML file: diagnostics and hover on a cross-reference', async () => {
  tried++;
  const lines = ['entities:'];
  for (let i = 0; lines.length < 50_000; i++) {
    lines.push(`  - id: line-topic-${i}`, '    kind: topic', `    name: Line Topic ${i}`, '    summary: s', '    related: [{entity: jpmg, sources: [{source: seed-001, quote: "JPMG"}]}]',
      '    sources: [{source: seed-001, quote: "JPMG"}]');
  }
  const text = lines.join('\n') + '\n';
  const uri = fileUri(path.join(folder, '.jpmg', 'lines.yaml'));
  await server.open(uri, text, 'yaml');
  await server.waitFor(() => server.diagnostics.get(uri), GUARD_MS, 'diagnostics for the 50,000-line file');
  const at = text.lastIndexOf('entity: jpmg') + 10;
  const before = text.slice(0, at);
  const position = { line: before.split('\n').length - 1, character: at - before.lastIndexOf('\n') - 1 };
  const hover = await request('textDocument/hover', { textDocument: { uri }, position });
  assert.match(hoverText(hover), /Joint Political\\?-Military Group/, 'hover on the last cross-reference');
  await server.close(uri);
  await assertHealthy('a 50,000-line YAML file');
  notes.push(`peak RSS after YAML: ${Math.round(server.peakRss() / 1e6)} MB`);
});

test('a 10 MB brief: symbols, tokens, hover, completion and diagnostics within the hang guard; memory bounded', async () => {
  tried++;
  const uri = 'file:///robust-hostile/big.md';
  const text = bigBrief(10 * 1024 * 1024);
  const started = Date.now();
  notes.push(`RSS before the 10 MB brief: ${Math.round(server.rss() / 1e6)} MB`);
  await server.open(uri, text);
  const symbols = await request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.ok(Array.isArray(symbols) && symbols.length > 0, 'symbols');
  const tokens = await request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri } });
  assert.ok(tokens.data.length > 0, 'tokens');
  const lastLine = text.split('\n').length - 1;
  const hover = await request('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 5 } });
  assert.match(hoverText(hover), /Joint Political\\?-Military Group/, 'hover on a mention near the top');
  const completion = await request<{ items: unknown[] } | null>('textDocument/completion', {
    textDocument: { uri }, position: { line: lastLine, character: 0 }, context: { triggerKind: 1 },
  });
  assert.ok(completion === null || Array.isArray(completion.items));
  const diags = await server.waitFor(() => server.diagnostics.get(uri), GUARD_MS, 'diagnostics for the 10 MB brief');
  assert.ok(diags.length > 0, 'unknown wikilinks reported');
  notes.push(`10 MB brief: answered in ${((Date.now() - started) / 1000).toFixed(1)} s, peak RSS ${Math.round(server.peakRss() / 1e6)} MB`);
  await server.close(uri);
  await assertHealthy('a 10 MB brief');
});

test('100,000 `[[`, 100,000 `<` and 100,000 `[`: answers within the hang guard', async () => {
  const inputs: [string, string][] = [
    ['100k-openers', manyOpeners(100_000)],
    ['100k-openers-tight', '[['.repeat(100_000)],
    ['100k-lt', manyChars('<', 100_000)],
    ['100k-bracket', manyChars('[', 100_000)],
    ['100k-backtick', manyChars('`', 100_000)],
    ['100k-html-comments', '<!--'.repeat(50_000)],
  ];
  for (const [name, text] of inputs) {
    tried++;
    const uri = `file:///robust-hostile/${name}.md`;
    await server.open(uri, text);
    const end = { line: 0, character: text.length };
    const completion = await request<{ items: unknown[] } | null>('textDocument/completion', {
      textDocument: { uri }, position: end, context: { triggerKind: 2, triggerCharacter: '[' },
    });
    assert.ok(completion === null || Array.isArray(completion.items), name);
    await request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: Math.floor(text.length / 2) } });
    await request('textDocument/semanticTokens/full', { textDocument: { uri } });
    await server.waitFor(() => server.diagnostics.get(uri), GUARD_MS, `diagnostics for ${name}`);
    await server.close(uri);
    await assertHealthy(name);
  }
  notes.push(`peak RSS overall: ${Math.round(server.peakRss() / 1e6)} MB`);
});
