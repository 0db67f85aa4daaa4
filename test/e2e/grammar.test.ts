// The wikilink injection grammar, tokenised by the TextMate engine and Markdown grammar of the VS Code we test
// against (code-server 4.100.3's own vscode-textmate, vscode-oniguruma and markdown-basics), injected the way
// VS Code does for `injectTo: ["text.html.markdown"]`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { codeServerHome } from '../../scripts/e2e/codeServer.mjs';
import { prerequisites, projectRoot } from './support/workbench';

interface Token {
  startIndex: number;
  endIndex: number;
  scopes: string[];
}
interface Grammar {
  tokenizeLine(line: string, state: unknown): { tokens: Token[]; ruleStack: unknown };
}

const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  contributes: { grammars: { scopeName: string; path: string; injectTo: string[] }[] };
};
const contributed = pkg.contributes.grammars[0]!;

describe('wikilink injection grammar (VS Code 1.100 TextMate engine)', () => {
  let grammar: Grammar | undefined;
  let skipReason = '';

  before(async () => {
    const pre = prerequisites();
    if ('skip' in pre) {
      skipReason = pre.skip;
      return;
    }
    const vscodeDir = join(codeServerHome, 'node_modules', 'code-server', 'lib', 'vscode');
    const require = createRequire(join(vscodeDir, 'package.json'));
    const textmate = require('vscode-textmate');
    const oniguruma = require('vscode-oniguruma');
    const wasm = readFileSync(join(vscodeDir, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const files: Record<string, string> = {
      'text.html.markdown': join(vscodeDir, 'extensions', 'markdown-basics', 'syntaxes', 'markdown.tmLanguage.json'),
      [contributed.scopeName]: join(projectRoot, contributed.path),
    };
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scope: string) => {
        const file = files[scope];
        return file ? textmate.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
      },
      getInjections: (scope: string) => (contributed.injectTo.includes(scope) ? [contributed.scopeName] : undefined),
    });
    grammar = (await registry.loadGrammar('text.html.markdown')) as Grammar;
  });

  /** Tokenises a Markdown document; returns, for each token text, its scopes. */
  function tokenize(markdown: string): { text: string; scopes: string[] }[] {
    assert.ok(grammar);
    const out: { text: string; scopes: string[] }[] = [];
    let state = textmateInitialState;
    for (const line of markdown.split('\n')) {
      const r = grammar.tokenizeLine(line, state);
      for (const t of r.tokens) out.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
      state = r.ruleStack;
    }
    return out;
  }
  let textmateInitialState: unknown = null;

  const scopesOf = (tokens: { text: string; scopes: string[] }[], text: string): string[] =>
    tokens.find((t) => t.text === text)?.scopes ?? [];

  it('scopes the brackets, target, separator and shown text of [[id|shown]]', (t) => {
    if (!grammar) return t.skip(skipReason);
    const tokens = tokenize('Met [[derek-chollet|Counselor Chollet]] and [[jpmg]] today.');
    const opening = tokens.filter((x) => x.text === '[[');
    assert.equal(opening.length, 2);
    for (const o of opening) assert.ok(o.scopes.includes('punctuation.definition.link.begin.wikilink.jpmg'));
    assert.ok(scopesOf(tokens, 'derek-chollet').includes('entity.name.tag.wikilink.target.jpmg'));
    assert.ok(scopesOf(tokens, 'jpmg').includes('entity.name.tag.wikilink.target.jpmg'));
    assert.ok(scopesOf(tokens, '|').includes('punctuation.separator.wikilink.jpmg'));
    assert.ok(scopesOf(tokens, 'Counselor Chollet').includes('string.other.link.title.markdown.wikilink.shown.jpmg'));
    assert.ok(tokens.filter((x) => x.text === ']]').every((x) => x.scopes.includes('punctuation.definition.link.end.wikilink.jpmg')));
    assert.ok(scopesOf(tokens, 'Met ').every((s) => !s.includes('wikilink')), 'plain text is not a wikilink');
  });

  it('leaves inline code and fenced code alone', (t) => {
    if (!grammar) return t.skip(skipReason);
    const tokens = tokenize(['Inline `[[amir-eshel]]` code.', '', '```text', '[[amir-eshel]]', '```', ''].join('\n'));
    assert.ok(tokens.some((x) => x.text.includes('amir-eshel')), 'the text was tokenised');
    for (const x of tokens) {
      assert.ok(!x.scopes.some((s) => s.endsWith('.wikilink.jpmg')), `no wikilink scope inside code: ${JSON.stringify(x)}`);
    }
  });

  it('does not run a wikilink across lines or nested brackets', (t) => {
    if (!grammar) return t.skip(skipReason);
    const tokens = tokenize('[[open\nclose]] and [[a[b]]');
    assert.ok(!tokens.some((x) => x.scopes.includes('entity.name.tag.wikilink.target.jpmg')));
  });
});
