// The "In this brief" view: the entities the active Markdown brief mentions, with counts; clicking one reveals its
// first mention. It follows the active editor and the brief's edits (debounced), and the corpus status.
import * as vscode from 'vscode';
import { BriefEntitiesRequest, type BriefEntitiesResult, type BriefEntity } from '../../../server/src/protocol';
import { toLocation, type Ctx } from '../ctx';
import { kindIcon } from './icons';

export interface BriefEntityNode {
  uri: string;
  brief: BriefEntity;
}

const REFRESH_DELAY_MS = 300;
const EDIT_REFRESH_DELAY_MS = 800;

export class BriefEntitiesProvider implements vscode.TreeDataProvider<BriefEntityNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** The brief shown: the active Markdown editor's document, kept while focus is in a view or a non-Markdown editor. */
  private document: vscode.TextDocument | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  view: vscode.TreeView<BriefEntityNode> | undefined;

  constructor(private readonly ctx: Ctx) {
    this.document = briefOf(vscode.window.activeTextEditor);
  }

  followEditor(editor: vscode.TextEditor | undefined): void {
    const doc = briefOf(editor);
    if (!doc || doc === this.document) return;
    this.document = doc;
    this.scheduleRefresh(REFRESH_DELAY_MS);
  }

  onEdit(e: vscode.TextDocumentChangeEvent): void {
    if (e.document === this.document && e.contentChanges.length > 0) this.scheduleRefresh(EDIT_REFRESH_DELAY_MS);
  }

  onClose(doc: vscode.TextDocument): void {
    if (doc !== this.document) return;
    this.document = briefOf(vscode.window.activeTextEditor);
    this.scheduleRefresh(REFRESH_DELAY_MS);
  }

  scheduleRefresh(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, delay);
  }

  refresh(): void {
    this.changeEmitter.fire();
  }

  async getChildren(node?: BriefEntityNode): Promise<BriefEntityNode[]> {
    if (node) return [];
    const doc = this.document;
    if (this.view) this.view.description = doc ? shortName(doc.uri) : undefined;
    if (!doc) return [];
    const uri = doc.uri.toString();
    const result = await this.ctx.request<BriefEntitiesResult>(BriefEntitiesRequest, { uri });
    const entities = result?.entities ?? [];
    if (this.view) {
      const total = entities.reduce((n, e) => n + e.count, 0);
      this.view.message = entities.length
        ? `${entities.length} ${entities.length === 1 ? 'entity' : 'entities'}, ${total} ${total === 1 ? 'mention' : 'mentions'}`
        : undefined;
    }
    return entities.map((brief) => ({ uri, brief }));
  }

  getTreeItem(node: BriefEntityNode): vscode.TreeItem {
    const { entity, count, first } = node.brief;
    const item = new vscode.TreeItem(entity.name, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.uri}#${entity.id}`;
    item.description = `${count}× · ${entity.kind}`;
    item.tooltip = [entity.name, entity.detail, `${count} ${count === 1 ? 'mention' : 'mentions'} in this brief`]
      .filter(Boolean)
      .join('\n');
    item.iconPath = kindIcon(entity.kind);
    item.contextValue = 'briefEntity';
    const location = toLocation(first);
    item.command = {
      command: 'vscode.open',
      title: 'Reveal First Mention',
      arguments: [location.uri, { selection: location.range, preview: false } satisfies vscode.TextDocumentShowOptions],
    };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changeEmitter.dispose();
  }
}

function briefOf(editor: vscode.TextEditor | undefined): vscode.TextDocument | undefined {
  const doc = editor?.document;
  return doc && doc.languageId === 'markdown' && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled')
    ? doc
    : undefined;
}

function shortName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

export function createBriefView(ctx: Ctx): BriefEntitiesProvider {
  const provider = ctx.own(new BriefEntitiesProvider(ctx));
  provider.view = ctx.own(vscode.window.createTreeView('jpmg.briefEntities', { treeDataProvider: provider }));
  ctx.own(vscode.window.onDidChangeActiveTextEditor((e) => provider.followEditor(e)));
  ctx.own(vscode.workspace.onDidChangeTextDocument((e) => provider.onEdit(e)));
  ctx.own(vscode.workspace.onDidCloseTextDocument((d) => provider.onClose(d)));
  ctx.own(ctx.onDidChangeStatus(() => provider.scheduleRefresh(REFRESH_DELAY_MS)));
  return provider;
}
