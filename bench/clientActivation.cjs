// Client activation, measured outside any editor: `node bench/clientActivation.cjs <root>` in a fresh process.
// Times `require('dist/client.js')` (the bundle's load and top-level code) plus `activate(context)` until it returns
// (the extension returns its API synchronously; the language client then starts asynchronously). Node's
// built-ins are loaded before the clock starts, as they are in VS Code's extension host.
//
// Stubbed, honestly: the `vscode` module (a recording no-op: every API call returns a disposable-like object,
// `version` is 1.100.0, the workspace is trusted), the ExtensionContext (subscriptions, asAbsolutePath, mementos),
// and `child_process.spawn/fork` as seen by the client bundle (they return nothing, so LanguageClient.start() runs
// its own code up to the spawn, after activation returned, and no server process is started). Everything else —
// bundle loading, Ctx, views, commands, status bar, LanguageClient construction — is the real code.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const root = process.argv[2] || path.join(__dirname, '..');
const clientPath = path.join(root, 'dist', 'client.js');
let calls = 0;

/** A deep stub: any property is another stub, calling or constructing one returns a stub, `then` is absent. */
function stub(name) {
  const props = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (props.has(prop)) return props.get(prop);
      if (prop === 'then') return undefined;
      if (prop === Symbol.iterator) return function* () {};
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === 'toString' || prop === 'toJSON') return () => `stub:${name}`;
      if (prop === 'dispose') return () => undefined;
      if (prop === 'prototype') return Object.prototype;
      if (typeof prop === 'symbol') return undefined;
      const child = stub(`${name}.${prop}`);
      props.set(prop, child);
      return child;
    },
    set(_t, prop, value) { props.set(prop, value); return true; },
    has() { return true; },
    apply() { calls++; return result(`${name}()`); },
    construct() { calls++; return stub(`new ${name}`); },
  });
}

// The module object must list its exports (esbuild's interop copies own keys): every top-level name that
// @types/vscode declares, each a deep stub.
/** What a stubbed call returns: a stub that is also an already-resolved thenable (showErrorMessage(...).then). */
function result(name) {
  const r = stub(name);
  r.then = (onFulfilled, onRejected) => Promise.resolve(undefined).then(onFulfilled, onRejected);
  return r;
}

const vscode = {};
const dts = require('node:fs').readFileSync(path.join(root, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
for (const m of dts.matchAll(/^\t?export (?:class|namespace|enum|const|function|let) (\w+)/gm)) vscode[m[1]] = stub(m[1]);
vscode.version = '1.100.0';
vscode.workspace.isTrusted = true;
vscode.workspace.workspaceFolders = [];
vscode.workspace.textDocuments = [];
vscode.workspace.getConfiguration = () => ({ get: (_k, d) => d, has: () => false, inspect: () => undefined, update: async () => undefined });
vscode.env.language = 'en';
vscode.env.appName = 'Visual Studio Code';

const STUB_ID = path.join(root, 'node_modules', 'vscode', '__bench_stub__.js');
const fakeChildProcess = { ...require('node:child_process'), spawn: () => undefined, fork: () => undefined };
const origResolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'vscode') return STUB_ID;
  return origResolve.call(this, request, parent, ...rest);
};
const stubModule = new Module(STUB_ID);
stubModule.filename = STUB_ID;
stubModule.loaded = true;
stubModule.exports = vscode;
require.cache[STUB_ID] = stubModule;
const origLoad = Module._load;
Module._load = function (request, parent, ...rest) {
  if ((request === 'child_process' || request === 'node:child_process') && parent && parent.filename === clientPath) return fakeChildProcess;
  return origLoad.call(this, request, parent, ...rest);
};

const memento = () => { const m = new Map(); return { get: (k, d) => (m.has(k) ? m.get(k) : d), update: async (k, v) => void m.set(k, v), keys: () => [...m.keys()], setKeysForSync() {} }; };
const context = {
  subscriptions: [],
  extensionPath: root,
  extensionUri: { fsPath: root, path: root, scheme: 'file', toString: () => `file://${root}` },
  asAbsolutePath: (p) => path.join(root, p),
  globalState: memento(),
  workspaceState: memento(),
  storageUri: undefined,
  globalStorageUri: { fsPath: '/tmp', path: '/tmp', scheme: 'file' },
  logUri: { fsPath: '/tmp', path: '/tmp', scheme: 'file' },
  extensionMode: 1,
  environmentVariableCollection: stub('envCollection'),
  secrets: stub('secrets'),
  extension: stub('extension'),
};

// The extension host has Node's built-ins loaded long before any extension activates; load them here too, so
// their one-time initialisation is not charged to the extension.
for (const m of ['child_process', 'net', 'crypto', 'fs', 'os', 'path', 'url', 'util', 'events', 'stream', 'readline', 'assert']) require(m);

const now = () => Number(process.hrtime.bigint()) / 1e6;
let out;
try {
  const c0 = process.cpuUsage();
  const t0 = now();
  const ext = require(clientPath);
  const t1 = now();
  const api = ext.activate(context);
  const t2 = now();
  const c = process.cpuUsage(c0);
  out = { requireMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0, cpuMs: (c.user + c.system) / 1000, returnedApi: !!api && typeof api.state === 'function',
    subscriptions: context.subscriptions.length, vscodeCalls: calls, bundleBytes: require('node:fs').statSync(clientPath).size };
} catch (e) {
  out = { skipped: `activation threw: ${String(e && e.stack || e).split('\n').slice(0, 3).join(' | ')}` };
}
process.stdout.write(JSON.stringify(out) + '\n');
setImmediate(() => process.exit(0));
