// The alias index: normalised name → what it names. Every name, every alias, and for people each "title +
// surname" form their roles give ("Director General Eshel", "Counselor Chollet").
//
// Collisions are never resolved silently: an alias naming two entities maps to both ids. Unless every entity
// involved declares the alias `ambiguous: true`, the later one (in load order, so an overlay's, never the bundled
// corpus's) gets an `alias-collision` problem. Generated title forms never displace a written alias; two people
// sharing a generated form both keep it, as an ambiguous entry (an information note, not a problem to fix).
import { looksLikeAcronym, normalize } from '../normalize';
import type { AliasEntry, CorpusProblem, Entity } from '../types';
import type { AliasUse, TitleUse, Where } from './convert';
import type { Range } from './positions';

export interface AliasSubject {
  entity: Entity;
  uses: readonly AliasUse[];
  titles: readonly TitleUse[];
}

interface Claim {
  id: string;
  first: AliasUse;
  declared: boolean;
  acronym: boolean;
  discouraged?: string;
}

const ARABIC_SCRIPT = /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/;
const NAME_SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv']);

/** The last word of a person's name, ignoring "Jr." and the like and any parenthesis ("Amir Eshel" → "Eshel"). */
export function surnameOf(name: string): string | undefined {
  const words = name.replace(/\([^)]*\)/g, ' ').replace(/,/g, ' ').trim().split(/\s+/).filter(Boolean);
  while (words.length > 1 && NAME_SUFFIXES.has(words[words.length - 1]!.toLowerCase())) words.pop();
  return words.length >= 2 ? words[words.length - 1] : undefined;
}

export function buildAliasIndex(
  subjects: readonly AliasSubject[],
  locate: (at: Where) => { file: string; range: Range },
  problems: CorpusProblem[],
): Map<string, AliasEntry> {
  const claims = new Map<string, Claim[]>();

  const claim = (key: string, id: string, use: AliasUse, preferredDefault: string) => {
    const spec = use.spec;
    const acronym = spec.acronym ?? looksLikeAcronym(spec.text);
    let list = claims.get(key);
    if (!list) {
      list = [];
      claims.set(key, list);
    }
    let c = list.find((x) => x.id === id);
    if (!c) {
      c = { id, first: use, declared: false, acronym };
      list.push(c);
    } else {
      c.acronym = c.acronym && acronym;
    }
    if (spec.ambiguous) c.declared = true;
    if (spec.discouraged) c.discouraged = spec.preferred ?? preferredDefault;
  };

  // Pass 1: what the corpus writes (names and aliases).
  for (const s of subjects) {
    for (const use of s.uses) {
      const key = normalize(use.spec.text);
      if (key !== '') claim(key, s.entity.id, use, s.entity.name);
    }
  }

  const entries = new Map<string, AliasEntry>();
  for (const [key, list] of claims) {
    const first = list[0]!;
    const entry: AliasEntry = {
      key,
      text: first.first.spec.text,
      entityIds: list.map((c) => c.id),
      caseSensitive: list.every((c) => c.acronym),
      lang: first.first.spec.lang ?? (ARABIC_SCRIPT.test(first.first.spec.text) ? 'fa' : 'en'),
    };
    const discouraged = list.find((c) => c.discouraged !== undefined);
    if (discouraged) entry.discouraged = { preferred: discouraged.discouraged! };
    entries.set(key, entry);
    if (list.length > 1) reportCollisions(list, locate, problems);
  }

  // Pass 2: generated "title + surname" forms of people, where nothing written claims them.
  const generated = new Map<string, { ids: string[]; uses: TitleUse[]; text: string }>();
  for (const s of subjects) {
    if (s.entity.kind !== 'person' || s.titles.length === 0) continue;
    const surname = surnameOf(s.entity.name);
    if (!surname) continue;
    for (const t of s.titles) {
      const text = `${t.title.trim()} ${surname}`;
      const key = normalize(text);
      if (key === '' || entries.has(key)) continue;
      let g = generated.get(key);
      if (!g) {
        g = { ids: [], uses: [], text };
        generated.set(key, g);
      }
      if (!g.ids.includes(s.entity.id)) {
        g.ids.push(s.entity.id);
        g.uses.push(t);
      }
    }
  }
  for (const [key, g] of generated) {
    entries.set(key, { key, text: g.text, entityIds: g.ids, caseSensitive: false, lang: 'en' });
    if (g.ids.length > 1) {
      const at = locate(g.uses[1]!.at);
      problems.push({
        file: at.file, ...at.range, severity: 'information', code: 'alias-ambiguous-title',
        message: `"${g.text}" (title + surname) names ${g.ids.join(', ')}; mentions of it are treated as ambiguous.`,
      });
    }
  }
  return entries;
}

function reportCollisions(
  list: Claim[], locate: (at: Where) => { file: string; range: Range }, problems: CorpusProblem[],
): void {
  const first = list[0]!;
  const firstAt = locate(first.first.at);
  for (let k = 1; k < list.length; k++) {
    const c = list[k]!;
    const earlierUndeclared = list.slice(0, k).filter((x) => !x.declared).map((x) => x.id);
    if (c.declared && earlierUndeclared.length === 0) continue;
    const at = locate(c.first.at);
    const where = `${firstAt.file}:${firstAt.range.line + 1}`;
    const missing = [...(c.declared ? [] : [c.id]), ...earlierUndeclared];
    problems.push({
      file: at.file, ...at.range, severity: 'error', code: 'alias-collision',
      message: `"${c.first.spec.text}" also names \`${first.id}\` (${where}); it is treated as ambiguous. ` +
        `Declare it \`ambiguous: true\` on ${missing.map((id) => `\`${id}\``).join(' and ')}, or remove it.`,
    });
  }
}
