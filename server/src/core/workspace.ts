// The workspace index: for every Markdown brief in the workspace, which entities it mentions and where. Updated one
// document at a time — a change replaces only that document's entry, so the cost of a keystroke does not grow with
// the workspace — and queried by entity id for references. Open documents override their disk contents until
// closed. Compact per document: for each entity a Uint32Array of ranges (4 numbers per mention).
import type { DocumentAnalysis, Mention } from './analysis/types';
import type { ProtocolLocation } from '../protocol';

interface DocumentEntry {
  /** entity id → [startLine, startChar, endLine, endChar]* */
  readonly ranges: ReadonlyMap<string, Uint32Array>;
  readonly open: boolean;
}

export interface IndexedMentions {
  mentions: readonly Pick<Mention, 'start' | 'end' | 'entityIds'>[];
  lineIndex: DocumentAnalysis['lineIndex'];
}

export class WorkspaceIndex {
  private readonly docs = new Map<string, DocumentEntry>();
  /** entity id → documents mentioning it (so references touch only those). */
  private readonly byEntity = new Map<string, Set<string>>();

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
    this.replace(uri, { ranges: compact(analysis), open: false });
  }

  /** An open document's current contents (didOpen / didChange). */
  setOpen(uri: string, analysis: IndexedMentions): void {
    this.replace(uri, { ranges: compact(analysis), open: true });
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
    this.byEntity.clear();
  }

  /** Every mention of the entity, grouped by document; `skip` leaves one document out (the caller adds its own). */
  references(entityId: string, skip?: string): ProtocolLocation[] {
    const out: ProtocolLocation[] = [];
    const uris = this.byEntity.get(entityId);
    if (!uris) return out;
    for (const uri of [...uris].sort()) {
      if (uri === skip) continue;
      const ranges = this.docs.get(uri)?.ranges.get(entityId);
      if (!ranges) continue;
      for (let i = 0; i < ranges.length; i += 4) {
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
    return this.byEntity.get(entityId)?.size ?? 0;
  }

  private replace(uri: string, entry: DocumentEntry | undefined): void {
    const old = this.docs.get(uri);
    if (old) {
      for (const id of old.ranges.keys()) {
        if (entry?.ranges.has(id)) continue;
        const set = this.byEntity.get(id);
        set?.delete(uri);
        if (set && set.size === 0) this.byEntity.delete(id);
      }
    }
    if (!entry) {
      this.docs.delete(uri);
      return;
    }
    this.docs.set(uri, entry);
    for (const id of entry.ranges.keys()) {
      let set = this.byEntity.get(id);
      if (!set) this.byEntity.set(id, (set = new Set()));
      set.add(uri);
    }
  }
}

function compact(analysis: IndexedMentions): Map<string, Uint32Array> {
  const grouped = new Map<string, number[]>();
  for (const m of analysis.mentions) {
    if (m.entityIds.length === 0) continue;
    const s = analysis.lineIndex.positionAt(m.start);
    const e = analysis.lineIndex.positionAt(m.end);
    for (const id of m.entityIds) {
      let list = grouped.get(id);
      if (!list) grouped.set(id, (list = []));
      list.push(s.line, s.character, e.line, e.character);
    }
  }
  const out = new Map<string, Uint32Array>();
  for (const [id, list] of grouped) out.set(id, Uint32Array.from(list));
  return out;
}
