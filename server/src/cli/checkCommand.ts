// `jpmg check [--format text|json|sarif] [--config FILE] PATHS…`: the editor's checks for CI. Same engine
// (runChecks), same settings (the nearest `.jpmg/settings.json` above each file, merged by resolveSettings), same
// corpus (bundled + the workspace's `.jpmg/**/*.yaml` overlays + `jpmg.corpus.paths`).
// Exit 1 when any finding is a warning or an error, 0 otherwise, 2 on a usage error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, createLineIndex } from '../core/analysis/analyze';
import { runChecks, RULE_DEFAULTS, RULE_DESCRIPTIONS } from '../core/checks/index';
import type { Finding } from '../core/checks/types';
import type { Corpus } from '../core/types';
import type { JpmgSettings } from '../protocol';
import { resolveSettings, type SettingsProblem } from '../core/settings';
import { bundledCorpusDir, loadCorpusDirs } from '../node/corpusFiles';
import { findWorkspaceSettings, readSettingsFile, WORKSPACE_DIR, type WorkspaceSettingsFile } from '../node/settingsFile';

const USAGE = `Usage: jpmg check [--format text|json|sarif] [--config FILE] PATHS…

Checks Markdown briefs against the corpus. PATHS are files or folders (folders: every **/*.md below them).
  --format text    file:line:col severity code message (default)
  --format json    [{ file, range, severity, code, message }] with 0-based LSP positions (UTF-16)
  --format sarif   SARIF 2.1.0
  --config FILE    settings file to use instead of the nearest .jpmg/settings.json
Exit status: 1 if any warning or error was found, 0 otherwise, 2 on a usage error.
`;

type Format = 'text' | 'json' | 'sarif';

export interface CheckedFile {
  file: string; // as displayed (relative to the working folder when inside it)
  absolute: string;
  text: string;
  findings: Finding[];
}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  cwd: string;
}

const defaultIo = (): Io => ({
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  cwd: process.cwd(),
});

export async function checkCommand(argv: string[], io: Io = defaultIo()): Promise<number> {
  let format: Format = 'text';
  let config: string | undefined;
  const paths: string[] = [];
  const usage = (message: string) => {
    io.err(`jpmg check: ${message}\n\n${USAGE}`);
    return 2;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      io.out(USAGE);
      return 0;
    }
    let value: string | undefined;
    let name = a;
    if (a.startsWith('--') && a.includes('=')) {
      name = a.slice(0, a.indexOf('='));
      value = a.slice(a.indexOf('=') + 1);
    }
    if (name === '--format' || name === '-f') {
      value ??= argv[++i];
      if (value !== 'text' && value !== 'json' && value !== 'sarif') return usage(`--format must be text, json or sarif (got ${value ?? 'nothing'})`);
      format = value;
    } else if (name === '--config') {
      value ??= argv[++i];
      if (!value) return usage('--config needs a file');
      config = value;
    } else if (a === '--') {
      paths.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') {
      return usage(`unknown option "${a}"`);
    } else {
      paths.push(a);
    }
  }
  if (paths.length === 0) return usage('no files or folders given');

  const files: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(io.cwd, p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      return usage(`no such file or folder: ${p}`);
    }
    if (stat.isDirectory()) files.push(...markdownFilesUnder(abs));
    else files.push(abs);
  }
  const unique = [...new Set(files)].sort();

  let explicit: WorkspaceSettingsFile | undefined;
  if (config !== undefined) {
    explicit = readSettingsFile(path.resolve(io.cwd, config));
    if (explicit.error) return usage(`cannot read --config ${config}: ${explicit.error}`);
  }

  const checked = checkFiles(unique, explicit, io);
  switch (format) {
    case 'json': io.out(`${JSON.stringify(toJson(checked), null, 2)}\n`); break;
    case 'sarif': io.out(`${JSON.stringify(toSarif(checked, io.cwd), null, 2)}\n`); break;
    default: io.out(toText(checked));
  }
  const failing = checked.some((c) => c.findings.some((f) => f.severity === 'warning' || f.severity === 'error'));
  return failing ? 1 : 0;
}

/** Every `*.md` below a folder, skipping dot-folders and node_modules; symbolic links are not followed. */
export function markdownFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 64) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.md')) out.push(p);
    }
  };
  walk(dir, 0);
  return out;
}

interface Workspace {
  settings: JpmgSettings;
  corpus: Corpus;
}

/** Runs the checks on each file with its workspace's settings and corpus (each workspace loaded once). */
export function checkFiles(files: readonly string[], explicit: WorkspaceSettingsFile | undefined, io: Io): CheckedFile[] {
  const workspaces = new Map<string, Workspace>();
  const bundled = bundledCorpusDir();
  const reported = new Set<string>();
  const workspaceFor = (file: string): Workspace => {
    const found = findWorkspaceSettings(file);
    const settingsFile = explicit ?? found;
    const key = `${found.root ?? ''}\u0000${settingsFile.path ?? ''}`;
    let ws = workspaces.get(key);
    if (ws) return ws;
    if (settingsFile.error && !reported.has(settingsFile.path!)) {
      reported.add(settingsFile.path!);
      io.err(`${displayPath(settingsFile.path!, io.cwd)}: cannot read settings: ${settingsFile.error}\n`);
    }
    const { settings, problems } = resolveSettings({ fileText: settingsFile.text });
    if (settingsFile.path && !reported.has(settingsFile.path)) {
      reported.add(settingsFile.path);
      for (const p of problems) io.err(settingsProblemLine(settingsFile.path, p, io.cwd));
    }
    const dirs: { dir: string; bundled: boolean }[] = bundled ? [{ dir: bundled, bundled: true }] : [];
    if (found.root) {
      const overlay = path.join(found.root, WORKSPACE_DIR);
      dirs.push({ dir: overlay, bundled: false });
      for (const extra of settings.corpus.paths) dirs.push({ dir: path.resolve(found.root, extra), bundled: false });
    }
    const corpus = loadCorpusDirs(dirs);
    const serious = corpus.problems.filter((p) => p.severity === 'error');
    if (serious.length > 0) {
      io.err(`jpmg check: the corpus${found.root ? ` for ${displayPath(found.root, io.cwd)}` : ''} has ${serious.length} error(s); run \`jpmg corpus validate\`\n`);
    }
    ws = { settings, corpus };
    workspaces.set(key, ws);
    return ws;
  };
  const out: CheckedFile[] = [];
  for (const absolute of files) {
    let text: string;
    try {
      text = fs.readFileSync(absolute, 'utf8');
    } catch (e) {
      io.err(`${displayPath(absolute, io.cwd)}: cannot read: ${e instanceof Error ? e.message : String(e)}\n`);
      continue;
    }
    const { settings, corpus } = workspaceFor(absolute);
    const analysis = analyzeDocument(text, 0, corpus, { plainText: settings.mentions.plainText });
    out.push({ file: displayPath(absolute, io.cwd), absolute, text, findings: runChecks(analysis, corpus, settings) });
  }
  return out;
}

function displayPath(absolute: string, cwd: string): string {
  const rel = path.relative(cwd, absolute);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : absolute;
}

function settingsProblemLine(file: string, p: SettingsProblem, cwd: string): string {
  return `${displayPath(file, cwd)}:${p.line + 1}:${p.column + 1}: settings: ${p.message}\n`;
}

function rangeOf(text: string, f: Finding) {
  const index = createLineIndex(text);
  return { start: index.positionAt(f.start), end: index.positionAt(f.end) };
}

/** `file:line:col severity code message`, 1-based line and column (UTF-16 units). */
export function toText(checked: readonly CheckedFile[]): string {
  const lines: string[] = [];
  for (const c of checked) {
    const index = createLineIndex(c.text);
    for (const f of c.findings) {
      const p = index.positionAt(f.start);
      lines.push(`${c.file}:${p.line + 1}:${p.character + 1} ${f.severity} ${f.code} ${f.message}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export function toJson(checked: readonly CheckedFile[]) {
  return checked.flatMap((c) =>
    c.findings.map((f) => ({ file: c.file, range: rangeOf(c.text, f), severity: f.severity, code: f.code, message: f.message })),
  );
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(checked: readonly CheckedFile[], cwd: string) {
  const ruleIds = Object.keys(RULE_DEFAULTS);
  const rules = ruleIds.map((id) => ({
    id,
    name: id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: RULE_DESCRIPTIONS[id] ?? id },
    defaultConfiguration: { level: SARIF_LEVEL[RULE_DEFAULTS[id]!] ?? 'warning' },
  }));
  const results = checked.flatMap((c) => {
    const index = createLineIndex(c.text);
    return c.findings.map((f) => {
      const s = index.positionAt(f.start);
      const e = index.positionAt(f.end);
      return {
        ruleId: f.code,
        ruleIndex: Math.max(0, ruleIds.indexOf(f.code)),
        level: SARIF_LEVEL[f.severity] ?? 'warning',
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: c.file.split(path.sep).join('/'), ...(path.isAbsolute(c.file) ? {} : { uriBaseId: 'SRCROOT' }) },
            region: { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 },
          },
        }],
        ...(f.fixes.length
          ? {
              fixes: f.fixes.map((fix) => ({
                description: { text: fix.title },
                artifactChanges: [{
                  artifactLocation: { uri: c.file.split(path.sep).join('/'), ...(path.isAbsolute(c.file) ? {} : { uriBaseId: 'SRCROOT' }) },
                  replacements: fix.edits.map((edit) => {
                    const a = index.positionAt(edit.start);
                    const b = index.positionAt(edit.end);
                    return {
                      deletedRegion: { startLine: a.line + 1, startColumn: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1 },
                      insertedContent: { text: edit.newText },
                    };
                  }),
                }],
              })),
            }
          : {}),
      };
    });
  });
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'jpmg', rules } },
      originalUriBaseIds: { SRCROOT: { uri: `file://${cwd.split(path.sep).join('/').replace(/\/?$/, '/')}` } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}
