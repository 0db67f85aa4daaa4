// A tiny in-memory Corpus for unit tests: entities with names and aliases, alias keys built with the shared
// normalisation (acronyms case-sensitive, ambiguous aliases naming several entities), nothing read from disk.
import { analyzeDocument } from '../../../server/src/core/analysis/analyze';
import type { DocumentAnalysis } from '../../../server/src/core/analysis/types';
import { looksLikeAcronym, normalize } from '../../../server/src/core/normalize';
import type { AliasEntry, AliasSpec, Corpus, Entity, EntityKind } from '../../../server/src/core/types';

export interface FixtureEntity {
  id: string;
  kind?: EntityKind;
  name: string;
  aliases?: (string | AliasSpec)[];
}

export function buildCorpus(fixtures: FixtureEntity[]): Corpus {
  const entities: Entity[] = [];
  const byId = new Map<string, Entity>();
  const aliases = new Map<string, AliasEntry>();
  const add = (spec: AliasSpec, id: string) => {
    const key = normalize(spec.text);
    if (!key) return;
    const existing = aliases.get(key);
    if (existing) {
      if (!existing.entityIds.includes(id)) existing.entityIds.push(id);
      return;
    }
    aliases.set(key, {
      key,
      text: spec.text,
      entityIds: [id],
      caseSensitive: spec.acronym ?? looksLikeAcronym(spec.text),
      lang: spec.lang ?? 'en',
    });
  };
  for (const f of fixtures) {
    const specs = (f.aliases ?? []).map((a) => (typeof a === 'string' ? { text: a } : a));
    const entity: Entity = {
      id: f.id,
      kind: f.kind ?? 'person',
      name: f.name,
      aliases: specs,
      summary: '',
      sources: [],
      origin: { file: '/fixture.yaml', line: entities.length, column: 0 },
    };
    entities.push(entity);
    byId.set(f.id, entity);
    add({ text: f.name }, f.id);
    for (const s of specs) add(s, f.id);
  }
  return { entities, byId, aliases, sources: new Map(), problems: [], files: ['/fixture.yaml'] };
}

/** The corpus most analysis tests use. */
export function sampleCorpus(): Corpus {
  return buildCorpus([
    { id: 'eshel', name: 'Dror Eshel', aliases: ['Eshel', 'Director General Eshel', 'DG Eshel', { text: 'درور اشل', lang: 'fa' }] },
    { id: 'jpmg', kind: 'organisation', name: 'Joint Political-Military Group', aliases: ['JPMG'] },
    { id: 'qme', kind: 'topic', name: 'Qualitative Military Edge', aliases: ['QME'] },
    { id: 'imod', kind: 'organisation', name: 'Israel Ministry of Defense', aliases: ['IMOD', 'Ministry of Defense', { text: 'وزارت دفاع اسرائیل', lang: 'fa' }] },
    { id: 'mou-2016', kind: 'agreement', name: '2016 Memorandum of Understanding', aliases: ['2016 MOU', { text: 'یادداشت تفاهم ۲۰۱۶', lang: 'fa' }] },
    { id: 'pm-bureau', kind: 'organisation', name: 'Bureau of Political-Military Affairs', aliases: ['PM Bureau', { text: 'دفتر امور سیاسی‌نظامی', lang: 'fa' }] },
    { id: 'us', kind: 'place', name: 'United States', aliases: ['U.S.', 'US'] },
    { id: 'chollet', name: 'Derek Chollet', aliases: ['Chollet', 'Counselor Chollet'] },
    { id: 'chollet-2', name: 'Other Chollet', aliases: [{ text: 'Chollet', ambiguous: true }] },
    { id: 'kirya', kind: 'place', name: 'HaKirya', aliases: ['Kirya', { text: 'الكرياه', lang: 'ar' }] },
    { id: 'dod', kind: 'organisation', name: 'Department of Defense', aliases: [{ text: 'DoD', acronym: true }] },
    { id: 'tehran', kind: 'place', name: 'Tehran', aliases: [{ text: 'تهران', lang: 'fa' }] },
  ]);
}

// ---- helpers shared by the analysis tests: mentions and masks as readable tuples ----

let shared: Corpus | undefined;
export function corpus(): Corpus {
  return (shared ??= sampleCorpus());
}

export function analyze(text: string, options?: { plainText?: boolean }, c: Corpus = corpus()): DocumentAnalysis {
  return analyzeDocument(text, 1, c, options);
}

/** [visible text, entity ids joined by ","] for every mention, in order. */
export function mentions(text: string, options?: { plainText?: boolean }, c?: Corpus): [string, string][] {
  const a = analyze(text, options, c);
  return a.mentions.map((m) => [text.slice(m.start, m.end), m.entityIds.join(',')]);
}

/** The visible texts of the mentions only. */
export function found(text: string): string[] {
  return mentions(text).map(([t]) => t);
}

/** [reason, masked text] for every masked region. */
export function masks(text: string): [string, string][] {
  return analyze(text).masked.map((m) => [m.reason, text.slice(m.start, m.end)]);
}

/** Mentions as line/character positions (for comparing LF, CRLF, CR and BOM forms of one text). */
export function positions(text: string): string[] {
  const a = analyze(text);
  return a.mentions.map((m) => {
    const s = a.lineIndex.positionAt(m.start);
    const e = a.lineIndex.positionAt(m.end);
    return `${s.line}:${s.character}-${e.line}:${e.character} ${m.form} ${m.entityIds.join(',')}`;
  });
}
