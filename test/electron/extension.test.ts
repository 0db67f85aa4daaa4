// Extension-host suite (@vscode/test-cli + @vscode/test-electron, mocha BDD): runs inside a desktop VS Code with
// this extension under development and examples/ open. Compiled by test/electron/run.mjs.
/// <reference types="mocha" />
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../server/src/protocol';

const EXTENSION_ID = 'jpmg-briefs.jpmg-briefs';

async function poll<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

describe('JPMG Briefs in the extension host', () => {
  let brief: vscode.TextDocument;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'examples/ is open');
    brief = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'jpmg-round-read-ahead.md'));
    await vscode.window.showTextDocument(brief);
  });

  it('activates on a Markdown brief and starts the language server', async () => {
    const extension = vscode.extensions.getExtension<{ ready: Promise<void>; state(): string }>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    const api = await poll('activation', async () => extension.isActive && extension.exports);
    await api.ready;
    assert.equal(api.state(), 'running');
  });

  it('registers its commands', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of Object.values(Commands)) assert.ok(all.has(id), `${id} is registered`);
  });

  it('answers a hover on a name with the entity card', async () => {
    const text = brief.getText();
    const offset = text.indexOf('Derek Chollet');
    assert.ok(offset >= 0);
    const position = brief.positionAt(offset + 3);
    const hover = await poll('a hover card', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', brief.uri, position);
      const value = hoverText(hovers ?? []);
      return value.includes('Derek Chollet') && value;
    });
    assert.match(hover, /Counselor/);
  });

  it('goes to the definition in the bundled corpus', async () => {
    const offset = brief.getText().indexOf('Derek Chollet');
    const position = brief.positionAt(offset + 3);
    const targets = await poll('a definition', async () => {
      const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
        'vscode.executeDefinitionProvider',
        brief.uri,
        position,
      );
      return found && found.length > 0 && found;
    });
    const first = targets[0]!;
    const uri = 'targetUri' in first ? first.targetUri : first.uri;
    assert.match(uri.path, /corpus\/people\.yaml$/);
  });
});
