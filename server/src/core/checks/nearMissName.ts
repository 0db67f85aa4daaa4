// near-miss-name: a capitalised word, acronym or short capitalised sequence that is not a known name but is one or
// two edits from one ("JMPG" → "JPMG", "Cholet" → "Chollet", "Amir Eshal" → "Amir Eshel"). Cautious by design:
// ordinary English words, well-known names ("Iraq" is not a misspelt "Iran"), inflections ("Israeli", "Russians"),
// words of known names and the user's ignoreWords are never reported.
import { StringInterner } from '../interner';
import type { CheckContext, CheckRule, Token } from './context';
import type { Finding } from './types';
import { norm as normalize } from './context';
import { COMMON_WORDS } from './commonWords';
import { nearMissIndexes, acronymNeighbours, type NameTarget, type NearMissIndexes } from './nearMissIndex';
import { aliasCitations, citeSuffix } from './citation';

export const NEAR_MISS_NAME = 'near-miss-name';

const INFLECTIONS = ['s', 'es', "'s", '’s', 'i', 'is', 'n', 'ns', 'an', 'ans', 'ian', 'ians', 'ese', 'ite', 'ites'];

/** "israeli" from "israel", "russians" from "russia": a derived word, not a misspelling. */
function isInflection(candidate: string, key: string): boolean {
  if (candidate.startsWith(key) && INFLECTIONS.includes(candidate.slice(key.length))) return true;
  if (key.endsWith('y') && candidate === `${key.slice(0, -1)}ies`) return true;
  if (key.endsWith('e') && candidate.startsWith(key.slice(0, -1)) && INFLECTIONS.includes(candidate.slice(key.length - 1))) return true;
  return false;
}

const LATIN_WORD = /^[\p{Script=Latin}][\p{Script=Latin}'’-]*$/u;

function allowedDistance(length: number): number {
  return length <= 5 ? 1 : 2;
}

/** Strips a possessive ending: "Cholet's" → "Cholet". */
function base(token: Token): Token {
  if (/['’]s$/.test(token.text)) return { start: token.start, end: token.end - 2, text: token.text.slice(0, -2) };
  return token;
}

function isCapitalised(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c < 0x80) return c >= 65 && c <= 90;
  return /^\p{Lu}/u.test(text);
}

/** A plain-looking word that could be a misspelt name: capitalised, Latin, not ordinary, not part of a known name. */
function isCandidateWord(ctx: CheckContext, indexes: NearMissIndexes, word: string): boolean {
  if (!isCapitalised(word) || !LATIN_WORD.test(word)) return false;
  if (ctx.isIgnored(word)) return false;
  const lower = normalize(word);
  return !COMMON_WORDS.has(lower) && !indexes.aliasWords.has(lower);
}

// Briefs repeat their words: remember each lookup (per corpus, bounded) so a long brief costs one lookup per
// distinct word rather than per occurrence.
const lookupCache = new WeakMap<NearMissIndexes, Map<string, NameTarget[]>>();

function lookupName(indexes: NearMissIndexes, text: string, wordCount: number): NameTarget[] {
  let cache = lookupCache.get(indexes);
  if (!cache) lookupCache.set(indexes, (cache = new Map()));
  const cacheKey = `${wordCount}\u0000${text}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const result = lookupNameUncached(indexes, text, wordCount);
  if (cache.size > 50_000) cache.clear();
  cache.set(cacheKey, result);
  return result;
}

function lookupNameUncached(indexes: NearMissIndexes, text: string, wordCount: number): NameTarget[] {
  const key = normalize(text);
  const maxDistance = allowedDistance(key.length);
  // Two edits count only between names of 8+ letters sharing their first letter (below): look no further.
  const reach = key.length >= 8 ? maxDistance : Math.min(maxDistance, 1);
  const hits = indexes.names.lookup(key, reach, { otherFirstMax: 1 }).filter((h) => {
    if (h.distance === 0) return false; // same name in another case or not matched for another reason: not a misspelling
    if (h.key.split(' ').length !== wordCount) return false;
    if (isInflection(key, h.key)) return false;
    // Two edits only between long words sharing their first letter ("Weinberg" → "Weinberger"): between
    // shorter names two edits reach real, different people ("Shapiro" is not a misspelt "Shamir").
    if (h.distance === 2 && (h.key.length < 8 || key.length < 8 || h.key[0] !== key[0])) return false;
    return true;
  });
  if (hits.length === 0) return [];
  const best = hits[0]!.distance;
  const out: NameTarget[] = [];
  const seen = new Set<string>();
  for (const h of hits) {
    if (h.distance !== best) break;
    for (const v of h.values) {
      if (seen.has(v.text)) continue;
      seen.add(v.text);
      out.push(v);
    }
  }
  return out.slice(0, 3);
}

function finding(ctx: CheckContext, token: Token, targets: NameTarget[]): Finding {
  const first = targets[0]!;
  const entity = ctx.entity(first.entityIds[0] ?? '');
  const names = targets.map((t) => `“${t.text}”`).join(' or ');
  const described = entity && normalize(entity.name) !== normalize(first.text) ? ` (${entity.name})` : '';
  const cite = entity ? citeSuffix(ctx.corpus, aliasCitations(entity, first.text), first.text) : '';
  return {
    start: token.start,
    end: token.end,
    code: NEAR_MISS_NAME,
    severity: 'warning',
    message: `“${token.text}” is not a known name; did you mean ${names}${targets.length === 1 ? described : ''}?${cite}`,
    fixes: targets.map((t, i) => ({
      title: `Replace with “${t.text}”`,
      edits: [{ start: token.start, end: token.end, newText: t.text }],
      isPreferred: i === 0 && targets.length === 1,
    })),
  };
}

/** "Amir Eshal" → report and fix only "Eshal" when the other words already agree with the one suggestion. */
function narrowed(ctx: CheckContext, seq: Token[], span: Token, targets: NameTarget[]): Finding {
  if (targets.length !== 1) return finding(ctx, span, targets);
  const words = targets[0]!.text.split(' ');
  if (words.length !== seq.length) return finding(ctx, span, targets);
  const tokens = seq.map((t, i) => (i === seq.length - 1 ? base(t) : t));
  const differs = tokens.map((t, i) => normalize(t.text) !== normalize(words[i]!));
  const first = differs.indexOf(true);
  const last = differs.lastIndexOf(true);
  if (first < 0) return finding(ctx, span, targets);
  const start = tokens[first]!.start;
  const end = tokens[last]!.end;
  const part: Token = { start, end, text: ctx.text.slice(start, end) };
  const f = finding(ctx, part, [{ ...targets[0]!, text: words.slice(first, last + 1).join(' ') }]);
  const full = targets[0]!.text;
  if (!f.message.includes(full)) f.message = f.message.replace('?', ` (${full})?`);
  return f;
}

/** The suggestions for one capitalised word on its own, by its text alone (memoised per run by the caller). */
function singleTargets(ctx: CheckContext, indexes: NearMissIndexes, rawText: string): NameTarget[] | undefined {
  const text = /['’]s$/.test(rawText) ? rawText.slice(0, -2) : rawText;
  if (text.length < 3 || /\d/.test(text) || ctx.isIgnored(text)) return undefined;
  if (/^[A-Z]{3,8}$/.test(text)) {
    if (COMMON_WORDS.has(text.toLowerCase()) || indexes.acronyms.has(text)) return undefined;
    const neighbours = acronymNeighbours(indexes, text);
    if (neighbours.length > 0) return neighbours.slice(0, 3);
    if (text.length < 6) return undefined; // short all-caps words are acronyms we do not know, not names
  }
  // "Jpmg": an acronym typed in the wrong case.
  const upper = text.toUpperCase();
  if (upper !== text && isCapitalised(text) && !COMMON_WORDS.has(text.toLowerCase())) {
    if (indexes.acronyms.has(upper)) return [indexes.acronyms.get(upper)!];
    // "Jmpg": wrong case and transposed.
    const neighbours = upper.length <= 5 && !indexes.aliasWords.has(text.toLowerCase()) ? acronymNeighbours(indexes, upper) : [];
    if (neighbours.length > 0) return neighbours.slice(0, 3);
  }
  if (!isCandidateText(ctx, indexes, text)) return undefined;
  if (text.length < 4) return undefined;
  const targets = lookupName(indexes, text, 1);
  return targets.length > 0 ? targets : undefined;
}

/** What the sequence search needs to know about one word, by its text. */
interface WordFacts {
  /** Has a digit, is not Latin, or is ignored: never part of a sequence. */
  excluded: boolean;
  /** Could be a misspelt name (see isCandidateWord). */
  candidate: boolean;
  /** Its suggestions on its own; null when none. */
  single: NameTarget[] | null;
}

function isCandidateText(ctx: CheckContext, indexes: NearMissIndexes, text: string): boolean {
  if (!isCapitalised(text) || !LATIN_WORD.test(text)) return false;
  if (ctx.isIgnored(text)) return false;
  const lower = normalize(text);
  return !COMMON_WORDS.has(lower) && !indexes.aliasWords.has(lower);
}

/** Word texts, one string per distinct word across runs. */
const interned = new StringInterner(50_000);

export const nearMissName: CheckRule = {
  codes: { [NEAR_MISS_NAME]: 'warning' },
  run(ctx) {
    const indexes = nearMissIndexes(ctx.corpus);
    const out: Finding[] = [];
    const text = ctx.text;
    // Only capitalised words outside mentions matter: a lower-case word is never reported and only ends a run of
    // capitalised ones (which the single-space test below sees too, so it need not be listed).
    const spans = ctx.capitalisedTokens();
    const inMention = ctx.mentionCursor();
    // Typed arrays (storage off the JavaScript heap) and interned texts: briefs repeat their words, and a string
    // per word was most of this rule's garbage.
    const starts = new Int32Array(spans.count);
    const ends = new Int32Array(spans.count);
    const texts: string[] = [];
    for (let k = 0; k < spans.count; k++) {
      const start = spans.starts[k]!;
      const end = spans.ends[k]!;
      if (inMention(start, end)) continue;
      starts[texts.length] = start;
      ends[texts.length] = end;
      texts.push(interned.slice(text, start, end));
    }
    // Briefs repeat their words: each distinct word is looked at once per run.
    const facts = new Map<string, WordFacts>();
    // By the word's text: a word on its own (most of them) needs no Token object unless it is reported.
    const factsOf = (word: string): WordFacts => {
      let f = facts.get(word);
      if (!f) {
        f = {
          excluded: /\d/.test(word) || !LATIN_WORD.test(word) || ctx.isIgnored(word),
          candidate: isCandidateWord(ctx, indexes, word),
          single: singleTargets(ctx, indexes, word) ?? null,
        };
        facts.set(word, f);
      }
      return f;
    };
    const tokenAt = (k: number): Token => ({ start: starts[k]!, end: ends[k]!, text: texts[k]! });
    // Runs of capitalised tokens separated by exactly one space: candidates for two- and three-word names.
    let i = 0;
    while (i < texts.length) {
      let j = i + 1;
      while (j < texts.length && j - i < 8 && starts[j]! === ends[j - 1]! + 1 && text.charCodeAt(ends[j - 1]!) === 32) j++;
      if (j === i + 1) {
        // A word on its own (most of them): no sequence to try.
        const single = factsOf(texts[i]!).single;
        if (single) out.push(finding(ctx, base(tokenAt(i)), single));
        i = j;
        continue;
      }
      const run: Token[] = [];
      for (let k = i; k < j; k++) run.push(tokenAt(k));
      let k = 0;
      while (k < run.length) {
        let consumed = 0;
        for (const size of [3, 2]) {
          if (k + size > run.length) continue;
          const seq = run.slice(k, k + size);
          if (seq.some((t) => factsOf(t.text).excluded)) continue;
          if (!seq.some((t) => factsOf(t.text).candidate)) continue;
          const last = base(seq[seq.length - 1]!);
          const span: Token = { start: seq[0]!.start, end: last.end, text: text.slice(seq[0]!.start, last.end) };
          const targets = lookupName(indexes, span.text, size);
          if (targets.length > 0) {
            out.push(narrowed(ctx, seq, span, targets));
            consumed = size;
            break;
          }
        }
        if (consumed === 0) {
          const single = factsOf(run[k]!.text).single;
          if (single) out.push(finding(ctx, base(run[k]!), single));
          consumed = 1;
        }
        k += consumed;
      }
      i = j;
    }
    return out;
  },
};
