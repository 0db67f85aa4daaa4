// The workspace index: for every Markdown brief in the workspace, which entities it mentions and where. Updated one
// document at a time — a change replaces only that document's entry, so the cost of a keystroke does not grow with
// the workspace — and queried by entity id for references. Open documents override their disk contents until
// closed. Compact per document: for each entity a Uint32Array of ranges (4 numbers per mention). There is no
// reverse map from entities to documents: keeping one costs more at indexing time (every brief, every entity) than
// a references request spends asking each document's map (a millisecond or two for 10,000 briefs).
import type { DocumentAnalysis, Mention } from './analysis/types';
import type { ProtocolLocation } from '../protocol';
import { computeLineStarts } from './analysis/lineIndex';

/** One document's mentions, packed: two typed arrays per document whatever its size (cheap for the GC). */
export interface PackedMentions {
  /** The entities mentioned (corpus id strings, shared with the corpus). */
  readonly ids: readonly string[];
  /** Mentions of ids[i] are ranges[offsets[i] .. offsets[i + 1]), 4 numbers each. */
  readonly offsets: Uint32Array;
  /** [startLine, startChar, endLine, endChar]* grouped by entity. */
  readonly ranges: Uint32Array;
}

/** An open document keeps its analysis and is packed on first query: the diagnostics of a big open brief re-index
 *  it after every pause in typing (~7 MB of garbage per publish on a 1 MB brief when packed eagerly), and
 *  references are asked far less often than that. */
interface DocumentEntry {
  packed: PackedMentions | undefined;
  source: IndexedMentions | undefined;
  readonly open: boolean;
}

function packed(entry: DocumentEntry): PackedMentions {
  if (!entry.packed) {
    entry.packed = packMentions(entry.source!);
    entry.source = undefined;
  }
  return entry.packed;
}

const EMPTY = new Uint32Array(0);

export interface IndexedMentions {
  text: string;
  mentions: readonly Pick<Mention, 'start' | 'end' | 'entityIds'>[];
  lineIndex?: DocumentAnalysis['lineIndex'];
}

export class WorkspaceIndex {
  private readonly docs = new Map<string, DocumentEntry>();

  get size(): number {
    return this.docs.size;
  }

  has(uri: string): boolean {
    return this.docs.has(uri);
  }

  isOpen(uri: string): boolean {
    return this.docs.get(uri)?.open ?? false;
  }

  uris(): IterableIterator<string> {
    return this.docs.keys();
  }

  /** A document's contents as read from disk; ignored while the document is open in the editor. */
  setFromDisk(uri: string, analysis: IndexedMentions): void {
    if (this.docs.get(uri)?.open) return;
    this.replace(uri, { packed: packMentions(analysis), source: undefined, open: false });
  }

  /** An open document's current contents (didOpen / didChange). */
  setOpen(uri: string, analysis: IndexedMentions): void {
    this.replace(uri, { packed: undefined, source: analysis, open: true });
  }

  /** The editor closed the document: it no longer overrides the disk (the caller re-reads it). */
  markClosed(uri: string): void {
    const entry = this.docs.get(uri);
    if (entry?.open) this.docs.set(uri, { ...entry, open: false });
  }

  /** The document is gone (deleted on disk and not open). */
  remove(uri: string, options: { evenIfOpen?: boolean } = {}): void {
    const entry = this.docs.get(uri);
    if (!entry || (entry.open && !options.evenIfOpen)) return;
    this.replace(uri, undefined);
  }

  /** Forget every document whose URI passes the test (a workspace folder removed). */
  removeWhere(test: (uri: string) => boolean): void {
    for (const uri of [...this.docs.keys()]) if (test(uri)) this.replace(uri, undefined);
  }

  clear(): void {
    this.docs.clear();
  }

  /** Every mention of the entity, grouped by document (in URI order); `skip` leaves one document out. */
  references(entityId: string, skip?: string): ProtocolLocation[] {
    const hits: [string, PackedMentions, number][] = [];
    for (const [uri, entry] of this.docs) {
      if (uri === skip) continue;
      const p = packed(entry);
      const k = p.ids.indexOf(entityId);
      if (k >= 0) hits.push([uri, p, k]);
    }
    hits.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const out: ProtocolLocation[] = [];
    for (const [uri, entry, k] of hits) {
      const ranges = entry.ranges;
      for (let i = entry.offsets[k]!; i < entry.offsets[k + 1]!; i += 4) {
        out.push({
          uri,
          range: {
            start: { line: ranges[i]!, character: ranges[i + 1]! },
            end: { line: ranges[i + 2]!, character: ranges[i + 3]! },
          },
        });
      }
    }
    return out;
  }

  /** How many documents mention the entity. */
  documentCount(entityId: string): number {
    let n = 0;
    for (const entry of this.docs.values()) if (packed(entry).ids.includes(entityId)) n++;
    return n;
  }

  private replace(uri: string, entry: DocumentEntry | undefined): void {
    if (entry) this.docs.set(uri, entry);
    else this.docs.delete(uri);
  }
}

/** Mentions grouped by entity, as line/character ranges found with one forward walk over the line starts. */
export function packMentions(analysis: IndexedMentions): PackedMentions {
  const mentions = analysis.mentions;
  if (mentions.length === 0) return { ids: [], offsets: EMPTY, ranges: EMPTY };
  const text = analysis.text;
  const starts = computeLineStarts(text);
  const grouped = new Map<string, number[]>();
  let line = 0;
  // Mentions are sorted by start and do not overlap, so one pointer walks the lines.
  const position = (offset: number, from: number): [number, number] => {
    let l = from;
    while (l + 1 < starts.length && starts[l + 1]! <= offset) l++;
    let character = offset - starts[l]!;
    // Never between CR and LF.
    if (character > 0 && text.charCodeAt(offset - 1) === 13 && text.charCodeAt(offset) === 10) character--;
    return [l, character];
  };
  let total = 0;
  for (const m of mentions) {
    if (m.entityIds.length === 0) continue;
    const [sl, sc] = position(m.start, line);
    const [el, ec] = position(m.end, sl);
    line = sl;
    for (const id of m.entityIds) {
      let list = grouped.get(id);
      if (!list) grouped.set(id, (list = []));
      list.push(sl, sc, el, ec);
      total += 4;
    }
  }
  const ids = [...grouped.keys()];
  const offsets = new Uint32Array(ids.length + 1);
  const ranges = new Uint32Array(total);
  let at = 0;
  ids.forEach((id, i) => {
    offsets[i] = at;
    ranges.set(grouped.get(id)!, at);
    at += grouped.get(id)!.length;
  });
  offsets[ids.length] = at;
  return { ids, offsets, ranges };
}
