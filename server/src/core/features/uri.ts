// File paths ↔ `file:` URIs, written the way VS Code writes them (vscode-uri): unreserved characters and `/` kept,
// everything else percent-encoded, a Windows drive letter lower-cased with its colon encoded. Pure (no `node:url`),
// so the core stays free of Node built-ins; the same function names every file the server reports, so URIs from
// the disk scan and from the editor compare equal after `canonicalUri`.

const UNRESERVED = /[A-Za-z0-9\-._~/]/;

function encodePath(path: string): string {
  let out = '';
  for (const ch of path) out += UNRESERVED.test(ch) ? ch : encodeURIComponent(ch);
  return out;
}

/** Absolute path (POSIX or Windows) → `file:` URI. */
export function fileUri(path: string): string {
  let p = path.replace(/\\/g, '/');
  const drive = /^([A-Za-z]):(\/|$)/.exec(p);
  if (drive) p = `/${drive[1]!.toLowerCase()}:${p.slice(2)}`;
  else if (p.startsWith('//')) {
    // UNC path: //server/share/x → file://server/share/x
    const slash = p.indexOf('/', 2);
    const host = slash < 0 ? p.slice(2) : p.slice(2, slash);
    return `file://${host}${encodePath(slash < 0 ? '/' : p.slice(slash))}`;
  }
  if (!p.startsWith('/')) p = `/${p}`;
  return `file://${encodePath(p).replace(/^\/([a-z])%3A/i, (_, d: string) => `/${d}%3A`)}`;
}

/** `file:` URI → path (forward slashes; `c:/x` for Windows drives). Undefined for other schemes. */
export function uriToPath(uri: string): string | undefined {
  const m = /^file:\/\/([^/]*)(\/.*)?$/i.exec(uri);
  if (!m) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(m[2] ?? '/');
  } catch {
    return undefined;
  }
  if (m[1]) return `//${m[1]}${path}`;
  if (/^\/[A-Za-z]:/.test(path)) return path.slice(1);
  return path;
}

/** One spelling per file: re-encodes a `file:` URI the way `fileUri` does (other schemes unchanged). */
export function canonicalUri(uri: string): string {
  const path = uriToPath(uri);
  if (path === undefined) return uri;
  return fileUri(path);
}
