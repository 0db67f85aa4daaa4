// Wraps the @vscode/test-electron extension-host suite (test/electron/, run by test/electron/run.mjs): it passes or
// fails with that suite, and is marked skipped — saying so plainly — where no desktop VS Code can be downloaded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { projectRoot } from './support/workbench';

const SKIP_EXIT_CODE = 77;

it('extension-host suite (@vscode/test-electron)', { timeout: 900_000 }, (t) => {
  const r = spawnSync(process.execPath, [join(projectRoot, 'test', 'electron', 'run.mjs')], {
    cwd: projectRoot,
    encoding: 'utf8',
    timeout: 880_000,
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status === SKIP_EXIT_CODE) {
    const reason = /SKIPPED: .*/.exec(output)?.[0] ?? 'SKIPPED: could not download VS Code';
    console.log(reason);
    t.skip(reason);
    return;
  }
  assert.equal(r.status, 0, `the extension-host suite failed:\n${output.slice(-6000)}`);
});
