// The workspace corpus as the server sees it: the bundled corpus, plus (only in a trusted workspace) the YAML files
// under each folder's `.jpmg/` and under the folders named in `jpmg.corpus.paths`, plus the text of any corpus file
// open in the editor. File reading lives here; what is in force and why is decided by the pure core/overlays.ts.
//
// Trust: while untrusted, no overlay file is listed or read, editor text of corpus files is ignored, and the corpus
// is the bundled one alone. Folders are read by the corpus loader's reader (readCorpusDir): links out of a folder
// are refused with a problem, sizes and walks are bounded, and source texts are read only as sources.yaml names them.
// Any change under a folder re-reads that folder (overlay folders are small); per-file last good texts survive.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  EMPTY_OVERLAYS, buildCorpusSteps, closeEditor, judgeSteps, mayHaveInputs, removeDiskFile, removeWhere, setDiskProblems,
  setDiskText, setEditorText, type OverlayInput, type OverlayState,
} from '../core/overlays';
import type { Corpus } from '../core/types';
import { emptyCorpus } from '../core/corpus/index';
import { runToEnd, type Steps } from '../core/steps';
import { readCorpusDir, readCorpusFile } from './corpusFiles';

export const OVERLAY_DIR = '.jpmg';

export interface OverlayRoot {
  /** The workspace folder this root belongs to ('' for a path given without a folder). */
  folder: string;
  /** Absolute directory scanned for `*.yaml` / `*.yml`. */
  dir: string;
}

export interface WorkspaceCorpusOptions {
  /** The bundled corpus files (read once by the corpus loader's file reader). */
  bundledInputs: readonly OverlayInput[];
  /** The corpus loader (`loadCorpus`), merging non-bundled inputs over bundled ones... */
  load?: (inputs: OverlayInput[]) => Corpus;
  /** ...or its stepwise form (`loadCorpusSteps`), which lets `step()` rebuild a large corpus in slices. */
  loadSteps?: (inputs: OverlayInput[]) => Generator<void, Corpus, void>;
  /** Work to do on a new corpus before it goes into force in `step()` (building its indexes), in steps. */
  prepare?: (corpus: Corpus) => Generator<void, void, void>;
  trusted: boolean;
  log?: (message: string) => void;
}

/** What `step()` did: nothing left to do, work remains, or a new corpus went into force. */
export type BuildProgress = 'idle' | 'working' | 'swapped';

/** A corpus being built for one overlay state: loaded in steps, then prepared in steps. */
interface Build {
  /** The files it is for (replaced by the same files judged, once they are: see `buildSteps`). */
  state: OverlayState;
  readonly started: number;
  load: Steps<Corpus>;
  corpus?: Corpus;
  prepare?: Steps<void>;
  slices: number;
  longestSliceMs: number;
}

function overlayFilesOf(state: OverlayState): number {
  let n = 0;
  for (const f of state.files.values()) if (!f.bundled) n++;
  return n;
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
  private readonly loadSteps: (inputs: OverlayInput[]) => Generator<void, Corpus, void>;
  private readonly prepare: ((corpus: Corpus) => Generator<void, void, void>) | undefined;
  private readonly log: (message: string) => void;
  private trusted: boolean;
  private folders: string[] = [];
  private readonly corpusPaths = new Map<string, readonly string[]>();
  private state: OverlayState = EMPTY_OVERLAYS;
  /** The corpus answers come from, and the state it was built for (older than `state` while a rebuild runs). */
  private inForceCorpus: Corpus | undefined;
  private inForceState: OverlayState | undefined;
  private build: Build | undefined;

  constructor(options: WorkspaceCorpusOptions) {
    this.bundledInputs = options.bundledInputs;
    this.bundledFiles = new Set(options.bundledInputs.map((i) => i.file));
    const load = options.load;
    this.loadSteps = options.loadSteps ?? (function* (inputs: OverlayInput[]) { return load ? load(inputs) : emptyCorpus(); });
    this.prepare = options.prepare;
    this.trusted = options.trusted;
    this.log = options.log ?? (() => undefined);
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  /** The corpus of the current files, built now if it is not yet (finishing a rebuild in progress at once). */
  corpus(): Corpus {
    if (this.inForceCorpus && this.inForceState === this.state) return this.inForceCorpus;
    const b = this.currentBuild();
    if (!b.corpus) this.loaded(b, runToEnd(b.load));
    this.putInForce(b); // its preparation, if any, goes on in step()
    return b.corpus!;
  }

  /**
   * The corpus to answer from now: the current files' corpus once built, else the last one built (a rebuild in
   * `step()` keeps the previous corpus answering until the new one is loaded and prepared). Built at once if
   * there is none yet.
   */
  inForce(): Corpus {
    if (this.inForceCorpus) return this.inForceCorpus;
    if (mayHaveInputs(this.state)) {
      // The first load of workspace corpus files: the bundled corpus answers until they are in force.
      const bundledOnly = runToEnd(buildCorpusSteps(this.bundledInputs, EMPTY_OVERLAYS, this.loadSteps));
      this.inForceCorpus = bundledOnly;
      this.inForceState = EMPTY_OVERLAYS;
      this.log(`corpus: ${bundledOnly.entities.length} entities (bundled), while the workspace's corpus files load`);
      return bundledOnly;
    }
    return this.corpus();
  }

  /** True while `step()` has work to do: a corpus to build, or the indexes of the one in force. */
  get busy(): boolean {
    return this.stale || this.build !== undefined;
  }

  /** True while the corpus in force is not the current files' corpus. */
  get stale(): boolean {
    return !this.inForceCorpus || this.inForceState !== this.state;
  }

  /**
   * Build (or prepare) the current files' corpus for about `budgetMs`, in the loader's and `prepare`'s steps; a
   * build for files that changed since is dropped. 'swapped' when a new corpus went into force during the call.
   */
  step(budgetMs: number): BuildProgress {
    const deadline = performance.now() + budgetMs;
    let swapped = false;
    for (;;) {
      const b = this.pendingBuild();
      if (!b) return swapped ? 'swapped' : 'idle';
      const sliceStart = performance.now();
      b.slices++;
      let complete: boolean;
      do complete = this.advance(b); // at least one step per slice
      while (!complete && performance.now() < deadline);
      b.longestSliceMs = Math.max(b.longestSliceMs, performance.now() - sliceStart);
      // A new corpus goes into force once prepared, so that no request after the swap stops to build an index.
      if (b.corpus && this.inForceCorpus !== b.corpus && !b.prepare) {
        this.putInForce(b);
        swapped = true;
      }
      if (b.corpus && !b.prepare) {
        this.build = undefined;
        this.log(`corpus ready: ${Math.round(performance.now() - b.started)} ms in ${b.slices} slices (longest ${Math.round(b.longestSliceMs)} ms)`);
      }
      if (performance.now() >= deadline) return swapped ? 'swapped' : this.pendingBuild() ? 'working' : 'idle';
    }
  }

  /** One step of a build; true when the build is complete. */
  private advance(b: Build): boolean {
    if (!b.corpus) {
      let r: IteratorResult<void, Corpus>;
      try {
        r = b.load.next();
      } catch (e) {
        // The loader never throws; a loader given in its place might. Like loadCorpus: a problem, never a crash.
        const message = e instanceof Error ? e.message : String(e);
        r = { done: true, value: emptyCorpus([{ file: '', line: 0, column: 0, severity: 'error', code: 'internal-error', message: `Corpus not loaded: ${message}` }]) };
      }
      if (r.done) this.loaded(b, r.value);
      return false;
    }
    if (!b.prepare) return true;
    try {
      if (b.prepare.next().done) b.prepare = undefined;
    } catch (e) {
      // Indexes not built now are built on first use: the corpus itself is sound.
      this.log(`corpus indexes: ${e instanceof Error ? e.message : String(e)}`);
      b.prepare = undefined;
    }
    return !b.prepare;
  }

  private loaded(b: Build, corpus: Corpus): void {
    b.corpus = corpus;
    b.prepare = this.prepare?.(corpus);
    this.log(`corpus: ${corpus.entities.length} entities, ${corpus.problems.length} problems, ` +
      `${overlayFilesOf(b.state)} overlay files (${Math.round(performance.now() - b.started)} ms)`);
  }

  private putInForce(b: Build): void {
    this.inForceCorpus = b.corpus;
    this.inForceState = b.state;
  }

  /** The build for the current files: the one under way, or a new one. */
  private currentBuild(): Build {
    if (!this.build || this.build.state !== this.state) {
      const state = this.state;
      this.build = {
        state, started: performance.now(), slices: 0, longestSliceMs: 0,
        load: undefined as unknown as Steps<Corpus>,
      };
      this.build.load = this.buildSteps(this.build);
    }
    return this.build;
  }

  /** Judge the files whose text awaits its parse, one per step, and adopt the judged state (so that the next change
   *  is decided against these texts); then load. */
  private *buildSteps(b: Build): Steps<Corpus> {
    const judged = yield* judgeSteps(b.state);
    if (judged !== b.state && this.state === b.state) {
      this.state = judged;
      b.state = judged;
    }
    return yield* buildCorpusSteps(this.bundledInputs, judged, this.loadSteps);
  }

  /** The build `step()` should work on: none when the corpus in force is current and prepared. */
  private pendingBuild(): Build | undefined {
    if (this.build && this.build.state !== this.state) this.build = undefined; // for files that changed since
    if (this.build) return this.build;
    return this.stale ? this.currentBuild() : undefined;
  }

  /** Overlay files currently tracked (in force or broken). */
  overlayFileCount(): number {
    return overlayFilesOf(this.state);
  }

  /** Overlay files of the corpus in force (fewer than overlayFileCount() while a rebuild runs). */
  overlayFileCountInForce(): number {
    return this.inForceState ? overlayFilesOf(this.inForceState) : 0;
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

  /**
   * Is this path a corpus YAML file (an overlay under a root, a folder's `.jpmg/`, or a bundled file)? Answered
   * the same way while untrusted for `.jpmg/`, so such a file gets the YAML features rather than being read as a
   * brief; its content is still never used.
   */
  isCorpusFile(file: string): boolean {
    if (!isYamlFile(file)) return false;
    if (this.bundledFiles.has(file)) return true;
    if (this.folders.some((f) => isInside(file, path.join(f, OVERLAY_DIR)))) return true;
    return this.roots().some((r) => isInside(file, r.dir));
  }

  /** Re-read every root from disk. Files kept: last good texts survive; files gone are dropped. */
  rescan(): void {
    const roots = this.roots();
    let state = removeWhere(this.state, (f) => !f.bundled && !roots.some((r) => isInside(f.file, r.dir)));
    for (const root of roots) state = this.readRoot(state, root);
    this.replaceState(state);
  }

  /** A watched-file event (a file or a folder created, changed or deleted). True when the corpus may have changed. */
  fileChanged(file: string, change: 'created' | 'changed' | 'deleted'): boolean {
    const affected = this.roots().filter((r) => isInside(file, r.dir) || isInside(r.dir, file));
    if (affected.length === 0) return false;
    // A known corpus file changed: read that file alone (a folder of a 100,000-entity corpus is ~50 MB to read).
    // Anything else (created, deleted, a folder, a sources.yaml with the texts it names) reads its folders again.
    const known = this.state.files.get(file);
    const root = affected.find((r) => isInside(file, r.dir));
    if (change === 'changed' && root && known && !known.bundled && known.kind === undefined && isYamlFile(file) &&
      !/^sources\.ya?ml$/i.test(path.basename(file))) {
      const r = readCorpusFile(root.dir, file);
      if (!('text' in r)) this.log(`overlay refused: ${file}: ${r.problem.message}`);
      this.replaceState('text' in r ? setDiskText(this.state, file, r.text, false) : setDiskProblems(this.state, file, [r.problem]));
      return true;
    }
    let state = this.state;
    for (const r of affected) state = this.readRoot(state, r);
    this.replaceState(state);
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
    if (root) state = this.readRoot(state, root);
    this.replaceState(state);
    return true;
  }

  private replaceState(state: OverlayState): void {
    this.state = state;
  }

  /** Read one root folder into the state: every file found is set, every file no longer there is removed. */
  private readRoot(state: OverlayState, root: OverlayRoot): OverlayState {
    let realRoot: string;
    try {
      realRoot = fs.realpathSync(root.dir);
    } catch {
      // No such folder (the usual case for `.jpmg/`): nothing from it is in force.
      return removeWhere(state, (f) => !f.bundled && f.editorText === undefined && isInside(f.file, root.dir));
    }
    const { inputs, problems } = readCorpusDir(root.dir, { bundled: false });
    // The reader names files by real path; the editor names them under the folder as opened.
    const asOpened = (file: string) => (isInside(file, realRoot) ? path.join(root.dir, path.relative(realRoot, file)) : file);
    const found = new Set<string>();
    for (const input of inputs) {
      const file = asOpened(input.file);
      found.add(file);
      state = setDiskText(state, file, input.text, false, input.kind);
    }
    for (const p of problems) {
      const file = asOpened(p.file);
      found.add(file);
      this.log(`overlay refused: ${file}: ${p.message}`);
      state = setDiskProblems(state, file, [{ ...p, file }]);
    }
    for (const f of [...state.files.values()]) {
      if (!f.bundled && isInside(f.file, root.dir) && !found.has(f.file)) state = removeDiskFile(state, f.file);
    }
    return state;
  }
}
