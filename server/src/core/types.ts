// The corpus model: what the YAML files under corpus/ (and workspace overlays under .jpmg/) say, after loading.
// Pure data, no editor or LSP types. The YAML layout mirrors these types one-to-one (see corpus/schema.json).

/** A citation: a verbatim quote from a bundled source document, or an external reference (facts.md). */
export interface Citation {
  /** Source id from corpus/sources/sources.yaml (e.g. "seed-001"), or for external facts a short reference label. */
  source: string;
  /** Verbatim text of the source (whitespace aside). For external facts, the fact as stated by the reference. */
  quote: string;
  /** True for facts taken from outside the five seeds (shared/notes/facts.md); `reference` then says where from. */
  external?: boolean;
  reference?: string;
}

/** ISO date text: "2022-10-25" (day), "2022-10" (month) or "2022" (year). */
export type IsoDate = string;
export type DatePrecision = 'day' | 'month' | 'year';

export type EntityKind = 'person' | 'organisation' | 'agreement' | 'meeting' | 'place' | 'topic';
export const ENTITY_KINDS: readonly EntityKind[] = ['person', 'organisation', 'agreement', 'meeting', 'place', 'topic'];

/** An alias as written in YAML: a plain string, or an object with details. */
export interface AliasSpec {
  text: string;
  /** BCP-47 language of the alias; "fa" for Persian forms. Default "en". */
  lang?: string;
  /** Acronyms are matched case-sensitively ("JPMG", "QME"). Inferred when omitted: all caps, 2+ letters. */
  acronym?: boolean;
  /** Declares that this alias also names other entities: mentions of it are reported as ambiguous, not resolved. */
  ambiguous?: boolean;
  /** A variant name the corpus discourages (preferred-terms check suggests the entity's name or `preferred`). */
  discouraged?: boolean;
  /** With `discouraged`: the term to use instead (defaults to the entity's name). */
  preferred?: string;
  sources?: Citation[];
}

/** A dated role a person held. Dates are inclusive; a missing bound means "unknown", not "open". */
export interface Role {
  /** Full title, e.g. "Counselor of the U.S. Department of State". */
  title: string;
  /** Short titles written before the surname: ["Counselor"], ["Director General", "Major General (ret.)"]. */
  titles: string[];
  organisation?: string; // entity id
  from?: IsoDate;
  to?: IsoDate;
  /** Dates on which a source attests the role was held (when from/to are unknown). */
  attested?: IsoDate[];
  sources: Citation[];
}

export interface DatedFact {
  value: IsoDate;
  precision: DatePrecision;
  sources: Citation[];
}

export interface EntityRef {
  entity: string; // entity id
  /** The role this entity played here (participants), or what it did (parties). */
  role?: string;
  sources: Citation[];
}

export interface TextFact {
  text: string;
  sources: Citation[];
}

export interface Entity {
  id: string;
  kind: EntityKind;
  name: string;
  aliases: AliasSpec[];
  summary: string;
  sources: Citation[];
  /** person */
  roles?: Role[];
  /** meeting */
  date?: DatedFact; // also agreements (signed), organisations (founded)
  place?: EntityRef;
  format?: { value: 'in-person' | 'hybrid' | 'virtual' | 'unknown'; sources: Citation[] };
  ordinal?: { value: number; sources: Citation[] };
  participants?: EntityRef[];
  organisations?: EntityRef[];
  agreements?: EntityRef[];
  topics?: EntityRef[];
  /** agreement */
  parties?: EntityRef[];
  commits?: TextFact[];
  /** organisation: parent body (e.g. a bureau's department) */
  parent?: EntityRef;
  /** Free related links (any kind), e.g. a place's other names or a doctrine's enabling law. */
  related?: EntityRef[];
  /** Where this entity was defined: the file (absolute path) and 0-based line/column of its `id:` key. */
  origin: SourceLocation;
}

export interface SourceLocation {
  file: string;
  line: number; // 0-based
  column: number; // 0-based, UTF-16
  endLine?: number;
  endColumn?: number;
}

/** A source document description (corpus/sources/sources.yaml). */
export interface SourceDocument {
  id: string;
  /** File name relative to the folder holding sources.yaml. */
  file: string;
  title: string;
  publisher: string;
  date: IsoDate;
  language: string;
  url?: string;
  /** Absolute path, resolved by the loader and confined to the corpus folder. */
  path: string;
  /** The text, loaded once. */
  text: string;
  origin: SourceLocation;
}

/** A reference outside the bundled documents (sources.yaml `external:`), cited with `external: true`. */
export interface ExternalSource {
  id: string;
  title: string;
  publisher: string;
  date: IsoDate;
  /** How to cite it, e.g. "U.S. Department of Defense release, 2020-10-22". */
  reference?: string;
  url?: string;
  origin: SourceLocation;
}

export type ProblemSeverity = 'error' | 'warning' | 'information';

/** A problem found while loading or validating a corpus. Lines and columns are 0-based (LSP style); print 1-based. */
export interface CorpusProblem {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: ProblemSeverity;
  code: string; // e.g. "yaml-syntax", "schema", "duplicate-id", "dangling-ref", "quote-not-verbatim", "alias-collision"
  message: string;
}

/** One normalised alias key and what it names. */
export interface AliasEntry {
  /** Normalised form (see normalize.ts). */
  key: string;
  /** Display text as written in the corpus. */
  text: string;
  entityIds: string[]; // more than one only when declared ambiguous (or an undeclared collision, also reported)
  caseSensitive: boolean; // acronyms
  lang: string;
  discouraged?: { preferred: string };
}

/** The loaded corpus: entities by id and by normalised alias. Immutable once built. */
export interface Corpus {
  readonly entities: readonly Entity[];
  readonly byId: ReadonlyMap<string, Entity>;
  /** Normalised alias key → entry. Names, aliases and title+surname forms are all here. */
  readonly aliases: ReadonlyMap<string, AliasEntry>;
  readonly sources: ReadonlyMap<string, SourceDocument>;
  /** External references by id (sources.yaml `external:`); absent in hand-made corpora. */
  readonly externalSources?: ReadonlyMap<string, ExternalSource>;
  readonly problems: readonly CorpusProblem[];
  /** Files that contributed (for go-to-definition and live reload). */
  readonly files: readonly string[];
}
