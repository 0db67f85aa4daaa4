// The workspace corpus as the server sees it: the bundled corpus, plus (only in a trusted workspace) the YAML files
// under each folder's `.jpmg/` and under the folders named in `jpmg.corpus.paths`, plus the text of any corpus file
// open in the editor. File reading lives here; what is in force and why is decided by the pure core/overlays.ts.
//
// Trust: while untrusted, no overlay file is listed or read, editor text of corpus files is ignored, and the corpus
// is the bundled one alone. Reads are confined: a symlink out of its corpus folder is refused with a problem, files
// above the size limit are never read, and walks are bounded in depth and file count.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  EMPTY_OVERLAYS, CORPUS_YAML_LIMITS, buildCorpus, closeEditor, removeDiskFile, removeWhere, setDiskProblems,
  setDiskText, setEditorText, type OverlayInput, type OverlayState,
} from '../core/overlays';
import type { Corpus, CorpusProblem } from '../core/types';

export const OVERLAY_DIR = '.jpmg';
const MAX_DEPTH = 8;
const MAX_FILES_PER_ROOT = 500;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export interface OverlayRoot {
  /** The workspace folder this root belongs to ('' for a path given without a folder). */
  folder: string;
  /** Absolute directory scanned for `*.yaml` / `*.yml`. */
  dir: string;
}

export interface WorkspaceCorpusOptions {
  /** The bundled corpus files (read once by the corpus loader's file reader). */
  bundledInputs: readonly OverlayInput[];
  /** The corpus loader (`loadCorpus`), merging non-bundled inputs over bundled ones. */
  load: (inputs: OverlayInput[]) => Corpus;
  trusted: boolean;
  log?: (message: string) => void;
}

export function isYamlFile(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/** True when `child` is `parent` or inside it (plain path logic; symlinks are resolved by the caller). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export class WorkspaceCorpus {
  private readonly bundledInputs: readonly OverlayInput[];
  private readonly bundledFiles: ReadonlySet<string>;
  private readonly load: (inputs: OverlayInput[]) => Corpus;
  private readonly log: (message: string) => void;
  private trusted: boolean;
  private folders: string[] = [];
  private readonly corpusPaths = new Map<string, readonly string[]>();
  private state: OverlayState = EMPTY_OVERLAYS;
  private cached: Corpus | undefined;

  constructor(options: WorkspaceCorpusOptions) {
    this.bundledInputs = options.bundledInputs;
    this.bundledFiles = new Set(options.bundledInputs.map((i) => i.file));
    this.load = options.load;
    this.trusted = options.trusted;
    this.log = options.log ?? (() => undefined);
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  /** The corpus in force (rebuilt lazily after a change). */
  corpus(): Corpus {
    if (!this.cached) {
      const started = Date.now();
      this.cached = buildCorpus(this.bundledInputs, this.state, this.load);
      this.log(`corpus: ${this.cached.entities.length} entities, ${this.cached.problems.length} problems, ` +
        `${this.overlayFileCount()} overlay files (${Date.now() - started} ms)`);
    }
    return this.cached;
  }

  /** Overlay files currently tracked (in force or broken). */
  overlayFileCount(): number {
    let n = 0;
    for (const f of this.state.files.values()) if (!f.bundled) n++;
    return n;
  }

  /** Trust granted or revoked. Revoking drops every overlay at once; granting rescans. Returns true on change. */
  setTrusted(trusted: boolean): boolean {
    if (trusted === this.trusted) return false;
    this.trusted = trusted;
    if (!trusted) this.replaceState(EMPTY_OVERLAYS);
    else this.rescan();
    return true;
  }

  /** The workspace folders (absolute paths). Rescans. */
  setFolders(folders: readonly string[]): void {
    this.folders = [...new Set(folders)];
    for (const f of [...this.corpusPaths.keys()]) if (!this.folders.includes(f) && f !== '') this.corpusPaths.delete(f);
    this.rescan();
  }

  /** `jpmg.corpus.paths` for one folder ('' for the global value). Returns true when it changed (and rescans). */
  setCorpusPaths(folder: string, paths: readonly string[]): boolean {
    const prev = this.corpusPaths.get(folder) ?? [];
    const clean = paths.filter((p) => typeof p === 'string' && p.trim() !== '');
    if (prev.length === clean.length && prev.every((p, i) => p === clean[i])) return false;
    this.corpusPaths.set(folder, clean);
    this.rescan();
    return true;
  }

  /** Directories scanned for overlay YAML: none while untrusted. */
  roots(): OverlayRoot[] {
    if (!this.trusted) return [];
    const out: OverlayRoot[] = [];
    const seen = new Set<string>();
    const add = (folder: string, dir: string) => {
      if (!seen.has(dir)) {
        seen.add(dir);
        out.push({ folder, dir });
      }
    };
    for (const folder of this.folders) add(folder, path.join(folder, OVERLAY_DIR));
    for (const [folder, paths] of this.corpusPaths) {
      if (folder !== '' && !this.folders.includes(folder)) continue;
      for (const p of paths) {
        if (path.isAbsolute(p)) add(folder, path.normalize(p));
        else if (folder !== '') add(folder, path.resolve(folder, p));
      }
    }
    return out;
  }

  /** Is this path a corpus YAML file the server tracks (an overlay under a root, or a bundled file)? */
  isCorpusFile(file: string): boolean {
    if (!isYamlFile(file)) return false;
    if (this.bundledFiles.has(file)) return true;
    return this.roots().some((r) => isInside(file, r.dir));
  }

  /** Re-read every root from disk. Files kept: last good texts survive; files gone are dropped. */
  rescan(): void {
    const roots = this.roots();
    let state = removeWhere(this.state, (f) => !f.bundled && !roots.some((r) => isInside(f.file, r.dir)));
    if (!this.trusted) state = removeWhere(state, () => true);
    const found = new Set<string>();
    for (const root of roots) {
      for (const file of listYamlFiles(root.dir, this.log)) {
        found.add(file);
        state = this.readInto(state, file, root);
      }
    }
    state = removeWhere(state, (f) => !f.bundled && f.editorText === undefined && !found.has(f.file));
    this.replaceState(state);
  }

  /** A watched-file event. Returns true when the corpus may have changed. */
  fileChanged(file: string, change: 'created' | 'changed' | 'deleted'): boolean {
    const roots = this.roots();
    if (change === 'deleted') {
      // A deleted directory arrives as one event for the directory.
      const gone = [...this.state.files.values()].filter((f) => !f.bundled && isInside(f.file, file));
      if (gone.length === 0) return false;
      let state = this.state;
      for (const f of gone) state = removeDiskFile(state, f.file);
      this.replaceState(state);
      return true;
    }
    const root = roots.find((r) => isInside(file, r.dir));
    if (!root) return false;
    if (!isYamlFile(file)) {
      // A directory created or moved in: scan it.
      let isDir = false;
      try { isDir = fs.lstatSync(file).isDirectory(); } catch { /* gone already */ }
      if (!isDir) return false;
      let state = this.state;
      for (const f of listYamlFiles(file, this.log)) if (isInside(f, root.dir)) state = this.readInto(state, f, root);
      this.replaceState(state);
      return true;
    }
    this.replaceState(this.readInto(this.state, file, root));
    return true;
  }

  /** Text of an open editor document for a corpus file (didOpen/didChange). Ignored while untrusted. */
  setDocumentText(file: string, text: string): boolean {
    if (!this.trusted || !this.isCorpusFile(file)) return false;
    this.replaceState(setEditorText(this.state, file, text, this.bundledFiles.has(file)));
    return true;
  }

  /** The editor closed the document: the disk text is in force again. */
  closeDocument(file: string): boolean {
    if (this.state.files.get(file)?.editorText === undefined) return false;
    let state = closeEditor(this.state, file);
    // Overlay files that were open and exist on disk are re-read (the editor may have been discarded unsaved).
    const root = this.roots().find((r) => isInside(file, r.dir));
    if (root && state.files.has(file)) state = this.readInto(state, file, root);
    this.replaceState(state);
    return true;
  }

  private replaceState(state: OverlayState): void {
    if (state !== this.state) {
      this.state = state;
      this.cached = undefined;
    }
  }

  /** Read one file into the state, confined to its root and bounded in size. */
  private readInto(state: OverlayState, file: string, root: OverlayRoot): OverlayState {
    const result = readConfined(file, root.dir);
    if ('text' in result) return setDiskText(state, file, result.text);
    if (result.missing) return removeDiskFile(state, file);
    this.log(`overlay refused: ${file}: ${result.problem.message}`);
    return setDiskProblems(state, file, [result.problem]);
  }
}

type ReadResult = { text: string } | { missing: true } | { missing?: false; problem: CorpusProblem };

/** Read a YAML file only if it (after symlinks) lies inside `rootDir` and is within the size limit. */
export function readConfined(file: string, rootDir: string): ReadResult {
  const refuse = (code: string, message: string): ReadResult => ({
    problem: { file, line: 0, column: 0, severity: 'error', code, message },
  });
  let real: string;
  let realRoot: string;
  try {
    real = fs.realpathSync(file);
    realRoot = fs.realpathSync(rootDir);
  } catch {
    return { missing: true };
  }
  if (!isInside(file, rootDir) || !isInside(real, realRoot)) {
    return refuse('path-outside-corpus', `Refused: this file resolves outside its corpus folder (${realRoot}).`);
  }
  let size: number;
  try {
    const st = fs.statSync(real);
    if (!st.isFile()) return { missing: true };
    size = st.size;
  } catch {
    return { missing: true };
  }
  if (size > CORPUS_YAML_LIMITS.maxFileChars) {
    return refuse('file-too-large',
      `Corpus file too large (${size} bytes; the limit is ${CORPUS_YAML_LIMITS.maxFileChars}); it is ignored.`);
  }
  try {
    return { text: fs.readFileSync(real, 'utf8') };
  } catch (e) {
    return refuse('file-unreadable', `Could not read this corpus file: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** YAML files under `dir`, bounded in depth and count; symlinked directories are not followed (no loops). */
export function listYamlFiles(dir: string, log: (message: string) => void = () => undefined): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > MAX_DEPTH || out.length >= MAX_FILES_PER_ROOT) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= MAX_FILES_PER_ROOT) {
        log(`overlay: more than ${MAX_FILES_PER_ROOT} YAML files under ${dir}; the rest are ignored`);
        return;
      }
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(p, depth + 1);
      } else if ((e.isFile() || e.isSymbolicLink()) && isYamlFile(e.name)) {
        out.push(p); // symlinks are checked by readConfined
      }
    }
  };
  walk(dir, 0);
  return out;
}
