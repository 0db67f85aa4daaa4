// `jpmg/meetings`: the Meetings tree. Years newest first; in each year the meetings newest first, each described by
// date, place, format and ordinal; children grouped as Participants (with the role they held), Organisations,
// Agreements, Topics, Place and Sources (each source with the quote's location in the source document).
import type { Corpus, Entity, EntityRef } from '../types';
import type { MeetingNode, MeetingsResult } from '../../protocol';
import { corpusView, type CorpusView } from './corpusView';
import { citationsOf, ordinal } from './entityCard';
import { shorten } from './markdown';

const UNDATED = 'Undated';

export function provideMeetings(corpus: Corpus): MeetingsResult {
  const view = corpusView(corpus);
  const meetings = corpus.entities.filter((e) => e.kind === 'meeting');
  meetings.sort((a, b) => compareDesc(a.date?.value ?? '', b.date?.value ?? '') || compareAsc(a.name, b.name));
  const years = new Map<string, MeetingNode[]>();
  for (const m of meetings) {
    const year = m.date?.value.slice(0, 4) || UNDATED;
    let list = years.get(year);
    if (!list) years.set(year, (list = []));
    list.push(meetingNode(m, view));
  }
  const out: MeetingNode[] = [];
  for (const [year, children] of years) {
    out.push({
      id: `year:${year}`,
      label: year,
      description: children.length === 1 ? '1 meeting' : `${children.length} meetings`,
      kind: 'year',
      children,
    });
  }
  // Map iteration keeps the newest-first order; undated meetings (sorted last) form the last group.
  return { years: out };
}

function meetingNode(m: Entity, view: CorpusView): MeetingNode {
  const place = m.place ? view.corpus.byId.get(m.place.entity)?.name ?? m.place.entity : undefined;
  const description = [
    m.date?.value,
    place,
    m.format && m.format.value !== 'unknown' ? m.format.value : undefined,
    m.ordinal ? `${ordinal(m.ordinal.value)} round` : undefined,
  ].filter(Boolean).join(' · ');
  const children: MeetingNode[] = [];
  const group = (key: string, label: string, kind: MeetingNode['kind'], refs: readonly EntityRef[] | undefined) => {
    const nodes = (refs ?? []).map((r, i) => refNode(`${m.id}/${key}/${i}`, r, kind, view));
    if (nodes.length) children.push({ id: `${m.id}/${key}`, label, description: String(nodes.length), kind: 'group', children: nodes });
  };
  group('participants', 'Participants', 'participant', m.participants);
  group('organisations', 'Organisations', 'organisation', m.organisations);
  group('agreements', 'Agreements', 'agreement', m.agreements);
  group('topics', 'Topics', 'topic', m.topics);
  group('place', 'Place', 'place', m.place ? [m.place] : undefined);
  const sources = citationsOf(m).map((c, i): MeetingNode => {
    const citation = view.citationView(c);
    const source = c.external ? undefined : view.corpus.sources.get(c.source);
    return {
      id: `${m.id}/sources/${i}`,
      label: citation.sourceTitle ?? c.source,
      description: source ? `${source.publisher}, ${source.date}` : c.external ? 'external' : c.source,
      tooltip: shorten(c.quote, 500),
      kind: 'source',
      citation,
      location: citation.location,
    };
  });
  if (sources.length) children.push({ id: `${m.id}/sources`, label: 'Sources', description: String(sources.length), kind: 'group', children: sources });
  return {
    id: m.id,
    label: m.name,
    description,
    tooltip: m.summary ? shorten(m.summary, 500) : undefined,
    kind: 'meeting',
    entityId: m.id,
    location: view.locationOf(m),
    children,
  };
}

function refNode(id: string, ref: EntityRef, kind: MeetingNode['kind'], view: CorpusView): MeetingNode {
  const entity = view.corpus.byId.get(ref.entity);
  const node: MeetingNode = {
    id,
    label: entity?.name ?? ref.entity,
    kind,
    entityId: ref.entity,
  };
  if (ref.role) node.description = ref.role;
  else if (entity) node.description = view.summaryOf(entity).detail.replace(/^[a-z]+( · )?/, '');
  if (entity) {
    node.location = view.locationOf(entity);
    if (entity.summary) node.tooltip = shorten(entity.summary, 300);
  }
  return node;
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

function compareAsc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
