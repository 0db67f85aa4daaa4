// acronym-first-use: the first time a brief uses an acronym it should say what it stands for — "Joint
// Political-Military Group (JPMG)". Expanded means the entity was already named in full, or the acronym stands
// next to its expansion in parentheses ("QME (qualitative military edge)", "qualitative military edge (QME)").
// Only the first use of each acronym counts; headings are skipped; a few universal acronyms ("U.S.") are exempt.
import type { CheckContext, CheckRule } from './context';
import type { Finding } from './types';
import type { Mention } from '../analysis/types';
import { looksLikeAcronym } from '../normalize';
import { aliasEntryOf, norm as normalize, shownText as importedShownText } from './context';

/** Read once: unbundled (the benchmark runs the sources through tsx), each use of an imported binding is a call
 *  through two export getters. */
const shownText = importedShownText;
import { WELL_KNOWN_ACRONYMS } from './commonWords';
import { citeSuffix } from './citation';

export const ACRONYM_FIRST_USE = 'acronym-first-use';

const MINOR_WORDS = new Set(['of', 'the', 'and', 'for', 'on', 'in', 'to', 'at', 'a', 'an', '&']);

/** Initials of the last words of `phrase` ("Joint Political-Military Group" → "JPMG"), skipping minor words. */
function initialsMatch(phrase: string, acronym: string): boolean {
  const letters = acronym.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase();
  const words = phrase.split(/[\s-]+/).filter((w) => w && !MINOR_WORDS.has(w.toLowerCase()));
  const initials = words.map((w) => (w.match(/[\p{L}\p{N}]/u)?.[0] ?? '').toUpperCase()).join('');
  return letters.length >= 2 && initials.endsWith(letters) && initials.length >= letters.length;
}

// Briefs repeat the same few acronyms: remember the answer per written form (bounded).
const acronymForms = new Map<string, boolean>();

function isAcronymMention(ctx: CheckContext, m: Mention): boolean {
  if (m.form !== 'plain') return false;
  const entry = aliasEntryOf(ctx.corpus, m.matched);
  if (!entry?.caseSensitive) return false;
  const shown = shownText(ctx.text, m);
  let acronym = acronymForms.get(shown);
  if (acronym === undefined) {
    if (acronymForms.size > 10_000) acronymForms.clear();
    acronymForms.set(shown, (acronym = looksLikeAcronym(shown)));
  }
  return acronym;
}

/** "ACR (Full Name)" or "Full Name (ACR)" around the mention. */
function expandedInPlace(ctx: CheckContext, m: Mention, acronym: string, named: (start: number, end: number) => boolean): boolean {
  const text = ctx.text;
  // Full Name (ACR)
  let b = m.start - 1;
  while (b >= 0 && text[b] === ' ') b--;
  if (text[b] === '(' && /^\s*\)/.test(text.slice(m.end, m.end + 4))) {
    let lineStart = b;
    while (lineStart > 0 && b - lineStart < 200 && text[lineStart - 1] !== '\n') lineStart--;
    const phrase = text.slice(lineStart, b).trim();
    if (named(lineStart, b) || initialsMatch(phrase, acronym)) return true;
  }
  // ACR (Full Name)
  const after = /^\s*\(([^()\n]{2,120})\)/.exec(text.slice(m.end, m.end + 130));
  if (after) {
    const start = m.end + after[0].indexOf('(') + 1;
    const end = start + after[1]!.length;
    if (named(start, end)) return true;
    const words = after[1]!.split(/[\s-]+/).filter((w) => w && !MINOR_WORDS.has(w.toLowerCase()));
    const letters = acronym.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase();
    if (words.map((w) => (w[0] ?? '').toUpperCase()).join('') === letters) return true;
  }
  return false;
}

export const acronymFirstUse: CheckRule = {
  codes: { [ACRONYM_FIRST_USE]: 'information' },
  run(ctx) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    const namedEntities = new Set<string>();
    const namedLists = new Set<readonly string[]>();
    const mentions = ctx.mentions;
    for (let k = 0; k < mentions.length; k++) {
      const m = mentions[k]!;
      if (m.entityIds.length === 0) continue;
      if (!isAcronymMention(ctx, m)) {
        // Mentions of one alias (or wikilinks to one target) share their id array: add its ids once.
        if (!namedLists.has(m.entityIds)) {
          namedLists.add(m.entityIds);
          for (const id of m.entityIds) namedEntities.add(id);
        }
        continue;
      }
      if (ctx.isHeading(m.start)) continue;
      const acronym = shownText(ctx.text, m);
      if (seen.has(acronym)) continue;
      seen.add(acronym);
      if (WELL_KNOWN_ACRONYMS.has(acronym) || ctx.isIgnored(acronym)) continue;
      const finding = firstUseFinding(ctx, m, acronym, namedEntities);
      if (finding) out.push(finding);
    }
    return out;
  },
};

/** The finding for the first use of `acronym` (mention `m`), unless it is expanded. A function of its own: its
 *  closures over the mention, in the loop over every mention, made a context object per mention (~0.4 MB of
 *  garbage per run on the 1 MB brief). */
function firstUseFinding(ctx: CheckContext, m: Mention, acronym: string, namedEntities: ReadonlySet<string>): Finding | undefined {
  if (m.entityIds.some((id) => namedEntities.has(id))) return undefined;
  const named = (start: number, end: number) =>
    ctx.mentionsIn(start, end).some((n) => n !== m && !isAcronymMention(ctx, n) && n.entityIds.some((id) => m.entityIds.includes(id)));
  if (expandedInPlace(ctx, m, acronym, named)) return undefined;
  if (m.entityIds.length !== 1) return undefined; // an ambiguous acronym has no single expansion to offer
  const entity = ctx.entity(m.entityIds[0]!);
  if (!entity || normalize(entity.name) === normalize(acronym)) return undefined;
  const expansion = `${entity.name} (${acronym})`;
  return {
    start: m.start,
    end: m.end,
    code: ACRONYM_FIRST_USE,
    severity: 'information',
    message: `First use of “${acronym}” in this brief: spell it out as “${expansion}”.${citeSuffix(ctx.corpus, entity.sources, entity.name)}`,
    fixes: [{ title: `Expand to “${expansion}”`, edits: [{ start: m.start, end: m.end, newText: expansion }], isPreferred: true }],
  };
}
