// `npm run package`: bundle (scripts/build.mjs), then `vsce package --no-dependencies` into
// jpmg-briefs-<version>.vsix at the project root. The .vscodeignore is an allowlist; this script also checks the
// packaged file list against it and the size budget, so a stray source file or node_modules fails the build.
// `--no-build` skips the bundling step (used when the caller has just built).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsixName = `${pkg.name}-${pkg.version}.vsix`;
const MAX_BYTES = 1024 * 1024;
/** What may ship (mirrors .vscodeignore). */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE(\.txt)?$/,
  /^dist\/(client|server|cli)\.js$/,
  /^corpus\//,
  /^syntaxes\/[^/]+\.json$/,
  /^images\/(icon\.png|activitybar\.svg)$/,
];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) {
    process.stdout.write(r.stdout ?? '');
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
  }
  return r.stdout;
}

const vsce = join(root, 'node_modules', '.bin', 'vsce');
// Without a repository URL vsce would refuse to rewrite README image links; they stay relative.
const packageFlags = ['--no-dependencies', ...(pkg.repository ? [] : ['--allow-missing-repository', '--no-rewrite-relative-links'])];

try {
  if (!process.argv.includes('--no-build')) run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
  for (const f of ['dist/client.js', 'dist/server.js', 'dist/cli.js']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: the build did not produce it`);
  }
  const files = run(vsce, ['ls', '--no-dependencies']).split('\n').map((l) => l.trim()).filter(Boolean);
  const stray = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
  if (stray.length) throw new Error(`files outside the allowlist would be packaged:\n  ${stray.join('\n  ')}`);
  for (const must of ['package.json', 'dist/client.js', 'dist/server.js', 'corpus/schema.json', 'syntaxes/jpmg-wikilinks.tmLanguage.json', 'images/icon.png']) {
    if (!files.includes(must)) throw new Error(`${must} would be missing from the package`);
  }
  process.stdout.write(run(vsce, ['package', ...packageFlags, '--out', join(root, vsixName)]));
  const size = statSync(join(root, vsixName)).size;
  console.log(`${vsixName}: ${files.length} files, ${(size / 1024).toFixed(0)} KB`);
  if (size > MAX_BYTES) throw new Error(`${vsixName} is ${size} bytes, over the ${MAX_BYTES}-byte budget`);
} catch (e) {
  console.error(`package: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
