// Workspace overlay state: the corpus YAML files that come from the workspace (`.jpmg/**/*.yaml`, folders in
// `jpmg.corpus.paths`) and any corpus file open in the editor. Pure and immutable: every update returns a new
// state, so a handler that took a snapshot keeps a consistent view.
//
// The rule that keeps a team's work from vanishing mid-edit: while a file is broken (YAML syntax errors, too big,
// an alias bomb, not a mapping), its last good text stays in force for the corpus, and the broken text's problems
// are still reported at their place. A file that has never been good contributes nothing but its problems.
import type { Corpus, CorpusProblem } from './types';
import { inputKind, type CorpusInput } from './corpus/index';
import { runToEnd, type Steps } from './steps';
import { DEFAULT_YAML_LIMITS, parseYamlTextForLoad } from './corpus/yamlDoc';

/** What the corpus loader takes. */
export type OverlayInput = CorpusInput;

/** The loader's YAML limits (file size, alias count, problems per file), applied to workspace files too. */
export const CORPUS_YAML_LIMITS = DEFAULT_YAML_LIMITS;

export interface OverlayFile {
  readonly file: string;
  readonly bundled: boolean;
  /** Text on disk (undefined when the file is only open in the editor, or was deleted while open). */
  readonly diskText?: string;
  /** `source-text` for a source document named by a sources.yaml (never parsed, never broken). */
  readonly kind?: CorpusInput['kind'];
  /** Text of the open editor document, which wins over the disk. */
  readonly editorText?: string;
  /** The last text that parsed, in force for the corpus. */
  readonly goodText?: string;
  /** The last disk text that parsed: what falls back in force when an unsaved editor closes over a broken disk file. */
  readonly goodDiskText?: string;
  /** Problems of the current text when it is broken; empty when it is good. */
  readonly brokenProblems: readonly CorpusProblem[];
  /** The current text is not parsed yet: whether it is good (in force) or broken is decided by `judge`, which a
   *  server runs in steps between requests (parsing a 100,000-entity overlay takes seconds). */
  readonly unjudged?: boolean;
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
export function setDiskText(
  state: OverlayState, file: string, text: string, bundled = false, kind?: CorpusInput['kind'],
): OverlayState {
  const prev = state.files.get(file);
  const f = { ...base(prev, file, bundled), diskText: text };
  return withFile(state, file, kind ? { ...f, kind } : f);
}

/** The file could not be read (too large, outside its folder, unreadable): broken, its last good text stays. */
export function setDiskProblems(state: OverlayState, file: string, problems: CorpusProblem[], bundled = false): OverlayState {
  const prev = base(state.files.get(file), file, bundled);
  if (prev.editorText !== undefined) return withFile(state, file, { ...prev, diskText: undefined });
  const files = new Map(state.files);
  files.set(file, { ...prev, diskText: undefined, brokenProblems: problems, unjudged: false });
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
  // Unsaved editor text never outlives the editor: the fallback is the last good text that was on disk.
  return withFile(state, file, { ...prev, editorText: undefined, goodText: prev.goodDiskText }, false);
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
  for (const file of [...state.files.values()].sort((a, b) => compare(a.file, b.file))) {
    const f = judged(file);
    if (f.goodText === undefined) continue;
    out.push(f.kind ? { file: f.file, text: f.goodText, bundled: f.bundled, kind: f.kind } : { file: f.file, text: f.goodText, bundled: f.bundled });
  }
  return out;
}

/** Problems of broken files: their current errors, plus a note when a last good version is still in force. */
export function brokenFileProblems(state: OverlayState): CorpusProblem[] {
  const out: CorpusProblem[] = [];
  for (const file of state.files.values()) {
    const f = judged(file);
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
  return runToEnd(buildCorpusSteps(bundledInputs, state, function* (inputs) { return load(inputs); }));
}

/** buildCorpus in steps, with the loader's steps (`loadCorpusSteps`): see WorkspaceCorpus. */
export function* buildCorpusSteps(
  bundledInputs: readonly OverlayInput[],
  unjudgedState: OverlayState,
  load: (inputs: OverlayInput[]) => Generator<void, Corpus, void>,
): Generator<void, Corpus, void> {
  const state = yield* judgeSteps(unjudgedState);
  const overlay = inputsInForce(state);
  const replaced = new Set([...state.files.values()].filter((f) => f.bundled).map((f) => f.file));
  const inputs = [...bundledInputs.filter((i) => !replaced.has(i.file)), ...overlay];
  const corpus = yield* load(inputs);
  const broken = new Set([...state.files.values()].filter((f) => f.brokenProblems.length > 0).map((f) => f.file));
  if (broken.size === 0) return corpus;
  const problems = [...corpus.problems.filter((p) => !broken.has(p.file)), ...brokenFileProblems(state)];
  return { ...corpus, problems };
}

/**
 * Does this text parse as a corpus YAML file? Returns its problems (empty when good), from the loader's own parser
 * and limits, so codes and ranges are the ones the loader reports. Only what makes a file unusable as a whole counts;
 * entity-level schema problems are the loader's and leave the file in force.
 */
export function parseProblems(file: string, text: string): CorpusProblem[] {
  // The parse is kept for the corpus load that follows (which then need not parse this text again).
  const parsed = parseYamlTextForLoad(file, text);
  if (parsed.value === undefined) return parsed.problems.length ? parsed.problems : [wholeFile(file, 'yaml-syntax', 'This YAML file cannot be read.')];
  const v = parsed.value;
  if (v !== null && (typeof v !== 'object' || Array.isArray(v))) {
    return [wholeFile(file, 'schema', 'A corpus file is a mapping with an `entities:` list (or `sources:` in sources.yaml).')];
  }
  return [];
}

function wholeFile(file: string, code: string, message: string): CorpusProblem {
  return { file, line: 0, column: 0, endLine: 0, endColumn: 0, severity: 'error', code, message };
}

// ---- internals ----

function base(prev: OverlayFile | undefined, file: string, bundled: boolean): OverlayFile {
  return prev ?? { file, bundled, brokenProblems: [] };
}

/** Files whose current text awaits its parse (see `judge`). */
export function unjudgedFiles(state: OverlayState): string[] {
  const out: string[] = [];
  for (const [key, f] of state.files) if (f.unjudged) out.push(key);
  return out;
}

/** True when some file has a text in force, or one that may be (unjudged). */
export function mayHaveInputs(state: OverlayState): boolean {
  for (const f of state.files.values()) if (f.goodText !== undefined || f.unjudged) return true;
  return false;
}

/** Decide whether a file's current text is in force: parse it (with the loader's parser and limits; the parse is
 *  kept for the load that follows). The same state when nothing awaits. */
export function judge(state: OverlayState, key: string): OverlayState {
  const f = state.files.get(key);
  if (!f?.unjudged) return state;
  const files = new Map(state.files);
  files.set(key, judged(f));
  return { files };
}

/** Every file judged, one per step. */
export function* judgeSteps(state: OverlayState): Steps<OverlayState> {
  for (const key of unjudgedFiles(state)) {
    state = judge(state, key);
    yield;
  }
  return state;
}

function judged(f: OverlayFile): OverlayFile {
  if (!f.unjudged) return f;
  const text = currentText(f);
  return text === undefined ? { ...f, unjudged: false } : decided(f, text, parseProblems(f.file, text));
}

function decided(f: OverlayFile, text: string, problems: readonly CorpusProblem[]): OverlayFile {
  const fromDisk = f.editorText === undefined;
  return problems.length === 0
    ? { ...f, unjudged: false, goodText: text, ...(fromDisk ? { goodDiskText: text } : {}), brokenProblems: [] }
    : { ...f, unjudged: false, brokenProblems: problems };
}

/**
 * Store the file, re-deciding what is in force from its current text. A disk text of a file that has a last good
 * text is decided at once (one parse), so that its last good text is always the last one seen good on disk. A file
 * that has none yet (every file when a workspace opens) waits to be judged: its text is not in force before that
 * anyway. So does editor text, which changes with every keystroke (a parse of a 2 MB file per keystroke made typing
 * in it lag): it is judged when the corpus is rebuilt, after a pause. A disk text awaiting judgement that is replaced
 * is judged first, so that a good one still becomes the last good text.
 */
function withFile(state: OverlayState, key: string, f: OverlayFile, judgeReplaced = true): OverlayState {
  const prev = state.files.get(key);
  if (judgeReplaced && prev?.unjudged && prev.editorText === undefined && f.unjudged && currentText(prev) !== currentText(f)) {
    const j = judged(prev);
    f = { ...f, goodText: j.goodText, goodDiskText: j.goodDiskText, brokenProblems: j.brokenProblems, unjudged: false };
  }
  const text = currentText(f);
  let next: OverlayFile = f;
  if (text !== undefined) {
    const isYaml = inputKind({ file: f.file, kind: f.kind }) !== 'source-text';
    if (text === f.goodText || !isYaml) next = decided(f, text, []);
    else if (f.goodText === undefined || f.editorText !== undefined) next = { ...f, unjudged: true };
    else next = decided(f, text, parseProblems(f.file, text));
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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
