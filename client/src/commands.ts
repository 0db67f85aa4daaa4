// Commands (category "JPMG"). Those that talk to the server are factories over Ctx, registered with each client;
// restart, output and refresh live as long as the extension. Tree nodes arrive as the command argument when a
// command runs from a view's context menu; from the palette the entity is picked with a quick pick.
import * as vscode from 'vscode';
import {
  BriefEntitiesRequest,
  Commands,
  EntityCardRequest,
  SearchEntitiesRequest,
  type BriefEntitiesResult,
  type CitationView,
  type EntityCardResult,
  type EntitySummary,
  type MeetingNode,
  type SearchEntitiesResult,
} from '../../server/src/protocol';
import { formatReference, insertStyle } from './config';
import { openAt, toLocation, type Ctx } from './ctx';
import type { BriefEntityNode } from './views/briefTree';
import { kindIcon } from './views/icons';

export const CARD_SCHEME = 'jpmg-card';
const SEARCH_LIMIT = 100;
const SEARCH_DELAY_MS = 120;
/** How long after an answer replaced the list an Enter may still refer to the list before it. */
const LIST_SETTLE_MS = 250;

/** Commands that need the running client; disposed and registered again when the server restarts. */
export function registerClientCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.insertEntityReference, (arg?: unknown) => insertEntityReference(ctx, arg)),
    vscode.commands.registerCommand(Commands.showEntityCard, (arg?: unknown) => showEntityCard(ctx, arg)),
    vscode.commands.registerCommand(Commands.openSourceDocument, (arg?: unknown) => openSourceDocument(ctx, arg)),
    vscode.commands.registerCommand(Commands.findMentions, (arg?: unknown) => findMentions(ctx, arg)),
  ];
}

/** Commands that must work even when the server is down. */
export function registerLifetimeCommands(ctx: Ctx, refreshViews: () => void): void {
  ctx.own(vscode.commands.registerCommand(Commands.restartServer, () => ctx.restart()));
  ctx.own(vscode.commands.registerCommand(Commands.refreshViews, refreshViews));
  ctx.own(vscode.commands.registerCommand('jpmg.showOutput', () => ctx.output.show(true)));
}

/** Read-only virtual Markdown documents holding entity cards (`jpmg-card:/<id>.md`), shown in the Markdown preview. */
export class CardDocuments implements vscode.TextDocumentContentProvider {
  private readonly cards = new Map<string, string>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;

  set(id: string, markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: CARD_SCHEME, path: `/${id}.md` });
    this.cards.set(uri.path, markdown);
    this.changeEmitter.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.cards.get(uri.path) ?? '_This card is no longer available; run “JPMG: Show Entity Card” again._';
  }
}

let cardDocuments: CardDocuments | undefined;

export function registerCardDocuments(ctx: Ctx): void {
  cardDocuments = new CardDocuments();
  ctx.own(vscode.workspace.registerTextDocumentContentProvider(CARD_SCHEME, cardDocuments));
}

// ---- arguments from views ----

interface EntityRef {
  id: string;
  name?: string;
}

function isMeetingNode(arg: unknown): arg is MeetingNode {
  return typeof arg === 'object' && arg !== null && 'kind' in arg && 'label' in arg;
}

function isBriefNode(arg: unknown): arg is BriefEntityNode {
  return typeof arg === 'object' && arg !== null && 'brief' in arg;
}

function entityFromArg(arg: unknown): EntityRef | undefined {
  if (typeof arg === 'string' && arg) return { id: arg };
  if (isBriefNode(arg)) return { id: arg.brief.entity.id, name: arg.brief.entity.name };
  if (isMeetingNode(arg) && arg.entityId) return { id: arg.entityId, name: arg.label };
  return undefined;
}

// ---- entity quick pick ----

interface EntityPickItem extends vscode.QuickPickItem {
  entity: EntitySummary;
}

function toPickItem(entity: EntitySummary): EntityPickItem {
  const aliases = entity.aliases.filter((a) => a !== entity.name);
  return {
    label: entity.name,
    // The server's detail may already start with the kind ("person · Director General…").
    description: entity.detail.startsWith(entity.kind) ? entity.detail : [entity.kind, entity.detail].filter(Boolean).join(' · '),
    detail: [entity.id, ...aliases].join(' · '),
    iconPath: kindIcon(entity.kind),
    // The server already matched names and aliases (with Persian and case normalisation): show what it found.
    alwaysShow: true,
    entity,
  };
}

/** A quick pick that searches names and aliases on the server as the user types.
 *
 * Enter while the list is not yet the answer for the text typed (its search is under way, or the answer replaced
 * the list a moment ago) takes the best match for that text once it is shown. Taking the row then focused picked
 * the wrong entity: VS Code reports the picked row by its index, and the list it indexes had been filtered on the
 * client, or replaced, in the meantime ("Amir Eshel" typed and Enter pressed within 30 ms gave "United States"). */
export function pickEntity(ctx: Ctx, placeholder: string): Promise<EntitySummary | undefined> {
  const qp = vscode.window.createQuickPick<EntityPickItem>();
  qp.placeholder = placeholder;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  let typed = 0; // values typed so far (0: the empty box)
  let shownFor = -1; // the value whose answer the list shows
  let shownAt = -Infinity;
  let onShown: (() => void) | undefined; // an Enter waiting for the answer to the text typed
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancel = new vscode.CancellationTokenSource();
  const search = async (query: string): Promise<void> => {
    const mine = typed;
    cancel.cancel();
    cancel.dispose();
    cancel = new vscode.CancellationTokenSource();
    qp.busy = true;
    const result = await ctx.request<SearchEntitiesResult>(
      SearchEntitiesRequest,
      { query, limit: SEARCH_LIMIT },
      cancel.token,
    );
    if (mine !== typed) return; // the text changed meanwhile: the search for the new text answers
    qp.busy = false;
    qp.items = (result?.entities ?? []).map(toPickItem);
    shownFor = mine;
    shownAt = Date.now();
    onShown?.();
  };
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: EntitySummary | undefined): void => {
      if (done) return;
      done = true;
      resolve(value);
    };
    qp.onDidChangeValue((value) => {
      typed++;
      qp.busy = true;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void search(value), SEARCH_DELAY_MS);
    });
    qp.onDidAccept(() => {
      const settled = shownFor === typed && Date.now() - shownAt >= LIST_SETTLE_MS;
      if (settled) {
        finish(qp.selectedItems[0]?.entity ?? qp.activeItems[0]?.entity);
        qp.hide();
        return;
      }
      const takeBestMatch = (): void => {
        finish(qp.items[0]?.entity);
        qp.hide();
      };
      if (shownFor === typed) takeBestMatch();
      else onShown = takeBestMatch;
    });
    qp.onDidHide(() => {
      if (timer) clearTimeout(timer);
      cancel.cancel();
      cancel.dispose();
      finish(undefined);
      qp.dispose();
    });
    qp.show();
    void search('');
  });
}

// ---- commands ----

function targetEditor(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active && active.document.uri.scheme !== 'output') return active;
  // From a view's context menu the tree has focus; fall back to a visible Markdown editor.
  return vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'markdown');
}

async function insertEntityReference(ctx: Ctx, arg: unknown): Promise<void> {
  const editor = targetEditor();
  if (!editor) {
    void vscode.window.showInformationMessage('JPMG: open a Markdown brief to insert a reference into.');
    return;
  }
  const entity = entityFromArg(arg) ?? (await pickEntity(ctx, 'Insert a reference to… (search names and aliases)'));
  if (!entity) return;
  const style = insertStyle(editor.document.uri);
  const named = { id: entity.id, name: entity.name ?? entity.id };
  const doc = editor.document;
  const ok = await editor.edit((builder) => {
    for (const selection of editor.selections) {
      builder.replace(selection, formatReference(named, style, doc.getText(selection)));
    }
  });
  if (!ok) {
    void vscode.window.showWarningMessage('JPMG: the reference could not be inserted (the document changed).');
    return;
  }
  // Inserting from a view leaves focus in the tree; hand it back to the brief.
  await vscode.window.showTextDocument(doc, { viewColumn: editor.viewColumn, preserveFocus: false });
}

async function entityCard(ctx: Ctx, arg: unknown, placeholder: string): Promise<EntityCardResult | undefined> {
  const ref = entityFromArg(arg) ?? (await pickEntity(ctx, placeholder));
  if (!ref) return undefined;
  const card = await ctx.request<EntityCardResult>(EntityCardRequest, { id: ref.id });
  if (!card) void vscode.window.showWarningMessage(`JPMG: no card for “${ref.name ?? ref.id}” (is the server running?).`);
  return card;
}

async function showEntityCard(ctx: Ctx, arg: unknown): Promise<void> {
  const card = await entityCard(ctx, arg, 'Show the card of… (search names and aliases)');
  if (!card || !cardDocuments) return;
  const uri = cardDocuments.set(card.entity.id, card.markdown);
  try {
    // The built-in Markdown preview: scripts disabled, corpus text already escaped by the server.
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
}

interface CitationPickItem extends vscode.QuickPickItem {
  citation: CitationView;
}

async function openSourceDocument(ctx: Ctx, arg: unknown): Promise<void> {
  // A source node in the Meetings tree carries its citation with the quote's location.
  if (isMeetingNode(arg) && arg.citation) return openCitation(arg.citation);
  const card = await entityCard(ctx, arg, 'Open a source document of… (search names and aliases)');
  if (!card) return;
  const citations = card.citations;
  if (citations.length === 0) {
    void vscode.window.showInformationMessage(`JPMG: “${card.entity.name}” cites no source.`);
    return;
  }
  if (citations.length === 1) return openCitation(citations[0]!);
  const items: CitationPickItem[] = citations.map((citation) => ({
    label: citation.sourceTitle ?? citation.source,
    description: citation.external ? `external · ${citation.source}` : citation.source,
    detail: `“${citation.quote}”`,
    iconPath: new vscode.ThemeIcon(citation.external ? 'link-external' : 'quote'),
    citation,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder: `Sources of ${card.entity.name}`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked) await openCitation(picked.citation);
}

async function openCitation(citation: CitationView): Promise<void> {
  if (citation.location) {
    await openAt(citation.location);
    return;
  }
  // External facts (outside the five bundled documents) have no file to open: say where they come from.
  void vscode.window.showInformationMessage(`${citation.source}: “${citation.quote}”`);
}

/**
 * Find mentions: the server's references, asked from the entity's first mention in the active brief (or from its
 * corpus entry) and shown in the peek view; if the server finds none, a whole-word workspace search on the
 * entity's name and aliases.
 */
async function findMentions(ctx: Ctx, arg: unknown): Promise<void> {
  const card = await entityCard(ctx, arg, 'Find mentions of… (search names and aliases)');
  if (!card) return;
  const entity = card.entity;
  const origins: vscode.Location[] = [];
  const brief = isBriefNode(arg) ? vscode.Uri.parse(arg.uri) : targetEditor()?.document.uri;
  if (brief) {
    const inBrief = await ctx.request<BriefEntitiesResult>(BriefEntitiesRequest, { uri: brief.toString() });
    const hit = inBrief?.entities.find((e) => e.entity.id === entity.id);
    if (hit) origins.push(toLocation(hit.first));
  }
  origins.push(toLocation(entity.location));
  for (const origin of origins) {
    const found = await vscode.commands.executeCommand<vscode.Location[] | undefined>(
      'vscode.executeReferenceProvider',
      origin.uri,
      origin.range.start,
    );
    const mentions = (found ?? []).filter((l) => l.uri.path.toLowerCase().endsWith('.md'));
    if (mentions.length > 0) {
      await vscode.window.showTextDocument(origin.uri, { selection: origin.range, preview: true });
      await vscode.commands.executeCommand('editor.action.showReferences', origin.uri, origin.range.start, mentions);
      return;
    }
  }
  const names = [entity.name, ...entity.aliases].filter((n, i, all) => n && all.indexOf(n) === i);
  await vscode.commands.executeCommand('workbench.action.findInFiles', {
    query: names.map(escapeRegExp).join('|'),
    isRegex: true,
    isCaseSensitive: false,
    matchWholeWord: true,
    filesToInclude: '**/*.md',
    triggerSearch: true,
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
