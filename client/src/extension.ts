// Entry point: wires the Ctx (language client lifecycle), the views, the status bar and the commands.
import type * as vscode from 'vscode';
import { registerCardDocuments, registerClientCommands, registerLifetimeCommands } from './commands';
import { Ctx } from './ctx';
import { createStatusBar } from './statusBar';
import { createBriefView } from './views/briefTree';
import { createMeetingsView } from './views/meetingsTree';

let ctx: Ctx | undefined;

/** What the extension returns to other extensions and to the extension-host tests. */
export interface JpmgApi {
  /** Resolves once the language server has started (or failed to). */
  ready: Promise<void>;
  state(): string;
}

export function activate(context: vscode.ExtensionContext): JpmgApi {
  const owner = new Ctx(context, registerClientCommands);
  ctx = owner;
  context.subscriptions.push(owner);
  const meetings = createMeetingsView(owner);
  const brief = createBriefView(owner);
  registerCardDocuments(owner);
  registerLifetimeCommands(owner, () => {
    meetings.provider.refresh();
    brief.refresh();
  });
  createStatusBar(owner);
  const ready = owner.start();
  return { ready, state: () => owner.state };
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
