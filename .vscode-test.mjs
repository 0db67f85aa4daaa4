// @vscode/test-cli configuration: the extension-host suite (test/electron/), for machines that can download a
// desktop VS Code. Run it with `node test/electron/run.mjs` (compiles the suite, then runs `vscode-test`); it
// reports itself skipped where no VS Code build can be had. The version matches engines.vscode (code-server 4.100).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'extension-host',
  files: '.vscode-test/out/**/*.test.js',
  version: process.env.VSCODE_TEST_VERSION || '1.100.0',
  workspaceFolder: './examples',
  extensionDevelopmentPath: '.',
  // Only this extension (as the development extension) and VS Code's built-ins.
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 60_000 },
});
