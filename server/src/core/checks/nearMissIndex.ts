// Indexes for "did you mean …", built once per corpus (a Corpus is immutable; a WeakMap drops the index with it):
// - names: Latin-script, non-acronym names and aliases (and their surnames' neighbours), normalised, distance ≤ 2;
// - acronyms: case-sensitive acronym aliases, looked up by one substitution (wildcard keys) or one transposition;
// - targets: every id, name and alias, for unknown wikilinks.
import type { Corpus } from '../types';
import { normalize, looksLikeAcronym } from '../normalize';
import { NeighbourIndex } from './distance';
import { sortedAliasKeys } from '../corpus/aliases';
import { ORDINARY_WORDS } from './commonWords';
import { isJsWhitespace } from './context';
import { Lazy, LazyPer, type Steps } from '../steps';

export interface NameTarget {
  /** Display text as written in the corpus. */
  text: string;
  entityIds: string[];
}

export interface NearMissIndexes {
  names: NeighbourIndex<NameTarget>;
  /** Acronym text → target (exact, case-sensitive). */
  acronyms: Map<string, NameTarget>;
  /** Acronym with one position replaced by "\u0000" → acronyms sharing that pattern. */
  acronymWildcards: Map<string, string[]>;
  /** Built on first use. */
  readonly targets: NeighbourIndex<{ id: string; via: string }>;
  /** Every normalised word that occurs in some name or alias ("eshel", "political-military"). */
  aliasWords: Set<string>;
}

const cache = new LazyPer<Corpus, NearMissIndexes>((corpus) => buildIndexes(corpus));

const LATIN_NAME = /^[\p{Script=Latin}\d][\p{Script=Latin}\d .'’&()–-]*$/u;
/** ASCII in a Latin name: 1 for letters and digits (which may start it), 2 for ` .'&()-` (which may follow). */
const LATIN_ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  LATIN_ASCII[c] = /[A-Za-z0-9]/.test(ch) ? 1 : " .'&()-".includes(ch) ? 2 : 0;
}

/** Latin letters and digits, with spaces and name punctuation after the first; an ASCII name is decided without
 *  the Unicode regular expression (a 100,000-entity overlay has a quarter of a million names and aliases). */
function isLatinName(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) return LATIN_NAME.test(text);
    const kind = LATIN_ASCII[c]!;
    if (kind === 0 || (i === 0 && kind !== 1)) return false;
  }
  return true;
}

function wildcards(acronym: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < acronym.length; i++) out.push(acronym.slice(0, i) + '\u0000' + acronym.slice(i + 1));
  return out;
}

/** The words of a key as `key.split(/[\s,.;:()]+/)` gives them (empty ones left out), without a regular expression. */
function addWords(key: string, into: Set<string>): void {
  let start = 0;
  for (let i = 0; i <= key.length; i++) {
    const c = i < key.length ? key.charCodeAt(i) : 32;
    if (c === 44 || c === 46 || c === 59 || c === 58 || c === 40 || c === 41 || isJsWhitespace(c)) {
      if (i > start) into.add(key.slice(start, i));
      start = i + 1;
    }
  }
}

export function nearMissIndexes(corpus: Corpus): NearMissIndexes {
  return cache.of(corpus).get();
}

/** Aliases handled between two steps of nearMissIndexSteps. */
const ALIASES_PER_STEP = 16384;

/** nearMissIndexes in steps (see WorkspaceCorpus.step). `eager`: also build now the names trie, which the first
 *  lookup would. (Not the wikilink targets: ~80 MB with a 100,000-entity corpus, read only for an unknown wikilink,
 *  so they are built then.) */
export function* nearMissIndexSteps(corpus: Corpus, eager = false): Steps<NearMissIndexes> {
  const built = yield* cache.of(corpus).steps();
  if (eager) yield* built.names.buildSteps();
  return built;
}

function* buildIndexes(corpus: Corpus): Steps<NearMissIndexes> {
  // Names index: the keys are the corpus's own alias keys and a hit's value is its AliasEntry (which has the
  // `text` and `entityIds` of a NameTarget): no copies, which matters with a 100,000-entity overlay.
  const nameKeys = new Set<string>();
  const acronyms = new Map<string, NameTarget>();
  const acronymWildcards = new Map<string, string[]>();
  const aliasWords = new Set<string>();
  // In the map's own order (entries lie in memory about in that order): a walk in sorted order was slower.
  let seen = 0;
  for (const entry of corpus.aliases.values()) {
    if (++seen % ALIASES_PER_STEP === 0) yield;
    const text = entry.text;
    addWords(entry.key, aliasWords);
    if (!isLatinName(text)) continue;
    const acronym = entry.caseSensitive && looksLikeAcronym(text);
    if (acronym) {
      const compact = text.replace(/\./g, '');
      if (!/^[A-Z][A-Z0-9&-]{1,7}$/.test(compact) || compact !== text) continue; // "JPMG", not "U.S."
      acronyms.set(text, { text, entityIds: entry.entityIds });
      for (const w of wildcards(text)) {
        const list = acronymWildcards.get(w) ?? [];
        list.push(text);
        acronymWildcards.set(w, list);
      }
      continue;
    }
    let words = 1;
    for (let i = entry.key.indexOf(' '); i >= 0; i = entry.key.indexOf(' ', i + 1)) words++;
    if (words > 3) continue; // near-misses are found over sequences of up to three words
    if (words === 1 && (ORDINARY_WORDS.has(entry.key) || entry.key.length < 4)) continue;
    const first = text.charCodeAt(0);
    if (first < 128 ? !(first >= 65 && first <= 90) : !UPPER_FIRST.test(text)) continue; // "the forum" is not a name
    nameKeys.add(entry.key);
  }
  yield;
  // In sorted order, from the corpus's sorted keys: the trie needs no sort of its own.
  const sortedNames = sortedAliasKeys(corpus).filter((k) => nameKeys.has(k));
  const names = NeighbourIndex.over<NameTarget>(2, sortedNames, (key) => {
    const entry = corpus.aliases.get(key);
    return entry ? [entry] : [];
  }, true);
  // Wikilink targets are read only when a brief has an unknown wikilink: built then (or ahead, in steps).
  const targets = new Lazy(() => wikilinkTargets(corpus));
  return {
    names, acronyms, acronymWildcards, aliasWords,
    get targets() { return targets.get(); },
  };
}

const UPPER_FIRST = /^\p{Lu}/u;
/** Ids as the schema asks for them are their own normalised form (checked: normalize() leaves them unchanged). */
const PLAIN_ID = /^[a-z0-9][a-z0-9-]*$/;

interface WikilinkTarget { id: string; via: string }

/**
 * Every alias key, id and name, for "did you mean" on unknown wikilinks. Alias keys are indexed as they are, and
 * ids that are already normalised are looked up in `byId` when hit; only odd ids and names that are not alias keys
 * get an entry of their own (a generated 100,000-entity overlay has none).
 */
function* wikilinkTargets(corpus: Corpus): Steps<NeighbourIndex<WikilinkTarget>> {
  const more: string[] = [];
  const extra = new Map<string, WikilinkTarget[]>();
  const addExtra = (key: string, target: WikilinkTarget) => {
    const list = extra.get(key);
    if (list) list.push(target);
    else {
      extra.set(key, [target]);
      more.push(key);
    }
  };
  for (let n = 0; n < corpus.entities.length; n++) {
    if (n % ALIASES_PER_STEP === ALIASES_PER_STEP - 1) yield;
    const entity = corpus.entities[n]!;
    if (PLAIN_ID.test(entity.id)) more.push(entity.id);
    else addExtra(normalize(entity.id), { id: entity.id, via: entity.id });
    const nameKey = normalize(entity.name);
    if (!corpus.aliases.get(nameKey)?.entityIds.includes(entity.id)) addExtra(nameKey, { id: entity.id, via: entity.name });
  }
  yield;
  more.sort();
  yield;
  const keys = mergeSorted(sortedAliasKeys(corpus), more);
  return NeighbourIndex.over<WikilinkTarget>(2, keys, (key) => {
    const out: WikilinkTarget[] = [];
    const entry = corpus.aliases.get(key);
    if (entry) for (const id of entry.entityIds) out.push({ id, via: entry.text });
    const entity = corpus.byId.get(key);
    if (entity && PLAIN_ID.test(key)) out.push({ id: entity.id, via: entity.id });
    const odd = extra.get(key);
    if (odd) out.push(...odd);
    return out;
  }, true);
}

/** Two sorted lists as one (the default sort order). */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** Acronyms one substitution (length ≥ 4) or one adjacent transposition away from `token` (case-sensitive). */
export function acronymNeighbours(indexes: NearMissIndexes, token: string): NameTarget[] {
  const found = new Set<string>();
  if (token.length >= 4) {
    for (const w of wildcards(token)) for (const a of indexes.acronymWildcards.get(w) ?? []) if (a !== token) found.add(a);
  }
  for (let i = 0; i + 1 < token.length; i++) {
    if (token[i] === token[i + 1]) continue;
    const swapped = token.slice(0, i) + token[i + 1] + token[i] + token.slice(i + 2);
    if (indexes.acronyms.has(swapped)) found.add(swapped);
  }
  return [...found].sort().map((a) => indexes.acronyms.get(a)!);
}
