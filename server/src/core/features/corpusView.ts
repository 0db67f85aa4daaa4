// What the features derive from one corpus, computed once per corpus object (a WeakMap, so a reloaded corpus gets
// a fresh view and the old one is collected): reverse references (which meetings and agreements name an entity),
// entity summaries and locations, source line tables, and a name/alias search index for completion, workspace
// symbols and pickers. Lookups never scan the corpus; the search index is built on first use, in linear time.
import type { Citation, Corpus, Entity, EntityRef, Role } from '../types';
import type { CitationView, EntitySummary, ProtocolLocation } from '../../protocol';
import { normalize } from '../normalize';
import { findQuote } from '../corpus/index';
import { Lazy, runToEnd } from '../steps';
import { fileUri } from './uri';
import { positionIn, textLines, type TextLines } from './text';

/** The fields through which one entity refers to another, and how the referrer relates to the target. */
const REF_FIELDS = ['participants', 'organisations', 'agreements', 'topics', 'parties', 'related'] as const;

export interface Referrer {
  entity: Entity;
  field: string;
  role?: string;
}

export interface CorpusView {
  readonly corpus: Corpus;
  /** Entities referring to an entity (meetings, agreements, sub-organisations, people holding roles in it…). */
  referrersOf(id: string): readonly Referrer[];
  summaryOf(entity: Entity): EntitySummary;
  locationOf(entity: Entity): ProtocolLocation;
  citationView(citation: Citation): CitationView;
  /** The search index (built on first call). */
  search(): SearchIndex;
  /** The search index, built in steps if it is not yet (see WorkspaceCorpus.step). */
  searchSteps(): Generator<void, SearchIndex, void>;
  /** Cache for rendered cards (filled by entityCard.ts). */
  readonly cards: Map<string, string>;
}

const views = new WeakMap<Corpus, CorpusView>();

export function corpusView(corpus: Corpus): CorpusView {
  let view = views.get(corpus);
  if (!view) {
    view = buildView(corpus);
    views.set(corpus, view);
  }
  return view;
}

function buildView(corpus: Corpus): CorpusView {
  let referrers: Map<string, Referrer[]> | undefined;
  const summaries = new Map<string, EntitySummary>();
  const sourceLines = new Map<string, TextLines>();
  const quoteLocations = new Map<string, ProtocolLocation | null>();
  const searchIndex = new Lazy(() => SearchIndex.build(corpus), () => new SearchIndex(corpus));

  const buildReferrers = () => {
    const map = new Map<string, Referrer[]>();
    const add = (target: string, r: Referrer) => {
      let list = map.get(target);
      if (!list) map.set(target, (list = []));
      if (!list.some((x) => x.entity === r.entity && x.field === r.field)) list.push(r);
    };
    for (const e of corpus.entities) {
      for (const field of REF_FIELDS) {
        const refs = e[field] as EntityRef[] | undefined;
        if (!refs) continue;
        for (const ref of refs) add(ref.entity, { entity: e, field, role: ref.role });
      }
      if (e.place) add(e.place.entity, { entity: e, field: 'place' });
      if (e.parent) add(e.parent.entity, { entity: e, field: 'parent' });
      for (const role of e.roles ?? []) if (role.organisation) add(role.organisation, { entity: e, field: 'roles', role: role.title });
    }
    return map;
  };

  const view: CorpusView = {
    corpus,
    cards: new Map(),
    referrersOf(id) {
      referrers ??= buildReferrers();
      return referrers.get(id) ?? [];
    },
    summaryOf(entity) {
      let s = summaries.get(entity.id);
      if (!s) {
        s = {
          id: entity.id,
          kind: entity.kind,
          name: entity.name,
          detail: entityDetail(entity, corpus),
          aliases: entity.aliases.map((a) => a.text),
          location: view.locationOf(entity),
        };
        summaries.set(entity.id, s);
      }
      return s;
    },
    locationOf(entity) {
      const o = entity.origin;
      const start = { line: o.line, character: o.column };
      const end = o.endLine !== undefined ? { line: o.endLine, character: o.endColumn ?? o.column } : start;
      return { uri: fileUri(o.file), range: { start, end } };
    },
    citationView(citation) {
      const source = citation.external ? undefined : corpus.sources.get(citation.source);
      const out: CitationView = { source: citation.source, quote: citation.quote };
      if (citation.external) {
        out.external = true;
        const ext = corpus.externalSources?.get(citation.source);
        const title = citation.reference ?? ext?.reference ?? ext?.title;
        if (title) out.sourceTitle = title;
      }
      if (!source) return out;
      out.sourceTitle = source.title;
      const key = `${source.id}\u0000${citation.quote}`;
      let loc = quoteLocations.get(key);
      if (loc === undefined) {
        let lines = sourceLines.get(source.id);
        if (!lines) sourceLines.set(source.id, (lines = textLines(source.text)));
        const at = findQuote(source.text, citation.quote);
        loc = at ? { uri: fileUri(source.path), range: { start: positionIn(lines, at.start), end: positionIn(lines, at.end) } } : null;
        quoteLocations.set(key, loc);
      }
      if (loc) out.location = loc;
      return out;
    },
    search() {
      return searchIndex.get();
    },
    searchSteps() {
      return searchIndex.steps();
    },
  };
  return view;
}

// ---- details ----

/** The role a person holds latest (an open-ended or latest-ending role), for short details. */
export function currentRole(entity: Entity): Role | undefined {
  const roles = entity.roles ?? [];
  let best: Role | undefined;
  let bestKey = '';
  for (const r of roles) {
    const key = r.to ?? (r.from || r.attested?.length ? '9999' : '') + (r.from ?? r.attested?.[r.attested.length - 1] ?? '');
    if (best === undefined || key > bestKey) {
      best = r;
      bestKey = key;
    }
  }
  return best;
}

export function roleDates(role: Role): string {
  if (role.from || role.to) return `${role.from ?? '?'} – ${role.to ?? '?'}`;
  if (role.attested?.length) return `attested ${role.attested.join(', ')}`;
  return '';
}

/** Short plain-text context for pickers and completion: kind plus current role, or the date. */
export function entityDetail(entity: Entity, corpus: Corpus): string {
  const parts: string[] = [entity.kind];
  if (entity.kind === 'person') {
    const role = currentRole(entity);
    if (role) {
      const org = role.organisation ? corpus.byId.get(role.organisation)?.name : undefined;
      const title = org && !role.title.includes(org) ? `${role.title}, ${org}` : role.title;
      const dates = roleDates(role);
      parts.push(dates ? `${title} (${dates})` : title);
    }
  } else if (entity.date) {
    parts.push(entity.date.value);
  } else if (entity.parent) {
    const parent = corpus.byId.get(entity.parent.entity);
    if (parent) parts.push(`part of ${parent.name}`);
  }
  return parts.join(' · ');
}

// ---- search ----

export interface SearchHit {
  entity: Entity;
  /** 0 exact name/alias/id, 1 prefix of a name/alias/id, 2 prefix of a later word, 3 substring. */
  tier: number;
  /** The name or alias that matched (display text). */
  matched: string;
  /** Position of the entity in `corpus.entities`. */
  entityIndex: number;
}

interface QueryResult {
  hits: SearchHit[];
  complete: boolean;
}

const TIERS = 4;
/** Buckets by the first 1, 2 and 3 characters of each word start. */
const BUCKET_CHARS = 3;
/** Buckets this large get their one- and two-character answers computed ahead (see `warm`). */
const LARGE_BUCKET = 2000;
/** Word starts indexed per key (longer keys are rare and still found by their first words). */
const MAX_WORD_OFFSET = 1023;
const CACHE_SIZE = 512;
/** Keys (or entities) indexed between two steps of `SearchIndex.build`. */
const KEYS_PER_STEP = 8192;

/**
 * Prefix search over normalised ids, names and aliases, by word start: "chol" finds "Derek Chollet", "Chollet" and
 * "derek-chollet". Keys come from the corpus's alias index (already normalised by the loader) plus the ids. Word
 * starts are bucketed by their first one, two and three characters, so a query touches one bucket, never the
 * whole corpus; results are ranked by tier then name order with a bitmap over the
 * name ranks (no sort of the matches). Building is linear in the corpus size; recent answers are cached.
 */
export class SearchIndex {
  readonly entities: readonly Entity[];
  /** rank[i] = position of entity i in name order (for sortText); byRank[r] = entity index. */
  private rankOf!: Int32Array;
  private byRank!: Int32Array;
  private readonly keys: string[] = [];
  private readonly keyText: string[] = [];
  private keyEntity!: Int32Array;
  private readonly keyEntityList: number[] = [];
  /**
   * Buckets by the first one or two characters (code units packed in a number) → packed entries
   * keyIndex * 1024 + wordOffset. Key starts and later word starts are kept apart: later word starts rank below
   * every key start, so they are read only when key starts leave room in the result.
   */
  private readonly starts: Map<number, number[]>[] = [new Map(), new Map(), new Map()];
  private readonly words: Map<number, number[]>[] = [new Map(), new Map(), new Map()];
  /** Scratch: best tier + 1 per name rank for the current query (0 = no match). */
  private marks!: Uint8Array;
  /** Scratch: key index of the best match per entity index. */
  private bestKey!: Int32Array;
  private readonly cache = new Map<string, QueryResult>();

  /** `deferred`: leave the index empty for `fill` (see `build`). */
  constructor(corpus: Corpus, deferred = false) {
    this.entities = corpus.entities;
    if (!deferred) runToEnd(this.fill(corpus));
  }

  /** The index of a corpus, built in steps (a few thousand keys each). */
  static *build(corpus: Corpus): Generator<void, SearchIndex, void> {
    const index = new SearchIndex(corpus, true);
    yield* index.fill(corpus);
    return index;
  }

  private *fill(corpus: Corpus): Generator<void, void, void> {
    const n = this.entities.length;
    const indexOf = new Map<string, number>();
    this.entities.forEach((e, i) => indexOf.set(e.id, i));
    const addKey = (i: number, text: string, key: string) => {
      if (!key) return;
      const k = this.keys.length;
      this.keys.push(key);
      this.keyText.push(text);
      this.keyEntityList.push(i);
      this.indexWords(k, key);
    };
    // Each (entity, key) pair once. Alias keys are distinct, so only an entry naming an entity twice (a hand-made
    // corpus) repeats a pair; an id or a name repeats one when an alias of the same entity has its key. Checked
    // where a repeat can arise, rather than through a set of a third of a million "entity + key" strings.
    const namedBy = (key: string, id: string) => corpus.aliases.get(key)?.entityIds.includes(id) ?? false;
    let done = 0;
    for (const [key, entry] of corpus.aliases) {
      if (++done % KEYS_PER_STEP === 0) yield;
      const ids = entry.entityIds;
      for (let n = 0; n < ids.length; n++) {
        const i = indexOf.get(ids[n]!);
        if (i !== undefined && ids.indexOf(ids[n]!) === n) addKey(i, entry.text, key);
      }
    }
    yield;
    for (let i = 0; i < n; i++) {
      if (i % KEYS_PER_STEP === KEYS_PER_STEP - 1) yield;
      const e = this.entities[i]!;
      const idKey = /^[\x20-\x7e]*$/.test(e.id) ? e.id.toLowerCase() : normalize(e.id);
      if (!namedBy(idKey, e.id)) addKey(i, e.id, idKey);
      // Names the alias index may lack (a hand-made corpus): index them too.
      if (!corpus.aliases.has(e.name.toLowerCase())) {
        const nameKey = normalize(e.name);
        if (nameKey !== idKey && !namedBy(nameKey, e.id)) addKey(i, e.name, nameKey);
      }
    }
    yield;
    this.keyEntity = Int32Array.from(this.keyEntityList);
    this.keyEntityList.length = 0;
    const names = this.entities.map((e) => e.name.toLowerCase());
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : a - b));
    this.byRank = Int32Array.from(order);
    this.rankOf = new Int32Array(n);
    order.forEach((entityIndex, rank) => (this.rankOf[entityIndex] = rank));
    this.marks = new Uint8Array(n);
    this.bestKey = new Int32Array(n);
  }

  private indexWords(k: number, key: string): void {
    const len = Math.min(key.length, MAX_WORD_OFFSET);
    for (let off = 0; off < len; off++) {
      if (off > 0 && !isWordBreak(key.charCodeAt(off - 1))) continue;
      if (isWordBreak(key.charCodeAt(off))) continue;
      const packed = k * 1024 + off;
      const maps = off === 0 ? this.starts : this.words;
      for (let n = 1; n <= BUCKET_CHARS && off + n <= key.length; n++) push(maps[n - 1]!, bucketKey(key, off, n), packed);
    }
  }

  /** Answer ahead the short queries whose buckets are large (the slow ones), for the given limit; one per step. */
  *warmSteps(limit: number): Generator<void, void, void> {
    for (const n of [1, 2]) {
      for (const [key, list] of this.starts[n - 1]!) {
        if (list.length < LARGE_BUCKET) continue;
        let q = '';
        let k = Math.floor(key / 4);
        for (let i = 0; i < n; i++) {
          q = String.fromCharCode(k % 65536) + q;
          k = Math.floor(k / 65536);
        }
        this.query(q, limit);
        yield;
      }
    }
  }

  /** Position of the entity in name order (for sortText). */
  rank(entityIndex: number): number {
    return this.rankOf[entityIndex]!;
  }

  /**
   * Entities matching the query (normalised), best first, at most `limit`. `complete` is false when more matched.
   * An empty query lists entities in name order.
   */
  query(rawQuery: string, limit: number, options: { substring?: boolean } = {}): QueryResult {
    const q = normalize(rawQuery);
    const cacheKey = `${limit}\u0000${options.substring ? 1 : 0}\u0000${q}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const result = this.run(q, limit, options.substring ?? false);
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(cacheKey, result);
    return result;
  }

  private run(q: string, limit: number, substring: boolean): QueryResult {
    const hits: SearchHit[] = [];
    if (q === '') {
      for (let r = 0; r < this.byRank.length && hits.length < limit; r++) {
        const i = this.byRank[r]!;
        const e = this.entities[i]!;
        hits.push({ entity: e, tier: 1, matched: e.name, entityIndex: i });
      }
      return { hits, complete: this.byRank.length <= limit };
    }
    const marks = this.marks;
    const rankOf = this.rankOf;
    const keyEntity = this.keyEntity;
    const bestKey = this.bestKey;
    const touched: number[] = [];
    const keys = this.keys;
    const n = Math.min(q.length, BUCKET_CHARS);
    const checkPrefix = q.length > BUCKET_CHARS;
    const bucket = bucketKey(q, 0, n);
    const scan = (bucket: number[] | undefined) => {
      if (!bucket) return;
      for (let b = 0; b < bucket.length; b++) {
        const packed = bucket[b]!;
        const k = (packed / 1024) | 0;
        const off = packed - k * 1024;
        const key = keys[k]!;
        if (checkPrefix && !key.startsWith(q, off)) continue;
        const tier1 = off > 0 ? 3 : key.length === q.length ? 1 : 2; // tier + 1
        const e = keyEntity[k]!;
        const r = rankOf[e]!;
        const prev = marks[r]!;
        if (prev === 0) touched.push(r);
        if (prev === 0 || tier1 < prev) {
          marks[r] = tier1;
          bestKey[e] = k;
        }
      }
    };
    scan(this.starts[n - 1]!.get(bucket));
    // Later word starts rank below key starts: needed only while key starts leave room.
    let more = false;
    if (touched.length <= limit) scan(this.words[n - 1]!.get(bucket));
    else more = true;
    if (substring && touched.length < limit) {
      // Substring fallback (workspace symbols, pickers): a bounded linear pass over the keys.
      for (let k = 0; k < this.keys.length && touched.length < limit * 4; k++) {
        const e = keyEntity[k]!;
        const r = rankOf[e]!;
        if (marks[r] === 0 && this.keys[k]!.includes(q)) {
          touched.push(r);
          marks[r] = 4;
          bestKey[e] = k;
        }
      }
    }
    // Rank: tier by tier, name order within a tier. Few matches: sort them; many: scan the rank bitmap.
    if (touched.length <= limit * 8) {
      touched.sort((a, b) => marks[a]! - marks[b]! || a - b);
      for (const r of touched) {
        if (hits.length >= limit) break;
        hits.push(this.hit(r, marks[r]! - 1));
      }
    } else {
      for (let tier = 1; tier <= TIERS && hits.length < limit; tier++) {
        for (let r = 0; r < marks.length && hits.length < limit; r++) if (marks[r] === tier) hits.push(this.hit(r, tier - 1));
      }
    }
    for (const r of touched) marks[r] = 0;
    return { hits, complete: !more && touched.length <= limit };
  }

  private hit(rank: number, tier: number): SearchHit {
    const i = this.byRank[rank]!;
    return { entity: this.entities[i]!, tier, matched: this.keyText[this.bestKey[i]!]!, entityIndex: i };
  }
}

/** The first `n` (≤ 3) UTF-16 units of `text` at `offset`, packed in one number. */
function bucketKey(text: string, offset: number, n: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) k = k * 65536 + text.charCodeAt(offset + i);
  return k * 4 + n;
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Word breaks inside normalised keys: spaces, hyphens, dots, slashes, parentheses, apostrophes. */
function isWordBreak(c: number): boolean {
  return c === 0x20 || c === 0x2d || c === 0x2e || c === 0x2f || c === 0x28 || c === 0x29 || c === 0x27 || c === 0x2c ||
    c === 0x5f || c === 0x26 || c === 0x22;
}
