// The JPMG language server: LSP over stdio (`node dist/server.js --stdio`, bin `jpmg-language-server`). This file
// only wires: it owns the connection, the open documents, settings and the workspace scan, and hands each request
// to the language service (core/service.ts) with one document snapshot. Every handler is wrapped so that a throw
// becomes an error response and the server keeps serving; cancellation is honoured before and after the work.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, ResponseError, LSPErrorCodes, ErrorCodes,
  FileChangeType, DidChangeWatchedFilesNotification, DidChangeConfigurationNotification,
  type CancellationToken, type InitializeParams, type InitializeResult, type Connection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  BriefEntitiesRequest, CorpusStatusNotification, EntityCardRequest, MeetingsRequest, SearchEntitiesRequest,
  TrustChangedNotification, type BriefEntitiesParams, type CorpusStatus, type EntityCardParams,
  type JpmgInitializationOptions, type JpmgSettings, type SearchEntitiesParams, type TrustChangedParams,
} from './protocol';
import { createLanguageService, type DocumentSnapshot, type LanguageService } from './core/service';
import { SEMANTIC_TOKENS_LEGEND } from './core/features/semanticTokens';
import { canonicalUri, fileUri, uriToPath } from './core/features/uri';
import { analyzeDocument, updateAnalysis } from './core/analysis/analyze';
import { loadCorpusSteps } from './core/corpus/index';
import type { Finding } from './core/checks/types';
import { addEntityFix, WORKSPACE_ENTITIES_FILE } from './core/features/addEntityFix';
import { bundledCorpusDir, readCorpusDir } from './node/corpusFiles';
import { WorkspaceCorpus, type BuildProgress } from './node/overlayFiles';
import { SettingsCache } from './node/settingsCache';
import { settingsFileTextFor } from './node/settingsFile';
import { WorkspaceScanner, isBriefFile, readBrief } from './node/workspaceScan';
import { runChecks } from './core/checks/index';

const DIAGNOSTICS_DELAY_MS = 150;
const CORPUS_RELOAD_DELAY_MS = 300;

const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const log = (message: string) => connection.console.log(message);

process.on('uncaughtException', (e) => logError('uncaught exception', e));
process.on('unhandledRejection', (e) => logError('unhandled rejection', e));

function logError(what: string, e: unknown): void {
  try {
    connection.console.error(`${what}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  } catch {
    // The connection itself is gone; nothing left to tell.
  }
}

// ---- state (set up in onInitialize) ----

let workspaceCorpus: WorkspaceCorpus;
let service: LanguageService;
let folders: string[] = [];
let canPullConfiguration = false;
let canRegisterWatchers = false;
let canRefreshTokens = false;
let canRegisterConfiguration = false;
let canWatchFolders = false;
const scanner = new WorkspaceScanner();
const settings = new SettingsCache({
  editorSettings: (uri) => canPullConfiguration
    ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'jpmg' })
    : Promise.resolve(undefined),
  settingsFileText: (uri) => readSettingsFile(uri),
  log,
});

/** The nearest `.jpmg/settings.json` above the resource, within its workspace folder (trusted workspaces only):
 *  the same file `jpmg check` reads for it. */
function readSettingsFile(uri: string): string | undefined {
  if (!workspaceCorpus?.isTrusted) return undefined;
  const file = uriToPath(uri);
  const folder = folderOf(uri);
  if (!file || !folder) return undefined;
  return settingsFileTextFor(file, folder);
}

function folderOf(uri: string): string | undefined {
  const file = uriToPath(uri);
  if (!file) return undefined;
  let best: string | undefined;
  for (const f of folders) {
    const rel = path.relative(f, file);
    if (!rel.startsWith('..') && !path.isAbsolute(rel) && (!best || f.length > best.length)) best = f;
  }
  return best;
}

// ---- snapshots and handler wrapping ----

function snapshot(uri: string): DocumentSnapshot | undefined {
  const doc = documents.get(uri);
  if (!doc) return undefined;
  return { uri: doc.uri, version: doc.version, text: doc.getText(), languageId: doc.languageId };
}

const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');

/** Wraps a request handler: cancellation checked before and after, a throw becomes an error response. */
// The core returns plain LSP-shaped objects (kinds as numbers), hence the untyped result at this boundary.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function handle<P, R>(name: string, fn: (params: P, token: CancellationToken) => R | Promise<R>): (params: P, token: CancellationToken) => Promise<any> {
  return async (params: P, token: CancellationToken) => {
    if (token?.isCancellationRequested) return cancelled();
    try {
      const result = await fn(params, token);
      if (token?.isCancellationRequested) return cancelled();
      return result;
    } catch (e) {
      logError(`${name} failed`, e);
      return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

/** Wraps a notification handler: a throw is logged, never fatal. */
function guard<P>(name: string, fn: (params: P) => void | Promise<void>) {
  return async (params: P): Promise<void> => {
    try {
      await fn(params);
    } catch (e) {
      logError(`${name} failed`, e);
    }
  };
}

/** The document and its settings, taken once at the start of a request. */
async function withDocument(uri: string): Promise<{ doc: DocumentSnapshot; settings: JpmgSettings } | undefined> {
  const doc = snapshot(uri);
  if (!doc) return undefined;
  return { doc, settings: await settings.get(uri) };
}

// ---- initialize ----

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  canPullConfiguration = !!caps.workspace?.configuration;
  canRegisterWatchers = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  canRefreshTokens = !!caps.workspace?.semanticTokens?.refreshSupport;
  canRegisterConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  canWatchFolders = !!caps.workspace?.workspaceFolders;
  const options = (params.initializationOptions ?? {}) as JpmgInitializationOptions;
  folders = workspaceFolderPaths(params);

  const corpusDir = bundledCorpusDir();
  const bundled = corpusDir ? readCorpusDir(corpusDir, { bundled: true }) : { inputs: [], problems: [] };
  workspaceCorpus = new WorkspaceCorpus({
    bundledInputs: bundled.inputs,
    loadSteps: function* (inputs) {
      const corpus = yield* loadCorpusSteps(inputs);
      return bundled.problems.length ? { ...corpus, problems: [...bundled.problems, ...corpus.problems] } : corpus;
    },
    prepare: (corpus) => service.warmSteps(corpus),
    trusted: options.trusted !== false,
    log,
  });
  service = createLanguageService({
    corpus: () => workspaceCorpus.inForce(),
    analyze: analyzeDocument,
    update: updateAnalysis,
    runChecks,
    isCorpusFile: (uri) => {
      const file = uriToPath(uri);
      return file !== undefined && workspaceCorpus.isCorpusFile(file);
    },
    extraFixes,
    log,
  });

  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      definitionProvider: true,
      completionProvider: { triggerCharacters: ['['], resolveProvider: true },
      referencesProvider: true,
      documentHighlightProvider: true,
      documentSymbolProvider: { label: 'JPMG entities' },
      workspaceSymbolProvider: true,
      semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true, range: true },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'jpmg-language-server', version: '0.1.0' },
  };
});

function workspaceFolderPaths(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  return uris.map((u) => uriToPath(u)).filter((p): p is string => p !== undefined).map((p) => path.resolve(p));
}

connection.onInitialized(guard('initialized', async () => {
  if (canRegisterWatchers) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.md' }, { globPattern: '**/.jpmg/**' }, { globPattern: '**/*.{yaml,yml}' }],
    });
  }
  if (canRegisterConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'jpmg' });
  }
  if (canWatchFolders) {
    try {
      connection.workspace.onDidChangeWorkspaceFolders(guard('workspaceFolders', (e) => {
        const removed = new Set(e.removed.map((f) => uriToPath(f.uri)).filter(Boolean).map((p) => path.resolve(p!)));
        const added = e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined).map((p) => path.resolve(p));
        folders = [...folders.filter((f) => !removed.has(f)), ...added];
        service.index.removeWhere((uri) => {
          const file = uriToPath(uri);
          return file !== undefined && [...removed].some((r) => !path.relative(r, file).startsWith('..'));
        });
        settings.clear();
        void applyCorpusPaths().then(() => {
          workspaceCorpus.setFolders(folders);
          corpusChanged();
        });
      }));
    } catch (e) {
      logError('workspace folders', e);
    }
  }
  await applyCorpusPaths();
  workspaceCorpus.setFolders(folders);
  // The bundled corpus answers at once; workspace corpus files are loaded and indexed between requests.
  const corpus = workspaceCorpus.inForce();
  sendCorpusStatus();
  log(`ready: ${corpus.entities.length} entities, ${folders.length} workspace folder(s)`);
  driveCorpusBuild();
  if (!workspaceCorpus.stale) void scanWorkspace(); // else once the workspace's corpus is in force
}));

/** `jpmg.corpus.paths` per folder (and the global value), for the workspace corpus. */
async function applyCorpusPaths(): Promise<boolean> {
  if (!canPullConfiguration) return false;
  let changed = false;
  for (const folder of ['', ...folders]) {
    try {
      const value = await connection.workspace.getConfiguration(folder ? { scopeUri: fileUri(folder), section: 'jpmg' } : { section: 'jpmg' });
      const paths = (value as Partial<JpmgSettings> | null)?.corpus?.paths;
      if (workspaceCorpus.setCorpusPaths(folder, Array.isArray(paths) ? paths : [])) changed = true;
    } catch (e) {
      logError('corpus paths', e);
    }
  }
  return changed;
}

function sendCorpusStatus(): void {
  const corpus = workspaceCorpus.inForce();
  const status: CorpusStatus = {
    entities: corpus.entities.length,
    problems: corpus.problems.length,
    overlayFiles: workspaceCorpus.overlayFileCountInForce(),
    trusted: workspaceCorpus.isTrusted,
    indexing: workspaceCorpus.busy,
  };
  void connection.sendNotification(CorpusStatusNotification, status);
}

/** Time a corpus build works before it lets pending messages through (see WorkspaceCorpus.step). */
const CORPUS_SLICE_MS = 15;
let corpusBuildScheduled = false;

/**
 * Build the current corpus files' corpus and its indexes in slices of a few milliseconds, separated by
 * `setImmediate` so that requests arriving meanwhile are answered (from the corpus in force until then). A
 * 100,000-entity overlay takes seconds to load and index; doing that in one go stopped the server for as long
 * after every save of an overlay file.
 */
function driveCorpusBuild(): void {
  if (corpusBuildScheduled) return;
  corpusBuildScheduled = true;
  const slice = () => {
    let progress: BuildProgress;
    try {
      progress = workspaceCorpus.step(CORPUS_SLICE_MS);
    } catch (e) {
      corpusBuildScheduled = false;
      logError('corpus build', e);
      return;
    }
    if (progress === 'swapped') corpusInForceChanged();
    if (progress === 'idle') {
      corpusBuildScheduled = false;
      sendCorpusStatus(); // indexing: false
    } else afterMessages(slice);
  };
  afterMessages(slice);
}

/**
 * Run `fn` after a few turns of the event loop. vscode-jsonrpc takes a message from the pipe to its handler in two
 * `setImmediate` hops (its read lock, then its message queue); a build slice queued right away would run before each
 * hop, and a hover would wait out three slices instead of one.
 */
function afterMessages(fn: () => void, turns = 3): void {
  setImmediate(() => (turns > 1 ? afterMessages(fn, turns - 1) : fn()));
}

// ---- workspace index ----

async function scanWorkspace(): Promise<void> {
  const result = await scanner.scan(folders, {
    index: (file, text) => {
      const uri = fileUri(file);
      if (!documents.get(uri)) service.indexFromDisk(uri, text);
    },
    log,
  });
  if (!result.cancelled) {
    log(`indexed ${result.files} briefs (${(result.bytes / 1e6).toFixed(1)} MB) in ${Math.round(result.ms)} ms` +
      (result.skipped ? `, ${result.skipped} skipped` : ''));
  }
  // Open briefs override their disk text.
  for (const doc of documents.all()) if (service.isBrief(doc)) indexOpen(doc.uri);
}

function indexOpen(uri: string): void {
  const doc = snapshot(uri);
  if (!doc || !service.isBrief(doc)) return;
  void settings.get(uri).then((s) => {
    const now = snapshot(uri);
    if (now && now.version === doc.version) service.indexOpen(now, s);
  }).catch((e) => logError('index', e));
}

connection.onDidChangeWatchedFiles(guard('watchedFiles', async (params) => {
  let corpusTouched = false;
  for (const change of params.changes) {
    const file = uriToPath(change.uri);
    if (!file) continue;
    if (/(^|[\\/])\.jpmg[\\/]settings\.json$/.test(file)) {
      settings.clear();
      schedulePublishAll();
      continue;
    }
    const kind = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Changed ? 'changed' : 'deleted';
    if (workspaceCorpus.fileChanged(file, kind)) corpusTouched = true;
    if (!isBriefFile(file)) continue;
    const uri = fileUri(file);
    if (!folderOf(uri)) continue;
    if (kind === 'deleted') {
      service.removeFromIndex(uri);
      continue;
    }
    if (documents.get(uri)) continue; // the editor's text wins
    const text = await readBrief(file);
    if (text === undefined) service.removeFromIndex(uri);
    else service.indexFromDisk(uri, text, await settings.get(uri));
  }
  if (corpusTouched) scheduleCorpusReload();
}));

// ---- documents ----

const diagnosticTimers = new Map<string, NodeJS.Timeout>();

/** Checks on a big brief cost more, so they wait for a longer pause in typing (150 ms, up to 1 s at 1.7 MB). */
function diagnosticsDelay(uri: string): number {
  const length = documents.get(uri)?.getText().length ?? 0;
  return DIAGNOSTICS_DELAY_MS + Math.min(850, Math.floor(length / 2000));
}

function schedulePublish(uri: string, delay = diagnosticsDelay(uri)): void {
  const prev = diagnosticTimers.get(uri);
  if (prev) clearTimeout(prev);
  diagnosticTimers.set(uri, setTimeout(() => {
    diagnosticTimers.delete(uri);
    void publish(uri).catch((e) => logError('diagnostics', e));
  }, delay));
}

function schedulePublishAll(): void {
  for (const doc of documents.all()) schedulePublish(doc.uri);
}

async function publish(uri: string): Promise<void> {
  const taken = await withDocument(uri);
  if (!taken) return;
  const { doc, settings: s } = taken;
  service.indexOpen(doc, s);
  const diagnostics = service.diagnostics(doc, s);
  if (snapshot(uri)?.version !== doc.version) return; // a newer change will publish
  await connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
}

function corpusDocumentChanged(uri: string): boolean {
  const doc = documents.get(uri);
  const file = uriToPath(uri);
  if (!doc || !file || !workspaceCorpus.isCorpusFile(file)) return false;
  return workspaceCorpus.setDocumentText(file, doc.getText());
}

documents.onDidOpen(guard('didOpen', (e) => {
  if (corpusDocumentChanged(e.document.uri)) scheduleCorpusReload();
  // Small briefs get their diagnostics at once; big ones after the usual pause, so first requests come first.
  schedulePublish(e.document.uri, e.document.getText().length < 100_000 ? 0 : undefined);
}));

documents.onDidChangeContent(guard('didChange', (e) => {
  if (corpusDocumentChanged(e.document.uri)) scheduleCorpusReload();
  schedulePublish(e.document.uri);
}));

documents.onDidClose(guard('didClose', async (e) => {
  const uri = e.document.uri;
  const timer = diagnosticTimers.get(uri);
  if (timer) clearTimeout(timer);
  diagnosticTimers.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
  const file = uriToPath(uri);
  if (file && workspaceCorpus.closeDocument(file)) scheduleCorpusReload();
  service.closed(uri);
  settings.delete(uri);
  // Back to the disk text (or out of the index when the brief was never saved).
  if (file && isBriefFile(file) && folderOf(uri)) {
    const text = await readBrief(file);
    if (text === undefined) service.index.remove(uri, { evenIfOpen: true });
    else service.indexFromDisk(uri, text, await settings.get(uri));
  } else service.index.remove(uri, { evenIfOpen: true });
}));

// ---- corpus reloads ----

let corpusTimer: NodeJS.Timeout | undefined;

function scheduleCorpusReload(): void {
  if (corpusTimer) clearTimeout(corpusTimer);
  corpusTimer = setTimeout(() => {
    corpusTimer = undefined;
    corpusChanged();
  }, CORPUS_RELOAD_DELAY_MS);
}

/** The corpus files may have changed: rebuild the corpus between requests (see driveCorpusBuild). */
function corpusChanged(): void {
  if (!workspaceCorpus.stale) return;
  sendCorpusStatus(); // indexing: true
  driveCorpusBuild();
}

/** A new corpus is in force: tell the client, refresh diagnostics and tokens, re-index briefs. */
function corpusInForceChanged(): void {
  try {
    sendCorpusStatus();
    schedulePublishAll();
    if (canRefreshTokens) void connection.languages.semanticTokens.refresh().catch(() => undefined);
    void scanWorkspace();
  } catch (e) {
    logError('corpus reload', e);
  }
}

connection.onDidChangeConfiguration(guard('didChangeConfiguration', async () => {
  settings.clear();
  if (await applyCorpusPaths()) corpusChanged();
  else {
    schedulePublishAll();
    if (canRefreshTokens) void connection.languages.semanticTokens.refresh().catch(() => undefined);
  }
}));

connection.onNotification(TrustChangedNotification, guard('trustChanged', (params: TrustChangedParams) => {
  if (workspaceCorpus.setTrusted(params?.trusted !== false)) {
    settings.clear();
    // Corpus files already open: their editor text counts from now on (it was ignored while untrusted).
    for (const doc of documents.all()) corpusDocumentChanged(doc.uri);
    // At once, not between requests: once trust is revoked, no answer may come from the workspace's corpus files.
    workspaceCorpus.corpus();
    corpusInForceChanged();
    driveCorpusBuild(); // its indexes
  }
}));

// ---- quick fixes beyond the checks' own ----

function extraFixes(uri: string, finding: Finding): { title: string; edit: unknown }[] {
  if (finding.code !== 'unknown-wikilink' || !workspaceCorpus.isTrusted) return [];
  const folder = folderOf(uri);
  const doc = documents.get(uri);
  if (!folder || !doc) return [];
  const raw = doc.getText().slice(finding.start, finding.end);
  const target = raw.replace(/^\[\[/, '').replace(/\]\]$/, '').split('|')[0]!.trim();
  const entitiesFile = path.join(folder, WORKSPACE_ENTITIES_FILE);
  const open = documents.get(fileUri(entitiesFile));
  let existingText: string | undefined = open?.getText();
  if (existingText === undefined) {
    try {
      existingText = fs.readFileSync(entitiesFile, 'utf8');
    } catch {
      existingText = undefined;
    }
  }
  const fix = addEntityFix({ target, folderUri: fileUri(folder), existingText, corpus: service.corpus() });
  return fix ? [{ title: fix.title, edit: fix.edit }] : [];
}

// ---- requests ----

connection.onHover(handle('hover', async (p, token) => {
  const t = await withDocument(p.textDocument.uri);
  return t ? service.hover(t.doc, p.position, t.settings, token) ?? null : null;
}));

connection.onDefinition(handle('definition', async (p, token) => {
  const t = await withDocument(p.textDocument.uri);
  return t ? service.definition(t.doc, p.position, t.settings, token) : null;
}));

connection.onCompletion(handle('completion', async (p, token) => {
  const t = await withDocument(p.textDocument.uri);
  return t ? service.completion(t.doc, p.position, p.context, t.settings, token) ?? null : null;
}));

connection.onCompletionResolve(handle('completionResolve', (item) => service.resolveCompletion(item)));

connection.onReferences(handle('references', async (p, token) => {
  const t = await withDocument(p.textDocument.uri);
  return t ? service.references(t.doc, p.position, p.context?.includeDeclaration ?? false, t.settings, token) : null;
}));

connection.onDocumentHighlight(handle('documentHighlight', async (p) => {
  const t = await withDocument(p.textDocument.uri);
  return t ? service.highlights(t.doc, p.position, t.settings) : null;
}));

connection.onDocumentSymbol(handle('documentSymbol', async (p) => {
  const t = await withDocument(p.textDocument.uri);
  return t ? service.documentSymbols(t.doc, t.settings) : null;
}));

connection.onWorkspaceSymbol(handle('workspaceSymbol', (p) => service.workspaceSymbols(p.query ?? '')));

connection.languages.semanticTokens.on(handle('semanticTokens', async (p) => {
  const t = await withDocument(p.textDocument.uri);
  return t ? service.semanticTokens(t.doc, undefined, t.settings) : { data: [] };
}));

connection.languages.semanticTokens.onRange(handle('semanticTokensRange', async (p) => {
  const t = await withDocument(p.textDocument.uri);
  return t ? service.semanticTokens(t.doc, p.range, t.settings) : { data: [] };
}));

connection.onCodeAction(handle('codeAction', async (p) => {
  const t = await withDocument(p.textDocument.uri);
  return t ? service.codeActions(t.doc, p.range, t.settings) : null;
}));

connection.onRequest(MeetingsRequest, handle('meetings', () => service.meetings()));

connection.onRequest(BriefEntitiesRequest, handle('briefEntities', async (p: BriefEntitiesParams) => {
  const t = await withDocument(p?.uri ?? '') ?? (await withDocument(canonicalUri(p?.uri ?? '')));
  return t ? service.briefEntities(t.doc, t.settings) : { entities: [] };
}));

connection.onRequest(EntityCardRequest, handle('entityCard', (p: EntityCardParams) => service.entityCard(String(p?.id ?? '')) ?? null));

connection.onRequest(SearchEntitiesRequest, handle('searchEntities', (p: SearchEntitiesParams) =>
  service.searchEntities({ query: String(p?.query ?? ''), limit: p?.limit })));

// Fault injection for the robustness tests only (never enabled in normal use).
if (process.env.JPMG_TEST_FAULTS === '1') {
  connection.onRequest('jpmg/test/throw', handle('test/throw', () => {
    throw new Error('injected fault');
  }));
  connection.onRequest('jpmg/test/throwAsync', () => {
    setTimeout(() => {
      throw new Error('injected timer fault');
    }, 0);
    return null;
  });
}

documents.listen(connection);
connection.listen();
