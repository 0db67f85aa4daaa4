// wrong-title: a title written just before a person's name that the person did not hold ("Secretary Chollet" — he
// was Counselor of the State Department), or did not hold at the date the sentence or brief is about, when the
// roles' dates show it. The fix puts the title the corpus gives for that date.
import type { CheckContext, CheckRule } from './context';
import type { Finding } from './types';
import type { Corpus, Entity, Role } from '../types';
import type { Mention } from '../analysis/types';
import { norm as normalize, isJsWhitespace as importedIsJsWhitespace, isLetterUnit as importedIsLetterUnit, startsUpper, shownText as importedShownText } from './context';
import { citeSuffix } from './citation';
import { dayRange, describeDate, parseIsoDate, datesAgree, type DateValue } from './dates';

export const WRONG_TITLE = 'wrong-title';

// The helpers the backward scans call per character, read once. Run unbundled (as the benchmark runs the sources,
// through tsx), every use of an imported binding is a call through two export getters.
const isJsWhitespace = importedIsJsWhitespace;
const isLetterUnit = importedIsLetterUnit;
const shownText = importedShownText;

/** Titles writers put before a name, beyond those the corpus's roles list. Honorifics (Mr., Dr.) are not here. */
const COMMON_TITLES = [
  'Secretary', 'Secretary of State', 'Secretary of Defense', 'Deputy Secretary', 'Under Secretary', 'Undersecretary',
  'Assistant Secretary', 'Minister', 'Prime Minister', 'Defense Minister', 'Foreign Minister', 'Deputy Minister',
  'Alternate Prime Minister', 'President', 'Vice President', 'Director', 'Director General', 'Deputy Director General',
  'Counselor', 'Counsellor', 'Ambassador', 'Envoy', 'Special Envoy', 'General', 'Major General', 'Lieutenant General',
  'Brigadier General', 'Attorney General', 'Inspector General', 'Surgeon General', 'Admiral', 'Vice Admiral',
  'Rear Admiral', 'Colonel', 'Lieutenant Colonel', 'Senator', 'Representative', 'Congressman', 'Congresswoman',
  'Governor', 'Chairman', 'Chief of Staff', 'Chancellor', 'King', 'Crown Prince', 'Emir', 'Sheikh', 'Spokesperson',
];

const NEUTRALISERS = new Set(['former', 'then', 'then-', 'ex', 'ex-', 'late', 'acting', 'incoming', 'outgoing', 'future']);

interface TitleVocabulary {
  /** Normalised titles. */
  titles: Set<string>;
  maxWords: number;
}

const vocabularies = new WeakMap<Corpus, TitleVocabulary>();

function vocabulary(corpus: Corpus): TitleVocabulary {
  let v = vocabularies.get(corpus);
  if (v) return v;
  const titles = new Set(COMMON_TITLES.map((t) => normalize(t)));
  for (const e of corpus.entities) for (const r of e.roles ?? []) for (const t of r.titles ?? []) titles.add(normalize(t));
  let maxWords = 1;
  for (const t of titles) maxWords = Math.max(maxWords, t.split(' ').length);
  v = { titles, maxWords: Math.min(maxWords, 6) };
  vocabularies.set(corpus, v);
  return v;
}

const stripRet = (s: string) => s.replace(/\s*\(ret\.?\)|\s*\(retired\)/g, '').replace(/\./g, '').trim();

/** Words that make a lesser office: "Prime Minister" does not fit an Alternate Prime Minister. */
const QUALIFIERS = ['alternate', 'deputy', 'assistant', 'under', 'vice', 'associate', 'acting'];

/** True when the written title fits one the role lists: all its words among the title's words and no qualifier
 *  dropped ("Minister" and "Defense Minister" fit "Minister of Defense"; "General" fits "Major General";
 *  "Secretary" does not fit "Counselor", nor "Prime Minister" "Alternate Prime Minister"). */
function titleFits(title: string, written: string): boolean {
  const w = stripRet(normalize(written)).split(/[\s,]+/);
  const words = new Set(stripRet(normalize(title)).split(/[\s,]+/));
  return w.every((x) => words.has(x)) && QUALIFIERS.every((q) => !words.has(q) || w.includes(q));
}

function roleHasTitle(role: Role, written: string): boolean {
  return [...(role.titles ?? []), role.title].some((t) => titleFits(t, written));
}

/** A role whose title contains every word of the written one ("Alternate Prime Minister" for "Prime Minister"). */
function closestRole(roles: Role[], written: string): { role: Role; title: string } | undefined {
  const w = stripRet(normalize(written)).split(/[\s,]+/);
  for (const role of roles) {
    for (const t of role.titles ?? []) {
      const words = new Set(stripRet(normalize(t)).split(/[\s,]+/));
      if (w.every((x) => words.has(x))) return { role, title: t };
    }
  }
  return undefined;
}

interface RoleSpan {
  from?: [number, number];
  to?: [number, number];
}

const spans = new WeakMap<Role, RoleSpan>();

function span(role: Role): RoleSpan {
  let s = spans.get(role);
  if (!s) {
    const from = parseIsoDate(role.from);
    const to = parseIsoDate(role.to);
    spans.set(role, (s = { from: from && dayRange(from), to: to && dayRange(to) }));
  }
  return s;
}

/** Provably not held on any day of `date`. */
function roleExcludes(role: Role, date: DateValue): boolean {
  const [ds, de] = dayRange(date);
  const s = span(role);
  return (s.from !== undefined && de < s.from[0]) || (s.to !== undefined && ds > s.to[1]);
}

/** Provably held on the whole of `date`: both bounds known around it, or a source attests it on that date. */
function roleCovers(role: Role, date: DateValue): boolean {
  const [ds, de] = dayRange(date);
  const s = span(role);
  if (s.from && s.to && ds >= s.from[0] && de <= s.to[1]) return true;
  return (role.attested ?? []).some((a) => {
    const v = parseIsoDate(a);
    return v !== undefined && datesAgree(v, date) && (v.day !== undefined || date.day === undefined);
  });
}

function latestRole(roles: Role[]): Role {
  const key = (r: Role) => [r.to, r.from, ...(r.attested ?? [])].filter(Boolean).sort().pop() ?? '';
  return [...roles].sort((a, b) => key(b).localeCompare(key(a)))[0]!;
}

function titleOf(role: Role): string {
  return role.titles?.[0] ?? role.title;
}

function surname(entity: Entity): string {
  return entity.name.split(' ').pop() ?? entity.name;
}

interface WrittenTitle {
  start: number;
  end: number;
  text: string;
}

/** Length of the longest known title that starts a "Title Surname" mention ("Counselor Chollet"), else 0. */
function titlePrefixLength(shown: string, vocab: TitleVocabulary): number {
  const words = [...shown.matchAll(/\S+/g)];
  for (let w = Math.min(vocab.maxWords, words.length - 1); w >= 1; w--) {
    const last = words[w - 1]!;
    const candidate = shown.slice(0, last.index! + last[0].length);
    if (vocab.titles.has(normalize(candidate)) && /^\p{Lu}/u.test(candidate)) return candidate.length;
  }
  return 0;
}

const wordStarts: number[] = [];

/** The title written immediately before the mention on the same line (longest known title wins), or the title
 *  at the start of the mention itself when the corpus recognises "Title Surname" forms. Looks back at most 120
 *  characters and a few words; builds a string only for a capitalised candidate. */
function writtenTitle(ctx: CheckContext, mention: Mention, vocab: TitleVocabulary, prefixes: Map<string, number>): WrittenTitle | undefined {
  const text = ctx.text;
  if (mention.form === 'plain') {
    const shown = shownText(text, mention);
    let length = prefixes.get(shown);
    if (length === undefined) prefixes.set(shown, (length = titlePrefixLength(shown, vocab)));
    if (length > 0) {
      return { start: mention.start, end: mention.start + length, text: shown.slice(0, length) };
    }
  }
  // The text before the mention on its line (at most 120 characters) must end in one space after a non-space.
  const at = mention.start;
  if (at < 2) return undefined;
  const space = text.charCodeAt(at - 1);
  if ((space !== 32 && space !== 0xa0) || isJsWhitespace(text.charCodeAt(at - 2))) return undefined;
  // Word starts, nearest first, up to vocab.maxWords words, without leaving the line or those 120 characters.
  const floor = Math.max(0, at - 120);
  let count = 0;
  let p = at - 2;
  while (count < vocab.maxWords) {
    while (p - 1 >= floor && !isJsWhitespace(text.charCodeAt(p - 1))) p--;
    wordStarts[count++] = p;
    let q = p - 1;
    let c = -1;
    while (q >= floor) {
      c = text.charCodeAt(q);
      if (!isJsWhitespace(c) || c === 10 || c === 13) break;
      q--;
    }
    if (q < floor || c === 10 || c === 13) break;
    p = q;
  }
  for (let w = count; w >= 1; w--) {
    const start = wordStarts[w - 1]!;
    if (!startsUpper(text, start)) continue;
    if (ctx.overlapsMention(start, at - 1)) continue;
    const candidate = text.slice(start, at - 1);
    if (vocab.titles.has(normalize(candidate))) {
      return { start, end: start + candidate.length, text: candidate };
    }
  }
  return undefined;
}

/** "former", "then-", "acting"… just before the title: `/([\p{L}-]+)[\s-]*$/u` over the 20 characters before it,
 *  read backwards without a copy (the regular expression itself when a surrogate pair is in the way). */
function neutralisedBefore(text: string, start: number): boolean {
  const floor = Math.max(0, start - 20);
  let tail = start;
  let c = 0;
  while (tail > floor && ((c = text.charCodeAt(tail - 1)) === 45 || isJsWhitespace(c))) tail--;
  let head = tail;
  while (head > floor) {
    c = text.charCodeAt(head - 1);
    if (c >= 0xd800 && c <= 0xdfff) return neutralisedBeforeByRegExp(text, start);
    if (c !== 45 && !isLetterUnit(c)) break;
    head--;
  }
  if (head === tail) return false; // only hyphens: not a word
  let end = tail;
  while (end < start && text.charCodeAt(end) === 45) end++;
  return end - head <= 9 && NEUTRALISERS.has(text.slice(head, end).toLowerCase());
}

function neutralisedBeforeByRegExp(text: string, start: number): boolean {
  const m = /([\p{L}-]+)[\s-]*$/u.exec(text.slice(Math.max(0, start - 20), start));
  return !!m && NEUTRALISERS.has(m[1]!.toLowerCase());
}

/** Per person's roles (corpus objects, read-only) and written title, the roles that fit it: a brief names the same
 *  people the same way, and so does the next run on the same corpus (per run, this was rebuilt every time, with
 *  the splitting and sets of titleFits: ~0.1 MB per run on the 1 MB brief). Bounded per person. */
const fittingRoles = new WeakMap<readonly Role[], Map<string, Role[]>>();

function rolesWithTitleOf(roles: Role[], written: string): Role[] {
  let byWritten = fittingRoles.get(roles);
  if (!byWritten) fittingRoles.set(roles, (byWritten = new Map()));
  let list = byWritten.get(written);
  if (!list) {
    list = roles.filter((r) => roleHasTitle(r, written));
    if (byWritten.size >= 64) byWritten.clear();
    byWritten.set(written, list);
  }
  return list;
}

// Loops, not every()/find() with arrow functions: those closed over the mention's date, so each titled mention
// made a context and two closures (~0.5 MB of garbage per run on the 1 MB brief).

/** Every role in `roles` provably excludes `date`. */
function allExclude(roles: readonly Role[], date: DateValue): boolean {
  for (let k = 0; k < roles.length; k++) if (!roleExcludes(roles[k]!, date)) return false;
  return true;
}

/** The first role of `roles` not in `except` that provably covers `date`. */
function otherRoleCovering(roles: readonly Role[], except: readonly Role[], date: DateValue): Role | undefined {
  for (let k = 0; k < roles.length; k++) {
    const r = roles[k]!;
    if (!except.includes(r) && roleCovers(r, date)) return r;
  }
  return undefined;
}

export const wrongTitle: CheckRule = {
  codes: { [WRONG_TITLE]: 'warning' },
  run(ctx) {
    const vocab = vocabulary(ctx.corpus);
    const out: Finding[] = [];
    const prefixes = new Map<string, number>();
    const mentions = ctx.analysis.mentions;
    for (let k = 0; k < mentions.length; k++) {
      const mention = mentions[k]!;
      if (mention.entityIds.length !== 1) continue;
      const person = ctx.entity(mention.entityIds[0]!);
      if (!person || person.kind !== 'person' || !person.roles || person.roles.length === 0) continue;
      const roles = person.roles;
      const written = writtenTitle(ctx, mention, vocab, prefixes);
      if (!written || ctx.isIgnored(written.text)) continue;
      const rolesWithTitle = rolesWithTitleOf(roles, written.text);
      if (rolesWithTitle.length === 0) {
        const date = ctx.referenceDateAt(mention.start);
        const atDate = date ? roles.find((r) => roleCovers(r, date)) : undefined;
        const closest = closestRole(roles, written.text);
        const right = closest?.role ?? atDate ?? latestRole(roles);
        const suggestion = closest?.title ?? titleOf(right);
        out.push({
          start: written.start,
          end: written.end,
          code: WRONG_TITLE,
          severity: 'warning',
          message: `${person.name} did not hold the title “${written.text}”; the corpus has ${surname(person)} as ${right.title}` +
            `${right === atDate && date ? ` on ${describeDate(date)}` : ''} — write “${suggestion} ${surname(person)}”.${citeSuffix(ctx.corpus, right.sources, suggestion)}`,
          fixes: [{ title: `Replace with “${suggestion}”`, edits: [{ start: written.start, end: written.end, newText: suggestion }], isPreferred: true }],
        });
        continue;
      }
      // Time-aware: every role with this title provably excludes the date, and another provably covers it.
      if (neutralisedBefore(ctx.text, written.start)) continue;
      const date = ctx.referenceDateAt(mention.start);
      if (!date) continue;
      if (!allExclude(rolesWithTitle, date)) continue;
      const current = otherRoleCovering(roles, rolesWithTitle, date);
      if (!current) continue;
      const held = rolesWithTitle[0]!;
      const suggestion = titleOf(current);
      out.push({
        start: written.start,
        end: written.end,
        code: WRONG_TITLE,
        severity: 'warning',
        message: `On ${describeDate(date)} ${person.name} was ${current.title}, not “${written.text}” ` +
          `(${held.title}${held.from || held.to ? `, ${held.from ?? '…'} to ${held.to ?? '…'}` : ''}) — write “${suggestion} ${surname(person)}”.` +
          citeSuffix(ctx.corpus, current.sources, suggestion),
        fixes: [{ title: `Replace with “${suggestion}”`, edits: [{ start: written.start, end: written.end, newText: suggestion }], isPreferred: true }],
      });
    }
    return out;
  },
};
