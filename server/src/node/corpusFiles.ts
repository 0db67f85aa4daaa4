// Node side of the corpus: finding the bundled corpus folder and reading corpus folders into loader inputs.
// The only place corpus files touch the file system; everything it reads goes through loadCorpus (pure core).
//
// Confinement: a folder is walked without following symbolic links out of it (a link whose real path leaves the
// folder is skipped with a problem), and source texts are read only for the names sources.yaml gives, which must
// resolve inside the sources folder (the core refuses "../" and absolute names; here the real path is checked too).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { emptyCorpus, loadCorpus, type CorpusInput, type LoadOptions } from '../core/corpus/index';
import { convertSourcesFile } from '../core/corpus/convert';
import { DEFAULT_YAML_LIMITS, parseYamlText } from '../core/corpus/yamlDoc';
import type { Corpus, CorpusProblem } from '../core/types';

/** Folder holding the bundled corpus (the one with sources/sources.yaml), found walking up from this file. */
export function bundledCorpusDir(start: string = __dirname): string | undefined {
  let dir = path.resolve(start);
  for (let i = 0; i < 12; i++) {
    const candidate = path.join(dir, 'corpus');
    if (fs.existsSync(path.join(candidate, 'sources', 'sources.yaml'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

export interface ReadResult {
  inputs: CorpusInput[];
  /** Problems met while reading (unreadable files, files too large, links leaving the folder). */
  problems: CorpusProblem[];
}

const MAX_FILES = 10_000;

/**
 * Read a corpus folder: every `*.yaml`/`*.yml` below it (not `settings.json`, not dot-folders such as `.git`),
 * except that under a `sources/` folder only `sources.yaml` is corpus, plus the source texts it names.
 */
export function readCorpusDir(dir: string, opts: { bundled: boolean; maxFileChars?: number }): ReadResult {
  const inputs: CorpusInput[] = [];
  const problems: CorpusProblem[] = [];
  const maxChars = opts.maxFileChars ?? DEFAULT_YAML_LIMITS.maxFileChars;
  const problem = (file: string, code: string, message: string) =>
    problems.push({ file, line: 0, column: 0, endLine: 0, endColumn: 0, severity: 'error', code, message });
  let root: string;
  try {
    root = fs.realpathSync(dir);
  } catch {
    problem(dir, 'unreadable', `Corpus folder not found: ${dir}`);
    return { inputs, problems };
  }
  const inside = (real: string) => real === root || real.startsWith(root + path.sep);

  const readText = (file: string): string | undefined => {
    const r = readConfined(file, inside, maxChars);
    if (typeof r === 'string') return r;
    problem(file, r.code, r.message);
    return undefined;
  };

  const yamlFiles: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 32 || yamlFiles.length >= MAX_FILES) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const real = fs.realpathSync(p);
          if (!inside(real)) {
            problem(p, 'bad-source-path', 'This link points outside the corpus folder and is not read.');
            continue;
          }
          const st = fs.statSync(real);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue;
        }
      }
      if (isDir) {
        walk(p, depth + 1);
      } else if (isFile && /\.ya?ml$/i.test(e.name)) {
        const inSources = path.basename(d).toLowerCase() === 'sources';
        if (inSources && !/^sources\.ya?ml$/i.test(e.name)) continue;
        yamlFiles.push(p);
      }
    }
  };
  walk(root, 0);

  for (const file of yamlFiles) {
    const text = readText(file);
    if (text === undefined) continue;
    inputs.push({ file, text, bundled: opts.bundled });
    if (/^sources\.ya?ml$/i.test(path.basename(file))) {
      for (const name of sourceFileNames(file, text, maxChars)) {
        if (path.isAbsolute(name) || name.split(/[\\/]/).includes('..')) continue; // the core reports it
        const full = path.join(path.dirname(file), name);
        if (!fs.existsSync(full)) continue; // the core reports a missing source
        const t = readText(full);
        if (t !== undefined) inputs.push({ file: full, text: t, bundled: opts.bundled, kind: 'source-text' });
      }
    }
  }
  return { inputs, problems };
}

/** A file's text, if its real path is inside the folder and its size within the cap; else why not. */
function readConfined(file: string, inside: (real: string) => boolean, maxChars: number): string | { code: string; message: string } {
  try {
    const real = fs.realpathSync(file);
    if (!inside(real)) return { code: 'bad-source-path', message: 'This file links outside the corpus folder and is not read.' };
    const size = fs.statSync(real).size;
    // UTF-8 needs at least one byte per UTF-16 unit, so a byte count under the cap is safe to read.
    if (size > maxChars * 3) return { code: 'file-too-large', message: `File is too large for a corpus file (${size} bytes).` };
    return fs.readFileSync(real, 'utf8');
  } catch (e) {
    return { code: 'unreadable', message: `Could not read the file: ${(e as Error).message}` };
  }
}

/**
 * One corpus file of a folder, read as readCorpusDir reads it (confined to the folder, size-capped): its text, or the
 * problem that stopped it. For a change to one file of a large folder, which need not be read again whole.
 */
export function readCorpusFile(dir: string, file: string, opts: { maxFileChars?: number } = {}): { text: string } | { problem: CorpusProblem } {
  const maxChars = opts.maxFileChars ?? DEFAULT_YAML_LIMITS.maxFileChars;
  let root: string;
  try {
    root = fs.realpathSync(dir);
  } catch {
    return { problem: { file, line: 0, column: 0, endLine: 0, endColumn: 0, severity: 'error', code: 'unreadable', message: `Corpus folder not found: ${dir}` } };
  }
  const r = readConfined(file, (real) => real === root || real.startsWith(root + path.sep), maxChars);
  return typeof r === 'string' ? { text: r }
    : { problem: { file, line: 0, column: 0, endLine: 0, endColumn: 0, severity: 'error', code: r.code, message: r.message } };
}

/** The `file:` names of a sources.yaml, read with the core's own parser (its problems are reported by the loader). */
function sourceFileNames(file: string, text: string, maxFileChars: number): string[] {
  const doc = parseYamlText(file, text, { ...DEFAULT_YAML_LIMITS, maxFileChars });
  return doc.value === undefined ? [] : convertSourcesFile(doc).sources.map((s) => s.file);
}

let bundledCache: Corpus | undefined;

/** The bundled corpus, loaded once per process. A missing corpus folder gives an empty corpus with a problem. */
export function loadBundledCorpus(options?: LoadOptions): Corpus {
  if (bundledCache && !options) return bundledCache;
  const dir = bundledCorpusDir();
  if (!dir) {
    return emptyCorpus([{ file: __dirname, line: 0, column: 0, severity: 'error', code: 'unreadable',
      message: 'Bundled corpus not found (no corpus/sources/sources.yaml above the extension).' }]);
  }
  const corpus = loadCorpusDirs([{ dir, bundled: true }], options);
  if (!options) bundledCache = corpus;
  return corpus;
}

/** Read and load several corpus folders at once (bundled first, then overlays), with reading problems included. */
export function loadCorpusDirs(dirs: readonly { dir: string; bundled: boolean }[], options?: LoadOptions): Corpus {
  const inputs: CorpusInput[] = [];
  const readProblems: CorpusProblem[] = [];
  for (const d of dirs) {
    const r = readCorpusDir(d.dir, { bundled: d.bundled, maxFileChars: options?.maxFileChars });
    inputs.push(...r.inputs);
    readProblems.push(...r.problems);
  }
  const corpus = loadCorpus(inputs, options);
  return readProblems.length ? { ...corpus, problems: [...readProblems, ...corpus.problems] } : corpus;
}
