// The names the generated briefs mention: taken from the bundled corpus YAML when it is there (names, aliases,
// Persian forms, "Title Surname" forms of people's roles), else a fixed list drawn from the five source documents,
// so the benchmark runs before the corpus lands.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface NameForm {
  /** Text as it appears in a brief. */
  text: string;
  /** Entity id, when known (used for wikilinks). */
  id?: string;
  lang: 'en' | 'fa';
}

export interface NameBook {
  forms: NameForm[];
  /** Entity ids usable in `[[id]]` wikilinks (empty when the corpus is not there). */
  ids: string[];
  /** A name that every workspace brief mentions, for counting references across the workspace. */
  sentinel: NameForm;
  fromCorpus: boolean;
}

const ENTITY_FILES = ['people.yaml', 'organisations.yaml', 'agreements.yaml', 'meetings.yaml', 'places.yaml', 'topics.yaml'];

const FALLBACK: NameForm[] = [
  ...['Joint Political-Military Group', 'JPMG', 'Derek Chollet', 'Counselor Chollet', 'Isaac Herzog', 'President Herzog',
    'Department of State', 'State Department', 'Ministry of Defense', 'Pentagon', 'Benny Gantz', 'Mark Esper',
    'qualitative military edge', 'QME', 'Memorandum of Understanding', 'Abraham Accords', 'Washington',
    'Jerusalem', 'Judea and Samaria', 'West Bank', 'Iran', 'Bureau of Political-Military Affairs']
    .map((text) => ({ text, lang: 'en' as const })),
  ...['گروه سیاسی-نظامی', 'کرانه باختری', 'وزارت امور خارجه', 'واشنگتن', 'اسرائیل']
    .map((text) => ({ text, lang: 'fa' as const })),
];

interface RawAlias { text?: string; lang?: string }
interface RawEntity { id?: string; kind?: string; name?: string; aliases?: (string | RawAlias)[]; roles?: { titles?: string[] }[] }

export function loadNameBook(root: string): NameBook {
  const forms: NameForm[] = [];
  const ids: string[] = [];
  for (const f of ENTITY_FILES) {
    const path = join(root, 'corpus', f);
    if (!existsSync(path)) continue;
    let doc: { entities?: RawEntity[] } | null;
    try { doc = parse(readFileSync(path, 'utf8')) as { entities?: RawEntity[] } | null; } catch { continue; }
    for (const e of doc?.entities ?? []) {
      if (!e?.id || !e.name) continue;
      ids.push(e.id);
      forms.push({ text: e.name, id: e.id, lang: 'en' });
      for (const a of e.aliases ?? []) {
        const text = typeof a === 'string' ? a : a?.text;
        if (!text) continue;
        const lang = typeof a === 'object' && a?.lang === 'fa' ? 'fa' : /[\u0600-\u06ff]/.test(text) ? 'fa' : 'en';
        forms.push({ text, id: e.id, lang });
      }
      if (e.kind === 'person') {
        const surname = e.name.split(/\s+/).pop()!;
        for (const r of e.roles ?? []) for (const t of r.titles ?? []) forms.push({ text: `${t} ${surname}`, id: e.id, lang: 'en' });
      }
    }
  }
  if (forms.length === 0) return { forms: FALLBACK, ids: [], sentinel: FALLBACK[0]!, fromCorpus: false };
  const jpmg = forms.find((f) => f.text === 'JPMG') ?? forms.find((f) => f.lang === 'en')!;
  const sentinel = forms.find((f) => f.id === jpmg.id && f.lang === 'en' && f.text !== 'JPMG' && f.text.length > 6) ?? jpmg;
  return { forms, ids, sentinel, fromCorpus: true };
}
