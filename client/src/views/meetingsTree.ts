// The Meetings view: years → meetings (date · place · format · ordinal) → participants with their role,
// organisations, agreements, topics and sources. The whole tree comes from one `jpmg/meetings` request (it is small).
import * as vscode from 'vscode';
import { MeetingsRequest, type MeetingNode, type MeetingsResult } from '../../../server/src/protocol';
import { toLocation, type Ctx } from '../ctx';
import { kindIcon } from './icons';

/** Kinds whose nodes stand for a corpus entity (the entity context-menu commands apply). */
export const ENTITY_NODE_KINDS = ['meeting', 'participant', 'organisation', 'agreement', 'topic', 'place'];

interface NodeInfo {
  uid: string;
  parent: MeetingNode | undefined;
}

export class MeetingsTreeProvider implements vscode.TreeDataProvider<MeetingNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<MeetingNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private roots: Promise<MeetingNode[]> | undefined;
  private info = new WeakMap<MeetingNode, NodeInfo>();

  constructor(private readonly ctx: Ctx) {}

  refresh(): void {
    this.roots = undefined;
    this.changeEmitter.fire(undefined);
  }

  getChildren(node?: MeetingNode): vscode.ProviderResult<MeetingNode[]> {
    if (node) return node.children ?? [];
    this.roots ??= this.load();
    return this.roots;
  }

  getParent(node: MeetingNode): MeetingNode | undefined {
    return this.info.get(node)?.parent;
  }

  getTreeItem(node: MeetingNode): vscode.TreeItem {
    const hasChildren = (node.children?.length ?? 0) > 0;
    const state = !hasChildren
      ? vscode.TreeItemCollapsibleState.None
      : node.kind === 'year'
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = this.info.get(node)?.uid;
    item.description = node.description;
    item.tooltip = node.tooltip ?? (node.citation ? `“${node.citation.quote}”` : undefined);
    item.iconPath = kindIcon(node.kind);
    item.contextValue = node.kind;
    // Clicking a source opens the document at the quote; any other entity node opens its corpus entry.
    const target = node.kind === 'source' ? (node.citation?.location ?? node.location) : node.location;
    if (target) {
      const location = toLocation(target);
      item.command = {
        command: 'vscode.open',
        title: node.kind === 'source' ? 'Open Source Document' : 'Open Corpus Entry',
        arguments: [location.uri, { selection: location.range, preview: true } satisfies vscode.TextDocumentShowOptions],
      };
    }
    return item;
  }

  private async load(): Promise<MeetingNode[]> {
    const result = await this.ctx.request<MeetingsResult>(MeetingsRequest, {});
    const years = result?.years ?? [];
    this.info = new WeakMap();
    const index = (nodes: MeetingNode[], parent: MeetingNode | undefined, path: string): void => {
      nodes.forEach((n, i) => {
        // Entity ids repeat across meetings (a person attends many), so the tree id is the path to the node.
        const uid = `${path}/${n.kind}:${n.id || i}`;
        this.info.set(n, { uid, parent });
        index(n.children ?? [], n, uid);
      });
    };
    index(years, undefined, '');
    void vscode.commands.executeCommand('setContext', 'jpmg.meetingsLoaded', years.length > 0);
    return years;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}

export function createMeetingsView(ctx: Ctx): { provider: MeetingsTreeProvider; view: vscode.TreeView<MeetingNode> } {
  const provider = ctx.own(new MeetingsTreeProvider(ctx));
  const view = ctx.own(vscode.window.createTreeView('jpmg.meetings', { treeDataProvider: provider, showCollapseAll: true }));
  ctx.own(ctx.onDidChangeStatus(() => provider.refresh()));
  return { provider, view };
}
