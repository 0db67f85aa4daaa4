// Find references: every mention of the entity under the cursor across the workspace's Markdown files (from the
// workspace index, with this document's own mentions taken from its current analysis), plus, when asked, the
// entity's entry in the corpus.
import type { DocumentAnalysis } from '../analysis/types';
import type { Corpus } from '../types';
import type { ProtocolLocation } from '../../protocol';
import type { WorkspaceIndex } from '../workspace';
import { corpusView } from './corpusView';
import { mentionAt, rangeOf } from './mentionAt';
import type { Position } from './text';

export function entityIdsAt(analysis: DocumentAnalysis, position: Position): string[] {
  return mentionAt(analysis, analysis.lineIndex.offsetAt(position))?.entityIds ?? [];
}

export function provideReferences(
  uri: string, analysis: DocumentAnalysis, corpus: Corpus, position: Position, includeDeclaration: boolean,
  index: WorkspaceIndex,
): ProtocolLocation[] {
  return referencesOfEntities(entityIdsAt(analysis, position), corpus, includeDeclaration, index, { uri, analysis });
}

/** References to the given entities; `current` (the requesting document) is read from its fresh analysis. */
export function referencesOfEntities(
  ids: readonly string[], corpus: Corpus, includeDeclaration: boolean, index: WorkspaceIndex,
  current?: { uri: string; analysis: DocumentAnalysis },
): ProtocolLocation[] {
  const out: ProtocolLocation[] = [];
  const view = corpusView(corpus);
  for (const id of ids) {
    const entity = corpus.byId.get(id);
    if (includeDeclaration && entity) out.push(view.locationOf(entity));
    if (current) {
      for (const m of current.analysis.mentions) {
        if (m.entityIds.includes(id)) out.push({ uri: current.uri, range: rangeOf(current.analysis, m.start, m.end) });
      }
    }
    out.push(...index.references(id, current?.uri));
  }
  return out;
}
