// A small corpus for the feature tests, loaded from YAML strings by the real loader (so entities carry origins,
// sources carry texts), and a helper that analyses a brief with the real analyser.
import { loadCorpus } from '../../server/src/core/corpus/index';
import { analyzeDocument } from '../../server/src/core/analysis/analyze';
import type { Corpus } from '../../server/src/core/types';
import type { DocumentAnalysis } from '../../server/src/core/analysis/types';

export const DIR = '/fixture/corpus';

export const SOURCE_TEXT = [
  'Joint Statement of the 48th Group',
  '',
  'In Washington, Derek Chollet, the Counselor of the Department, welcomed the delegation led by Director General Amir Eshel.',
  'The two sides reaffirmed the 2016 Memorandum of Understanding.',
  '',
].join('\n');

export const SOURCES_YAML = `sources:
  - id: seed-001
    file: 001.txt
    title: "Joint Statement of the 48th Group"
    publisher: "Test Wire"
    date: "2022-10-26"
    language: en
    url: "https://example.org/statement"
`;

export const PEOPLE_YAML = `entities:
  - id: derek-chollet
    kind: person
    name: Derek Chollet
    aliases:
      - Chollet
      - Counselor Chollet
      - {text: درک شولت, lang: fa}
    summary: Counselor of the Department.
    sources:
      - {source: seed-001, quote: "Derek Chollet, the Counselor of the Department"}
    roles:
      - title: Counselor of the Department
        titles: [Counselor]
        organisation: department
        from: "2021-02"
        sources: [{source: seed-001, quote: "Derek Chollet, the Counselor of the Department"}]
  - id: amir-eshel
    kind: person
    name: Amir Eshel
    aliases:
      - Eshel
      - Director General Eshel
      - {text: Shared Name, ambiguous: true}
    summary: "Director General. Evil [x](command:workbench.action.quit) <img src=x onerror=alert(1)> \`code\` *bold*"
    sources:
      - {source: seed-001, quote: "delegation led by Director General Amir Eshel"}
  - id: other-person
    kind: person
    name: Other Person
    aliases:
      - {text: Shared Name, ambiguous: true}
    summary: Someone else.
    sources: [{source: seed-001, quote: "the delegation"}]
`;

export const ORGS_YAML = `entities:
  - id: department
    kind: organisation
    name: The Department
    aliases: [Department of Things]
    summary: A department.
    sources: [{source: seed-001, quote: "the Department"}]
  - id: jpmg
    kind: organisation
    name: Joint Political-Military Group
    aliases: [JPMG]
    summary: The group.
    sources: [{source: seed-001, quote: "Joint Statement of the 48th Group"}]
`;

export const MEETINGS_YAML = `entities:
  - id: round-48
    kind: meeting
    name: 48th Round
    aliases: [48th JPMG]
    summary: The 48th round.
    sources: [{source: seed-001, quote: "Joint Statement of the 48th Group"}]
    date: {value: "2022-10-25", precision: day, sources: [{source: seed-001, quote: "Joint Statement"}]}
    format: {value: in-person, sources: [{source: seed-001, quote: "In Washington"}]}
    ordinal: {value: 48, sources: [{source: seed-001, quote: "48th Group"}]}
    participants:
      - {entity: derek-chollet, role: led the U.S. side, sources: [{source: seed-001, quote: "Derek Chollet"}]}
      - {entity: amir-eshel, role: led the Israeli side, sources: [{source: seed-001, quote: "Amir Eshel"}]}
    organisations:
      - {entity: jpmg, sources: [{source: seed-001, quote: "48th Group"}]}
    agreements:
      - {entity: mou-2016, sources: [{source: seed-001, quote: "2016 Memorandum of Understanding"}]}
  - id: round-1
    kind: meeting
    name: First Round
    summary: The first round.
    sources: [{source: seed-001, quote: "Joint Statement"}]
    date: {value: "2021-01-12", precision: day, sources: [{source: seed-001, quote: "Joint Statement"}]}
    participants:
      - {entity: amir-eshel, sources: [{source: seed-001, quote: "Amir Eshel"}]}
  - id: round-2021b
    kind: meeting
    name: Second Round of 2021
    summary: Another round.
    sources: [{source: seed-001, quote: "Joint Statement"}]
    date: {value: "2021-06", precision: month, sources: [{source: seed-001, quote: "Joint Statement"}]}
`;

export const AGREEMENTS_YAML = `entities:
  - id: mou-2016
    kind: agreement
    name: 2016 Memorandum of Understanding
    aliases: [2016 MOU]
    summary: The 2016 MOU.
    sources: [{source: seed-001, quote: "the 2016 Memorandum of Understanding"}]
    parties:
      - {entity: department, sources: [{source: seed-001, quote: "The two sides"}]}
`;

export const FILES = {
  sources: `${DIR}/sources/sources.yaml`,
  sourceText: `${DIR}/sources/001.txt`,
  people: `${DIR}/people.yaml`,
  organisations: `${DIR}/organisations.yaml`,
  meetings: `${DIR}/meetings.yaml`,
  agreements: `${DIR}/agreements.yaml`,
};

let cached: Corpus | undefined;

export function fixtureCorpus(): Corpus {
  cached ??= loadCorpus([
    { file: FILES.sources, text: SOURCES_YAML, bundled: true },
    { file: FILES.sourceText, text: SOURCE_TEXT, bundled: true, kind: 'source-text' },
    { file: FILES.people, text: PEOPLE_YAML, bundled: true },
    { file: FILES.organisations, text: ORGS_YAML, bundled: true },
    { file: FILES.meetings, text: MEETINGS_YAML, bundled: true },
    { file: FILES.agreements, text: AGREEMENTS_YAML, bundled: true },
  ]);
  return cached;
}

export function analyse(text: string, corpus: Corpus = fixtureCorpus(), version = 1): DocumentAnalysis {
  return analyzeDocument(text, version, corpus);
}

/** Position of the first occurrence of `needle` (+ delta) in `text`. */
export function pos(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not found`);
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split(/\r\n|\r|\n/).length - 1;
  const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  return { line, character: offset - lineStart };
}

/** 1-based line (0-based LSP line) where `needle` occurs in a YAML text. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not found`);
  return text.slice(0, at).split('\n').length - 1;
}
