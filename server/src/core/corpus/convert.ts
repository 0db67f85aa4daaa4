// From parsed YAML data to corpus objects.
//
// Safety: user objects never reach the corpus unchecked. An entity the schema found valid has, by the schema's
// `additionalProperties: false`, only known keys (`__proto__`, `constructor`, `<<` are reported, never kept),
// each of its type; such an entity object is adopted as it is (string aliases become alias objects), which spares
// copying 100,000 generated entities. An entity with schema errors is rebuilt field by field instead: only known
// fields, each checked for its type, into fresh literals (a wrong field is simply left out; the schema said why).
//
// The checks that follow (references, citations, aliases) walk the parsed value with the same type guards, keeping
// a path so that a problem can be placed exactly; nothing is recorded for values that turn out fine.
import {
  ENTITY_KINDS,
  type AliasSpec, type Citation, type DatedFact, type DatePrecision, type Entity, type EntityKind, type EntityRef,
  type Role, type SourceLocation, type TextFact,
} from '../types';
import type { ParsedYaml, Path } from './yamlDoc';

/**
 * Where a value sits, as a chain of path segments up to the document (entities share their prefix); turned into
 * a line and column only when a problem needs it.
 */
export interface Where {
  doc: ParsedYaml;
  up?: Where;
  seg?: string | number;
}

export function child(w: Where, seg: string | number): Where {
  return { doc: w.doc, up: w, seg };
}

/** `w` extended by a relative path. */
export function under(w: Where, rel: readonly (string | number)[]): Where {
  let x = w;
  for (const seg of rel) x = child(x, seg);
  return x;
}

export function pathOf(w: Where): Path {
  const segs: (string | number)[] = [];
  for (let x: Where | undefined = w; x && x.seg !== undefined; x = x.up) segs.push(x.seg);
  return segs.reverse();
}

/** An entity as read from one file. */
export interface Draft {
  entity: Entity;
  bundled: boolean;
  /** The entity mapping as parsed (walked by the checks; see forEachRef, forEachCitation, forEachAlias). */
  raw: Obj;
  /** `aliases` as parsed (an adopted entity gets a new array of alias objects). */
  rawAliases: unknown;
  at: Where; // the entity mapping
  idAt: Where;
  /** Whether the entry writes a `name` (an extending overlay entry may leave it out). */
  hasName: boolean;
}

/** Whether the entry gives this top-level field with a usable value (an overlay replaces only those). */
export function gives(d: Draft, field: string): boolean {
  return own(d.raw, field) !== undefined && (d.entity as unknown as Obj)[field] !== undefined && (field !== 'name' || d.hasName);
}

export type Obj = Record<string, unknown>;

export const REF_LIST_FIELDS = ['participants', 'organisations', 'agreements', 'topics', 'parties', 'related'] as const;

export function isObj(v: unknown): v is Obj {
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
const FORMATS = new Set(['in-person', 'hybrid', 'virtual', 'unknown']);

// ---- Building entities field by field (entities with schema errors) ----------------------------------------

function citationList(v: unknown): Citation[] {
  if (!Array.isArray(v)) return [];
  const out: Citation[] = [];
  for (const c of v) {
    if (!isCitation(c)) continue;
    const citation: Citation = { source: c.source as string, quote: c.quote as string };
    const external = bool(c, 'external');
    if (external !== undefined) citation.external = external;
    const reference = str(c, 'reference');
    if (reference !== undefined) citation.reference = reference;
    out.push(citation);
  }
  return out;
}

function isCitation(c: unknown): c is Obj {
  return isObj(c) && typeof own(c, 'source') === 'string' && typeof own(c, 'quote') === 'string';
}

function buildRef(v: unknown): EntityRef | undefined {
  if (typeof v === 'string') return { entity: v, sources: [] };
  if (!isObj(v)) return undefined;
  const entity = str(v, 'entity');
  if (entity === undefined) return undefined;
  const ref: EntityRef = { entity, sources: citationList(own(v, 'sources')) };
  const role = str(v, 'role');
  if (role !== undefined) ref.role = role;
  return ref;
}

function buildAlias(v: unknown): AliasSpec | undefined {
  if (typeof v === 'string') return { text: v };
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
  if (own(v, 'sources') !== undefined) spec.sources = citationList(own(v, 'sources'));
  return spec;
}

function buildRole(v: unknown): Role | undefined {
  if (!isObj(v)) return undefined;
  const title = str(v, 'title');
  if (title === undefined) return undefined;
  const role: Role = {
    title,
    titles: list(v, 'titles').filter((t): t is string => typeof t === 'string'),
    sources: citationList(own(v, 'sources')),
  };
  const organisation = str(v, 'organisation');
  if (organisation !== undefined) role.organisation = organisation;
  const from = dateText(own(v, 'from'));
  if (from !== undefined) role.from = from;
  const to = dateText(own(v, 'to'));
  if (to !== undefined) role.to = to;
  const attested = list(v, 'attested').map(dateText).filter((d): d is string => d !== undefined);
  if (attested.length) role.attested = attested;
  return role;
}

function buildDated(v: unknown): DatedFact | undefined {
  const direct = dateText(v);
  if (direct !== undefined) return { value: direct, precision: precisionOf(direct), sources: [] };
  if (!isObj(v)) return undefined;
  const value = dateText(own(v, 'value'));
  if (value === undefined) return undefined;
  const p = str(v, 'precision');
  const precision: DatePrecision = p === 'day' || p === 'month' || p === 'year' ? p : precisionOf(value);
  return { value, precision, sources: citationList(own(v, 'sources')) };
}

function buildEntity(v: Obj, id: string, kind: EntityKind, origin: SourceLocation): Entity {
  const entity: Entity = {
    id,
    kind,
    name: str(v, 'name') ?? id,
    aliases: [],
    summary: str(v, 'summary') ?? '',
    sources: citationList(own(v, 'sources')),
    origin,
  };
  for (const a of list(v, 'aliases')) {
    const spec = buildAlias(a);
    if (spec) entity.aliases.push(spec);
  }
  if (own(v, 'roles') !== undefined) {
    entity.roles = [];
    for (const r of list(v, 'roles')) {
      const role = buildRole(r);
      if (role) entity.roles.push(role);
    }
  }
  const date = buildDated(own(v, 'date'));
  if (date) entity.date = date;
  const place = buildRef(own(v, 'place'));
  if (place) entity.place = place;
  const parent = buildRef(own(v, 'parent'));
  if (parent) entity.parent = parent;
  const format = own(v, 'format');
  if (isObj(format)) {
    const value = str(format, 'value');
    if (value !== undefined && FORMATS.has(value)) {
      entity.format = { value: value as NonNullable<Entity['format']>['value'], sources: citationList(own(format, 'sources')) };
    }
  }
  const ordinal = own(v, 'ordinal');
  if (isObj(ordinal)) {
    const value = own(ordinal, 'value');
    if (typeof value === 'number' && Number.isFinite(value)) entity.ordinal = { value, sources: citationList(own(ordinal, 'sources')) };
  }
  for (const field of REF_LIST_FIELDS) {
    if (own(v, field) === undefined) continue;
    const refs: EntityRef[] = [];
    for (const r of list(v, field)) {
      const ref = buildRef(r);
      if (ref) refs.push(ref);
    }
    entity[field] = refs;
  }
  if (own(v, 'commits') !== undefined) {
    const commits: TextFact[] = [];
    for (const c of list(v, 'commits')) {
      if (typeof c === 'string') commits.push({ text: c, sources: [] });
      else if (isObj(c) && str(c, 'text') !== undefined) commits.push({ text: str(c, 'text')!, sources: citationList(own(c, 'sources')) });
    }
    entity.commits = commits;
  }
  return entity;
}

/** A schema-valid entity mapping, adopted as the entity (see the note at the top). */
function adopt(v: Obj, origin: SourceLocation): Entity {
  // A new array: the parsed one stays as written (the alias index places its problems by it).
  const aliases = own(v, 'aliases');
  v.aliases = Array.isArray(aliases) ? aliases.map((a) => (typeof a === 'string' ? { text: a } : a)) : [];
  v.origin = origin;
  return v as unknown as Entity;
}

/**
 * Entities of one parsed entity file, in file order. `invalid` holds the indices of entities with schema
 * errors (or is 'all' when the file itself failed, or the schema could not be used): those are rebuilt.
 */
export function convertEntityFile(doc: ParsedYaml, bundled: boolean, invalid: ReadonlySet<number> | 'all' = 'all'): Draft[] {
  const root = doc.value;
  if (!isObj(root)) return [];
  const items = own(root, 'entities');
  if (!Array.isArray(items)) return [];
  const out: Draft[] = [];
  const itemsAt = child({ doc }, 'entities');
  for (let i = 0; i < items.length; i++) {
    const v: unknown = items[i];
    if (!isObj(v)) continue;
    const id = str(v, 'id');
    const kind = str(v, 'kind');
    if (id === undefined || id === '' || kind === undefined || !(ENTITY_KINDS as readonly string[]).includes(kind)) continue;
    const at = child(itemsAt, i);
    const idAt = child(at, 'id');
    const r = doc.locate(['entities', i, 'id'], 'key');
    const origin: SourceLocation = { file: doc.file, line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn };
    const hadName = str(v, 'name') !== undefined;
    const rawAliases = own(v, 'aliases');
    const entity = invalid !== 'all' && !invalid.has(i) ? adopt(v, origin) : buildEntity(v, id, kind as EntityKind, origin);
    out.push({
      entity, bundled, raw: v, rawAliases, at, idAt, hasName: hadName,
    });
  }
  return out;
}

// ---- Walking the parsed value (same guards as above) --------------------------------------------------------

type Rel = (string | number)[];

// The walkers below avoid closures per entity: with 100,000 entities, allocating them shows.

function visitRef(r: unknown, field: string, path: Rel, fn: RefVisitor): void {
  if (typeof r === 'string') return fn(r, field, path);
  if (!isObj(r)) return;
  const id = str(r, 'entity');
  if (id === undefined) return;
  path.push('entity');
  fn(id, field, path);
  path.pop();
}

type RefVisitor = (id: string, field: string, rel: readonly (string | number)[]) => void;
type CitationVisitor = (c: Obj, rel: readonly (string | number)[]) => void;

/** Every entity reference in an entity mapping: (id, field, path of the id's value relative to the entity). */
export function forEachRef(v: Obj, fn: RefVisitor): void {
  const path: Rel = [];
  for (const field of ['place', 'parent'] as const) {
    const r = own(v, field);
    if (r === undefined) continue;
    path.push(field);
    visitRef(r, field, path, fn);
    path.pop();
  }
  for (const field of REF_LIST_FIELDS) {
    const refs = own(v, field);
    if (!Array.isArray(refs)) continue;
    path.push(field, 0);
    for (let i = 0; i < refs.length; i++) {
      path[1] = i;
      visitRef(refs[i], field, path, fn);
    }
    path.length = 0;
  }
  const roles = own(v, 'roles');
  if (Array.isArray(roles)) {
    path.push('roles', 0, 'organisation');
    for (let i = 0; i < roles.length; i++) {
      const role = roles[i];
      if (!isObj(role) || str(role, 'title') === undefined) continue;
      const org = str(role, 'organisation');
      if (org === undefined) continue;
      path[1] = i;
      fn(org, 'organisation', path);
    }
    path.length = 0;
  }
}

/** The citations of `o.sources`, with `path` leading to `o`. */
function visitCitations(o: Obj, path: Rel, fn: CitationVisitor): void {
  const list = own(o, 'sources');
  if (!Array.isArray(list)) return;
  path.push('sources', 0);
  const at = path.length - 1;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (!isCitation(c)) continue;
    path[at] = i;
    fn(c, path);
  }
  path.length -= 2;
}

/** Which nested objects hold citations the entity keeps (the same guards as buildEntity). */
function keeps(field: string, o: Obj): boolean {
  switch (field) {
    case 'aliases': case 'commits': return str(o, 'text') !== undefined;
    case 'roles': return str(o, 'title') !== undefined;
    case 'date': return dateText(own(o, 'value')) !== undefined;
    case 'format': return FORMATS.has(str(o, 'value') ?? '');
    case 'ordinal': {
      const value = own(o, 'value');
      return typeof value === 'number' && Number.isFinite(value);
    }
    default: return str(o, 'entity') !== undefined; // references
  }
}

const CITING_LISTS: readonly string[] = ['aliases', 'roles', 'commits', ...REF_LIST_FIELDS];
const CITING_SINGLES = ['place', 'parent', 'date', 'format', 'ordinal'] as const;

/** Every citation in an entity mapping, with its path relative to the entity. */
export function forEachCitation(v: Obj, fn: CitationVisitor): void {
  const path: Rel = [];
  visitCitations(v, path, fn);
  for (const field of CITING_LISTS) {
    const items = own(v, field);
    if (!Array.isArray(items)) continue;
    path.push(field, 0);
    for (let i = 0; i < items.length; i++) {
      const o = items[i];
      if (!isObj(o) || !keeps(field, o)) continue;
      path[1] = i;
      visitCitations(o, path, fn);
    }
    path.length = 0;
  }
  for (const field of CITING_SINGLES) {
    const o = own(v, field);
    if (!isObj(o) || !keeps(field, o)) continue;
    path.push(field);
    visitCitations(o, path, fn);
    path.length = 0;
  }
}

/** The short titles of a person's roles, with role and title indices. */
export function forEachTitle(v: Obj, fn: (title: string, role: number, index: number) => void): void {
  const roles = own(v, 'roles');
  if (!Array.isArray(roles)) return;
  for (let r = 0; r < roles.length; r++) {
    const role = roles[r];
    if (!isObj(role) || str(role, 'title') === undefined) continue;
    const titles = own(role, 'titles');
    if (!Array.isArray(titles)) continue;
    for (let t = 0; t < titles.length; t++) if (typeof titles[t] === 'string') fn(titles[t] as string, r, t);
  }
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
