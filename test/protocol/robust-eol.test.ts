// LF, CRLF, CR and a BOM change nothing, and no range splits a surrogate pair. Random briefs (corpus names in
// English and Persian, with and without ZWNJ, emoji and ZWJ sequences, wikilinks, Markdown) are opened in each
// line-ending form; tokens, symbols, diagnostics, hovers and definitions must agree by line and character (with
// the BOM's one character on line 0 accounted for), and every range boundary must be a code-point boundary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startServer, withTimeout, type TestServer, type Range, type Diagnostic } from '../fixtures/hostile/lspClient';
import { lfBrief, offsetAt, splitsSurrogate } from '../fixtures/hostile/textModel';

const RUNS = Number(process.env.JPMG_PROPERTY_RUNS ?? 30);
let server: TestServer;
let counter = 0;
let compared = 0;

before(async () => { server = await startServer(); });
after(async () => {
  await server?.stop();
  console.log(`robust-eol: ${compared} briefs compared in 4 forms`);
});

const FORMS = {
  lf: (t: string) => t,
  crlf: (t: string) => t.replace(/\n/g, '\r\n'),
  cr: (t: string) => t.replace(/\n/g, '\r'),
  bom: (t: string) => '\ufeff' + t,
} as const;
type Form = keyof typeof FORMS;

/** Undo the BOM's shift: on line 0 every character index is one more than without it. */
function unshift(form: Form, r: Range): Range {
  if (form !== 'bom') return r;
  const fix = (p: { line: number; character: number }) => (p.line === 0 ? { line: 0, character: p.character - 1 } : p);
  return { start: fix(r.start), end: fix(r.end) };
}

function decodeTokens(data: number[]): { line: number; character: number; length: number; type: number; mods: number }[] {
  const out = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i]!;
    character = data[i] === 0 ? character + data[i + 1]! : data[i + 1]!;
    out.push({ line, character, length: data[i + 2]!, type: data[i + 3]!, mods: data[i + 4]! });
  }
  return out;
}

function checkBoundaries(text: string, ranges: Range[], what: string): void {
  for (const r of ranges) {
    for (const p of [r.start, r.end]) {
      assert.ok(!splitsSurrogate(text, offsetAt(text, p)), `${what}: ${JSON.stringify(p)} splits a surrogate pair`);
    }
  }
}

interface Answers {
  tokens: { line: number; character: number; length: number; type: number; mods: number }[];
  symbols: string;
  diagnostics: string;
  hovers: string[];
  definitions: string[];
}

async function answers(form: Form, text: string, probes: { line: number; character: number }[]): Promise<Answers> {
  const uri = `file:///robust-eol/${++counter}-${form}.md`;
  await server.open(uri, text);
  try {
    const req = <T>(method: string, params: unknown) => withTimeout(server.conn.sendRequest(method, params), 20_000, method) as Promise<T>;
    const data = (await req<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri } })).data;
    const tokens = decodeTokens(data);
    checkBoundaries(text, tokens.map((t) => ({ start: t, end: { line: t.line, character: t.character + t.length } })), `${form} tokens`);
    const symbols = await req<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const symbolRanges: Range[] = [];
    const walk = (list: unknown[]) => {
      for (const s of list as { range: Range; selectionRange: Range; children?: unknown[] }[]) {
        symbolRanges.push(s.range, s.selectionRange);
        s.range = unshift(form, s.range);
        s.selectionRange = unshift(form, s.selectionRange);
        if (s.children) walk(s.children);
      }
    };
    walk(symbols ?? []);
    checkBoundaries(text, symbolRanges, `${form} symbols`);
    const diags = await server.waitFor(() => server.diagnostics.get(uri), 20_000, `diagnostics for ${form}`);
    checkBoundaries(text, diags.map((d) => d.range), `${form} diagnostics`);
    const diagnostics = JSON.stringify(diags.map((d: Diagnostic) => ({ ...d, range: unshift(form, d.range) })));
    const hovers: string[] = [];
    const definitions: string[] = [];
    await Promise.all(probes.map(async (p, i) => {
      const at = form === 'bom' && p.line === 0 ? { line: 0, character: p.character + 1 } : p;
      const [h, d] = await Promise.all([
        req<{ contents: unknown; range?: Range } | null>('textDocument/hover', { textDocument: { uri }, position: at }),
        req<unknown>('textDocument/definition', { textDocument: { uri }, position: at }),
      ]);
      if (h?.range) checkBoundaries(text, [h.range], `${form} hover`);
      hovers[i] = JSON.stringify(h ? { contents: h.contents, range: h.range && unshift(form, h.range) } : null);
      definitions[i] = JSON.stringify(d);
    }));
    const normalised = tokens.map((t) => (form === 'bom' && t.line === 0 ? { ...t, character: t.character - 1 } : t));
    return { tokens: normalised, symbols: JSON.stringify(symbols), diagnostics, hovers, definitions };
  } finally {
    await server.close(uri);
    server.diagnostics.delete(uri);
  }
}

test('LF, CRLF, CR and BOM give identical answers; no range splits a surrogate pair', async () => {
  await fc.assert(
    fc.asyncProperty(lfBrief, async (text) => {
      // Probe every mention the LF form has (start and last character), up to eight.
      const lf = await answers('lf', text, []);
      const probes = lf.tokens.slice(0, 8).flatMap((t) => [
        { line: t.line, character: t.character },
        { line: t.line, character: t.character + t.length - 1 },
      ]);
      const forms = ['crlf', 'cr', 'bom'] as const;
      const [base, ...others] = await Promise.all([
        answers('lf', text, probes),
        ...forms.map((form) => answers(form, FORMS[form](text), probes)),
      ]);
      forms.forEach((form, i) => {
        const other = others[i]!;
        assert.deepEqual(other.tokens, base!.tokens, `${form} tokens`);
        assert.equal(other.symbols, base!.symbols, `${form} symbols`);
        assert.equal(other.diagnostics, base!.diagnostics, `${form} diagnostics`);
        assert.deepEqual(other.hovers, base!.hovers, `${form} hovers`);
        assert.deepEqual(other.definitions, base!.definitions, `${form} definitions`);
      });
      compared++;
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: 120_000 },
  );
});
