// `jpmg/briefEntities`: the entities mentioned in one brief, with how often and where first (the "In this brief"
// view), in order of first mention.
import type { DocumentAnalysis } from '../analysis/types';
import type { Corpus } from '../types';
import type { BriefEntitiesResult, BriefEntity } from '../../protocol';
import { corpusView } from './corpusView';
import { rangeOf } from './mentionAt';

export function provideBriefEntities(uri: string, analysis: DocumentAnalysis, corpus: Corpus): BriefEntitiesResult {
  const view = corpusView(corpus);
  const byId = new Map<string, BriefEntity>();
  for (const m of analysis.mentions) {
    for (const id of m.entityIds) {
      const seen = byId.get(id);
      if (seen) {
        seen.count++;
        continue;
      }
      const entity = corpus.byId.get(id);
      if (!entity) continue;
      byId.set(id, { entity: view.summaryOf(entity), count: 1, first: { uri, range: rangeOf(analysis, m.start, m.end) } });
    }
  }
  return { entities: [...byId.values()] };
}
