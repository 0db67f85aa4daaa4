// Install and launch code-server (VS Code's server + web workbench, from npm) for `npm start` and the e2e tests.
// Recipe: ../shared/notes/real-vscode-e2e.md. code-server 4.100.3 is VS Code 1.100, the last line on Node 20.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const codeServerHome = join(projectRoot, '.cache', 'code-server');
const entryJs = join(codeServerHome, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Path of the Chromium the tests drive, or undefined when it is not installed. */
export function findChromium() {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p;
  }
  return undefined;
}

/** The code-server entry script when installed in the project's cache, else undefined. */
export function findCodeServer() {
  return existsSync(entryJs) ? entryJs : undefined;
}

function commandPath(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Installs code-server into `.cache/code-server` (ignored by git; ~300 MB, not a project dependency).
 * Its postinstall fetches ripgrep from GitHub; we prime that download cache with Debian's `rg` so it works offline.
 */
export function installCodeServer(log = console.log) {
  if (findCodeServer()) return entryJs;
  const rg = commandPath('rg');
  if (!rg) throw new Error('ripgrep (rg) is missing: apt-get install -y ripgrep');
  const cache = '/tmp/vscode-ripgrep-cache-1.15.11';
  const tarball = join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (!existsSync(tarball)) {
    mkdirSync(cache, { recursive: true });
    const t = spawnSync('tar', ['czf', tarball, '-C', dirname(rg), 'rg'], { stdio: 'inherit' });
    if (t.status !== 0) throw new Error('could not prime the ripgrep download cache');
  }
  mkdirSync(codeServerHome, { recursive: true });
  const pkg = join(codeServerHome, 'package.json');
  if (!existsSync(pkg)) writeFileSync(pkg, JSON.stringify({ name: 'code-server-cache', private: true }, null, 2));
  log(`installing code-server@${CODE_SERVER_VERSION} into ${codeServerHome} (about a minute)…`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: codeServerHome,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true' },
  });
  if (r.status !== 0 || !findCodeServer()) {
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed:\n${(r.stdout ?? '') + (r.stderr ?? '')}`.slice(0, 4000));
  }
  return entryJs;
}

/** Prepares a fresh profile: extensions dir and user-data dir with quiet workbench settings. */
export function prepareProfile(baseDir, extraSettings = {}) {
  const extensionsDir = join(baseDir, 'extensions');
  const userDataDir = join(baseDir, 'user-data');
  // code-server's own config (not ~/.config/code-server): auth and binding come from the command line.
  const configFile = join(baseDir, 'code-server.yaml');
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    ...extraSettings,
  };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  return { extensionsDir, userDataDir, configFile };
}

/** `code-server --install-extension X.vsix` (a bare folder copied into the extensions dir is ignored). */
export function installExtension(codeServer, vsix, profile) {
  const r = spawnSync(
    process.execPath,
    [codeServer, '--config', profile.configFile, '--extensions-dir', profile.extensionsDir, '--user-data-dir', profile.userDataDir, '--install-extension', vsix, '--force'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`installing ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * Starts code-server on 127.0.0.1 in its own process group; `stop()` ends that group (and only it).
 * Returns the workbench URL for `workspace`.
 */
export async function startCodeServer(codeServer, profile, workspace, { port, log, inheritOutput = false } = {}) {
  const chosenPort = port ?? (await freePort());
  const args = [
    codeServer,
    '--config', profile.configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${chosenPort}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--extensions-dir', profile.extensionsDir,
    '--user-data-dir', profile.userDataDir,
    workspace,
  ];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: inheritOutput ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  if (!inheritOutput) {
    child.stdout?.on('data', (d) => { output += d; if (log) log(String(d).trimEnd()); });
    child.stderr?.on('data', (d) => { output += d; if (log) log(String(d).trimEnd()); });
  }
  const base = `http://127.0.0.1:${chosenPort}`;
  const stop = () => {
    if (child.exitCode === null && child.pid) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    }
  };
  try {
    await waitForHttp(`${base}/healthz`, child, 60_000);
  } catch (e) {
    stop();
    throw new Error(`${e instanceof Error ? e.message : e}\n${output}`);
  }
  return {
    port: chosenPort,
    url: `${base}/?folder=${encodeURIComponent(workspace)}`,
    child,
    output: () => output,
    stop,
    exited: new Promise((resolve) => child.once('exit', resolve)),
  };
}
