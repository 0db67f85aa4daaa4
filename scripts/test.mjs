// Runs the test tiers: unit (core on plain strings), protocol (dist/server.js over stdio), e2e (real VS Code).
// `node scripts/test.mjs [unit|protocol|e2e ...]` — no argument runs all three. Prints one closing line:
// "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tiers = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'protocol', 'e2e'];

function testFiles(dir) {
  const out = [];
  const walk = (d) => {
    let names;
    try { names = readdirSync(d); } catch { return; }
    for (const name of names.sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.test.ts')) out.push(p);
    }
  };
  walk(join(root, 'test', dir));
  return out;
}

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } });
  return r.status ?? 1;
}

if (tiers.some((t) => t !== 'unit')) {
  if (run('node', ['scripts/build.mjs']) !== 0) process.exit(1);
}

const totals = { pass: 0, fail: 0, skipped: 0 };
mkdirSync(join(root, 'test-results'), { recursive: true });
let failed = false;
for (const tier of tiers) {
  const files = testFiles(tier);
  if (files.length === 0) continue;
  const tap = join(root, 'test-results', `${tier}.tap`);
  console.log(`\n=== ${tier} tests (${files.length} files)`);
  const status = run('node', [
    '--import', 'tsx', '--test',
    `--test-concurrency=${tier === 'unit' ? 2 : 1}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  if (status !== 0) failed = true;
  const text = readFileSync(tap, 'utf8');
  for (const key of Object.keys(totals)) {
    const m = text.match(new RegExp(`^# ${key} (\\d+)$`, 'm'));
    if (m) totals[key] += Number(m[1]);
  }
}
console.log(`\ntests: ${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(failed || totals.fail > 0 ? 1 : 0);
