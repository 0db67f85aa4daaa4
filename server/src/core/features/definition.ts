// Go to definition. In a brief: from a mention or wikilink to the entity's entry in its corpus YAML file (the line
// of its `id:`; origins are absolute paths, so this works when the corpus lives in the extension's folder). In a
// corpus YAML file: from a cross-reference value (`entity: amir-eshel`, `organisation: …`) to its target entity,
// and from a citation's `source: seed-001` — or its `quote:` — to the quote in the source document.
import type { DocumentAnalysis } from '../analysis/types';
import type { Corpus } from '../types';
import type { ProtocolLocation } from '../../protocol';
import { citationAt, referenceAt } from '../corpusYaml';
import { corpusView } from './corpusView';
import { mentionAt } from './mentionAt';
import { fileUri } from './uri';
import type { Position } from './text';

export function provideDefinition(analysis: DocumentAnalysis, corpus: Corpus, position: Position): ProtocolLocation[] {
  const mention = mentionAt(analysis, analysis.lineIndex.offsetAt(position));
  if (!mention) return [];
  const view = corpusView(corpus);
  const out: ProtocolLocation[] = [];
  for (const id of mention.entityIds) {
    const entity = corpus.byId.get(id);
    if (entity) out.push(view.locationOf(entity));
  }
  return out;
}

/** Largest corpus YAML text parsed to find a quote beside the cursor. */

export function provideYamlDefinition(text: string, offset: number, corpus: Corpus): ProtocolLocation[] {
  const view = corpusView(corpus);
  const ref = referenceAt(text, offset);
  if (ref?.target === 'entity') {
    const entity = corpus.byId.get(ref.id);
    return entity ? [view.locationOf(entity)] : [];
  }
  if (ref?.target === 'source' || ref === undefined) {
    const citation = citationAt(text, offset);
    if (citation) {
      const source = corpus.sources.get(citation.source);
      if (!source) return [];
      if (citation.quote) {
        const loc = view.citationView({ source: citation.source, quote: citation.quote }).location;
        if (loc) return [loc];
      }
      return [{ uri: fileUri(source.path), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
    }
    if (ref?.target === 'source') {
      const source = corpus.sources.get(ref.id);
      if (source) return [{ uri: fileUri(source.path), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
    }
  }
  return [];
}

