// Test support for the checks: a small hand-made corpus (no YAML, no files) and the real document analysis.
import type { AliasEntry, AliasSpec, Corpus, Entity, SourceDocument } from '../../server/src/core/types';
import { normalize, looksLikeAcronym } from '../../server/src/core/normalize';
import { analyzeDocument } from '../../server/src/core/analysis/analyze';
import { runChecks } from '../../server/src/core/checks/index';
import type { Finding } from '../../server/src/core/checks/types';
import { DEFAULT_SETTINGS, type JpmgSettings } from '../../server/src/protocol';

type EntityInput = Omit<Entity, 'origin' | 'aliases' | 'summary' | 'sources'> & {
  aliases?: (string | AliasSpec)[];
  summary?: string;
  sources?: Entity['sources'];
};

const origin = { file: '/test/corpus.yaml', line: 0, column: 0 };

/** Builds a Corpus the way the loader does: names, aliases and "Title Surname" forms indexed by normalised key. */
export function makeCorpus(inputs: EntityInput[]): Corpus {
  const entities: Entity[] = inputs.map((e) => ({
    summary: '',
    sources: [],
    ...e,
    aliases: (e.aliases ?? []).map((a) => (typeof a === 'string' ? { text: a } : a)),
    origin,
  }));
  const aliases = new Map<string, AliasEntry>();
  const add = (text: string, id: string, spec?: AliasSpec) => {
    const key = normalize(text);
    const existing = aliases.get(key);
    if (existing) {
      if (!existing.entityIds.includes(id)) existing.entityIds.push(id);
      return;
    }
    const entry: AliasEntry = {
      key,
      text,
      entityIds: [id],
      caseSensitive: spec?.acronym ?? looksLikeAcronym(text),
      lang: spec?.lang ?? 'en',
    };
    if (spec?.discouraged) entry.discouraged = { preferred: spec.preferred ?? entities.find((x) => x.id === id)!.name };
    aliases.set(key, entry);
  };
  for (const e of entities) {
    add(e.name, e.id);
    for (const a of e.aliases) add(a.text, e.id, a);
  }
  const sources = new Map<string, SourceDocument>([
    ['seed-001', { id: 'seed-001', file: '001.txt', title: 'Joint Statement of the 48th U.S.-Israel Joint Political-Military Group', publisher: 'TPS', date: '2022-10-26', language: 'en', path: '/test/001.txt', text: '', origin }],
  ]);
  return { entities, byId: new Map(entities.map((e) => [e.id, e])), aliases, sources, problems: [], files: [] };
}

const cite = (quote: string) => [{ source: 'seed-001', quote }];

export const testCorpus = makeCorpus([
  {
    id: 'jpmg', kind: 'organisation', name: 'Joint Political-Military Group',
    aliases: ['JPMG', 'U.S.-Israel Joint Political-Military Group', 'Joint Political Military Group'],
    sources: cite('bilateral Joint Political-Military Group (JPMG)'),
    date: { value: '1983', precision: 'year', sources: cite('since its inception in 1983, when President Reagan and Prime Minister Shamir announced the formation of the JPMG') },
  },
  {
    id: 'jpmg-48', kind: 'meeting', name: '48th U.S.-Israel Joint Political-Military Group', aliases: ['48th JPMG'],
    sources: cite('Joint Statement of the 48th U.S.-Israel Joint Political-Military Group'),
    date: { value: '2022-10-25', precision: 'day', sources: cite('26 October, 2022') },
    ordinal: { value: 48, sources: cite('Joint Statement of the 48th U.S.-Israel Joint Political-Military Group') },
    organisations: [{ entity: 'jpmg', sources: [] }],
  },
  {
    id: 'jpmg-2021-01', kind: 'meeting', name: 'JPMG round of January 2021',
    date: { value: '2021-01-12', precision: 'day', sources: cite('On Tuesday') },
    organisations: [{ entity: 'jpmg', sources: [] }],
  },
  {
    id: 'derek-chollet', kind: 'person', name: 'Derek Chollet', aliases: ['Chollet', 'Counselor Chollet'],
    sources: cite('Derek Chollet, the Counselor of the U.S. Department of State'),
    roles: [{ title: 'Counselor of the U.S. Department of State', titles: ['Counselor'], attested: ['2022-10-25'], sources: cite('Derek Chollet, the Counselor of the U.S. Department of State') }],
  },
  {
    id: 'amir-eshel', kind: 'person', name: 'Amir Eshel', aliases: ['Eshel', 'Director General Eshel'],
    roles: [{ title: 'Director General of the Israeli Ministry of Defense', titles: ['Director General', 'Major General (ret.)'], attested: ['2022-10-25'], sources: cite('Director General of the Israeli Ministry of Defense, Major General (ret.) Amir Eshel') }],
  },
  {
    id: 'benny-gantz', kind: 'person', name: 'Benny Gantz', aliases: ['Gantz'],
    roles: [
      { title: 'Alternate Prime Minister of Israel', titles: ['Alternate Prime Minister'], from: '2020-05-17', to: '2021-06-13', sources: cite('Alternate Premier') },
      { title: 'Minister of Defense of Israel', titles: ['Defense Minister', 'Minister of Defense'], from: '2020-05-17', to: '2022-12-29', sources: cite('Israeli Defense Minister Gantz') },
    ],
  },
  {
    id: 'mark-esper', kind: 'person', name: 'Mark Esper', aliases: ['Esper'],
    roles: [{ title: 'U.S. Secretary of Defense', titles: ['Secretary', 'Secretary of Defense'], from: '2019-07-23', to: '2020-11-09', sources: cite('U.S. Secretary of Defense Mark Esper') }],
  },
  {
    id: 'mou-2016', kind: 'agreement', name: '2016 Memorandum of Understanding', aliases: ['2016 MOU', { text: 'MOU', ambiguous: true }],
    date: { value: '2016-09-14', precision: 'day', sources: [{ source: 'ext-state-2016', quote: 'signed on 14 September 2016', external: true, reference: 'U.S. Department of State fact sheet, 2016-09-14' }] },
  },
  {
    id: 'mou-1981', kind: 'agreement', name: 'Memorandum of Understanding on Strategic Cooperation', aliases: ['1981 MOU', { text: 'MOU', ambiguous: true }],
    date: { value: '1981-11-30', precision: 'day', sources: cite('signed a memorandum of understanding in 1981') },
  },
  { id: 'qme', kind: 'topic', name: 'qualitative military edge', aliases: ['QME'] },
  { id: 'fmf', kind: 'topic', name: 'Foreign Military Financing', aliases: ['FMF'] },
  { id: 'tps', kind: 'organisation', name: 'Tazpit Press Service', aliases: ['TPS'] },
  {
    id: 'west-bank', kind: 'place', name: 'West Bank',
    aliases: [{ text: 'Judea and Samaria', discouraged: true, preferred: 'West Bank', sources: cite('the rising level of violence in Judea and Samaria') }],
  },
  { id: 'israel', kind: 'place', name: 'Israel' },
  { id: 'iran', kind: 'place', name: 'Iran' },
  { id: 'washington', kind: 'place', name: 'Washington', aliases: ['Washington, D.C.'] },
  { id: 'united-states', kind: 'place', name: 'United States', aliases: ['U.S.', { text: 'US', acronym: true }] },
]);

export function settingsWith(overrides: Partial<JpmgSettings> = {}): JpmgSettings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}

/** Runs every check on a plain string. */
export function check(text: string, overrides: Partial<JpmgSettings> = {}, corpus: Corpus = testCorpus): Finding[] {
  const settings = settingsWith(overrides);
  return runChecks(analyzeDocument(text, 1, corpus, { plainText: settings.mentions.plainText }), corpus, settings);
}

/** Findings of one rule as [code, covered text] pairs, for compact assertions. */
export function found(text: string, code?: string, overrides: Partial<JpmgSettings> = {}, corpus: Corpus = testCorpus): string[] {
  return check(text, overrides, corpus)
    .filter((f) => !code || f.code === code)
    .map((f) => `${f.code}:${text.slice(f.start, f.end)}`);
}

/** Applies a finding's first fix to the text. */
export function applyFirstFix(text: string, f: Finding): string {
  const edits = [...f.fixes[0]!.edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
