// `npm start`: build, package the .vsix, and open examples/ in a real VS Code with the extension installed.
// Desktop VS Code when `code` is on PATH; otherwise code-server 4.100.3 (VS Code 1.100 in the browser), installed
// into .cache/code-server on first use, served on 127.0.0.1 until Ctrl+C.
// Options: --port N (code-server port; default a free one), --code-server (skip desktop `code` even if present).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  installCodeServer,
  installExtension,
  prepareProfile,
  projectRoot,
  startCodeServer,
} from './e2e/codeServer.mjs';

const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
const vsix = join(projectRoot, `${pkg.name}-${pkg.version}.vsix`);
const examples = join(projectRoot, 'examples');
const args = process.argv.slice(2);
const portArg = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : undefined;

function step(title) {
  console.log(`\n▶ ${title}`);
}

function onPath(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

step('Building and packaging');
const packaged = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'package.mjs')], { stdio: 'inherit' });
if (packaged.status !== 0) process.exit(packaged.status ?? 1);

if (onPath('code') && !args.includes('--code-server')) {
  step('Installing into VS Code (desktop)');
  const installed = spawnSync('code', ['--install-extension', vsix, '--force'], { stdio: 'inherit' });
  if (installed.status !== 0) process.exit(installed.status ?? 1);
  step(`Opening ${examples}`);
  spawn('code', [examples], { stdio: 'inherit', detached: true }).unref();
  process.exit(0);
}

step('No desktop `code` on PATH: using code-server (VS Code in the browser)');
let codeServer;
try {
  codeServer = installCodeServer();
} catch (e) {
  console.error(`Could not install code-server: ${e instanceof Error ? e.message : e}`);
  console.error('It needs the npm registry and, on Debian/Ubuntu: apt-get install -y libkrb5-dev ripgrep');
  process.exit(1);
}
const profile = prepareProfile(join(projectRoot, '.cache', 'start-profile'));
installExtension(codeServer, vsix, profile);
const server = await startCodeServer(codeServer, profile, examples, { port: portArg });
console.log(`\nVS Code (code-server) with JPMG Briefs is running. Open this address in a browser:\n\n    ${server.url}\n`);
console.log('Press Ctrl+C to stop.');

const shutdown = () => {
  server.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
const code = await server.exited;
console.error(`code-server exited (${code}).\n${server.output().slice(-2000)}`);
process.exit(1);
