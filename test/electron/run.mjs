// Runs the extension-host suite with @vscode/test-cli: compile test/electron/*.test.ts to .vscode-test/out/, make
// sure a desktop VS Code build can be had (downloaded into .vscode-test/), then `vscode-test`.
// Exit codes: 0 passed, 1 failed, 77 skipped (no VS Code build could be downloaded: said plainly on stdout).
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { downloadAndUnzipVSCode } from '@vscode/test-electron';

export const SKIP_EXIT_CODE = 77;
const root = fileURLToPath(new URL('../..', import.meta.url));
const version = process.env.VSCODE_TEST_VERSION || '1.100.0';
const outDir = join(root, '.vscode-test', 'out');

const suites = readdirSync(join(root, 'test', 'electron')).filter((f) => f.endsWith('.test.ts'));
rmSync(outDir, { recursive: true, force: true });
await build({
  entryPoints: suites.map((f) => join(root, 'test', 'electron', f)),
  outdir: outDir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});

try {
  // An idle timeout: on a machine without access to update.code.visualstudio.com this fails quickly.
  await downloadAndUnzipVSCode({ version, cachePath: join(root, '.vscode-test'), timeout: 30_000 });
} catch (e) {
  console.log(`SKIPPED: could not download VS Code ${version} (${e instanceof Error ? e.message : e})`);
  process.exit(SKIP_EXIT_CODE);
}

// Electron needs a display on Linux: use xvfb-run when there is none and it is installed.
const cli = join(root, 'node_modules', '@vscode', 'test-cli', 'out', 'bin.mjs');
const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY;
const hasXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).status === 0;
const [cmd, args] = needsDisplay && hasXvfb
  ? ['xvfb-run', ['-a', process.execPath, cli, '--config', join(root, '.vscode-test.mjs')]]
  : [process.execPath, [cli, '--config', join(root, '.vscode-test.mjs')]];
const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
