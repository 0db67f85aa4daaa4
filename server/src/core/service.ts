// The composition root of the language service: wires the feature providers (core/features/*) to the host's
// corpus, document analysis, checks and workspace index, and returns a frozen facade. No LSP connection and no Node
// built-ins here: `server.ts` feeds it document snapshots and settings, tests feed it strings.
//
// Every call takes one document snapshot (uri, version, text) and answers from it alone, so a didChange arriving
// mid-request cannot mix two versions. Analyses are cached per (uri, version, corpus, plain-text setting).
import type { DocumentAnalysis } from './analysis/types';
import type { Finding, RunChecks } from './checks/types';
import type { Corpus } from './types';
import type {
  BriefEntitiesResult, EntityCardResult, JpmgSettings, MeetingsResult, ProtocolLocation, SearchEntitiesParams,
  SearchEntitiesResult,
} from '../protocol';
import { DEFAULT_SETTINGS } from '../protocol';
import { WorkspaceIndex } from './workspace';
import { getMatcherSteps } from './analysis/matcher';
import { nearMissIndexSteps } from './checks/nearMissIndex';
import { completeCorpusYamlList, corpusDiagnostics, hoverCorpusYaml, referenceAt, type PlainDiagnostic } from './corpusYaml';
import { provideHover, type HoverResult } from './features/hover';
import { provideDefinition, provideYamlDefinition } from './features/definition';
import { MAX_COMPLETION_ITEMS, provideCompletion, type CompletionContextLike, type CompletionListResult } from './features/completion';
import { corpusView } from './features/corpusView';
import { provideReferences, referencesOfEntities } from './features/references';
import { provideHighlights, type HighlightResult } from './features/highlights';
import { provideDocumentSymbols, type DocumentSymbolResult } from './features/symbols';
import { provideWorkspaceSymbols, type SymbolInformationResult } from './features/workspaceSymbols';
import { provideSemanticTokens } from './features/semanticTokens';
import { provideMeetings } from './features/meetings';
import { provideBriefEntities } from './features/briefEntities';
import { entityCard, renderCard } from './features/entityCard';
import { searchEntities } from './features/search';
import { provideDiagnostics, type DiagnosticResult } from './features/diagnostics';
import { provideCodeActions, type CodeActionResult } from './features/codeActions';
import { offsetIn, positionIn, textLines, type Position, type Range } from './features/text';
import { uriToPath } from './features/uri';

/** One consistent view of a document, taken once at the start of a request. */
export interface DocumentSnapshot {
  uri: string;
  version: number;
  text: string;
  languageId?: string;
}

export interface CancellationLike {
  readonly isCancellationRequested: boolean;
}

export type Analyze = (text: string, version: number, corpus: Corpus, options?: { plainText?: boolean }) => DocumentAnalysis;

export interface LanguageServiceHost {
  /** The corpus in force now (cheap: the host caches it). */
  corpus(): Corpus;
  /** The analysis engine (`analyzeDocument`). */
  analyze: Analyze;
  /** Its incremental form (`updateAnalysis`): the analysis of a new version from the previous one. */
  update?: (previous: DocumentAnalysis, text: string, version: number, corpus: Corpus, options?: { plainText?: boolean }) => DocumentAnalysis;
  /** The checks engine (`runChecks`); no diagnostics for briefs without it. */
  runChecks?: RunChecks;
  /** Is this document a corpus YAML file (served with corpus features instead of brief features)? */
  isCorpusFile?(uri: string): boolean;
  /** Quick fixes a finding gets besides its own (e.g. add an unknown wikilink's entity to the workspace corpus). */
  extraFixes?(uri: string, finding: Finding): { title: string; edit: unknown }[];
  log?(message: string): void;
}

export interface LanguageService {
  readonly index: WorkspaceIndex;
  corpus(): Corpus;
  isCorpusDocument(doc: Pick<DocumentSnapshot, 'uri' | 'languageId'>): boolean;
  /** A brief: served with mention features (not a corpus file, not another YAML/JSON file). */
  isBrief(doc: Pick<DocumentSnapshot, 'uri' | 'languageId'>): boolean;
  analysis(doc: DocumentSnapshot, settings?: JpmgSettings): DocumentAnalysis;
  hover(doc: DocumentSnapshot, position: Position, settings?: JpmgSettings, token?: CancellationLike): HoverResult | undefined;
  definition(doc: DocumentSnapshot, position: Position, settings?: JpmgSettings, token?: CancellationLike): ProtocolLocation[];
  completion(doc: DocumentSnapshot, position: Position, context?: CompletionContextLike, settings?: JpmgSettings,
    token?: CancellationLike): CompletionListResult | undefined;
  /** Fills in a completion item's documentation (items carry `data.id`). */
  resolveCompletion<T extends { data?: unknown; documentation?: unknown }>(item: T): T;
  references(doc: DocumentSnapshot, position: Position, includeDeclaration: boolean, settings?: JpmgSettings,
    token?: CancellationLike): ProtocolLocation[];
  entityReferences(entityId: string, includeDeclaration: boolean): ProtocolLocation[];
  highlights(doc: DocumentSnapshot, position: Position, settings?: JpmgSettings): HighlightResult[];
  documentSymbols(doc: DocumentSnapshot, settings?: JpmgSettings): DocumentSymbolResult[];
  workspaceSymbols(query: string): SymbolInformationResult[];
  semanticTokens(doc: DocumentSnapshot, range?: Range, settings?: JpmgSettings): { data: number[] };
  diagnostics(doc: DocumentSnapshot, settings?: JpmgSettings, token?: CancellationLike): (DiagnosticResult | PlainDiagnostic)[];
  codeActions(doc: DocumentSnapshot, range: Range, settings?: JpmgSettings): CodeActionResult[];
  meetings(): MeetingsResult;
  briefEntities(doc: DocumentSnapshot, settings?: JpmgSettings): BriefEntitiesResult;
  entityCard(id: string): EntityCardResult | undefined;
  searchEntities(params: SearchEntitiesParams): SearchEntitiesResult;
  /** Workspace index: a brief's text as on disk (ignored while it is open). */
  indexFromDisk(uri: string, text: string, settings?: JpmgSettings): void;
  /** Workspace index: an open brief's current text. */
  indexOpen(doc: DocumentSnapshot, settings?: JpmgSettings): void;
  /** The brief is gone from disk (or its folder was removed). */
  removeFromIndex(uri: string): void;
  /** The editor closed the document; free its cached analysis. */
  closed(uri: string): void;
  /** Build the corpus-derived indexes of `corpus` (by default the one in force) ahead of their first use, in steps:
   *  a server builds a new corpus's indexes between requests, before the corpus goes into force. */
  warmSteps(corpus?: Corpus): Generator<void, void, void>;
}

/**
 * A short brief that meets the per-corpus indexes the analysis and the checks build on first use: the mention
 * matcher, the near-miss names (a misspelt name), the title vocabulary (a title before a surname), dates and
 * ordinals of meetings, acronyms. Analysed and checked once per new corpus. No unknown wikilink: the wikilink
 * targets are large and wait until a brief has one.
 */
const WARM_PROBE = '# Warm-up\n\nDirector General Eshel of the IMOD met CENTCOM at the 49th JPMG on 12 March 2019 ' +
  '(see [[amir-eshel]], Amir Eshl).\n';

interface CacheEntry {
  version: number;
  text: string;
  corpus: Corpus;
  plainText: boolean;
  analysis: DocumentAnalysis;
}

interface FindingsEntry {
  analysis: DocumentAnalysis;
  settings: JpmgSettings;
  findings: Finding[];
}

const NO_RESULT_TOKEN: CancellationLike = { isCancellationRequested: false };

export function createLanguageService(host: LanguageServiceHost): LanguageService {
  const index = new WorkspaceIndex();
  const analyses = new Map<string, CacheEntry>();
  const findingsCache = new Map<string, FindingsEntry>();
  const corpusYamlDocs = new Map<string, boolean>();
  let failedChecks: Corpus | undefined;

  const isCorpusDocument = (doc: Pick<DocumentSnapshot, 'uri' | 'languageId'>): boolean => {
    if (host.isCorpusFile) return host.isCorpusFile(doc.uri);
    let known = corpusYamlDocs.get(doc.uri);
    if (known === undefined) {
      const path = uriToPath(doc.uri) ?? doc.uri;
      known = /\.ya?ml$/i.test(path) && (host.corpus().files.includes(path) || /(^|\/)\.jpmg\//.test(path));
      corpusYamlDocs.set(doc.uri, known);
    }
    return known;
  };

  /** A Markdown brief (or any text that is neither a corpus file nor another data file). */
  const isBrief = (doc: Pick<DocumentSnapshot, 'uri' | 'languageId'>): boolean => {
    if (isCorpusDocument(doc)) return false;
    if (doc.languageId === 'yaml' || doc.languageId === 'json' || doc.languageId === 'jsonc') return false;
    return !/\.(ya?ml|json)$/i.test(uriToPath(doc.uri) ?? doc.uri);
  };

  const analysis = (doc: DocumentSnapshot, settings: JpmgSettings = DEFAULT_SETTINGS): DocumentAnalysis => {
    const corpus = host.corpus();
    const plainText = settings.mentions.plainText;
    const cached = analyses.get(doc.uri);
    if (cached && cached.version === doc.version && cached.text === doc.text && cached.corpus === corpus &&
      cached.plainText === plainText) {
      return cached.analysis;
    }
    // A newer version of a document we analysed: the engine re-analyses only what the edit touched.
    const result = cached && host.update && cached.corpus === corpus && cached.plainText === plainText
      ? host.update(cached.analysis, doc.text, doc.version, corpus, { plainText })
      : host.analyze(doc.text, doc.version, corpus, { plainText });
    analyses.set(doc.uri, { version: doc.version, text: doc.text, corpus, plainText, analysis: result });
    return result;
  };

  const findings = (doc: DocumentSnapshot, settings: JpmgSettings): { analysis: DocumentAnalysis; findings: Finding[] } => {
    const a = analysis(doc, settings);
    const cached = findingsCache.get(doc.uri);
    if (cached && cached.analysis === a && cached.settings === settings) return cached;
    const corpus = host.corpus();
    let result: Finding[] = [];
    if (host.runChecks && failedChecks !== corpus) {
      try {
        result = host.runChecks(a, corpus, settings);
      } catch (e) {
        // A checks engine that fails on this corpus would fail (slowly) on every keystroke: stop until it changes.
        failedChecks = corpus;
        host.log?.(`checks disabled for this corpus: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const entry = { analysis: a, settings, findings: result };
    findingsCache.set(doc.uri, entry);
    return entry;
  };

  /** Offset of a position in a corpus YAML text (not analysed as a brief). */
  const yamlOffset = (text: string, position: Position) => {
    const lines = textLines(text);
    return { lines, offset: offsetIn(lines, position) };
  };

  const service: LanguageService = {
    index,
    corpus: () => host.corpus(),
    isCorpusDocument,
    isBrief,
    analysis,

    hover(doc, position, settings = DEFAULT_SETTINGS, token = NO_RESULT_TOKEN) {
      if (!settings.hover.enabled) return undefined;
      const corpus = host.corpus();
      if (isCorpusDocument(doc)) {
        const { lines, offset } = yamlOffset(doc.text, position);
        const hit = hoverCorpusYaml(doc.text, offset, corpus, renderCard);
        if (!hit) return undefined;
        return {
          contents: { kind: 'markdown', value: hit.markdown },
          range: { start: positionIn(lines, hit.span.start), end: positionIn(lines, hit.span.end) },
        };
      }
      if (!isBrief(doc)) return undefined;
      const a = analysis(doc, settings);
      if (token.isCancellationRequested) return undefined;
      return provideHover(a, corpus, position);
    },

    definition(doc, position, settings = DEFAULT_SETTINGS) {
      const corpus = host.corpus();
      if (isCorpusDocument(doc)) {
        const { offset } = yamlOffset(doc.text, position);
        return provideYamlDefinition(doc.text, offset, corpus);
      }
      if (!isBrief(doc)) return [];
      return provideDefinition(analysis(doc, settings), corpus, position);
    },

    completion(doc, position, context, settings = DEFAULT_SETTINGS, token = NO_RESULT_TOKEN) {
      const corpus = host.corpus();
      if (isCorpusDocument(doc)) {
        const { lines, offset } = yamlOffset(doc.text, position);
        const list = completeCorpusYamlList(doc.text, offset, corpus);
        if (!list) return undefined;
        return {
          isIncomplete: list.isIncomplete,
          items: list.items.map((i) => ({
            label: i.label,
            kind: i.kind,
            detail: i.detail,
            documentation: i.documentation,
            filterText: i.filterText,
            sortText: i.sortText,
            textEdit: { range: { start: positionIn(lines, i.replace.start), end: positionIn(lines, i.replace.end) }, newText: i.insertText },
            data: { id: i.insertText },
          })),
        };
      }
      if (!isBrief(doc)) return undefined;
      const a = analysis(doc, settings);
      if (token.isCancellationRequested) return undefined;
      const offset = a.lineIndex.offsetAt(position);
      return provideCompletion({
        text: a.text,
        offset,
        corpus,
        context,
        isMasked: (o) => isMasked(a, o),
        positionAt: (o) => a.lineIndex.positionAt(o),
      });
    },

    resolveCompletion(item) {
      if (item.documentation !== undefined) return item;
      const id = (item.data as { id?: unknown } | undefined)?.id;
      const entity = typeof id === 'string' ? host.corpus().byId.get(id) : undefined;
      if (!entity) return item;
      return { ...item, documentation: { kind: 'markdown', value: renderCard(entity, host.corpus()) } };
    },

    references(doc, position, includeDeclaration, settings = DEFAULT_SETTINGS, token = NO_RESULT_TOKEN) {
      const corpus = host.corpus();
      if (isCorpusDocument(doc)) {
        const { offset } = yamlOffset(doc.text, position);
        const ref = referenceAt(doc.text, offset);
        const id = ref ? (ref.target === 'source' ? undefined : ref.id) : idKeyOnLine(doc.text, offset);
        return id ? referencesOfEntities([id], corpus, includeDeclaration, index) : [];
      }
      if (!isBrief(doc)) return [];
      const a = analysis(doc, settings);
      if (token.isCancellationRequested) return [];
      return provideReferences(doc.uri, a, corpus, position, includeDeclaration, index);
    },

    entityReferences(entityId, includeDeclaration) {
      return referencesOfEntities([entityId], host.corpus(), includeDeclaration, index);
    },

    highlights(doc, position, settings = DEFAULT_SETTINGS) {
      if (!isBrief(doc)) return [];
      return provideHighlights(analysis(doc, settings), position);
    },

    documentSymbols(doc, settings = DEFAULT_SETTINGS) {
      if (!isBrief(doc)) return [];
      return provideDocumentSymbols(analysis(doc, settings), host.corpus());
    },

    workspaceSymbols(query) {
      return provideWorkspaceSymbols(query, host.corpus());
    },

    semanticTokens(doc, range, settings = DEFAULT_SETTINGS) {
      if (!isBrief(doc)) return { data: [] };
      return provideSemanticTokens(analysis(doc, settings), host.corpus(), range);
    },

    diagnostics(doc, settings = DEFAULT_SETTINGS, token = NO_RESULT_TOKEN) {
      const corpus = host.corpus();
      if (isCorpusDocument(doc)) {
        const path = uriToPath(doc.uri) ?? doc.uri;
        return corpusDiagnostics(corpus.problems, path);
      }
      if (!host.runChecks || !isBrief(doc)) return [];
      const a = analysis(doc, settings);
      if (token.isCancellationRequested) return [];
      return provideDiagnostics(findings(doc, settings).findings, a);
    },

    codeActions(doc, range, settings = DEFAULT_SETTINGS) {
      if (!isBrief(doc) || !host.runChecks) return [];
      const f = findings(doc, settings);
      return provideCodeActions({
        uri: doc.uri,
        analysis: f.analysis,
        findings: f.findings,
        range,
        extraFixes: host.extraFixes ? (finding) => host.extraFixes!(doc.uri, finding) : undefined,
      });
    },

    meetings: () => provideMeetings(host.corpus()),

    briefEntities(doc, settings = DEFAULT_SETTINGS) {
      if (!isBrief(doc)) return { entities: [] };
      return provideBriefEntities(doc.uri, analysis(doc, settings), host.corpus());
    },

    entityCard: (id) => entityCard(id, host.corpus()),

    searchEntities: (params) => searchEntities(params, host.corpus()),

    indexFromDisk(uri, text, settings = DEFAULT_SETTINGS) {
      if (index.isOpen(uri)) return;
      // Not cached: disk files are analysed once, and only their mentions are kept.
      const a = host.analyze(text, 0, host.corpus(), { plainText: settings.mentions.plainText });
      index.setFromDisk(uri, a);
    },

    indexOpen(doc, settings = DEFAULT_SETTINGS) {
      if (!isBrief(doc)) return;
      index.setOpen(doc.uri, analysis(doc, settings));
    },

    removeFromIndex(uri) {
      index.remove(uri, { evenIfOpen: false });
    },

    *warmSteps(corpus = host.corpus()) {
      const view = corpusView(corpus);
      view.referrersOf('');
      yield;
      const search = yield* view.searchSteps();
      yield* search.warmSteps(MAX_COMPLETION_ITEMS);
      yield* getMatcherSteps(corpus);
      yield* nearMissIndexSteps(corpus, true);
      const probe = host.analyze(WARM_PROBE, 0, corpus);
      yield;
      host.runChecks?.(probe, corpus, DEFAULT_SETTINGS);
    },

    closed(uri) {
      analyses.delete(uri);
      findingsCache.delete(uri);
      corpusYamlDocs.delete(uri);
      index.markClosed(uri);
    },
  };
  return Object.freeze(service);
}

/** True when the offset lies inside a region where mentions are not recognised (code, front matter, …). */
function isMasked(a: DocumentAnalysis, offset: number): boolean {
  const regions = a.masked;
  let lo = 0;
  let hi = regions.length - 1;
  // Regions are sorted by start and do not overlap; find the last one starting before the offset.
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (regions[mid]!.start < offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return false;
  const r = regions[found]!;
  // Inside, or at the very end of an unterminated region (a code span still being typed ends at the cursor).
  return offset < r.end || (offset === r.end && r.end === a.text.length);
}

/** On an entity's `id:` line (the corpus entry's location points at the key), the id it defines. */
function idKeyOnLine(text: string, offset: number): string | undefined {
  const start = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const line = text.slice(start, Math.min(text.length, start + 400)).split(/[\r\n]/, 1)[0]!;
  return /^\s*(?:-\s+)?id:\s*["']?([\p{L}\p{N}._-]+)/u.exec(line)?.[1];
}
