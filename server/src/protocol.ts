// Custom LSP requests and notifications shared by the client and the server (one file, both sides import it).
// Plain types only: no vscode or vscode-languageserver imports, so the client bundle stays small.

export interface ProtocolLocation {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface CitationView {
  source: string; // source id or external reference label
  sourceTitle?: string;
  quote: string;
  external?: boolean;
  /** Where the quote sits in the source document, when it is a bundled one. */
  location?: ProtocolLocation;
}

export interface EntitySummary {
  id: string;
  kind: string;
  name: string;
  /** Short context for pickers: the current/latest role, or the date for meetings. */
  detail: string;
  aliases: string[];
  /** The entity's entry in its corpus YAML file. */
  location: ProtocolLocation;
}

/** One node of the Meetings tree; children are included (the tree is small). */
export interface MeetingNode {
  id: string; // entity id for entity nodes; synthetic for groups
  label: string;
  description?: string;
  tooltip?: string; // plain text
  kind: 'year' | 'meeting' | 'participant' | 'organisation' | 'agreement' | 'topic' | 'place' | 'source' | 'group';
  entityId?: string;
  location?: ProtocolLocation; // corpus entry to open on click
  citation?: CitationView; // for source nodes
  children?: MeetingNode[];
}

export const MeetingsRequest = 'jpmg/meetings';
export interface MeetingsParams {}
export interface MeetingsResult {
  years: MeetingNode[];
}

export const BriefEntitiesRequest = 'jpmg/briefEntities';
export interface BriefEntitiesParams {
  uri: string;
}
export interface BriefEntity {
  entity: EntitySummary;
  count: number;
  first: ProtocolLocation;
}
export interface BriefEntitiesResult {
  entities: BriefEntity[];
}

export const EntityCardRequest = 'jpmg/entityCard';
export interface EntityCardParams {
  id: string;
}
export interface EntityCardResult {
  markdown: string; // escaped; never contains command links
  entity: EntitySummary;
  citations: CitationView[];
}

export const SearchEntitiesRequest = 'jpmg/searchEntities';
export interface SearchEntitiesParams {
  query: string;
  limit?: number;
}
export interface SearchEntitiesResult {
  entities: EntitySummary[];
}

export const CorpusStatusNotification = 'jpmg/corpusStatus';
export interface CorpusStatus {
  /** Of the corpus in force (answers come from it). */
  entities: number;
  problems: number;
  overlayFiles: number;
  trusted: boolean;
  /** True while the server loads workspace corpus files or builds the corpus's indexes between requests (answers
   *  meanwhile come from the corpus in force); a status with `false` follows when it is done. */
  indexing?: boolean;
}

/** Settings under `jpmg.*`, pulled per resource by the server. */
export interface JpmgSettings {
  mentions: { plainText: boolean };
  hover: { enabled: boolean };
  corpus: { paths: string[] };
  /** Per-rule severity: "error" | "warning" | "information" | "hint" | "off". */
  rules: Record<string, string>;
  /** Names the checks should never flag. */
  ignoreWords: string[];
}

export const DEFAULT_SETTINGS: JpmgSettings = {
  mentions: { plainText: true },
  hover: { enabled: true },
  corpus: { paths: [] },
  rules: {},
  ignoreWords: [],
};

/** Semantic token legend: one type per entity kind (the client maps them to TextMate scopes). */
export const SEMANTIC_TOKEN_TYPES = ['jpmgPerson', 'jpmgOrganisation', 'jpmgAgreement', 'jpmgMeeting', 'jpmgPlace', 'jpmgTopic', 'jpmgAmbiguous'] as const;
export const SEMANTIC_TOKEN_MODIFIERS = ['wikilink'] as const;

/** Command ids (contributed by the client; the server never sends command links). */
export const Commands = {
  insertEntityReference: 'jpmg.insertEntityReference',
  showEntityCard: 'jpmg.showEntityCard',
  openSourceDocument: 'jpmg.openSourceDocument',
  findMentions: 'jpmg.findMentions',
  restartServer: 'jpmg.restartServer',
  refreshViews: 'jpmg.refreshViews',
} as const;

/** Client → server: the workspace's trust changed (e.g. VS Code granted trust). Untrusted: no overlay file is
 *  read and `jpmg.corpus.paths` is ignored; the bundled corpus always works. Restarting the server with
 *  `initializationOptions.trusted` has the same effect. */
export const TrustChangedNotification = 'jpmg/trustChanged';
export interface TrustChangedParams {
  trusted: boolean;
}

/** `initializationOptions` the client passes; a missing `trusted` means trusted (plain LSP editors have no trust). */
export interface JpmgInitializationOptions {
  trusted?: boolean;
}
