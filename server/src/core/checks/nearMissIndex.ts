// Indexes for "did you mean …", built once per corpus (a Corpus is immutable; a WeakMap drops the index with it):
// - names: Latin-script, non-acronym names and aliases (and their surnames' neighbours), normalised, distance ≤ 2;
// - acronyms: case-sensitive acronym aliases, looked up by one substitution (wildcard keys) or one transposition;
// - targets: every id, name and alias, for unknown wikilinks.
import type { Corpus } from '../types';
import { normalize, looksLikeAcronym } from '../normalize';
import { NeighbourIndex } from './distance';
import { ORDINARY_WORDS } from './commonWords';
import { isJsWhitespace } from './context';

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

const cache = new WeakMap<Corpus, NearMissIndexes>();

function isLatinName(text: string): boolean {
  return /^[\p{Script=Latin}\d][\p{Script=Latin}\d .'’&()–-]*$/u.test(text);
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
  let built = cache.get(corpus);
  if (built) return built;
  const names = new NeighbourIndex<NameTarget>(2);
  const acronyms = new Map<string, NameTarget>();
  const acronymWildcards = new Map<string, string[]>();
  const aliasWords = new Set<string>();
  for (const entry of corpus.aliases.values()) {
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
    if (!/^\p{Lu}/u.test(text)) continue; // "the forum" is not a name
    names.add(entry.key, { text, entityIds: entry.entityIds });
  }
  // Wikilink targets are read only when a brief has an unknown wikilink: built then.
  let targets: NeighbourIndex<{ id: string; via: string }> | undefined;
  built = { names, acronyms, acronymWildcards, aliasWords, get targets() { return (targets ??= wikilinkTargets(corpus)); } };
  cache.set(corpus, built);
  return built;
}

function wikilinkTargets(corpus: Corpus): NeighbourIndex<{ id: string; via: string }> {
  const targets = new NeighbourIndex<{ id: string; via: string }>(2);
  for (const entry of corpus.aliases.values()) for (const id of entry.entityIds) targets.add(entry.key, { id, via: entry.text });
  for (const entity of corpus.entities) {
    targets.add(normalize(entity.id), { id: entity.id, via: entity.id });
    targets.add(normalize(entity.name), { id: entity.id, via: entity.name });
  }
  return targets;
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
