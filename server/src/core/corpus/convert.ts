// From parsed YAML data to corpus objects. Only known fields are copied, each checked for its type (the schema
// reports what is wrong; here a wrong field is simply left out), so user keys such as `__proto__`,
// `constructor` or `<<` never reach an object we build. Every built object is a fresh literal.
import {
  ENTITY_KINDS,
  type AliasSpec, type Citation, type DatedFact, type DatePrecision, type Entity, type EntityKind, type EntityRef,
  type Role, type TextFact,
} from '../types';
import type { ParsedYaml, Path } from './yamlDoc';

/**
 * Where a value sits, as a chain of path segments up to the document (shared by all values of an entity, so
 * recording a place costs one small object); turned into a line and column only when a problem needs it.
 */
export interface Where {
  doc: ParsedYaml;
  up?: Where;
  seg?: string | number;
}

export function child(w: Where, seg: string | number): Where {
  return { doc: w.doc, up: w, seg };
}

export function pathOf(w: Where): Path {
  const segs: (string | number)[] = [];
  for (let x: Where | undefined = w; x && x.seg !== undefined; x = x.up) segs.push(x.seg);
  return segs.reverse();
}

export interface RefUse {
  id: string;
  field: string;
  at: Where; // the `entity` (or `organisation`) value
}

export interface CitationUse {
  citation: Citation;
  at: Where; // the citation object; `source` and `quote` are children
}

export interface AliasUse {
  spec: AliasSpec;
  at: Where; // the alias string or its `text`
  generated?: boolean;
  isName?: boolean;
}

/** An entity as read from one file, with the places of everything the cross-file checks look at. */
export interface Draft {
  entity: Entity;
  bundled: boolean;
  at: Where; // the entity mapping
  idAt: Where;
  refs: RefUse[];
  citations: CitationUse[];
  aliases: AliasUse[];
  /** Short titles of the person's roles, for the generated "title + surname" aliases. */
  titles: TitleUse[];
  /** Top-level fields the file gives with a usable value (an overlay replaces only those). */
  given: Set<string>;
}

export interface TitleUse {
  title: string;
  at: Where;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function own(o: Obj, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}
function str(o: Obj, key: string): string | undefined {
  const v = own(o, key);
  return typeof v === 'string' ? v : undefined;
}
function bool(o: Obj, key: string): boolean | undefined {
  const v = own(o, key);
  return typeof v === 'boolean' ? v : undefined;
}
function list(o: Obj, key: string): unknown[] {
  const v = own(o, key);
  return Array.isArray(v) ? v : [];
}
/** Dates are strings; a bare year written unquoted arrives as a number and is kept as its text. */
function dateText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return undefined;
}
function precisionOf(value: string): DatePrecision {
  return value.length >= 10 ? 'day' : value.length >= 7 ? 'month' : 'year';
}

class Converter {
  refs: RefUse[] = [];
  citations: CitationUse[] = [];
  aliases: AliasUse[] = [];
  titles: TitleUse[] = [];
  constructor(private readonly doc: ParsedYaml) {}

  citationList(v: unknown, w: Where): Citation[] {
    if (!Array.isArray(v)) return [];
    const out: Citation[] = [];
    v.forEach((c, i) => {
      if (!isObj(c)) return;
      const source = str(c, 'source');
      const quote = str(c, 'quote');
      if (source === undefined || quote === undefined) return;
      const citation: Citation = { source, quote };
      const external = bool(c, 'external');
      if (external !== undefined) citation.external = external;
      const reference = str(c, 'reference');
      if (reference !== undefined) citation.reference = reference;
      out.push(citation);
      this.citations.push({ citation, at: child(w, i) });
    });
    return out;
  }

  ref(v: unknown, w: Where, field: string): EntityRef | undefined {
    if (typeof v === 'string') {
      this.refs.push({ id: v, field, at: w });
      return { entity: v, sources: [] };
    }
    if (!isObj(v)) return undefined;
    const entity = str(v, 'entity');
    if (entity === undefined) return undefined;
    const ref: EntityRef = { entity, sources: this.citationList(own(v, 'sources'), child(w, 'sources')) };
    const role = str(v, 'role');
    if (role !== undefined) ref.role = role;
    this.refs.push({ id: entity, field, at: child(w, 'entity') });
    return ref;
  }

  refList(v: unknown, w: Where, field: string): EntityRef[] {
    if (!Array.isArray(v)) return [];
    const out: EntityRef[] = [];
    v.forEach((r, i) => {
      const ref = this.ref(r, child(w, i), field);
      if (ref) out.push(ref);
    });
    return out;
  }

  alias(v: unknown, w: Where): AliasSpec | undefined {
    if (typeof v === 'string') {
      const spec: AliasSpec = { text: v };
      this.aliases.push({ spec, at: w });
      return spec;
    }
    if (!isObj(v)) return undefined;
    const text = str(v, 'text');
    if (text === undefined) return undefined;
    const spec: AliasSpec = { text };
    const lang = str(v, 'lang');
    if (lang !== undefined) spec.lang = lang;
    for (const flag of ['acronym', 'ambiguous', 'discouraged'] as const) {
      const b = bool(v, flag);
      if (b !== undefined) spec[flag] = b;
    }
    const preferred = str(v, 'preferred');
    if (preferred !== undefined) spec.preferred = preferred;
    const sources = own(v, 'sources');
    if (sources !== undefined) spec.sources = this.citationList(sources, child(w, 'sources'));
    this.aliases.push({ spec, at: child(w, 'text') });
    return spec;
  }

  role(v: unknown, w: Where): Role | undefined {
    if (!isObj(v)) return undefined;
    const title = str(v, 'title');
    if (title === undefined) return undefined;
    const titles: string[] = [];
    const titlesAt = child(w, 'titles');
    list(v, 'titles').forEach((t, j) => {
      if (typeof t !== 'string') return;
      titles.push(t);
      this.titles.push({ title: t, at: child(titlesAt, j) });
    });
    const role: Role = {
      title,
      titles,
      sources: this.citationList(own(v, 'sources'), child(w, 'sources')),
    };
    const organisation = str(v, 'organisation');
    if (organisation !== undefined) {
      role.organisation = organisation;
      this.refs.push({ id: organisation, field: 'organisation', at: child(w, 'organisation') });
    }
    const from = dateText(own(v, 'from'));
    if (from !== undefined) role.from = from;
    const to = dateText(own(v, 'to'));
    if (to !== undefined) role.to = to;
    const attested = list(v, 'attested').map(dateText).filter((d): d is string => d !== undefined);
    if (attested.length) role.attested = attested;
    return role;
  }

  dated(v: unknown, w: Where): DatedFact | undefined {
    const direct = dateText(v);
    if (direct !== undefined) return { value: direct, precision: precisionOf(direct), sources: [] };
    if (!isObj(v)) return undefined;
    const value = dateText(own(v, 'value'));
    if (value === undefined) return undefined;
    const p = str(v, 'precision');
    const precision: DatePrecision = p === 'day' || p === 'month' || p === 'year' ? p : precisionOf(value);
    return { value, precision, sources: this.citationList(own(v, 'sources'), child(w, 'sources')) };
  }

  entity(v: unknown, w: Where, bundled: boolean, file: string): Draft | undefined {
    if (!isObj(v)) return undefined;
    const id = str(v, 'id');
    const kind = str(v, 'kind');
    if (id === undefined || id === '' || kind === undefined || !(ENTITY_KINDS as readonly string[]).includes(kind)) return undefined;
    this.refs = [];
    this.citations = [];
    this.aliases = [];
    this.titles = [];
    const idAt = child(w, 'id');
    const idRange = this.doc.locate(pathOf(idAt), 'key');
    const name = str(v, 'name') ?? id;
    const entity: Entity = {
      id,
      kind: kind as EntityKind,
      name,
      aliases: [],
      summary: str(v, 'summary') ?? '',
      sources: this.citationList(own(v, 'sources'), child(w, 'sources')),
      origin: { file, line: idRange.line, column: idRange.column, endLine: idRange.endLine, endColumn: idRange.endColumn },
    };
    this.aliases.push({ spec: { text: name }, at: child(w, str(v, 'name') !== undefined ? 'name' : 'id'), isName: true });
    const aliasesAt = child(w, 'aliases');
    list(v, 'aliases').forEach((a, i) => {
      const spec = this.alias(a, child(aliasesAt, i));
      if (spec) entity.aliases.push(spec);
    });
    if (own(v, 'roles') !== undefined) {
      entity.roles = [];
      const rolesAt = child(w, 'roles');
      list(v, 'roles').forEach((r, i) => {
        const role = this.role(r, child(rolesAt, i));
        if (role) entity.roles!.push(role);
      });
    }
    const date = this.dated(own(v, 'date'), child(w, 'date'));
    if (date) entity.date = date;
    const place = this.ref(own(v, 'place'), child(w, 'place'), 'place');
    if (place) entity.place = place;
    const parent = this.ref(own(v, 'parent'), child(w, 'parent'), 'parent');
    if (parent) entity.parent = parent;
    const format = own(v, 'format');
    if (isObj(format)) {
      const value = str(format, 'value');
      if (value === 'in-person' || value === 'hybrid' || value === 'virtual' || value === 'unknown') {
        entity.format = { value, sources: this.citationList(own(format, 'sources'), child(child(w, 'format'), 'sources')) };
      }
    }
    const ordinal = own(v, 'ordinal');
    if (isObj(ordinal)) {
      const value = own(ordinal, 'value');
      if (typeof value === 'number' && Number.isFinite(value)) {
        entity.ordinal = { value, sources: this.citationList(own(ordinal, 'sources'), child(child(w, 'ordinal'), 'sources')) };
      }
    }
    for (const field of REF_LIST_FIELDS) {
      if (own(v, field) !== undefined) entity[field] = this.refList(own(v, field), child(w, field), field);
    }
    if (own(v, 'commits') !== undefined) {
      const commits: TextFact[] = [];
      const commitsAt = child(w, 'commits');
      list(v, 'commits').forEach((c, i) => {
        if (typeof c === 'string') commits.push({ text: c, sources: [] });
        else if (isObj(c) && str(c, 'text') !== undefined) {
          commits.push({ text: str(c, 'text')!, sources: this.citationList(own(c, 'sources'), child(child(commitsAt, i), 'sources')) });
        }
      });
      entity.commits = commits;
    }
    const given = new Set<string>();
    for (const key of Object.keys(v)) {
      if ((entity as unknown as Obj)[key] !== undefined && FIELDS.has(key)) given.add(key);
    }
    if (str(v, 'name') === undefined) given.delete('name');
    if (str(v, 'summary') === undefined) given.delete('summary');
    return {
      entity, bundled, at: w, idAt,
      refs: this.refs, citations: this.citations, aliases: this.aliases, titles: this.titles, given,
    };
  }
}

const FIELDS = new Set([
  'id', 'kind', 'name', 'aliases', 'summary', 'sources', 'roles', 'date', 'place', 'format', 'ordinal', 'participants',
  'organisations', 'agreements', 'topics', 'parties', 'commits', 'parent', 'related',
]);

export const REF_LIST_FIELDS = ['participants', 'organisations', 'agreements', 'topics', 'parties', 'related'] as const;

/** Entities of one parsed entity file, in file order. */
export function convertEntityFile(doc: ParsedYaml, bundled: boolean): Draft[] {
  const root = doc.value;
  if (!isObj(root)) return [];
  const items = own(root, 'entities');
  if (!Array.isArray(items)) return [];
  const conv = new Converter(doc);
  const out: Draft[] = [];
  const itemsAt = child({ doc }, 'entities');
  items.forEach((item, i) => {
    const d = conv.entity(item, child(itemsAt, i), bundled, doc.file);
    if (d) out.push(d);
  });
  return out;
}

export interface SourceDraft {
  id: string;
  file: string;
  title: string;
  publisher: string;
  date: string;
  language: string;
  url?: string;
  at: Where;
  idAt: Where;
  fileAt: Where;
}

export interface ExternalDraft {
  id: string;
  title: string;
  publisher: string;
  date: string;
  reference?: string;
  url?: string;
  at: Where;
  idAt: Where;
}

/** Source documents and external references of one parsed sources.yaml. */
export function convertSourcesFile(doc: ParsedYaml): { sources: SourceDraft[]; external: ExternalDraft[] } {
  const root = doc.value;
  const sources: SourceDraft[] = [];
  const external: ExternalDraft[] = [];
  if (!isObj(root)) return { sources, external };
  const w = (path: Path): Where => path.reduce<Where>((acc, seg) => child(acc, seg), { doc });
  list(root, 'sources').forEach((s, i) => {
    if (!isObj(s)) return;
    const id = str(s, 'id');
    const file = str(s, 'file');
    if (!id || file === undefined) return;
    const d: SourceDraft = {
      id, file,
      title: str(s, 'title') ?? id,
      publisher: str(s, 'publisher') ?? '',
      date: dateText(own(s, 'date')) ?? '',
      language: str(s, 'language') ?? 'en',
      at: w(['sources', i]), idAt: w(['sources', i, 'id']), fileAt: w(['sources', i, 'file']),
    };
    const url = str(s, 'url');
    if (url !== undefined) d.url = url;
    sources.push(d);
  });
  list(root, 'external').forEach((s, i) => {
    if (!isObj(s)) return;
    const id = str(s, 'id');
    if (!id) return;
    const d: ExternalDraft = {
      id,
      title: str(s, 'title') ?? id,
      publisher: str(s, 'publisher') ?? '',
      date: dateText(own(s, 'date')) ?? '',
      at: w(['external', i]), idAt: w(['external', i, 'id']),
    };
    const reference = str(s, 'reference');
    if (reference !== undefined) d.reference = reference;
    const url = str(s, 'url');
    if (url !== undefined) d.url = url;
    external.push(d);
  });
  return { sources, external };
}
