// wrong-title: a title written just before a person's name that the person did not hold ("Secretary Chollet" — he
// was Counselor of the State Department), or did not hold at the date the sentence or brief is about, when the
// roles' dates show it. The fix puts the title the corpus gives for that date.
import type { CheckContext, CheckRule } from './context';
import type { Finding } from './types';
import type { Corpus, Entity, Role } from '../types';
import type { Mention } from '../analysis/types';
import { norm as normalize } from './context';
import { citeSuffix } from './citation';
import { dayRange, describeDate, parseIsoDate, datesAgree, type DateValue } from './dates';

export const WRONG_TITLE = 'wrong-title';

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

function span(role: Role): RoleSpan {
  const from = parseIsoDate(role.from);
  const to = parseIsoDate(role.to);
  return { from: from && dayRange(from), to: to && dayRange(to) };
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
  neutralised: boolean;
}

/** The title written immediately before the mention on the same line (longest known title wins), or the title
 *  at the start of the mention itself when the corpus recognises "Title Surname" forms. */
function writtenTitle(ctx: CheckContext, mention: Mention, vocab: TitleVocabulary): WrittenTitle | undefined {
  const text = ctx.text;
  if (mention.form === 'plain') {
    const shown = text.slice(mention.start, mention.end);
    const words = [...shown.matchAll(/\S+/g)];
    for (let w = Math.min(vocab.maxWords, words.length - 1); w >= 1; w--) {
      const last = words[w - 1]!;
      const candidate = shown.slice(0, last.index! + last[0].length);
      if (vocab.titles.has(normalize(candidate)) && /^\p{Lu}/u.test(candidate)) {
        return { start: mention.start, end: mention.start + candidate.length, text: candidate, neutralised: neutralisedBefore(text, mention.start) };
      }
    }
  }
  // Text before the mention on its line, ending in exactly one space.
  let lineStart = mention.start;
  while (lineStart > 0 && mention.start - lineStart < 120 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const before = text.slice(lineStart, mention.start);
  if (!/[^\s] $/.test(before) && !/[^\s]\u00a0$/.test(before)) return undefined;
  const words = [...before.matchAll(/\S+/g)];
  for (let w = Math.min(vocab.maxWords, words.length); w >= 1; w--) {
    const first = words[words.length - w]!;
    const start = lineStart + first.index!;
    const candidate = text.slice(start, mention.start - 1);
    if (!/^\p{Lu}/u.test(candidate)) continue;
    if (ctx.mentionsIn(start, mention.start - 1).length > 0) continue;
    if (vocab.titles.has(normalize(candidate))) {
      return { start, end: start + candidate.length, text: candidate, neutralised: neutralisedBefore(text, start) };
    }
  }
  return undefined;
}

function neutralisedBefore(text: string, start: number): boolean {
  const m = /([\p{L}-]+)[\s-]*$/u.exec(text.slice(Math.max(0, start - 20), start));
  return !!m && NEUTRALISERS.has(m[1]!.toLowerCase());
}

export const wrongTitle: CheckRule = {
  codes: { [WRONG_TITLE]: 'warning' },
  run(ctx) {
    const vocab = vocabulary(ctx.corpus);
    const out: Finding[] = [];
    for (const mention of ctx.analysis.mentions) {
      if (mention.entityIds.length !== 1) continue;
      const person = ctx.entity(mention.entityIds[0]!);
      const roles = person?.roles ?? [];
      if (!person || person.kind !== 'person' || roles.length === 0) continue;
      const written = writtenTitle(ctx, mention, vocab);
      if (!written || ctx.isIgnored(written.text)) continue;
      const date = ctx.referenceDateAt(mention.start);
      const rolesWithTitle = roles.filter((r) => roleHasTitle(r, written.text));
      if (rolesWithTitle.length === 0) {
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
      if (!date || written.neutralised) continue;
      if (!rolesWithTitle.every((r) => roleExcludes(r, date))) continue;
      const current = roles.find((r) => !roleHasTitle(r, written.text) && roleCovers(r, date));
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
