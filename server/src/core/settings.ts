// Settings: one merge shared by the editor and `jpmg check`, so both apply the same rules the same way.
// Layers, lowest first: built-in defaults < editor settings (`jpmg.*`) < the workspace's `.jpmg/settings.json`.
// The workspace file wins because it is the one file CI reads too: what the writer sees is what CI enforces.
// `rules` merge key by key; `ignoreWords` are the union of every layer. Pure: no file access here.
import { DEFAULT_SETTINGS, type JpmgSettings } from '../protocol';

export const RULE_SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'] as const;

/** A problem in a settings file; line and column are 0-based (print them 1-based). */
export interface SettingsProblem {
  line: number;
  column: number;
  message: string;
}

/** Any subset of the settings, as written by a user (nested or with dotted `jpmg.` keys). */
export interface PartialSettings {
  mentions?: { plainText?: boolean };
  hover?: { enabled?: boolean };
  corpus?: { paths?: string[] };
  rules?: Record<string, string>;
  ignoreWords?: string[];
}

export interface ParsedSettingsFile {
  values: PartialSettings;
  problems: SettingsProblem[];
}

/** Parses `.jpmg/settings.json` text (JSON with comments and trailing commas allowed, like VS Code's). Never throws:
 *  syntax and type errors come back as problems at their line and column, and the valid parts still apply. */
export function parseSettingsFile(text: string): ParsedSettingsFile {
  const problems: SettingsProblem[] = [];
  const parser = new JsoncParser(text);
  let root: JsonNode | undefined;
  try {
    root = parser.parseDocument();
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      const { line, column } = lineColumn(text, e.offset);
      problems.push({ line, column, message: e.message });
    } else throw e;
  }
  const values: PartialSettings = {};
  if (!root) return { values, problems };
  if (root.kind !== 'object') {
    problems.push({ ...lineColumn(text, root.start), message: 'settings must be a JSON object' });
    return { values, problems };
  }
  const report = (node: JsonNode, message: string) => problems.push({ ...lineColumn(text, node.start), message });
  applyObject(root, '', values, report);
  return { values, problems };
}

type Reporter = (node: JsonNode, message: string) => void;

/** Walks an object whose keys may be nested (`{"jpmg": {"rules": …}}`), dotted (`"jpmg.rules"`) or bare (`"rules"`). */
function applyObject(node: JsonObject, prefix: string, out: PartialSettings, report: Reporter): void {
  for (const entry of node.entries) {
    let key = prefix ? `${prefix}.${entry.key}` : entry.key;
    if (key === 'jpmg' || key.startsWith('jpmg.')) key = key === 'jpmg' ? '' : key.slice(5);
    if (key === '' || key === 'mentions' || key === 'hover' || key === 'corpus') {
      if (entry.value.kind !== 'object') { report(entry.value, `"${entry.key}" must be an object`); continue; }
      applyObject(entry.value, key, out, report);
      continue;
    }
    applyKey(key, entry.value, entry.keyNode, out, report);
  }
}

function applyKey(key: string, value: JsonNode, keyNode: JsonNode, out: PartialSettings, report: Reporter): void {
  switch (key) {
    case 'mentions.plainText':
      if (value.kind !== 'boolean') return report(value, `"jpmg.${key}" must be true or false`);
      out.mentions = { ...out.mentions, plainText: value.value };
      return;
    case 'hover.enabled':
      if (value.kind !== 'boolean') return report(value, `"jpmg.${key}" must be true or false`);
      out.hover = { ...out.hover, enabled: value.value };
      return;
    case 'corpus.paths': {
      const paths = stringArray(value);
      if (!paths) return report(value, `"jpmg.${key}" must be an array of strings`);
      out.corpus = { ...out.corpus, paths };
      return;
    }
    case 'ignoreWords': {
      const words = stringArray(value);
      if (!words) return report(value, '"jpmg.ignoreWords" must be an array of strings');
      out.ignoreWords = words;
      return;
    }
    case 'rules': {
      if (value.kind !== 'object') return report(value, '"jpmg.rules" must be an object of rule → severity');
      const rules: Record<string, string> = Object.create(null);
      for (const rule of value.entries) {
        const v = rule.value;
        if (v.kind !== 'string' || !(RULE_SEVERITIES as readonly string[]).includes(v.value)) {
          report(v, `severity of rule "${rule.key}" must be one of ${RULE_SEVERITIES.join(', ')}`);
          continue;
        }
        rules[rule.key] = v.value;
      }
      out.rules = { ...out.rules, ...rules };
      return;
    }
    default:
      if (key.startsWith('rules.')) {
        // "jpmg.rules.wrong-title": "off"
        if (value.kind !== 'string' || !(RULE_SEVERITIES as readonly string[]).includes(value.value)) {
          return report(value, `severity of rule "${key.slice(6)}" must be one of ${RULE_SEVERITIES.join(', ')}`);
        }
        out.rules = { ...out.rules, [key.slice(6)]: value.value };
        return;
      }
      if (key === 'trace.server') return; // editor-only setting, harmless here
      report(keyNode, `unknown setting "jpmg.${key}"`);
  }
}

function stringArray(node: JsonNode): string[] | undefined {
  if (node.kind !== 'array') return undefined;
  const out: string[] = [];
  for (const item of node.items) {
    if (item.kind !== 'string') return undefined;
    out.push(item.value);
  }
  return out;
}

/** Merges layers over a base (normally DEFAULT_SETTINGS); later layers win, rules key by key, ignoreWords united. */
export function mergeSettings(base: JpmgSettings, ...layers: (PartialSettings | undefined)[]): JpmgSettings {
  const out: JpmgSettings = {
    mentions: { ...base.mentions },
    hover: { ...base.hover },
    corpus: { paths: [...base.corpus.paths] },
    rules: { ...base.rules },
    ignoreWords: [...base.ignoreWords],
  };
  for (const layer of layers) {
    if (!layer) continue;
    if (typeof layer.mentions?.plainText === 'boolean') out.mentions.plainText = layer.mentions.plainText;
    if (typeof layer.hover?.enabled === 'boolean') out.hover.enabled = layer.hover.enabled;
    if (Array.isArray(layer.corpus?.paths)) out.corpus.paths = layer.corpus.paths.filter((p) => typeof p === 'string');
    if (layer.rules && typeof layer.rules === 'object') {
      for (const [code, severity] of Object.entries(layer.rules)) {
        if (typeof severity === 'string') out.rules[code] = severity;
      }
    }
    if (Array.isArray(layer.ignoreWords)) {
      for (const w of layer.ignoreWords) if (typeof w === 'string' && !out.ignoreWords.includes(w)) out.ignoreWords.push(w);
    }
  }
  return out;
}

/** The settings for one file: defaults, then what the editor says, then the workspace settings file (if any). */
export function resolveSettings(input: { fileText?: string; editor?: PartialSettings }): {
  settings: JpmgSettings;
  problems: SettingsProblem[];
} {
  const parsed = input.fileText !== undefined ? parseSettingsFile(input.fileText) : undefined;
  return {
    settings: mergeSettings(DEFAULT_SETTINGS, input.editor, parsed?.values),
    problems: parsed?.problems ?? [],
  };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart };
}

// ---- A small JSON-with-comments parser that remembers where every value starts (for problem positions). ----

type JsonNode = JsonObject | JsonArray | JsonScalar;
interface JsonObject { kind: 'object'; start: number; entries: { key: string; keyNode: JsonNode; value: JsonNode }[] }
interface JsonArray { kind: 'array'; start: number; items: JsonNode[] }
type JsonScalar =
  | { kind: 'string'; start: number; value: string }
  | { kind: 'number'; start: number; value: number }
  | { kind: 'boolean'; start: number; value: boolean }
  | { kind: 'null'; start: number };

class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const MAX_DEPTH = 64;

class JsoncParser {
  private pos = 0;
  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  parseDocument(): JsonNode | undefined {
    this.skipTrivia();
    if (this.pos >= this.text.length) return undefined; // an empty file sets nothing
    const value = this.parseValue(0);
    this.skipTrivia();
    if (this.pos < this.text.length) this.fail('unexpected text after the settings object');
    return value;
  }

  private fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(message, at);
  }

  private skipTrivia(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) { this.pos++; continue; }
      if (c === 47 && t.charCodeAt(this.pos + 1) === 47) {
        while (this.pos < t.length && t.charCodeAt(this.pos) !== 10 && t.charCodeAt(this.pos) !== 13) this.pos++;
        continue;
      }
      if (c === 47 && t.charCodeAt(this.pos + 1) === 42) {
        const close = t.indexOf('*/', this.pos + 2);
        if (close < 0) this.fail('unterminated comment');
        this.pos = close + 2;
        continue;
      }
      break;
    }
  }

  private parseValue(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail('settings nested too deeply');
    this.skipTrivia();
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === '{') return this.parseObject(depth);
    if (c === '[') return this.parseArray(depth);
    if (c === '"') return { kind: 'string', start, value: this.parseString() };
    if (c === undefined) this.fail('unexpected end of file');
    for (const [word, node] of [
      ['true', { kind: 'boolean', start, value: true }],
      ['false', { kind: 'boolean', start, value: false }],
      ['null', { kind: 'null', start }],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return node as JsonNode;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 64));
    if (m) {
      this.pos += m[0].length;
      return { kind: 'number', start, value: Number(m[0]) };
    }
    return this.fail(`unexpected character ${JSON.stringify(c)}`);
  }

  private parseObject(depth: number): JsonObject {
    const node: JsonObject = { kind: 'object', start: this.pos, entries: [] };
    this.pos++; // {
    for (;;) {
      this.skipTrivia();
      if (this.text[this.pos] === '}') { this.pos++; return node; }
      if (this.text[this.pos] !== '"') this.fail('expected a property name in double quotes or "}"');
      const keyStart = this.pos;
      const key = this.parseString();
      this.skipTrivia();
      if (this.text[this.pos] !== ':') this.fail('expected ":" after the property name');
      this.pos++;
      const value = this.parseValue(depth + 1);
      node.entries.push({ key, keyNode: { kind: 'string', start: keyStart, value: key }, value });
      this.skipTrivia();
      if (this.text[this.pos] === ',') { this.pos++; continue; }
      if (this.text[this.pos] === '}') { this.pos++; return node; }
      this.fail('expected "," or "}"');
    }
  }

  private parseArray(depth: number): JsonArray {
    const node: JsonArray = { kind: 'array', start: this.pos, items: [] };
    this.pos++; // [
    for (;;) {
      this.skipTrivia();
      if (this.text[this.pos] === ']') { this.pos++; return node; }
      node.items.push(this.parseValue(depth + 1));
      this.skipTrivia();
      if (this.text[this.pos] === ',') { this.pos++; continue; }
      if (this.text[this.pos] === ']') { this.pos++; return node; }
      this.fail('expected "," or "]"');
    }
  }

  private parseString(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++; // opening quote
    let out = '';
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string', start);
      const c = t[this.pos]!;
      if (c === '"') { this.pos++; return out; }
      if (c === '\n' || c === '\r') this.fail('unterminated string', start);
      if (c === '\\') {
        const e = t[this.pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) { out += simple[e]; this.pos += 2; continue; }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) {
          out += String.fromCharCode(parseInt(t.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
          continue;
        }
        this.fail('invalid escape in string');
      }
      out += c;
      this.pos++;
    }
  }
}
