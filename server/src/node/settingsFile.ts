// Finds and reads the workspace settings file `.jpmg/settings.json` for a brief: the nearest folder above the file
// that has a `.jpmg/` folder is its workspace root. The editor and `jpmg check` both use this, so both apply the
// same settings. (The corpus loader reads only `*.yaml` under `.jpmg/`, so this JSON file is never taken for corpus.)
import * as fs from 'node:fs';
import * as path from 'node:path';

export const WORKSPACE_DIR = '.jpmg';
export const SETTINGS_FILE_NAME = 'settings.json';
/** A settings file larger than this is not read (it would be a mistake, not settings). */
const MAX_SETTINGS_BYTES = 1024 * 1024;

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The nearest folder at or above `fileOrDir` holding a `.jpmg/` folder, or undefined. `stopAt` bounds the walk
 *  (e.g. the editor's workspace folder). */
export function findWorkspaceRoot(fileOrDir: string, stopAt?: string): string | undefined {
  let dir = path.resolve(fileOrDir);
  if (!isDirectory(dir)) dir = path.dirname(dir);
  const stop = stopAt ? path.resolve(stopAt) : undefined;
  for (let i = 0; i < 64; i++) {
    if (isDirectory(path.join(dir, WORKSPACE_DIR))) return dir;
    if (stop && dir === stop) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

export interface WorkspaceSettingsFile {
  /** The workspace root (folder holding `.jpmg/`), if any. */
  root?: string;
  /** Absolute path of the settings file, when it exists. */
  path?: string;
  /** Its text, when it could be read. */
  text?: string;
  /** Why it could not be read, if it exists but failed. */
  error?: string;
}

/** Reads a settings file at an explicit path (`jpmg check --config FILE`). */
export function readSettingsFile(file: string): WorkspaceSettingsFile {
  const p = path.resolve(file);
  try {
    const size = fs.statSync(p).size;
    if (size > MAX_SETTINGS_BYTES) return { path: p, error: `settings file is larger than ${MAX_SETTINGS_BYTES} bytes` };
    return { path: p, text: fs.readFileSync(p, 'utf8') };
  } catch (e) {
    return { path: p, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The workspace settings governing a file: `.jpmg/settings.json` in its nearest workspace root. */
export function findWorkspaceSettings(file: string, stopAt?: string): WorkspaceSettingsFile {
  const root = findWorkspaceRoot(file, stopAt);
  if (!root) return {};
  const p = path.join(root, WORKSPACE_DIR, SETTINGS_FILE_NAME);
  if (!fs.existsSync(p)) return { root };
  return { root, ...readSettingsFile(p) };
}

/** Convenience for the server's settings cache: the settings text for a file, or undefined. */
export function settingsFileTextFor(file: string, stopAt?: string): string | undefined {
  return findWorkspaceSettings(file, stopAt).text;
}
