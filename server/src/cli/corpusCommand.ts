// `jpmg corpus [--json] [--dir DIR]` lists the entities; `jpmg corpus validate [DIR]` checks a corpus folder
// (the bundled corpus by default) and prints its problems as `file:line:col: severity code: message` (1-based).
import * as path from 'node:path';
import { bundledCorpusDir, loadCorpusDirs } from '../node/corpusFiles';
import type { Corpus, CorpusProblem, Entity } from '../core/types';

const USAGE = `Usage:
  jpmg corpus [--json] [--dir DIR]     list the entities (of DIR merged over the bundled corpus, if given)
  jpmg corpus validate [DIR]           check a corpus folder (default: the bundled corpus); exit 1 on problems
`;

export async function corpusCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (argv[0] === 'validate') return validate(argv.slice(1));
  let json = false;
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--dir') {
      dir = argv[++i];
      if (dir === undefined) return usageError('--dir needs a folder');
    } else if (a.startsWith('--dir=')) dir = a.slice('--dir='.length);
    else return usageError(`unknown argument "${a}"`);
  }
  const bundled = bundledCorpusDir();
  const dirs = [
    ...(bundled ? [{ dir: bundled, bundled: true }] : []),
    ...(dir !== undefined ? [{ dir: path.resolve(dir), bundled: false }] : []),
  ];
  const corpus = loadCorpusDirs(dirs);
  if (json) {
    process.stdout.write(`${JSON.stringify(corpus.entities.map(entityJson), null, 2)}\n`);
  } else {
    const rows = corpus.entities.map((e) => [e.id, e.kind, e.name]);
    const w0 = Math.max(2, ...rows.map((r) => r[0]!.length));
    const w1 = Math.max(4, ...rows.map((r) => r[1]!.length));
    const lines = [['id', 'kind', 'name'], ...rows].map((r) => `${r[0]!.padEnd(w0)}  ${r[1]!.padEnd(w1)}  ${r[2]}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  const serious = corpus.problems.filter((p) => p.severity !== 'information');
  if (serious.length) process.stderr.write(`jpmg: the corpus has ${serious.length} problem(s); run \`jpmg corpus validate\`\n`);
  return 0;
}

/** An entity for `--json`: id, kind, name, aliases as strings, summary, sources, then the kind's own fields. */
export function entityJson(e: Entity): Record<string, unknown> {
  const { id, kind, name, aliases, summary, sources, origin, ...rest } = e;
  return {
    id, kind, name,
    aliases: aliases.map((a) => a.text),
    summary,
    sources,
    ...rest,
    origin: { file: origin.file, line: origin.line + 1, column: origin.column + 1 },
  };
}

export function formatProblem(p: CorpusProblem, cwd = process.cwd()): string {
  const rel = path.isAbsolute(p.file) ? path.relative(cwd, p.file) || p.file : p.file;
  const file = rel.startsWith('..') && path.isAbsolute(p.file) ? p.file : rel;
  return `${file}:${p.line + 1}:${p.column + 1}: ${p.severity} ${p.code}: ${p.message}`;
}

async function validate(argv: string[]): Promise<number> {
  const positional = argv.filter((a) => !a.startsWith('--'));
  const unknown = argv.filter((a) => a.startsWith('--'));
  if (unknown.length) return usageError(`unknown option "${unknown[0]}"`);
  if (positional.length > 1) return usageError('validate takes one folder');
  const bundled = bundledCorpusDir();
  let corpus: Corpus;
  if (positional[0] !== undefined) {
    const dir = path.resolve(positional[0]);
    // A folder with its own sources/sources.yaml is a complete corpus; otherwise it is an overlay checked
    // against the bundled corpus (its references may name bundled entities).
    const complete = require('node:fs').existsSync(path.join(dir, 'sources', 'sources.yaml')) as boolean;
    corpus = loadCorpusDirs([
      ...(!complete && bundled ? [{ dir: bundled, bundled: true }] : []),
      { dir, bundled: complete },
    ]);
    if (!complete && bundled) {
      // Only the overlay's own problems are the user's to fix here.
      corpus = { ...corpus, problems: corpus.problems.filter((p) => !isInside(p.file, bundled)) };
    }
  } else if (bundled) {
    corpus = loadCorpusDirs([{ dir: bundled, bundled: true }]);
  } else {
    process.stderr.write('jpmg: bundled corpus not found\n');
    return 2;
  }
  for (const p of corpus.problems) process.stdout.write(`${formatProblem(p)}\n`);
  const serious = corpus.problems.filter((p) => p.severity === 'error' || p.severity === 'warning').length;
  const notes = corpus.problems.length - serious;
  process.stdout.write(`${corpus.entities.length} entities, ${serious} problems${notes ? ` (${notes} notes)` : ''}\n`);
  return serious > 0 ? 1 : 0;
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

function usageError(message: string): number {
  process.stderr.write(`jpmg corpus: ${message}\n${USAGE}`);
  return 2;
}
