// Parsing one corpus YAML file into plain data plus a way back from a data path to its place in the text.
// Never throws: every failure (syntax, duplicate keys, tabs, alias bombs, absurd nesting, huge files) becomes a
// problem with file, 0-based line and column, and the file then contributes no data.
import { isAlias, isCollection, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { CorpusProblem, ProblemSeverity } from '../types';
import { fastParse } from './fastYaml';
import { LineMap, ZERO_RANGE, type Range } from './positions';
import { MAX_YAML_DEPTH, yamlTooDeepAt } from '../yamlGuard';

export type Path = readonly (string | number)[];

export interface YamlLimits {
  /** Larger texts are refused with one problem at 0:0 (the YAML parser is the slow part of loading). */
  maxFileChars: number;
  /** Alias expansions allowed when building data (billion-laughs guard). */
  maxAliasCount: number;
  /** Parse problems reported per file; the rest are summarised in one more problem. */
  maxProblemsPerFile: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = {
  maxFileChars: 5_000_000,
  maxAliasCount: 100,
  maxProblemsPerFile: 50,
};

export interface ParsedYaml {
  readonly file: string;
  /** The document as plain data; undefined when the file is unusable (it then has at least one error problem). */
  readonly value: unknown;
  readonly problems: CorpusProblem[];
  /**
   * Where the node at `path` is written (its value, or with 'key' the key naming it in its parent mapping).
   * A path that does not exist resolves to its nearest existing ancestor; blocks are narrowed to their first line.
   */
  locate(path: Path, part?: 'key' | 'value'): Range;
}

export function problemAt(file: string, r: Range, severity: ProblemSeverity, code: string, message: string): CorpusProblem {
  return { file, line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn, severity, code, message };
}

function unusable(file: string, problems: CorpusProblem[]): ParsedYaml {
  return { file, value: undefined, problems, locate: () => ZERO_RANGE };
}

const YAML_CODES: Record<string, string> = {
  DUPLICATE_KEY: 'duplicate-key',
  RESOURCE_EXHAUSTION: 'yaml-too-deep',
  TAB_AS_INDENT: 'yaml-tab',
};

/**
 * Parse YAML text: the fast reader for the plain subset corpus files use (same result), else the `yaml` library
 * (complete YAML 1.2, with exact error positions).
 */
export function parseYamlText(
  file: string, text: string, limits: YamlLimits = DEFAULT_YAML_LIMITS, opts: { fast?: boolean } = {},
): ParsedYaml {
  if (text.length > limits.maxFileChars) {
    return unusable(file, [problemAt(file, ZERO_RANGE, 'error', 'file-too-large',
      `File is too large for a corpus file (${text.length} characters; the limit is ${limits.maxFileChars}).`)]);
  }
  // Editors do not show a BOM, so positions are counted without it. A lone CR ends a line for LSP but not for the
  // YAML parser; replacing it keeps every offset the same.
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const src = noBom.indexOf('\r') >= 0 ? noBom.replace(/\r(?!\n)/g, '\n') : noBom;
  const fast = opts.fast === false ? undefined : fastParse(src);
  if (fast) {
    const locateFast = (path: Path, part: 'key' | 'value' = 'value'): Range => {
      try {
        return fast.locate(path, part);
      } catch {
        return ZERO_RANGE;
      }
    };
    return { file, value: fast.value, problems: [], locate: locateFast };
  }
  const lines = new LineMap(src);
  // Measured before composing: a second parse of a very deep document can abort the process (see yamlGuard.ts).
  const deepAt = yamlTooDeepAt(src);
  if (deepAt >= 0) {
    return unusable(file, [problemAt(file, lines.range(deepAt, deepAt + 1), 'error', 'yaml-too-deep',
      `YAML nested more than ${MAX_YAML_DEPTH} levels deep; the file is ignored.`)]);
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(src, { uniqueKeys: true, prettyErrors: false, merge: false, keepSourceTokens: false });
  } catch (e) {
    return unusable(file, [thrownProblem(file, e)]);
  }
  const problems: CorpusProblem[] = [];
  const report = (severity: ProblemSeverity, code: string, message: string, pos: readonly [number, number]) => {
    problems.push(problemAt(file, lines.range(pos[0], pos[1]), severity, code, message));
  };
  let errorCount = 0;
  // Too deep a nesting stops the parser and every later error is an echo of it: report that one alone.
  const tooDeep = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
  if (tooDeep) doc.errors.splice(0, doc.errors.length, tooDeep);
  for (const err of doc.errors) {
    errorCount++;
    if (problems.length < limits.maxProblemsPerFile) {
      const code = YAML_CODES[err.code] ?? 'yaml-syntax';
      report('error', code, yamlMessage(err.code, err.message), errorPosition(src, err.code, err.message, err.pos));
    }
  }
  for (const w of doc.warnings) {
    if (problems.length < limits.maxProblemsPerFile) report('warning', 'yaml-warning', yamlMessage(w.code, w.message), w.pos);
  }
  const total = doc.errors.length + doc.warnings.length;
  if (total > problems.length) {
    const last = problems[problems.length - 1];
    problems.push({ ...(last ?? problemAt(file, ZERO_RANGE, 'error', 'yaml-syntax', '')),
      code: 'yaml-syntax', severity: errorCount > 0 ? 'error' : 'warning',
      message: `${total - problems.length} more YAML problems in this file (fix the ones above first).` });
  }
  if (errorCount > 0) return unusable(file, problems);

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (e) {
    problems.push(thrownProblem(file, e));
    return unusable(file, problems);
  }

  const locate = (path: Path, part: 'key' | 'value' = 'value'): Range => {
    try {
      return locateNode(doc, lines, path, part);
    } catch {
      return ZERO_RANGE;
    }
  };
  return { file, value, problems, locate };
}

// One parse for two readers. The server first parses a changed corpus file on its own to decide whether it is in
// force (overlays.ts), then the loader reads every file in force: without a hand-over, a 45 MB overlay is parsed
// twice before the first answer. A parse kept here is taken once, by the next load; that load forgets the rest.
const keptForLoad = new Map<string, { text: string; limits: YamlLimits; parsed: ParsedYaml }>();

/** Parse `text`, and keep the result for the loader's next read of this very file and text (see takeParsedYaml). */
export function parseYamlTextForLoad(file: string, text: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): ParsedYaml {
  const parsed = parseYamlText(file, text, limits);
  keptForLoad.set(file, { text, limits, parsed });
  return parsed;
}

/** The kept parse of this file when it is of the same text and limits (once), else a new parse. */
export function takeParsedYaml(file: string, text: string, limits: YamlLimits): ParsedYaml {
  const kept = keptForLoad.get(file);
  if (kept) {
    keptForLoad.delete(file);
    if (kept.text === text && sameLimits(kept.limits, limits)) return kept.parsed;
  }
  return parseYamlText(file, text, limits);
}

/** Drop every kept parse (the loader calls this when a load ends: what it did not take is out of date). */
export function forgetKeptParses(): void {
  keptForLoad.clear();
}

function sameLimits(a: YamlLimits, b: YamlLimits): boolean {
  return a.maxFileChars === b.maxFileChars && a.maxAliasCount === b.maxAliasCount && a.maxProblemsPerFile === b.maxProblemsPerFile;
}

function thrownProblem(file: string, e: unknown): CorpusProblem {
  if (e instanceof RangeError) {
    return problemAt(file, ZERO_RANGE, 'error', 'yaml-too-deep', 'YAML nesting is too deep to read.');
  }
  const message = e instanceof Error ? e.message : String(e);
  if (/alias/i.test(message)) {
    return problemAt(file, ZERO_RANGE, 'error', 'yaml-alias-limit',
      'Too many YAML alias expansions (a resource-exhaustion pattern); the file is ignored.');
  }
  return problemAt(file, ZERO_RANGE, 'error', 'yaml-syntax', `YAML could not be read: ${message}`);
}

function yamlMessage(code: string, message: string): string {
  // Messages without prettyErrors are already short; keep the first line only.
  const first = message.split('\n', 1)[0] ?? message;
  if (code === 'TAB_AS_INDENT') return `${first} (indent with spaces)`;
  if (code === 'RESOURCE_EXHAUSTION') return 'YAML nesting is too deep to read; the file is ignored.';
  if (/^Missing closing .quote/.test(first)) return `${first} (the quoted text starts here and runs to the end of the file)`;
  return first;
}

/**
 * Where to show a parse error. The parser reports an unclosed quote at the end of the file; the writer needs the
 * opening quote, which is the last quote character before that point (escaped ones aside).
 */
function errorPosition(src: string, code: string, message: string, pos: readonly [number, number]): readonly [number, number] {
  if (code !== 'MISSING_CHAR' || !/^Missing closing .quote/.test(message)) return pos;
  const q = message.includes('"') ? '"' : "'";
  let i = Math.min(pos[0], src.length) - 1;
  for (; i >= 0; i--) {
    if (src[i] !== q) continue;
    if (q === '"') {
      let slashes = 0;
      for (let k = i - 1; k >= 0 && src[k] === '\\'; k--) slashes++;
      if (slashes % 2 === 1) continue;
    } else if (src[i - 1] === "'") {
      i--; // an escaped '' pair
      continue;
    }
    break;
  }
  if (i < 0) return pos;
  let end = src.indexOf('\n', i);
  if (end < 0) end = src.length;
  if (src[end - 1] === '\r') end--;
  return [i, end];
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function nodeRange(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}

function locateNode(doc: Document.Parsed, lines: LineMap, path: Path, part: 'key' | 'value'): Range {
  let node: unknown = doc.contents;
  let range = nodeRange(node) ?? [0, 0];
  let keyRange = range;
  let found = true;
  for (const seg of path) {
    if (isMap(node)) {
      const want = String(seg);
      const pair = node.items.find((p) => keyText(p.key) === want);
      if (!pair) { found = false; break; }
      keyRange = nodeRange(pair.key) ?? range;
      node = pair.value;
      range = nodeRange(pair.value) ?? keyRange;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) { found = false; break; }
      node = item;
      range = nodeRange(item) ?? range;
      keyRange = range;
    } else {
      found = false;
      break;
    }
  }
  const [start, end] = part === 'key' && found ? keyRange : range;
  if (isCollection(node) || isAlias(node) || !found) return lines.firstLineRange(start, end);
  return lines.range(start, end);
}
