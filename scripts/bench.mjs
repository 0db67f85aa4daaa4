// `npm run bench [-- --quick] [-- --keep] [-- --only=group,...] [-- --no-build]`: the performance benchmark.
// The harness lives in bench/ (TypeScript, run through tsx); see bench/main.ts and docs/performance.md.
// Prints the JSON figures on stdout (progress on stderr) and writes bench-results/latest.json.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
