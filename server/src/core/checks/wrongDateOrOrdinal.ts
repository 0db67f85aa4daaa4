// wrong-date / wrong-ordinal: a year, date or ordinal the sentence clearly ties to a meeting, agreement or the
// founding of an organisation, contradicting the corpus ("the JPMG, founded in 1984" → 1983; "the 48th JPMG met
// in 2021" → 2022; "the 47th JPMG in October 2022" → 48th). Conservative: a number counts only when the wording
// binds it to the mention — directly before it ("the 2015 MOU", "the 47th JPMG"), right after it ("the JPMG of
// January 2021"), after a verb of the right kind ("founded in", "signed in", "met … in"), or fronted before it
// ("In 1984, the JPMG was founded"). Anything looser is left alone.
import type { CheckContext, CheckRule } from './context';
import type { Finding } from './types';
import type { Corpus, Entity, Citation } from '../types';
import type { Mention } from '../analysis/types';
import { citeSuffix } from './citation';
import { datesAgree, describeDate, formatDate, parseIsoDate, precisionOf, truncate, type DateInText, type DateValue } from './dates';

export const WRONG_DATE = 'wrong-date';
export const WRONG_ORDINAL = 'wrong-ordinal';

type Piece =
  | { type: 'mention'; start: number; end: number; mention: Mention; entity?: Entity }
  | { type: 'date'; start: number; end: number; date: DateInText }
  | { type: 'ordinal'; start: number; end: number; value: number; text: string }
  | { type: 'word'; start: number; end: number; word: string }
  | { type: 'punct'; start: number; end: number; char: string };

type SubjectKind = 'meeting' | 'agreement' | 'founding';

const TIES: Record<SubjectKind, string[]> = {
  meeting: ['held', 'convened', 'met', 'took place', 'occurred', 'happened', 'started', 'began', 'begun', 'was', 'took'],
  agreement: ['signed', 'concluded', 'agreed', 'reached', 'inked', 'adopted', 'dated', 'sealed', 'enacted', 'passed', 'announced'],
  founding: ['founded', 'established', 'formed', 'created', 'set up', 'launched', 'inaugurated', 'instituted',
    'inception', 'founding', 'formation', 'establishment', 'creation'],
};
/** TIES split into words once (matchTie runs for every piece after every dated mention). */
const TIE_WORDS = Object.fromEntries(Object.entries(TIES).map(([k, ties]) => [k, ties.map((t) => t.split(' '))])) as Record<SubjectKind, string[][]>;
const FILLERS = new Set([',', 'which', 'that', 'was', 'were', 'is', 'has', 'had', 'been', 'being', 'it', 'first', 'originally',
  'jointly', 'formally', 'officially', 'itself', 'also', 'only', 'finally', 'when', 'its', "'s", '’s', 'since']);
const PREPOSITIONS = new Set(['in', 'on', 'during', 'since', 'of']);
const PLACE_GAP = new Set(['in', 'on', 'at', 'the', ',', 'a']);

const meetingsByOrg = new WeakMap<Corpus, Map<string, Entity[]>>();

/** Meetings of a forum: meetings listing the organisation among their organisations, participants or related. */
function meetingsOf(corpus: Corpus, orgId: string): Entity[] {
  let map = meetingsByOrg.get(corpus);
  if (!map) {
    map = new Map();
    for (const e of corpus.entities) {
      if (e.kind !== 'meeting') continue;
      const refs = new Set([...(e.organisations ?? []), ...(e.participants ?? []), ...(e.related ?? [])].map((r) => r.entity));
      if (e.parent) refs.add(e.parent.entity);
      for (const id of refs) {
        const list = map.get(id) ?? [];
        list.push(e);
        map.set(id, list);
      }
    }
    meetingsByOrg.set(corpus, map);
  }
  return map.get(orgId) ?? [];
}

/** What `/(?<![\p{L}\p{N}])(\d{1,3})(st|nd|rd|th)(?![\p{L}\p{N}])/gu` finds in text[start, end), read from the
 *  document's digit runs instead of a Unicode-aware scan of every character. Only a run's first digit (or the
 *  span's first character) can follow a non-letter, non-number; the run must be 1–3 digits long and end at the
 *  suffix; what follows the suffix inside the span must not be a letter or number either. */
export function ordinalsIn(ctx: CheckContext, start: number, end: number): { start: number; end: number; value: number; text: string }[] {
  const out: { start: number; end: number; value: number; text: string }[] = [];
  const text = ctx.text;
  const runs = ctx.digitRuns();
  for (let k = ctx.firstDigitRunAfter(start); k < runs.count && runs.starts[k]! < end; k++) {
    const from = Math.max(runs.starts[k]!, start);
    const digitsEnd = runs.ends[k]!;
    if (digitsEnd - from > 3 || digitsEnd + 2 > end) continue;
    const a = text.charCodeAt(digitsEnd);
    const b = text.charCodeAt(digitsEnd + 1);
    if (!isOrdinalSuffix(a, b)) continue;
    if (from > start && isLetterOrNumber(codePointBefore(text, from, start))) continue;
    if (digitsEnd + 2 < end && isLetterOrNumber(codePointFrom(text, digitsEnd + 2, end))) continue;
    out.push({ start: from, end: digitsEnd + 2, value: Number(text.slice(from, digitsEnd)), text: text.slice(from, digitsEnd + 2) });
  }
  return out;
}

const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const letterOrNumberUnits = new Uint8Array(0x10000);

function isLetterOrNumber(cp: number): boolean {
  if (cp < 0x80) return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
  if (cp > 0xffff) return LETTER_OR_NUMBER.test(String.fromCodePoint(cp));
  let v = letterOrNumberUnits[cp]!;
  if (v === 0) letterOrNumberUnits[cp] = v = cp >= 0xd800 && cp <= 0xdfff ? 2 : LETTER_OR_NUMBER.test(String.fromCharCode(cp)) ? 1 : 2;
  return v === 1;
}

/** The code point ending at `at`, not reaching before `floor` (a lone half of a pair stands alone). */
function codePointBefore(text: string, at: number, floor: number): number {
  const c = text.charCodeAt(at - 1);
  if (c >= 0xdc00 && c <= 0xdfff && at - 2 >= floor) {
    const h = text.charCodeAt(at - 2);
    if (h >= 0xd800 && h <= 0xdbff) return ((h - 0xd800) << 10) + (c - 0xdc00) + 0x10000;
  }
  return c;
}

/** The code point starting at `at`, not reaching `limit`. */
function codePointFrom(text: string, at: number, limit: number): number {
  const c = text.charCodeAt(at);
  if (c >= 0xd800 && c <= 0xdbff && at + 1 < limit) {
    const l = text.charCodeAt(at + 1);
    if (l >= 0xdc00 && l <= 0xdfff) return ((c - 0xd800) << 10) + (l - 0xdc00) + 0x10000;
  }
  return c;
}

function ordinalSuffix(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

/** One piece of a sentence. Every piece is an instance of this one class, so reading pieces stays monomorphic (five
 *  object shapes made sorting and scanning them the costliest part of the rule); a word's lower-case text is built
 *  only when something reads it (most words never are). Pieces are reused from sentence to sentence (PieceList):
 *  one object per word of every candidate sentence was ~1 MB of garbage per run on the 1 MB brief. */
class SentencePiece {
  mention: Mention | undefined = undefined;
  entity: Entity | undefined = undefined;
  date: DateInText | undefined = undefined;
  value = 0;
  text = '';
  char = '';
  type: Piece['type'] = 'word';
  start = 0;
  end = 0;
  rank = 0;
  private source = '';
  private lower: string | undefined = undefined;
  /** Make this piece anew (every field, so nothing of its previous use leaks into it). */
  reset(type: Piece['type'], start: number, end: number, rank: number, source: string): this {
    this.mention = undefined;
    this.entity = undefined;
    this.date = undefined;
    this.value = 0;
    this.text = '';
    this.char = '';
    this.type = type;
    this.start = start;
    this.end = end;
    this.rank = rank;
    this.source = source;
    this.lower = undefined;
    return this;
  }
  get word(): string {
    return (this.lower ??= this.type === 'word' ? this.source.slice(this.start, this.end).toLowerCase() : '');
  }
}

/** The pieces of one sentence at a time, in order of start (at one start: mention, date, ordinal, word,
 *  punctuation), without overlaps (the earlier piece wins). One list per run: build() reuses its arrays and piece
 *  objects, so what it returns is valid only until the next build(). */
class PieceList {
  private readonly pool: SentencePiece[] = [];
  private used = 0;
  /** Mentions, dates and ordinals of the sentence, sorted by start then rank. */
  private readonly special: SentencePiece[] = [];
  private readonly out: SentencePiece[] = [];
  private lastEnd = -1;
  private next = 0;

  constructor(private readonly ctx: CheckContext) {}

  private take(type: Piece['type'], start: number, end: number, rank: number): SentencePiece {
    if (this.used === this.pool.length) this.pool.push(new SentencePiece());
    return this.pool[this.used++]!.reset(type, start, end, rank, this.ctx.text);
  }

  /** Insert into `special`, keeping it sorted by start then rank (few per sentence: an insertion sort, which,
   *  unlike Array.prototype.sort, makes no scratch array). Equal keys keep their order of arrival. */
  private addSpecial(p: SentencePiece): void {
    const special = this.special;
    let i = special.length;
    special.push(p);
    while (i > 0) {
      const q = special[i - 1]!;
      if (q.start < p.start || (q.start === p.start && q.rank <= p.rank)) break;
      special[i] = q;
      i--;
    }
    special[i] = p;
  }

  /** Merge the special pieces starting at or before `p` into the output, then `p` itself. */
  private emit(p: SentencePiece): void {
    const special = this.special;
    while (this.next < special.length && special[this.next]!.start <= p.start) {
      const q = special[this.next++]!;
      if (q.start >= this.lastEnd) {
        this.out.push(q);
        this.lastEnd = q.end;
      }
    }
    if (p.start >= this.lastEnd) {
      this.out.push(p);
      this.lastEnd = p.end;
    }
  }

  build(start: number, end: number): Piece[] {
    const ctx = this.ctx;
    const text = ctx.text;
    this.used = 0;
    this.special.length = 0;
    this.out.length = 0;
    this.lastEnd = -1;
    this.next = 0;
    for (const m of ctx.mentionsIn(start, end)) {
      const p = this.take('mention', m.start, m.end, 0);
      p.mention = m;
      p.entity = m.entityIds.length === 1 ? ctx.entity(m.entityIds[0]!) : undefined;
      this.addSpecial(p);
    }
    for (const d of ctx.datesIn(start, end)) {
      const p = this.take('date', d.start, d.end, 1);
      p.date = d;
      this.addSpecial(p);
    }
    for (const o of ordinalsIn(ctx, start, end)) {
      if (ctx.isMasked(o.start)) continue;
      const p = this.take('ordinal', o.start, o.end, 2);
      p.value = o.value;
      p.text = o.text;
      this.addSpecial(p);
    }
    // Words and punctuation (many, never at the same start) arrive in order: merged with the special pieces, which
    // come first at an equal start, instead of sorting everything.
    // Tokens are in order: start at the sentence's first one (a scan from the top is quadratic on big briefs).
    const spans = ctx.tokensIn(start, end);
    let k = 0;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      // , ; : ( ) — –
      if ((c === 44 || c === 59 || c === 58 || c === 40 || c === 41 || c === 0x2014 || c === 0x2013) && !ctx.isMasked(i)) {
        for (; k < spans.count && spans.starts[k]! < i; k++) this.emit(this.take('word', spans.starts[k]!, spans.ends[k]!, 3));
        const p = this.take('punct', i, i + 1, 4);
        p.char = text[i]!;
        this.emit(p);
      }
    }
    for (; k < spans.count; k++) this.emit(this.take('word', spans.starts[k]!, spans.ends[k]!, 3));
    const special = this.special;
    for (; this.next < special.length; this.next++) {
      const q = special[this.next]!;
      if (q.start >= this.lastEnd) {
        this.out.push(q);
        this.lastEnd = q.end;
      }
    }
    return this.out as unknown as Piece[];
  }
}

const isWord = (p: Piece | undefined, words: Set<string> | string[]): boolean =>
  !!p && ((p.type === 'word' && (Array.isArray(words) ? words.includes(p.word) : words.has(p.word))) ||
    (p.type === 'punct' && (Array.isArray(words) ? words.includes(p.char) : words.has(p.char))));

/** Matches a tie word (one or two words) at index i; returns the index after it, or -1. */
function matchTie(ps: Piece[], i: number, kind: SubjectKind): number {
  for (const words of TIE_WORDS[kind]) {
    let ok = true;
    for (let k = 0; k < words.length; k++) {
      const p = ps[i + k];
      if (!p || p.type !== 'word' || p.word !== words[k]) { ok = false; break; }
    }
    if (ok) return i + words.length;
  }
  return -1;
}

function isFiller(p: Piece | undefined): boolean {
  if (!p) return false;
  if (p.type === 'punct') return p.char === ',';
  return p.type === 'word' && (FILLERS.has(p.word) || (p.word.endsWith('ly') && p.word.length > 4));
}

/** After a tie word: an optional place phrase ("in Washington,"), then a preposition and the date. */
function dateAfterTie(ps: Piece[], i: number): DateInText | undefined {
  for (let k = i; k < ps.length && k < i + 7; k++) {
    const p = ps[k]!;
    if (p.type === 'date') {
      const prev = ps[k - 1];
      return k === i || isWord(prev, PREPOSITIONS) ? p.date : undefined;
    }
    if (isWord(p, PLACE_GAP) || isWord(p, PREPOSITIONS)) continue;
    if (p.type === 'mention' && p.entity?.kind === 'place') continue;
    return undefined;
  }
  return undefined;
}

/** The date the sentence ties to the mention at index i, for this kind of subject. */
function tiedDate(ps: Piece[], at: number, kind: SubjectKind): DateInText | undefined {
  const i = skipParenthesisedAlias(ps, at);
  const before = ps[at - 1];
  const after = ps[i + 1];
  if (kind !== 'founding') {
    // "the 2015 MOU", "the October 2022 JPMG round"
    if (before?.type === 'date') return before.date;
    // "the MOU of 1981", "the JPMG round in October 2022", "the JPMG (2021)". Not "discussed the MOU in 2022":
    // after an agreement, "in" usually dates the sentence's verb, not the signing.
    const preps = kind === 'meeting' ? ['in', 'on', 'of'] : ['of'];
    if (isWord(after, preps) && ps[i + 2]?.type === 'date') return (ps[i + 2] as { date: DateInText }).date;
    if (isWord(after, ['(']) && ps[i + 2]?.type === 'date' && isWord(ps[i + 3], [')'])) return (ps[i + 2] as { date: DateInText }).date;
  }
  // "the JPMG, which was founded in 1984": fillers, a tie word, then the date.
  for (let k = i + 1; k < ps.length && k < i + 7; k++) {
    const afterTie = matchTie(ps, k, kind);
    if (afterTie > 0) {
      const d = dateAfterTie(ps, afterTie);
      if (d) return d;
    }
    if (!isFiller(ps[k])) break;
  }
  // "In 1984, the JPMG was founded": a fronted date, then the mention, fillers and a tie word.
  let j = at - 1;
  if (isWord(ps[j], ['the'])) j--;
  if (isWord(ps[j], [','])) j--;
  const fronted = ps[j];
  if (fronted?.type === 'date' && isWord(ps[j - 1], ['in', 'on']) && j < at - 1) {
    for (let t = i + 1; t < ps.length && t < i + 5; t++) {
      if (matchTie(ps, t, kind) > 0) return fronted.date;
      if (!isFiller(ps[t])) break;
    }
  }
  return undefined;
}

/** "Joint Political-Military Group (JPMG), founded in …": the parenthesised alias belongs to the mention. */
function skipParenthesisedAlias(ps: Piece[], i: number): number {
  const m = ps[i];
  const inner = ps[i + 2];
  if (m?.type === 'mention' && isWord(ps[i + 1], ['(']) && inner?.type === 'mention' && isWord(ps[i + 3], [')']) &&
    inner.mention.entityIds.some((id) => m.mention.entityIds.includes(id))) return i + 3;
  return i;
}

/** The ordinal written just before the mention, allowing a chain like "48th U.S.-Israel JPMG". */
function ordinalBefore(ps: Piece[], i: number): Extract<Piece, { type: 'ordinal' }> | undefined {
  for (let k = i - 1; k >= 0 && k >= i - 6; k--) {
    const p = ps[k]!;
    if (p.type === 'ordinal') return p;
    if (p.type === 'mention' && (p.entity?.kind === 'place' || p.entity?.kind === 'organisation')) continue;
    if (p.type === 'punct' && (p.char === '–' || p.char === '—')) continue;
    if (p.type === 'word' && p.word === '-') continue;
    return undefined;
  }
  return undefined;
}

function dateFix(d: DateInText, truth: DateValue): { start: number; end: number; newText: string } {
  const p = precisionOf(truth);
  if (p === 0) return { start: d.yearStart, end: d.yearEnd, newText: String(truth.year) };
  if (p >= precisionOf(d.value)) {
    return { start: d.start, end: d.end, newText: formatDate(truncate(truth, precisionOf(d.value)), d.style, d.shortMonth) };
  }
  return { start: d.start, end: d.end, newText: formatDate(truth, d.style === 'iso' ? 'iso' : 'month-year', d.shortMonth) };
}

const PHRASES: Record<SubjectKind, string> = {
  meeting: 'took place',
  agreement: 'was signed',
  founding: 'was founded',
};

function dateFinding(ctx: CheckContext, name: string, kind: SubjectKind, d: DateInText, truth: DateValue, sources: readonly Citation[]): Finding {
  const fix = dateFix(d, truth);
  const when = `${truth.day !== undefined ? 'on' : 'in'} ${describeDate(truth)}`;
  return {
    start: d.start,
    end: d.end,
    code: WRONG_DATE,
    severity: 'warning',
    message: `${/^the\b/i.test(name) ? name : `The ${name}`} ${PHRASES[kind]} ${when}, not “${d.text}”.${citeSuffix(ctx.corpus, sources, String(truth.year))}`,
    fixes: [{ title: `Replace with “${fix.newText}”`, edits: [fix], isPreferred: true }],
  };
}

function ordinalFinding(ctx: CheckContext, piece: { start: number; end: number; text: string }, meeting: Entity, ordinal: number, when: DateValue | undefined): Finding {
  const right = `${ordinal}${ordinalSuffix(ordinal)}`;
  return {
    start: piece.start,
    end: piece.end,
    code: WRONG_ORDINAL,
    severity: 'warning',
    message: `${when ? `The meeting of ${describeDate(when)}` : meeting.name} was the ${right}, not the ${piece.text} (${meeting.name}).` +
      citeSuffix(ctx.corpus, meeting.ordinal?.sources, right),
    fixes: [{ title: `Replace with “${right}”`, edits: [{ start: piece.start, end: piece.end, newText: right }], isPreferred: true }],
  };
}

function isDatedKind(ctx: CheckContext, m: Mention): boolean {
  if (m.entityIds.length !== 1) return false;
  const kind = ctx.entity(m.entityIds[0]!)?.kind;
  return kind === 'meeting' || kind === 'agreement' || kind === 'organisation';
}

function isOrdinalSuffix(a: number, b: number): boolean {
  return (a === 115 && b === 116) || (a === 110 && b === 100) || (a === 114 && b === 100) || (a === 116 && b === 104);
}

/** "the 48th JPMG": a meeting of this forum named by its ordinal. (A function of its own: its closures over the
 *  ordinal and the date, inside the loop over every piece, made a context object per piece.) */
function organisationOrdinal(ctx: CheckContext, ps: Piece[], i: number, p: Piece, e: Entity,
  ordinal: Extract<Piece, { type: 'ordinal' }>, out: Finding[]): void {
  const meetings = meetingsOf(ctx.corpus, e.id);
  const d = tiedDate(ps, i, 'meeting');
  const byOrdinal = meetings.filter((m) => m.ordinal?.value === ordinal.value);
  if (byOrdinal.length === 1) {
    const m = byOrdinal[0]!;
    const truth = parseIsoDate(m.date?.value);
    if (d && truth && !datesAgree(d.value, truth)) {
      out.push(dateFinding(ctx, `the ${ordinal.text} ${ctx.text.slice(p.start, p.end)}`, 'meeting', d, truth, m.date!.sources));
    }
  } else if (byOrdinal.length === 0 && d) {
    const sameDate = meetings.filter((m) => {
      const v = parseIsoDate(m.date?.value);
      return v && datesAgree(d.value, v);
    });
    const m = sameDate[0];
    if (sameDate.length === 1 && m?.ordinal && m.ordinal.value !== ordinal.value) {
      out.push(ordinalFinding(ctx, ordinal, m, m.ordinal.value, parseIsoDate(m.date?.value)));
    }
  }
}

export const wrongDateOrOrdinal: CheckRule = {
  codes: { [WRONG_DATE]: 'warning', [WRONG_ORDINAL]: 'warning' },
  run(ctx) {
    const out: Finding[] = [];
    const isDated = (m: Mention) => isDatedKind(ctx, m);
    const text = ctx.text;
    const dates = ctx.dates();
    const runs = ctx.digitRuns();
    // Cursors into the dates and the digit runs: sentences come in order and do not overlap.
    let d = 0;
    let r = 0;
    const pieces = new PieceList(ctx);
    const sentences = ctx.sentences();
    for (let si = 0; si < sentences.count; si++) {
      // Only a sentence with a date or an ordinal (a digit run followed by st/nd/rd/th) in it can be reported (what
      // datesIn and ordinalsIn would find), and only when it names a meeting, agreement or organisation. The cheap
      // tests first: most sentences have no digit at all.
      const start = sentences.starts[si]!;
      const end = sentences.ends[si]!;
      while (d < dates.length && dates[d]!.start < start) d++;
      let candidate = false;
      for (let k = d; k < dates.length && dates[k]!.start < end && !candidate; k++) candidate = dates[k]!.end <= end;
      while (r < runs.count && runs.ends[r]! <= start) r++;
      for (let k = r; k < runs.count && runs.starts[k]! < end && !candidate; k++) {
        const after = runs.ends[k]!;
        if (after + 2 > end) break;
        candidate = isOrdinalSuffix(text.charCodeAt(after), text.charCodeAt(after + 1));
      }
      if (!candidate) continue;
      if (!ctx.overlapsMention(start, end, isDated)) continue;
      const ps = pieces.build(start, end);
      for (let i = 0; i < ps.length; i++) {
        const p = ps[i]!;
        if (p.type !== 'mention' || !p.entity) continue;
        const e = p.entity;
        const ordinal = ordinalBefore(ps, i);
        if (e.kind === 'meeting') {
          const truth = parseIsoDate(e.date?.value);
          const d = tiedDate(ps, i, 'meeting');
          if (d && truth && !datesAgree(d.value, truth)) out.push(dateFinding(ctx, e.name, 'meeting', d, truth, e.date!.sources));
          if (ordinal && e.ordinal && ordinal.value !== e.ordinal.value) out.push(ordinalFinding(ctx, ordinal, e, e.ordinal.value, undefined));
        } else if (e.kind === 'agreement') {
          const truth = parseIsoDate(e.date?.value);
          const d = truth && tiedDate(ps, i, 'agreement');
          if (d && truth && !datesAgree(d.value, truth)) out.push(dateFinding(ctx, e.name, 'agreement', d, truth, e.date!.sources));
        } else if (e.kind === 'organisation') {
          if (ordinal) {
            organisationOrdinal(ctx, ps, i, p, e, ordinal, out);
            continue;
          }
          const truth = parseIsoDate(e.date?.value);
          const d = truth && tiedDate(ps, i, 'founding');
          if (d && truth && !datesAgree(d.value, truth)) out.push(dateFinding(ctx, e.name, 'founding', d, truth, e.date!.sources));
        }
      }
    }
    // A date tied to two mentions is reported once.
    const seen = new Set<string>();
    return out.filter((f) => {
      const key = `${f.code}:${f.start}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
};
