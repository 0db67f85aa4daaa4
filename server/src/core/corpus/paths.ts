// Pure path arithmetic for source files named in sources.yaml (no fs: the Node layer reads, the core decides).
// A source file name must stay inside the folder of its sources.yaml: no absolute paths, no `..`, no drive letters.

/** The folder part of a path written with `/` or `\` separators (keeps the separator style of the input). */
export function dirnameOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? '' : file.slice(0, i);
}

export function basenameOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return file.slice(i + 1);
}

/** A comparable key for a path: `\` as `/`, no `./` segments, no doubled separators. */
export function pathKey(file: string): string {
  const parts = file.replace(/\\/g, '/').split('/');
  const out: string[] = [];
  parts.forEach((p, i) => {
    if (p === '.' || (p === '' && i > 0)) return;
    out.push(p);
  });
  return out.join('/');
}

/**
 * Resolve `name` (from sources.yaml) against the folder holding sources.yaml. Returns undefined when the name
 * would leave that folder or is not a plain relative path.
 */
export function resolveInside(folder: string, name: string): string | undefined {
  if (name.length === 0 || name.length > 1000) return undefined;
  if (/^[\\/]/.test(name) || /^[A-Za-z]:/.test(name) || name.includes('\0')) return undefined;
  const segments = name.split(/[\\/]/);
  if (segments.some((s) => s === '..')) return undefined;
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  const clean = segments.filter((s) => s !== '' && s !== '.');
  if (clean.length === 0) return undefined;
  return folder === '' ? clean.join(sep) : folder + sep + clean.join(sep);
}
