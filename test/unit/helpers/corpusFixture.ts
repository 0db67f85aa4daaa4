// A tiny in-memory Corpus for unit tests: entities with names and aliases, alias keys built with the shared
// normalisation (acronyms case-sensitive, ambiguous aliases naming several entities), nothing read from disk.
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
  ]);
}
