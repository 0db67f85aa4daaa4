// Go to definition. In a brief: from a mention or wikilink to the entity's entry in its corpus YAML file (the line
// of its `id:`; origins are absolute paths, so this works when the corpus lives in the extension's folder). In a
// corpus YAML file: from a cross-reference value (`entity: amir-eshel`, `organisation: …`) to its target entity,
// and from a citation's `source: seed-001` — or its `quote:` — to the quote in the source document.
import { isMap, isScalar, visit } from 'yaml';
import { parseDocumentSafely } from '../yamlGuard';
import type { DocumentAnalysis } from '../analysis/types';
import type { Corpus } from '../types';
import type { ProtocolLocation } from '../../protocol';
import { referenceAt } from '../corpusYaml';
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
const MAX_PARSE = 4_000_000;

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

/** The citation mapping (`{source, quote}`) whose `source:` or `quote:` value holds the offset. */
function citationAt(text: string, offset: number): { source: string; quote?: string } | undefined {
  if (text.length > MAX_PARSE) return undefined;
  let found: { source: string; quote?: string } | undefined;
  try {
    const doc = parseDocumentSafely(text, { uniqueKeys: false, prettyErrors: false });
    if (!doc) return undefined;
    visit(doc, {
      Map(_, node) {
        if (found !== undefined || !isMap(node)) return undefined;
        const src = node.items.find((p) => isScalar(p.key) && p.key.value === 'source');
        if (!src || !isScalar(src.value) || typeof src.value.value !== 'string') return undefined;
        const q = node.items.find((p) => isScalar(p.key) && p.key.value === 'quote');
        const within = (n: unknown) => isScalar(n) && n.range !== undefined && n.range !== null &&
          offset >= n.range[0] && offset <= n.range[1];
        const onKey = (p: typeof src | undefined) => p !== undefined && isScalar(p.key) && p.key.range !== undefined &&
          p.key.range !== null && offset >= p.key.range[0] && offset <= p.key.range[1];
        if (within(src.value) || onKey(src) || (q && (within(q.value) || onKey(q)))) {
          const quote = q && isScalar(q.value) && typeof q.value.value === 'string' ? q.value.value : undefined;
          found = { source: src.value.value, quote };
          return visit.BREAK;
        }
        return undefined;
      },
    });
  } catch {
    return undefined;
  }
  return found;
}
