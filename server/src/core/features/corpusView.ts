// What the features derive from one corpus, computed once per corpus object (a WeakMap, so a reloaded corpus gets
// a fresh view and the old one is collected): reverse references (which meetings and agreements name an entity),
// entity summaries and locations, source line tables, and a name/alias search index for completion, workspace
// symbols and pickers. Lookups never scan the corpus; the search index is built on first use, in linear time.
import type { Citation, Corpus, Entity, EntityRef, Role } from '../types';
import type { CitationView, EntitySummary, ProtocolLocation } from '../../protocol';
import { normalize } from '../normalize';
import { findQuote } from '../corpus/index';
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
  let searchIndex: SearchIndex | undefined;

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
      searchIndex ??= new SearchIndex(corpus);
      return searchIndex;
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

/**
 * Prefix search over normalised ids, names and aliases, by word start: "chol" finds "Derek Chollet", "Chollet" and
 * "derek-chollet". Entries are bucketed by their first two characters (and one-character buckets for one-letter
 * queries), so a query touches one bucket, never the whole corpus. Building is linear in the corpus size.
 */
export class SearchIndex {
  readonly entities: readonly Entity[];
  /** Entity positions sorted by normalised name (the default order). */
  private sortedOrder: Int32Array | undefined;
  /** rank[i] = position of entity i in name order, for sortText. */
  private rankOf: Int32Array | undefined;
  private readonly keys: string[] = [];
  private readonly keyText: string[] = [];
  private readonly keyEntity: number[] = [];
  private readonly buckets2 = new Map<string, number[]>(); // packed: keyIndex * 256 + wordOffset (capped)
  private readonly buckets1 = new Map<string, number[]>();
  private readonly normNames: string[] = [];

  constructor(corpus: Corpus) {
    this.entities = corpus.entities;
    this.entities.forEach((e, i) => {
      const name = normalize(e.name);
      this.normNames.push(name);
      const seen = new Set<string>();
      const addKey = (text: string, key: string) => {
        if (!key || seen.has(key)) return;
        seen.add(key);
        const k = this.keys.length;
        this.keys.push(key);
        this.keyText.push(text);
        this.keyEntity.push(i);
        this.indexWords(k, key);
      };
      addKey(e.name, name);
      for (const a of e.aliases) addKey(a.text, normalize(a.text));
      addKey(e.id, normalize(e.id));
    });
  }

  private indexWords(k: number, key: string): void {
    for (let off = 0; off < key.length && off < 255; off++) {
      if (off > 0 && !isWordBreak(key.charCodeAt(off - 1))) continue;
      if (isWordBreak(key.charCodeAt(off))) continue;
      const packed = k * 256 + off;
      const b1 = key[off]!;
      push(this.buckets1, b1, packed);
      if (off + 1 < key.length) push(this.buckets2, key.slice(off, off + 2), packed);
    }
  }

  /** Position of the entity in name order (for sortText). */
  rank(entityIndex: number): number {
    this.ensureOrder();
    return this.rankOf![entityIndex]!;
  }

  private ensureOrder(): void {
    if (this.sortedOrder) return;
    const order = Array.from(this.entities.keys());
    const names = this.normNames;
    order.sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : a - b));
    this.sortedOrder = Int32Array.from(order);
    this.rankOf = new Int32Array(order.length);
    order.forEach((entityIndex, rank) => (this.rankOf![entityIndex] = rank));
  }

  /**
   * Entities matching the query (normalised), best first, at most `limit`. `complete` is false when more matched.
   * An empty query lists entities in name order.
   */
  query(rawQuery: string, limit: number, options: { substring?: boolean } = {}): { hits: SearchHit[]; complete: boolean } {
    const q = normalize(rawQuery);
    const hits: SearchHit[] = [];
    if (q === '') {
      this.ensureOrder();
      const order = this.sortedOrder!;
      for (let r = 0; r < order.length && hits.length < limit; r++) {
        const e = this.entities[order[r]!]!;
        hits.push({ entity: e, tier: 1, matched: e.name, entityIndex: order[r]! });
      }
      return { hits, complete: order.length <= limit };
    }
    const best = new Map<number, { tier: number; key: number }>();
    const bucket = q.length >= 2 ? this.buckets2.get(q.slice(0, 2)) : this.buckets1.get(q);
    if (bucket) {
      for (const packed of bucket) {
        const k = Math.floor(packed / 256);
        const off = packed % 256;
        const key = this.keys[k]!;
        if (!key.startsWith(q, off)) continue;
        const tier = off > 0 ? 2 : key.length === q.length ? 0 : 1;
        const e = this.keyEntity[k]!;
        const prev = best.get(e);
        if (!prev || tier < prev.tier) best.set(e, { tier, key: k });
      }
    }
    if (options.substring && best.size < limit) {
      // Substring fallback (workspace symbols): a bounded linear pass over the keys.
      for (let k = 0; k < this.keys.length && best.size < limit * 4; k++) {
        const e = this.keyEntity[k]!;
        if (best.has(e)) continue;
        if (this.keys[k]!.includes(q)) best.set(e, { tier: 3, key: k });
      }
    }
    this.ensureOrder();
    const ranked = [...best.entries()].sort((a, b) => a[1].tier - b[1].tier || this.rankOf![a[0]]! - this.rankOf![b[0]]!);
    for (const [e, m] of ranked) {
      if (hits.length >= limit) break;
      hits.push({ entity: this.entities[e]!, tier: m.tier, matched: this.keyText[m.key]!, entityIndex: e });
    }
    return { hits, complete: ranked.length <= limit };
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Word breaks inside normalised keys: spaces, hyphens, dots, slashes, parentheses, apostrophes. */
function isWordBreak(c: number): boolean {
  return c === 0x20 || c === 0x2d || c === 0x2e || c === 0x2f || c === 0x28 || c === 0x29 || c === 0x27 || c === 0x2c ||
    c === 0x5f || c === 0x26 || c === 0x22;
}
