// How a finding cites the corpus: the source document (id and title) and a short quote, so the writer can see
// why the checker believes it without opening the corpus.
import type { Citation, Corpus, Entity } from '../types';
import { normalize } from '../normalize';

const MAX_QUOTE = 110;

function shorten(quote: string, focus?: string, max = MAX_QUOTE): string {
  const q = quote.replace(/\s+/g, ' ').trim();
  if (q.length <= max) return q;
  // Keep the part around the focus text (e.g. the year or title that matters) when it is far into the quote.
  let start = 0;
  if (focus) {
    const at = q.toLowerCase().indexOf(focus.toLowerCase());
    if (at > max / 2) start = Math.min(at - 30, q.length - max);
  }
  let part = q.slice(start, start + max);
  // Cut at word boundaries.
  if (start > 0) part = part.replace(/^\S*\s/, '');
  if (start + max < q.length) part = part.replace(/\s\S*$/, '');
  return `${start > 0 ? '…' : ''}${part}${start + max < q.length ? '…' : ''}`;
}

/** "seed-001 “Joint Statement of the 48th…”: “quote”" or, for an external fact, "reference: “quote”". */
export function formatCitation(corpus: Corpus, citation: Citation, focus?: string): string {
  const quote = `“${shorten(citation.quote, focus)}”`;
  if (citation.external) return `${citation.reference ?? citation.source} (external): ${quote}`;
  const doc = corpus.sources.get(citation.source);
  const title = doc ? ` “${shorten(doc.title, undefined, 50)}”` : '';
  return `${citation.source}${title}: ${quote}`;
}

/** Picks the citation that best supports a message: a bundled source whose quote contains the focus text, then any
 *  bundled source, then an external one. */
export function bestCitation(citations: readonly Citation[] | undefined, focus?: string): Citation | undefined {
  if (!citations || citations.length === 0) return undefined;
  const nf = focus ? normalize(focus) : undefined;
  const score = (c: Citation) =>
    (nf && normalize(c.quote).includes(nf) ? 2 : 0) + (c.external ? 0 : 1);
  return [...citations].sort((a, b) => score(b) - score(a))[0];
}

/** " (source: …)" for a message, or "" when nothing is cited. */
// Messages repeat (a misspelling made fifty times cites the same quote): remember each formatted citation.
const suffixCache = new WeakMap<readonly Citation[], Map<string, string>>();

export function citeSuffix(corpus: Corpus, citations: readonly Citation[] | undefined, focus?: string): string {
  if (!citations || citations.length === 0) return '';
  let byFocus = suffixCache.get(citations);
  if (!byFocus) suffixCache.set(citations, (byFocus = new Map()));
  const key = `${focus ?? ''}\u0000${corpus.sources.size}`;
  let out = byFocus.get(key);
  if (out === undefined) {
    const c = bestCitation(citations, focus);
    out = c ? ` (source: ${formatCitation(corpus, c, focus)})` : '';
    if (byFocus.size < 64) byFocus.set(key, out);
  }
  return out;
}

/** The citations that support an alias: the alias's own sources, else the entity's. */
export function aliasCitations(entity: Entity, aliasText: string): readonly Citation[] {
  const key = normalize(aliasText);
  const spec = entity.aliases.find((a) => normalize(a.text) === key);
  if (spec?.sources?.length) return spec.sources;
  return entity.sources;
}
