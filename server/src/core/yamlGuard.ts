// A guard in front of the `yaml` library's document composer for text from a workspace or an editor.
//
// Why: the composer recurses once per nesting level and turns a stack overflow into a RESOURCE_EXHAUSTION error,
// which is fine once. But on Node 20 a second parse of a deeply nested document (`'['.repeat(5000)`,
// `'- '.repeat(1500)`) can reach a regular expression's tier-up compilation near the stack limit, and V8 then
// aborts the whole process ("FATAL ERROR: RegExpCompiler Allocation failed - process out of memory") — no try/catch
// can stop it. So nesting depth is measured first, from the library's own CST parser (iterative, exact about
// quotes and flow collections), and documents nested deeper than any corpus file needs are refused.
import { Parser, parseDocument, type Document, type ParseOptions, type DocumentOptions, type SchemaOptions } from 'yaml';

/** Corpus files nest about 8 deep; 200 leaves room for anything legitimate and stays far from the stack limit. */
export const MAX_YAML_DEPTH = 200;

interface CstItem { key?: CstToken | null; value?: CstToken | null }
interface CstToken { type: string; offset: number; value?: CstToken | null; items?: CstItem[] }

/** Offset of the first node nested deeper than `limit`, or -1 when the text is within it. Linear, no recursion. */
export function yamlTooDeepAt(text: string, limit: number = MAX_YAML_DEPTH): number {
  const stack: [CstToken, number][] = [];
  for (const token of new Parser().parse(text)) stack.push([token as unknown as CstToken, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (depth > limit) return token.offset;
    if (token.type === 'document') {
      if (token.value) stack.push([token.value, depth]);
    } else if (token.items && (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection')) {
      for (const item of token.items) {
        if (item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
  return -1;
}

/** `parseDocument`, or undefined when the text is nested too deep to compose safely (or the parser throws). */
export function parseDocumentSafely(
  text: string, options?: ParseOptions & DocumentOptions & SchemaOptions,
): Document.Parsed | undefined {
  try {
    if (yamlTooDeepAt(text) >= 0) return undefined;
    return parseDocument(text, options);
  } catch {
    return undefined;
  }
}
