// Ctx owns the language client's lifecycle and every disposable. Commands that talk to the server are registered
// per client (a restart disposes them with the old client and registers them again on the new one); views, the
// status bar and the restart command live as long as the extension.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
// Types only at the top: the language client library (~450 KB with its protocol and JSON-RPC) is loaded on the
// start path, so activation does not pay for evaluating it.
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import {
  CorpusStatusNotification,
  type CorpusStatus,
  type JpmgInitializationOptions,
  type ProtocolLocation,
} from '../../server/src/protocol';

export type ClientState = 'starting' | 'running' | 'stopped' | 'failed';

export class Ctx implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private clientSubscriptions: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly statusEmitter = new vscode.EventEmitter<void>();
  /** Fires when the corpus status or the client state changes (views and the status bar refresh on it). */
  readonly onDidChangeStatus = this.statusEmitter.event;
  private _corpusStatus: CorpusStatus | undefined;
  private _state: ClientState = 'stopped';
  private starting: Promise<void> | undefined;
  /** Bumped by stop(): a start still loading the client library when it was stopped does not go on. */
  private generation = 0;

  constructor(
    readonly extension: vscode.ExtensionContext,
    private readonly registerClientCommands: (ctx: Ctx) => vscode.Disposable[],
  ) {
    this.output = vscode.window.createOutputChannel('JPMG Language Server', { log: true });
    this.subscriptions.push(this.output, this.statusEmitter);
    // Workspace overlays are read only in trusted workspaces: when trust is granted, restart so the server reads them.
    this.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()));
  }

  get state(): ClientState {
    return this._state;
  }

  get corpusStatus(): CorpusStatus | undefined {
    return this._corpusStatus;
  }

  /** Keeps a disposable for the extension's whole lifetime. */
  own<T extends vscode.Disposable>(d: T): T {
    this.subscriptions.push(d);
    return d;
  }

  async start(): Promise<void> {
    if (this.starting) return this.starting;
    this.starting = this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const serverModule = this.extension.asAbsolutePath('dist/server.js');
    if (!existsSync(serverModule)) {
      this.setState('failed');
      this.output.appendLine(`The language server is missing at ${serverModule}; run "npm run build".`);
      return;
    }
    const generation = this.generation;
    // Registered before the library loads: they wait for the start through request().
    this.clientSubscriptions.push(...this.registerClientCommands(this));
    this.setState('starting');
    const { LanguageClient, State, TransportKind } = await import('vscode-languageclient/node');
    if (generation !== this.generation) return;
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.stdio },
      debug: {
        module: serverModule,
        transport: TransportKind.stdio,
        options: { execArgv: ['--nolazy', '--inspect=6012'] },
      },
    };
    const trusted = vscode.workspace.isTrusted;
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'markdown' },
        { scheme: 'untitled', language: 'markdown' },
        { scheme: 'file', language: 'yaml', pattern: '**/corpus/**' },
        { scheme: 'file', language: 'yaml', pattern: '**/.jpmg/**' },
      ],
      synchronize: {
        configurationSection: 'jpmg',
        fileEvents: [
          vscode.workspace.createFileSystemWatcher('**/.jpmg/**'),
          vscode.workspace.createFileSystemWatcher('**/*.md'),
        ],
      },
      initializationOptions: { trusted } satisfies JpmgInitializationOptions,
      outputChannel: this.output,
      traceOutputChannel: this.output,
      // Hover and completion Markdown comes from corpus text: never trusted, never raw HTML.
      markdown: { isTrusted: false, supportHtml: false },
    };
    const client = new LanguageClient('jpmg', 'JPMG Language Server', serverOptions, clientOptions);
    this.client = client;
    this.clientSubscriptions.push(
      client.onNotification(CorpusStatusNotification, (status: CorpusStatus) => {
        this._corpusStatus = status;
        this.statusEmitter.fire();
      }),
      client.onDidChangeState((e) => {
        if (client !== this.client) return;
        if (e.newState === State.Running) this.setState('running');
        else if (e.newState === State.Starting) this.setState('starting');
        else if (this._state !== 'failed') this.setState('stopped');
      }),
    );
    this.output.appendLine(`Starting ${serverModule} (workspace ${trusted ? 'trusted' : 'restricted'})`);
    try {
      await client.start();
      this.setState('running');
    } catch (e) {
      this.setState('failed');
      this.output.appendLine(`The language server failed to start: ${errorText(e)}`);
      void vscode.window
        .showErrorMessage('JPMG: the language server failed to start.', 'Show Output')
        .then((choice) => choice && this.output.show());
    }
  }

  async stop(): Promise<void> {
    this.generation++;
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientSubscriptions.splice(0)) d.dispose();
    this._corpusStatus = undefined;
    if (client) {
      try {
        if (client.needsStop()) await client.stop(5000);
      } catch (e) {
        this.output.appendLine(`Stopping the language server: ${errorText(e)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.setState('stopped');
  }

  async restart(): Promise<void> {
    if (this.starting) await this.starting;
    this.output.appendLine('Restarting the language server');
    await this.stop();
    await this.start();
  }

  /** Sends a custom request; undefined when the server is not running or the request failed (logged). */
  async request<R>(method: string, params: object, token?: vscode.CancellationToken): Promise<R | undefined> {
    if (this.starting) await this.starting;
    const client = this.client;
    if (!client || !client.isRunning()) return undefined;
    try {
      return token ? await client.sendRequest<R>(method, params, token) : await client.sendRequest<R>(method, params);
    } catch (e) {
      if (!token?.isCancellationRequested) this.output.appendLine(`${method} failed: ${errorText(e)}`);
      return undefined;
    }
  }

  private setState(state: ClientState): void {
    if (this._state === state) return;
    this._state = state;
    this.statusEmitter.fire();
  }

  dispose(): void {
    void this.stop();
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}

export function toRange(range: ProtocolLocation['range']): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toLocation(location: ProtocolLocation): vscode.Location {
  return new vscode.Location(vscode.Uri.parse(location.uri), toRange(location.range));
}

/** Opens a document and selects a range (a corpus entry, a quote in a source document, a mention in a brief). */
export async function openAt(location: ProtocolLocation, preview = true): Promise<vscode.TextEditor> {
  const target = toLocation(location);
  const editor = await vscode.window.showTextDocument(target.uri, { selection: target.range, preview });
  editor.revealRange(target.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
