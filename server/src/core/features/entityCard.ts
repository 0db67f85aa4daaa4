// The entity card: one escaped Markdown rendering shared by hover, completion documentation, the corpus YAML hover
// and the `jpmg/entityCard` request. Name and kind; aliases; summary; kind-specific facts (roles with dates and
// organisation names; a meeting's date, place, format, ordinal and participants; an agreement's parties and
// commitments); related meetings and agreements (entities whose fields refer to this one); and the sources with
// document title, date and quote. Every corpus string goes through `escapeMarkdown`; the only links are https.
import type { Citation, Corpus, Entity, EntityRef } from '../types';
import type { EntityCardResult } from '../../protocol';
import { corpusView, roleDates, type CorpusView } from './corpusView';
import { escapeMarkdown as md, safeHttpsUrl, shorten } from './markdown';

const MAX_RELATED = 8;
const MAX_SOURCES = 4;
const MAX_QUOTE = 240;

const KIND_LABEL: Record<string, string> = {
  person: 'person', organisation: 'organisation', agreement: 'agreement', meeting: 'meeting', place: 'place', topic: 'topic',
};

/** The card for an entity, cached per corpus. */
export function renderCard(entity: Entity, corpus: Corpus): string {
  const view = corpusView(corpus);
  let card = view.cards.get(entity.id);
  if (card === undefined) {
    card = buildCard(entity, view);
    view.cards.set(entity.id, card);
  }
  return card;
}

export function entityCard(id: string, corpus: Corpus): EntityCardResult | undefined {
  const entity = corpus.byId.get(id);
  if (!entity) return undefined;
  const view = corpusView(corpus);
  return {
    markdown: renderCard(entity, corpus),
    entity: view.summaryOf(entity),
    citations: citationsOf(entity).map((c) => view.citationView(c)),
  };
}

/** Short card for one candidate of an ambiguous mention. */
export function candidateLine(entity: Entity, corpus: Corpus): string {
  const detail = corpusView(corpus).summaryOf(entity).detail;
  const summary = entity.summary ? ` — ${md(shorten(entity.summary, 160))}` : '';
  return `- **${md(entity.name)}** · ${md(detail)}${summary}`;
}

function nameOf(id: string, view: CorpusView): string {
  return view.corpus.byId.get(id)?.name ?? id;
}

function refList(refs: readonly EntityRef[] | undefined, view: CorpusView): string {
  if (!refs?.length) return '';
  const shown = refs.slice(0, MAX_RELATED * 2).map((r) => md(nameOf(r.entity, view)) + (r.role ? ` (${md(r.role)})` : ''));
  const more = refs.length > shown.length ? `, and ${refs.length - shown.length} more` : '';
  return shown.join(', ') + more;
}

function buildCard(entity: Entity, view: CorpusView): string {
  const out: string[] = [];
  out.push(`**${md(entity.name)}** · ${KIND_LABEL[entity.kind] ?? md(entity.kind)}`);
  const aliases = [...new Set(entity.aliases.map((a) => a.text))].filter((a) => a !== entity.name);
  if (aliases.length) out.push('', `*Also:* ${aliases.slice(0, 12).map(md).join(', ')}${aliases.length > 12 ? ', …' : ''}`);
  if (entity.summary) out.push('', md(entity.summary));

  const facts: string[] = [];
  if (entity.roles?.length) {
    facts.push('**Roles**');
    for (const role of entity.roles) {
      const org = role.organisation ? nameOf(role.organisation, view) : undefined;
      const dates = roleDates(role);
      facts.push(`- ${md(role.title)}${org ? ` — ${md(org)}` : ''}${dates ? ` (${md(dates)})` : ''}`);
    }
  }
  if (entity.date) facts.push(`**Date:** ${md(entity.date.value)}`);
  if (entity.place) facts.push(`**Place:** ${md(nameOf(entity.place.entity, view))}`);
  if (entity.format && entity.format.value !== 'unknown') facts.push(`**Format:** ${md(entity.format.value)}`);
  if (entity.ordinal) facts.push(`**Round:** ${md(ordinal(entity.ordinal.value))}`);
  if (entity.parent) facts.push(`**Part of:** ${md(nameOf(entity.parent.entity, view))}`);
  const participants = refList(entity.participants, view);
  if (participants) facts.push(`**Participants:** ${participants}`);
  const organisations = refList(entity.organisations, view);
  if (organisations) facts.push(`**Organisations:** ${organisations}`);
  const parties = refList(entity.parties, view);
  if (parties) facts.push(`**Parties:** ${parties}`);
  const agreements = refList(entity.agreements, view);
  if (agreements) facts.push(`**Agreements:** ${agreements}`);
  const topics = refList(entity.topics, view);
  if (topics) facts.push(`**Topics:** ${topics}`);
  if (entity.commits?.length) {
    facts.push('**Commits**');
    for (const c of entity.commits.slice(0, 6)) facts.push(`- ${md(shorten(c.text, 200))}`);
  }
  if (facts.length) out.push('', ...joinFacts(facts));

  // Related: who refers to this entity.
  const referrers = view.referrersOf(entity.id);
  const related: string[] = [];
  const group = (kind: string, label: string) => {
    const items = referrers.filter((r) => r.entity.kind === kind && r.entity.id !== entity.id);
    const unique = [...new Map(items.map((r) => [r.entity.id, r])).values()];
    if (!unique.length) return;
    const shown = unique.slice(0, MAX_RELATED).map((r) => {
      const date = r.entity.date ? ` (${md(r.entity.date.value)})` : '';
      const role = r.field === 'participants' && r.role ? ` — ${md(r.role)}` : '';
      return `${md(r.entity.name)}${date}${role}`;
    });
    const more = unique.length > shown.length ? `, and ${unique.length - shown.length} more` : '';
    related.push(`**${label}:** ${shown.join('; ')}${more}`);
  };
  group('meeting', 'Meetings');
  group('agreement', 'Agreements');
  if (entity.kind === 'organisation') group('person', 'People');
  if (related.length) out.push('', ...joinFacts(related));

  const citations = citationsOf(entity);
  if (citations.length) {
    out.push('', '**Sources**');
    for (const c of citations.slice(0, MAX_SOURCES)) out.push(`- ${sourceLine(c, view)}`);
    if (citations.length > MAX_SOURCES) out.push(`- and ${citations.length - MAX_SOURCES} more`);
  }
  return out.join('\n');
}

/** Lines of facts separated so Markdown keeps them on their own lines (lists stay lists). */
function joinFacts(lines: string[]): string[] {
  const out: string[] = [];
  lines.forEach((line, i) => {
    const next = lines[i + 1];
    const isItem = line.startsWith('- ');
    const nextIsItem = next?.startsWith('- ') ?? false;
    // A plain line followed by another line needs a hard break ("  ") unless a list follows with a blank line.
    if (next === undefined) out.push(line);
    else if (!isItem && nextIsItem) out.push(line, '');
    else if (isItem && !nextIsItem) out.push(line, '');
    else if (isItem) out.push(line);
    else out.push(`${line}  `);
  });
  return out;
}

/** The entity's own sources, or, for people known only through their roles, the roles' sources. */
export function citationsOf(entity: Entity): Citation[] {
  const all: Citation[] = [...entity.sources];
  for (const r of entity.roles ?? []) all.push(...r.sources);
  if (entity.date) all.push(...entity.date.sources);
  const seen = new Set<string>();
  return all.filter((c) => {
    const key = `${c.source}\u0000${c.quote}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sourceLine(c: Citation, view: CorpusView): string {
  const quote = `“${md(shorten(c.quote, MAX_QUOTE))}”`;
  if (c.external) {
    const ext = view.corpus.externalSources?.get(c.source);
    const label = c.reference ?? ext?.reference ?? (ext ? `${ext.publisher}, ${ext.date}` : c.source);
    const url = safeHttpsUrl(ext?.url);
    return `${url ? `[${md(label)}](${url})` : md(label)} (external): ${quote}`;
  }
  const source = view.corpus.sources.get(c.source);
  if (!source) return `${md(c.source)}: ${quote}`;
  const url = safeHttpsUrl(source.url);
  const title = url ? `[${md(source.title)}](${url})` : `*${md(source.title)}*`;
  return `${title}, ${md(source.publisher)}, ${md(source.date)}: ${quote}`;
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${s}`;
}

export { ordinal };
