// Deterministic generators for the benchmark inputs: a realistic Markdown brief of any size (headings, paragraphs
// naming corpus entities in plain, title+surname and Persian forms, wikilinks, lists, code fences, inline code,
// links, tables, quotes, comments), a workspace of many briefs, and an overlay corpus of generated entities in the
// corpus YAML format (server/src/core/types.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from './stats';
import type { NameBook, NameForm } from './names';

/** A plain mention the generator wrote, at a 0-based line and UTF-16 character (hover targets). */
export interface PlacedMention { line: number; character: number; text: string }

export interface GeneratedBrief {
  text: string;
  /** Plain-text mentions in English paragraphs (not in code, links or wikilinks). */
  mentions: PlacedMention[];
  /** The sentinel mention (workspace briefs only). */
  sentinel?: PlacedMention;
  /** Line lengths, so a harness can type at the end of a line. */
  lineLengths: number[];
}

const WORDS = (
  'the a of and to in for on with by from as at that this which its their officials delegation security ' +
  'cooperation regional strategic bilateral dialogue agreement commitment defense policy military civilian ' +
  'senior discussed reaffirmed welcomed underlined shared concern threats partners capabilities assistance ' +
  'missile deterrence exercise planning review steering working group session round statement joint ' +
  'technology interoperability procurement timeline budget framework annual meeting agenda minutes ' +
  'previous next participants noted emphasised agreed continue expand support stability region partners ' +
  'maritime air cyber intelligence sharing coordination readiness posture initiative fiscal year funding'
).split(' ');

const PERSIAN_WORDS = (
  'امروز در مقامات ارشد غیرنظامی و نظامی ایالات متحده نخستین جلسه دوجانبه حضوری زمان آغاز همه‌گیری ' +
  'کووید برگزار کردند هر دو اذعان دارند که جهان یک نقطه عطف تاریخی قرار دارد منطقه خاورمیانه ' +
  'پیشرفت‌های بی‌سابقه روابطش با شرکای منطقه‌ای پیمان‌های امنیتی گفتگو ۲۰۲۲ ۲۰۱۶ همکاری'
).split(' ');

const HEADINGS = ['Background', 'Participants', 'Discussion', 'Commitments', 'Regional context', 'Next steps',
  'Assessment', 'Open questions', 'Sources', 'Timeline', 'Annex', 'Talking points'];

const LANGS = ['yaml', 'json', 'text', 'ts', ''];

interface Options {
  targetChars: number;
  seed: number;
  /** A name to mention once near the top (workspace briefs), for counting references. */
  sentinel?: NameForm;
  title?: string;
}

export function generateBrief(book: NameBook, opts: Options): GeneratedBrief {
  const rand = rng(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  const en = book.forms.filter((f) => f.lang === 'en');
  const fa = book.forms.filter((f) => f.lang === 'fa');
  const lines: string[] = [];
  const mentions: PlacedMention[] = [];
  let size = 0;
  let sentinel: PlacedMention | undefined;
  const push = (line: string) => { lines.push(line); size += line.length + 1; };

  // A paragraph built word by word, optionally hard-wrapped, recording where plain names land.
  function paragraph(prefix: string, words: number, persian: boolean, wrap: boolean, record = true) {
    let cur = prefix;
    const startLine = lines.length;
    const pending: PlacedMention[] = [];
    const add = (unit: string, plain?: string) => {
      const sep = cur.length === 0 || cur === prefix ? '' : ' ';
      if (wrap && cur.length + sep.length + unit.length > 100 && cur.length > prefix.length) {
        push(cur);
        cur = ' '.repeat(prefix.length);
        return add(unit, plain);
      }
      const character = cur.length + sep.length;
      cur += sep + unit;
      if (plain !== undefined && record) pending.push({ line: lines.length, character, text: plain });
    };
    for (let i = 0; i < words; i++) {
      if (chance(0.12)) {
        const f = persian && fa.length ? pick(fa) : pick(en);
        const r = rand();
        if (persian || r < 0.66) add(f.text, persian ? undefined : f.text);
        else if (r < 0.76 && f.id) add(`[[${f.id}]]`);
        else if (r < 0.81 && f.id) add(`[[${f.id}|${f.text}]]`);
        else if (r < 0.86) add(`[[${f.text}]]`);
        else if (r < 0.92) add(`[${f.text}](https://example.org/briefs/${Math.floor(rand() * 1e6)})`);
        else add('`' + f.text + '`');
      } else {
        let w = persian ? pick(PERSIAN_WORDS) : pick(WORDS);
        if (i === 0 && !persian) w = w[0]!.toUpperCase() + w.slice(1);
        if (!persian && chance(0.08)) w += chance(0.5) ? ',' : '.';
        add(w);
      }
    }
    cur += persian ? '.' : '.';
    push(cur);
    for (const m of pending) mentions.push(m);
    void startLine;
  }

  push('---');
  push(`title: ${opts.title ?? 'Generated brief'}`);
  push(`date: 2022-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`);
  push('tags: [jpmg, benchmark]');
  push('---');
  push('');
  push(`# ${opts.title ?? 'Generated brief'}`);
  push('');
  if (opts.sentinel) {
    const prefix = 'Prepared for the ';
    sentinel = { line: lines.length, character: prefix.length, text: opts.sentinel.text };
    push(`${prefix}${opts.sentinel.text} file.`);
    push('');
  }
  let section = 0;
  while (size < opts.targetChars) {
    section++;
    push(`${chance(0.3) ? '###' : '##'} ${pick(HEADINGS)} ${section}`);
    push('');
    const blocks = 2 + Math.floor(rand() * 5);
    for (let b = 0; b < blocks && size < opts.targetChars; b++) {
      const r = rand();
      if (r < 0.55) {
        paragraph('', 30 + Math.floor(rand() * 90), false, chance(0.5));
      } else if (r < 0.72) {
        const items = 3 + Math.floor(rand() * 6);
        const ordered = chance(0.3);
        for (let i = 0; i < items; i++) {
          const nested = i > 0 && chance(0.25);
          const marker = ordered && !nested ? `${i + 1}. ` : '- ';
          paragraph((nested ? '  ' : '') + marker, 6 + Math.floor(rand() * 20), false, false);
        }
      } else if (r < 0.8) {
        const lang = pick(LANGS);
        push('```' + lang);
        const n = 3 + Math.floor(rand() * 8);
        for (let i = 0; i < n; i++) push(`${pick(['key', 'name', 'note', 'ref'])}: ${pick(en).text} ${pick(WORDS)}`);
        push('```');
      } else if (r < 0.86) {
        paragraph('> ', 20 + Math.floor(rand() * 40), false, true);
      } else if (r < 0.93) {
        paragraph('', 25 + Math.floor(rand() * 40), true, false);
      } else if (r < 0.97) {
        push('| Who | Role | Note |');
        push('| --- | --- | --- |');
        for (let i = 0; i < 3 + Math.floor(rand() * 4); i++) push(`| ${pick(en).text} | ${pick(WORDS)} | ${pick(WORDS)} ${pick(WORDS)} |`);
      } else {
        push(`<!-- ${pick(WORDS)} ${pick(en).text} ${pick(WORDS)} -->`);
      }
      push('');
    }
  }
  return { text: lines.join('\n'), mentions, sentinel, lineLengths: lines.map((l) => l.length) };
}

/** Write `count` briefs of about `charsEach` characters under `dir` (100 per sub-folder); returns total chars. */
export function writeWorkspace(dir: string, book: NameBook, count: number, charsEach: number, seed: number): { chars: number; first: GeneratedBrief; firstPath: string } {
  let chars = 0;
  let first: GeneratedBrief | undefined;
  let firstPath = '';
  for (let i = 0; i < count; i++) {
    const sub = join(dir, 'briefs', `batch-${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0) mkdirSync(sub, { recursive: true });
    const brief = generateBrief(book, { targetChars: charsEach, seed: seed + i, sentinel: book.sentinel, title: `Brief ${i}` });
    const path = join(sub, `brief-${String(i).padStart(5, '0')}.md`);
    writeFileSync(path, brief.text);
    chars += brief.text.length;
    if (i === 0) { first = brief; firstPath = path; }
  }
  return { chars, first: first!, firstPath };
}

// ---- overlay corpus ----

const FIRST = ['Miriam', 'David', 'Yael', 'Noam', 'Sarah', 'Daniel', 'Tamar', 'Michael', 'Rachel', 'Avi', 'Laura',
  'James', 'Dana', 'Eitan', 'Karen', 'Robert', 'Shira', 'Thomas', 'Maya', 'Jonathan', 'Orly', 'Peter', 'Hila', 'Mark'];
const SYLL = ['kal', 'ven', 'dor', 'mar', 'tis', 'lor', 'bex', 'ran', 'sol', 'quin', 'hart', 'wel', 'ber', 'gan',
  'tor', 'lin', 'mos', 'fel', 'dar', 'nov', 'pel', 'ros', 'tam', 'zur', 'cor', 'hal', 'ves', 'mun', 'rid', 'sef'];
const TITLES = ['Director', 'Deputy Director', 'Ambassador', 'Counselor', 'Brigadier General', 'Colonel', 'Minister', 'Under Secretary'];
const ORG_WORDS = ['Bureau', 'Directorate', 'Office', 'Agency', 'Command', 'Division', 'Council', 'Institute'];
const ORG_TOPICS = ['Strategic Affairs', 'Regional Security', 'Defense Cooperation', 'Arms Control', 'Maritime Policy',
  'Air Defense', 'Cyber Policy', 'Security Assistance', 'Planning', 'Logistics'];

/** A unique, pronounceable word for index i (base-30 syllables). */
function coin(i: number, min = 3): string {
  let s = '';
  let n = i;
  let k = 0;
  do { s += SYLL[n % SYLL.length]; n = Math.floor(n / SYLL.length); k++; } while (n > 0 || k < min);
  return s[0]!.toUpperCase() + s.slice(1);
}

const q = (s: string) => JSON.stringify(s); // YAML double-quoted scalars accept JSON strings
const EXT = 'ext-dod-2020-10-22';

/** YAML files (each an `entities:` list) holding `count` generated entities in the corpus format: block style for
 *  entities, flow style for small nested records (as a generating script would write them), ~330 bytes each. */
export function generateOverlay(count: number, seed: number, perFile = 5000): { name: string; text: string }[] {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const nOrgs = Math.max(1, Math.floor(count * 0.2));
  // External citations (an `ext-` id that sources.yaml declares): an overlay's facts come from outside the seeds.
  const cite = (what: string) => `[{source: ${EXT}, quote: ${q(what)}, external: true, reference: "bench"}]`;
  const ref = (id: string) => `{entity: ${id}, sources: ${cite('Listed.')}}`;
  const files: { name: string; text: string }[] = [];
  let buf: string[] = [];
  const flush = () => {
    if (buf.length === 0) return;
    files.push({ name: `generated-${String(files.length).padStart(3, '0')}.yaml`, text: 'entities:\n' + buf.join('') });
    buf = [];
  };
  for (let i = 0; i < count; i++) {
    let e: string;
    const head = (kind: string, name: string, aliases: string) =>
      `  - id: gen-${kind}-${i}\n    kind: ${kind}\n    name: ${q(name)}\n    aliases: ${aliases}\n`;
    if (i < nOrgs) {
      const name = `${pick(ORG_WORDS)} of ${pick(ORG_TOPICS)} ${coin(i)}`;
      e = head('organisation', name, `[{text: ${q(`BX${coin(i).toUpperCase()}`)}, acronym: true}]`) +
        `    summary: ${q(`A generated organisation (${i}).`)}\n    sources: ${cite(`${name} exists.`)}\n`;
    } else {
      const r = rand();
      if (r < 0.7) {
        const surname = coin(i);
        const first = pick(FIRST);
        const title = pick(TITLES);
        const year = 2000 + Math.floor(rand() * 24);
        const persian = rand() < 0.05 ? `, {text: ${q(`میریام ${coin(i)}`)}, lang: fa}` : '';
        e = head('person', `${first} ${surname}`, `[${q(`${first[0]}. ${surname}`)}${persian}]`) +
          `    summary: ${q(`A generated person (${i}), ${title}.`)}\n    sources: ${cite(`${first} ${surname} served.`)}\n` +
          `    roles:\n      - {title: ${q(`${title} of organisation ${i % nOrgs}`)}, titles: [${q(title)}], ` +
          `organisation: gen-organisation-${i % nOrgs}, from: "${year}", to: "${year + 1 + Math.floor(rand() * 4)}", sources: ${cite('Served.')}}\n`;
      } else if (r < 0.85) {
        e = head('meeting', `Round ${coin(i)} ${1 + (i % 400)}`, '[]') +
          `    summary: ${q(`A generated meeting (${i}).`)}\n    sources: ${cite('The meeting was held.')}\n` +
          `    date: {value: "20${10 + (i % 14)}-0${1 + (i % 9)}-1${i % 10}", precision: day, sources: ${cite('Held.')}}\n` +
          `    participants: [${ref(`gen-organisation-${i % nOrgs}`)}]\n`;
      } else if (r < 0.95) {
        e = head('agreement', `${coin(i)} Accord`, '[]') +
          `    summary: ${q(`A generated agreement (${i}).`)}\n    sources: ${cite('The accord was signed.')}\n` +
          `    parties: [${ref(`gen-organisation-${i % nOrgs}`)}]\n`;
      } else {
        e = head('topic', `${coin(i)} question`, '[]') +
          `    summary: ${q(`A generated topic (${i}).`)}\n    sources: ${cite('A topic.')}\n`;
      }
    }
    buf.push(e);
    if (buf.length >= perFile) flush();
  }
  flush();
  return files;
}

/** Write the overlay under `<dir>/.jpmg/`; returns the file paths and total size. */
export function writeOverlay(dir: string, count: number, seed: number): { files: string[]; chars: number; lastId: string; lastName: string } {
  const jpmg = join(dir, '.jpmg');
  mkdirSync(jpmg, { recursive: true });
  const files: string[] = [];
  let chars = 0;
  const generated = generateOverlay(count, seed);
  const lastText = generated[generated.length - 1]!.text;
  const at = lastText.lastIndexOf('  - id: ');
  const lastId = /- id: (\S+)/.exec(lastText.slice(at))![1]!;
  const lastName = JSON.parse(/name: (".*")/.exec(lastText.slice(at))![1]!) as string;
  for (const f of generated) {
    const p = join(jpmg, f.name);
    writeFileSync(p, f.text);
    files.push(p);
    chars += f.text.length;
  }
  return { files, chars, lastId, lastName };
}
