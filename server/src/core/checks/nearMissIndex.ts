// Indexes for "did you mean …", built once per corpus (a Corpus is immutable; a WeakMap drops the index with it):
// - names: Latin-script, non-acronym names and aliases (and their surnames' neighbours), normalised, distance ≤ 2;
// - acronyms: case-sensitive acronym aliases, looked up by one substitution (wildcard keys) or one transposition;
// - targets: every id, name and alias, for unknown wikilinks.
import type { Corpus } from '../types';
import { normalize, looksLikeAcronym } from '../normalize';
import { NeighbourIndex } from './distance';
import { ORDINARY_WORDS } from './commonWords';

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
  targets: NeighbourIndex<{ id: string; via: string }>;
  /** Every normalised word that occurs in some name or alias ("eshel", "political-military"). */
  aliasWords: Set<string>;
}

const cache = new WeakMap<Corpus, NearMissIndexes>();

function isLatinName(text: string): boolean {
  return /^[\p{Script=Latin}\d][\p{Script=Latin}\d .'’&()–-]*$/u.test(text);
}

function wildcards(acronym: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < acronym.length; i++) out.push(acronym.slice(0, i) + '\u0000' + acronym.slice(i + 1));
  return out;
}

export function nearMissIndexes(corpus: Corpus): NearMissIndexes {
  let built = cache.get(corpus);
  if (built) return built;
  const names = new NeighbourIndex<NameTarget>(2);
  const targets = new NeighbourIndex<{ id: string; via: string }>(2);
  const acronyms = new Map<string, NameTarget>();
  const acronymWildcards = new Map<string, string[]>();
  const aliasWords = new Set<string>();
  for (const entry of corpus.aliases.values()) {
    const text = entry.text;
    for (const w of entry.key.split(/[\s,.;:()]+/)) if (w) aliasWords.add(w);
    for (const id of entry.entityIds) targets.add(entry.key, { id, via: text });
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
    const words = entry.key.split(' ');
    if (words.length > 3) continue; // near-misses are found over sequences of up to three words
    if (words.length === 1 && (ORDINARY_WORDS.has(entry.key) || entry.key.length < 4)) continue;
    if (!/^\p{Lu}/u.test(text)) continue; // "the forum" is not a name
    names.add(entry.key, { text, entityIds: entry.entityIds });
  }
  for (const entity of corpus.entities) {
    targets.add(normalize(entity.id), { id: entity.id, via: entity.id });
    targets.add(normalize(entity.name), { id: entity.id, via: entity.name });
  }
  built = { names, acronyms, acronymWildcards, targets, aliasWords };
  cache.set(corpus, built);
  return built;
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
