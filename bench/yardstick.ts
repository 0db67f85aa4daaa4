// The yardstick: VS Code's own Markdown language service computing folding ranges for the same 1 MB brief.
// Set up like VS Code's Markdown server: a markdown-it parser (html on; no linkify or plugins, which only makes the
// yardstick faster and our targets stricter) whose tokens are cached per document version, an in-memory
// workspace that fires a change event for each new version (so the service's table-of-contents cache is
// invalidated exactly as after an edit), and a silent logger. Each timed run is a new document version: parse +
// table of contents + folding, what an edit costs VS Code.
import MarkdownIt from 'markdown-it';
import { createLanguageService, githubSlugifier, LogLevel, type IMdParser, type ITextDocument, type IWorkspace, type ILogger } from 'vscode-markdown-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { now, round } from './stats';

type Listener<T> = (e: T) => void;
function emitter<T>() {
  const listeners = new Set<Listener<T>>();
  const event = (l: Listener<T>, thisArg?: unknown) => {
    const f: Listener<T> = thisArg === undefined ? l : l.bind(thisArg);
    listeners.add(f);
    return { dispose: () => { listeners.delete(f); } };
  };
  return { event, fire: (e: T) => { for (const l of listeners) l(e); } };
}

export function createYardstick() {
  const md = new MarkdownIt({ html: true });
  const tokenCache = new Map<string, { version: number; tokens: ReturnType<InstanceType<typeof MarkdownIt>['parse']> }>();
  const parser: IMdParser = {
    slugifier: githubSlugifier,
    async tokenize(doc: ITextDocument) {
      const hit = tokenCache.get(doc.uri);
      if (hit && hit.version === doc.version) return hit.tokens;
      const tokens = md.parse(doc.getText(), {});
      tokenCache.set(doc.uri, { version: doc.version, tokens });
      return tokens;
    },
  };
  const docs = new Map<string, ITextDocument>();
  const changed = emitter<ITextDocument>();
  const created = emitter<ITextDocument>();
  const deleted = emitter<URI>();
  const workspace: IWorkspace = {
    get workspaceFolders() { return [URI.file('/bench')]; },
    onDidChangeMarkdownDocument: changed.event,
    onDidCreateMarkdownDocument: created.event,
    onDidDeleteMarkdownDocument: deleted.event,
    async getAllMarkdownDocuments() { return docs.values(); },
    hasMarkdownDocument: (r) => docs.has(r.toString()),
    async openMarkdownDocument(r) { return docs.get(r.toString()); },
    async stat(r) { return docs.has(r.toString()) ? { isDirectory: false } : undefined; },
    async readDirectory() { return []; },
  };
  const logger: ILogger = { level: LogLevel.Off, log() { /* silent */ } };
  const service = createLanguageService({ workspace, parser, logger });
  const uri = URI.file('/bench/brief.md').toString();
  let version = 0;
  return {
    /** Folding ranges for `text` as a new version of the document; returns [ms, range count]. */
    async fold(text: string): Promise<[number, number]> {
      const doc = TextDocument.create(uri, 'markdown', ++version, text);
      const t0 = now();
      const isNew = !docs.has(uri);
      docs.set(uri, doc);
      (isNew ? created : changed).fire(doc);
      const ranges = await service.getFoldingRanges(doc, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() { /* none */ } }) });
      return [round(now() - t0), ranges.length];
    },
  };
}
