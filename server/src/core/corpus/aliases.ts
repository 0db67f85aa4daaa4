// The alias index: normalised name → what it names. Every name, every alias, and for people each "title +
// surname" form their roles give ("Director General Eshel", "Counselor Chollet").
//
// Collisions are never resolved silently: an alias naming two entities maps to both ids. Unless every entity
// involved declares the alias `ambiguous: true`, the later one (in load order, so an overlay's, never the bundled
// corpus's) gets an `alias-collision` problem. Generated title forms never displace a written alias; two people
// sharing a generated form both keep it, as an ambiguous entry (an information note, not a problem to fix).
import { looksLikeAcronym, normalize } from '../normalize';
import { LazyPer, sortedStrings, type Steps } from '../steps';
import type { AliasEntry, Corpus, CorpusProblem, Entity } from '../types';
import { forEachTitle, isObj, under, type Draft, type Obj, type Where } from './convert';
import type { Range } from './positions';

const sortedKeys = new LazyPer<Corpus, readonly string[]>(
  (corpus) => sortedStrings([...corpus.aliases.keys()]),
  (corpus) => [...corpus.aliases.keys()].sort(), // at once: the native sort
);

/** The corpus's alias keys in the default (UTF-16 unit) sort order, sorted once per corpus for every index built
 *  from them: a 100,000-entity overlay has a quarter of a million keys. */
export function sortedAliasKeys(corpus: Corpus): readonly string[] {
  return sortedKeys.of(corpus).get();
}

/** sortedAliasKeys in steps (see WorkspaceCorpus.step). */
export function sortedAliasKeySteps(corpus: Corpus): Steps<readonly string[]> {
  return sortedKeys.of(corpus).steps();
}

export interface AliasSubject {
  entity: Entity;
  /** The entries it was read from: its definition, then any overlay entries extending it. */
  drafts: readonly Draft[];
}

/** One entity's claim on a normalised key; `others` on the first claim holds further entities (collisions). */
interface Claim {
  id: string;
  text: string;
  lang: string | undefined;
  draft: Draft;
  /** Where the text is written: an alias index, or -1 for `name`, -2 for `id` (an entity without a name). */
  index: number;
  isObject: boolean;
  declared: boolean;
  acronym: boolean;
  discouraged?: string;
  others?: Claim[];
}

const LOWER_ASCII = /[a-z]/;
const ARABIC_SCRIPT = /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/;
const NAME_SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv']);

/** The last word of a person's name, ignoring "Jr." and the like and any parenthesis ("Amir Eshel" → "Eshel"). */
export function surnameOf(name: string): string | undefined {
  const words = name.replace(/\([^)]*\)/g, ' ').replace(/,/g, ' ').trim().split(/\s+/).filter(Boolean);
  while (words.length > 1 && NAME_SUFFIXES.has(words[words.length - 1]!.toLowerCase())) words.pop();
  return words.length >= 2 ? words[words.length - 1] : undefined;
}

/** Record that `text` (an alias object `o`, or a plain string) names entity `id`. */
function addClaim(
  slots: Map<string, Claim>, id: string, preferredDefault: string, text: string, o: Obj | undefined, draft: Draft, index: number,
): void {
  const key = normalize(text);
  if (key === '') return;
  let acronym: boolean;
  let lang: string | undefined;
  let ambiguous = false;
  let discouraged: string | undefined;
  if (o === undefined) {
    // Any lower-case ASCII letter rules out an acronym before the general (Unicode) test.
    acronym = !LOWER_ASCII.test(text) && looksLikeAcronym(text);
  } else {
    acronym = typeof o.acronym === 'boolean' ? o.acronym : !LOWER_ASCII.test(text) && looksLikeAcronym(text);
    lang = typeof o.lang === 'string' ? o.lang : undefined;
    ambiguous = o.ambiguous === true;
    if (o.discouraged === true) discouraged = typeof o.preferred === 'string' ? o.preferred : preferredDefault;
  }
  const first = slots.get(key);
  let c: Claim | undefined;
  if (first === undefined) {
    c = { id, text, lang, draft, index, isObject: o !== undefined, declared: ambiguous, acronym, discouraged };
    slots.set(key, c);
    return;
  }
  c = first.id === id ? first : first.others?.find((x) => x.id === id);
  if (!c) {
    c = { id, text, lang, draft, index, isObject: o !== undefined, declared: false, acronym, discouraged: undefined };
    (first.others ??= []).push(c);
  } else {
    c.acronym = c.acronym && acronym;
  }
  if (ambiguous) c.declared = true;
  if (discouraged !== undefined) c.discouraged = discouraged;
}

function claimAt(c: Claim): Where {
  if (c.index === -1) return under(c.draft.at, ['name']);
  if (c.index === -2) return under(c.draft.at, ['id']);
  return under(c.draft.at, c.isObject ? ['aliases', c.index, 'text'] : ['aliases', c.index]);
}

/** Subjects (entities) handled between two steps of a pass (see loadCorpusSteps). */
const SUBJECTS_PER_STEP = 4096;

/** The alias index, built in steps (a generator: the loader yields between them). */
export function* buildAliasIndex(
  subjects: readonly AliasSubject[],
  locate: (at: Where) => { file: string; range: Range },
  problems: CorpusProblem[],
): Generator<void, Map<string, AliasEntry>, void> {
  const slots = new Map<string, Claim>();

  const claim = (id: string, preferredDefault: string, text: string, o: Obj | undefined, draft: Draft, index: number) =>
    addClaim(slots, id, preferredDefault, text, o, draft, index);

  // Pass 1: what the corpus writes (names and aliases).
  for (let n = 0; n < subjects.length; n++) {
    if (n % SUBJECTS_PER_STEP === SUBJECTS_PER_STEP - 1) yield;
    const s = subjects[n]!;
    const { id, name } = s.entity;
    for (let k = 0; k < s.drafts.length; k++) {
      const d = s.drafts[k]!;
      const written = typeof d.raw.name === 'string' ? d.raw.name : undefined;
      if (written !== undefined) claim(id, name, written, undefined, d, -1);
      else if (k === 0) claim(id, name, id, undefined, d, -2);
      const aliases = d.rawAliases;
      if (!Array.isArray(aliases)) continue;
      for (let i = 0; i < aliases.length; i++) {
        const a: unknown = aliases[i];
        if (typeof a === 'string') claim(id, name, a, undefined, d, i);
        else if (isObj(a) && typeof a.text === 'string') claim(id, name, a.text, a, d, i);
      }
    }
  }

  // Each claim is replaced by its entry in the same map (setting an existing key keeps its place): no second map
  // of a quarter of a million keys.
  const entries = slots as unknown as Map<string, AliasEntry>;
  yield;
  slots.forEach((first, key) => {
    const entry: AliasEntry = {
      key,
      text: first.text,
      entityIds: [first.id],
      caseSensitive: first.acronym,
      lang: first.lang ?? (ARABIC_SCRIPT.test(first.text) ? 'fa' : 'en'),
    };
    let discouraged = first.discouraged;
    if (first.others) {
      for (const c of first.others) {
        entry.entityIds.push(c.id);
        entry.caseSensitive = entry.caseSensitive && c.acronym;
        discouraged ??= c.discouraged;
      }
      reportCollisions([first, ...first.others], locate, problems);
    }
    if (discouraged !== undefined) entry.discouraged = { preferred: discouraged };
    entries.set(key, entry);
  });

  // Pass 2: generated "title + surname" forms of people, where nothing written claims them.
  const generated = new Map<string, { ids: string[]; at: Where[]; text: string }>();
  yield;
  for (let n = 0; n < subjects.length; n++) {
    if (n % SUBJECTS_PER_STEP === SUBJECTS_PER_STEP - 1) yield;
    const s = subjects[n]!;
    if (s.entity.kind !== 'person') continue;
    const surname = surnameOf(s.entity.name);
    if (!surname) continue;
    for (const d of s.drafts) {
      forEachTitle(d.raw, (title, r, t) => {
        const text = `${title.trim()} ${surname}`;
        const key = normalize(text);
        if (key === '' || entries.has(key)) return;
        let g = generated.get(key);
        if (!g) {
          g = { ids: [], at: [], text };
          generated.set(key, g);
        }
        if (!g.ids.includes(s.entity.id)) {
          g.ids.push(s.entity.id);
          if (g.ids.length === 2) g.at.push(under(d.at, ['roles', r, 'titles', t]));
        }
      });
    }
  }
  generated.forEach((g, key) => {
    entries.set(key, { key, text: g.text, entityIds: g.ids, caseSensitive: false, lang: 'en' });
    if (g.ids.length > 1) {
      const at = locate(g.at[0]!);
      problems.push({
        file: at.file, ...at.range, severity: 'information', code: 'alias-ambiguous-title',
        message: `"${g.text}" (title + surname) names ${g.ids.join(', ')}; mentions of it are treated as ambiguous.`,
      });
    }
  });
  return entries;
}

function reportCollisions(list: Claim[], locate: (at: Where) => { file: string; range: Range }, problems: CorpusProblem[]): void {
  const first = list[0]!;
  const firstAt = locate(claimAt(first));
  for (let k = 1; k < list.length; k++) {
    const c = list[k]!;
    const earlierUndeclared = list.slice(0, k).filter((x) => !x.declared).map((x) => x.id);
    if (c.declared && earlierUndeclared.length === 0) continue;
    const at = locate(claimAt(c));
    const where = `${firstAt.file}:${firstAt.range.line + 1}`;
    const missing = [...(c.declared ? [] : [c.id]), ...earlierUndeclared];
    problems.push({
      file: at.file, ...at.range, severity: 'error', code: 'alias-collision',
      message: `"${c.text}" also names \`${first.id}\` (${where}); it is treated as ambiguous. ` +
        `Declare it \`ambiguous: true\` on ${missing.map((id) => `\`${id}\``).join(' and ')}, or remove it.`,
    });
  }
}
