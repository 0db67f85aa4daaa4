// Workspace overlay state: the corpus YAML files that come from the workspace (`.jpmg/**/*.yaml`, folders in
// `jpmg.corpus.paths`) and any corpus file open in the editor. Pure and immutable: every update returns a new
// state, so a handler that took a snapshot keeps a consistent view.
//
// The rule that keeps a team's work from vanishing mid-edit: while a file is broken (YAML syntax errors, too big,
// an alias bomb, not a mapping), its last good text stays in force for the corpus, and the broken text's problems
// are still reported at their place. A file that has never been good contributes nothing but its problems.
import { parseDocument } from 'yaml';
import type { Corpus, CorpusProblem } from './types';

/** What the corpus loader takes (mirrors `CorpusInput` in core/corpus/index.ts). */
export interface OverlayInput {
  file: string;
  text: string;
  bundled: boolean;
}

/** YAML limits shared by every corpus file read from a workspace (the loader applies its own as well). */
export const CORPUS_YAML_LIMITS = {
  /** Larger files are refused with a problem; a corpus file is a few hundred kilobytes at most. */
  maxFileChars: 4_000_000,
  /** Alias expansions allowed by `toJS` (billion-laughs guard). */
  maxAliasCount: 100,
  /** Parse problems reported per file (a 5,000-deep nesting yields hundreds of identical ones). */
  maxProblemsPerFile: 50,
} as const;

export interface OverlayFile {
  readonly file: string;
  readonly bundled: boolean;
  /** Text on disk (undefined when the file is only open in the editor, or was deleted while open). */
  readonly diskText?: string;
  /** Text of the open editor document, which wins over the disk. */
  readonly editorText?: string;
  /** The last text that parsed, in force for the corpus. */
  readonly goodText?: string;
  /** Problems of the current text when it is broken; empty when it is good. */
  readonly brokenProblems: readonly CorpusProblem[];
}

export interface OverlayState {
  readonly files: ReadonlyMap<string, OverlayFile>;
}

export const EMPTY_OVERLAYS: OverlayState = { files: new Map() };

/** The text the editor or disk holds now for a file. */
export function currentText(f: OverlayFile): string | undefined {
  return f.editorText ?? f.diskText;
}

/** Record a file's text as read from disk (create or change). */
export function setDiskText(state: OverlayState, file: string, text: string, bundled = false): OverlayState {
  const prev = state.files.get(file);
  return withFile(state, file, { ...base(prev, file, bundled), diskText: text });
}

/** The file could not be read (too large, outside its folder, unreadable): broken, its last good text stays. */
export function setDiskProblems(state: OverlayState, file: string, problems: CorpusProblem[], bundled = false): OverlayState {
  const prev = base(state.files.get(file), file, bundled);
  if (prev.editorText !== undefined) return withFile(state, file, { ...prev, diskText: undefined });
  const files = new Map(state.files);
  files.set(file, { ...prev, diskText: undefined, brokenProblems: problems });
  return { files };
}

/** The file is gone from disk (delete). It stays only while open in the editor. */
export function removeDiskFile(state: OverlayState, file: string): OverlayState {
  const prev = state.files.get(file);
  if (!prev) return state;
  if (prev.editorText === undefined) return without(state, file);
  return withFile(state, file, { ...prev, diskText: undefined });
}

/** Record the text of an open editor document for a corpus file (didOpen / didChange). */
export function setEditorText(state: OverlayState, file: string, text: string, bundled = false): OverlayState {
  const prev = state.files.get(file);
  return withFile(state, file, { ...base(prev, file, bundled), editorText: text });
}

/** The editor closed the document: the disk text is in force again (or nothing, if it was never saved). */
export function closeEditor(state: OverlayState, file: string): OverlayState {
  const prev = state.files.get(file);
  if (!prev || prev.editorText === undefined) return state;
  if (prev.diskText === undefined) return without(state, file);
  return withFile(state, file, { ...prev, editorText: undefined });
}

/** Forget every file whose path passes the test (a workspace folder removed, trust revoked, paths changed). */
export function removeWhere(state: OverlayState, test: (file: OverlayFile) => boolean): OverlayState {
  let changed = false;
  const files = new Map<string, OverlayFile>();
  for (const [k, f] of state.files) {
    if (test(f)) changed = true;
    else files.set(k, f);
  }
  return changed ? { files } : state;
}

/** The inputs in force, in a stable order (by path). Bundled files listed here replace the bundled text. */
export function inputsInForce(state: OverlayState): OverlayInput[] {
  const out: OverlayInput[] = [];
  for (const f of [...state.files.values()].sort((a, b) => compare(a.file, b.file))) {
    if (f.goodText !== undefined) out.push({ file: f.file, text: f.goodText, bundled: f.bundled });
  }
  return out;
}

/** Problems of broken files: their current errors, plus a note when a last good version is still in force. */
export function brokenFileProblems(state: OverlayState): CorpusProblem[] {
  const out: CorpusProblem[] = [];
  for (const f of state.files.values()) {
    if (f.brokenProblems.length === 0) continue;
    out.push(...f.brokenProblems);
    if (f.goodText !== undefined) {
      out.push({
        file: f.file, line: 0, column: 0, severity: 'information', code: 'last-good-in-force',
        message: 'This file has errors; its last good version stays in force until they are fixed.',
      });
    }
  }
  return out;
}

/**
 * Build the corpus: bundled inputs (minus any replaced by an open editor) plus the overlay files in force, loaded
 * by `load`. The loader's problems for a broken file describe its last good text, whose lines no longer match what
 * the user sees, so they are replaced by the broken text's own problems.
 */
export function buildCorpus(
  bundledInputs: readonly OverlayInput[],
  state: OverlayState,
  load: (inputs: OverlayInput[]) => Corpus,
): Corpus {
  const overlay = inputsInForce(state);
  const replaced = new Set([...state.files.values()].filter((f) => f.bundled).map((f) => f.file));
  const inputs = [...bundledInputs.filter((i) => !replaced.has(i.file)), ...overlay];
  const corpus = load(inputs);
  const broken = new Set([...state.files.values()].filter((f) => f.brokenProblems.length > 0).map((f) => f.file));
  if (broken.size === 0) return corpus;
  const problems = [...corpus.problems.filter((p) => !broken.has(p.file)), ...brokenFileProblems(state)];
  return { ...corpus, problems };
}

/**
 * Does this text parse as a corpus YAML file? Returns its problems (empty when good). Checks only what makes a
 * file unusable as a whole; entity-level schema problems are the loader's, and leave the file in force.
 */
export function parseProblems(file: string, text: string): CorpusProblem[] {
  const limits = CORPUS_YAML_LIMITS;
  if (text.length > limits.maxFileChars) {
    return [problem(file, text, 0, 0, 'error', 'file-too-large',
      `Corpus file too large (${text.length} characters; the limit is ${limits.maxFileChars}); it is ignored.`)];
  }
  const out: CorpusProblem[] = [];
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, merge: false, strict: true });
  } catch (e) {
    return [problem(file, text, 0, 0, 'error', 'yaml-syntax', `YAML could not be parsed: ${errorMessage(e)}`)];
  }
  const lines = doc.errors.length > 0 ? lineStarts(text) : [0];
  for (const err of doc.errors) {
    if (out.length >= limits.maxProblemsPerFile) break;
    out.push(problem(file, text, err.pos[0], err.pos[1], 'error', 'yaml-syntax', firstLine(err.message), lines));
  }
  if (doc.errors.length > out.length) {
    out.push(problem(file, text, 0, 0, 'error', 'yaml-syntax',
      `${doc.errors.length - out.length} more YAML errors not shown.`));
  }
  if (out.length > 0) return out;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (e) {
    return [problem(file, text, 0, 0, 'error', 'yaml-aliases', `YAML could not be expanded: ${errorMessage(e)}`)];
  }
  if (value === null || value === undefined) return []; // an empty file is a good (empty) corpus file
  if (typeof value !== 'object' || Array.isArray(value)) {
    const range = doc.contents?.range ?? [0, 0];
    return [problem(file, text, range[0], range[1], 'error', 'schema',
      'A corpus file is a mapping with an `entities:` list (or `sources:` for a sources file).')];
  }
  return [];
}

// ---- internals ----

function base(prev: OverlayFile | undefined, file: string, bundled: boolean): OverlayFile {
  return prev ?? { file, bundled, brokenProblems: [] };
}

/** Store the file, re-deciding what is in force from its current text. */
function withFile(state: OverlayState, key: string, f: OverlayFile): OverlayState {
  const text = currentText(f);
  let next: OverlayFile = f;
  if (text !== undefined) {
    const problems = text === f.goodText ? [] : parseProblems(f.file, text);
    next = problems.length === 0
      ? { ...f, goodText: text, brokenProblems: [] }
      : { ...f, brokenProblems: problems };
  }
  const files = new Map(state.files);
  files.set(key, next);
  return { files };
}

function without(state: OverlayState, key: string): OverlayState {
  const files = new Map(state.files);
  files.delete(key);
  return { files };
}

function problem(
  file: string, text: string, start: number, end: number,
  severity: CorpusProblem['severity'], code: string, message: string,
  lines: readonly number[] = lineStarts(text),
): CorpusProblem {
  const a = offsetToPosition(text, start, lines);
  const b = offsetToPosition(text, Math.max(start, end), lines);
  return { file, line: a.line, column: a.character, endLine: b.line, endColumn: b.character, severity, code, message };
}

/** Offsets where each line starts; LF, CRLF and CR each end a line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** UTF-16 offset → 0-based line/character, never between CR and LF nor inside a surrogate pair. */
export function offsetToPosition(
  text: string, offset: number, lines: readonly number[] = lineStarts(text),
): { line: number; character: number } {
  const at = Math.min(Math.max(0, offset), text.length);
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  let character = at - lines[lo]!;
  if (character > 0 && text.charCodeAt(at - 1) === 13 && text.charCodeAt(at) === 10) character--;
  const high = text.charCodeAt(at - 1);
  const low = text.charCodeAt(at);
  if (character > 0 && high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) character--;
  return { line: lo, character };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).slice(0, 300);
}

function errorMessage(e: unknown): string {
  return firstLine(e instanceof Error ? e.message : String(e));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
