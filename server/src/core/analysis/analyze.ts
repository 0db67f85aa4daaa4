// Analysis of one Markdown brief against a corpus: the Markdown scan (what is prose), the mention matcher (plain
// names and aliases in that prose) and wikilinks, in one linear pass each. Pure: no editor, no I/O.
import { normalize } from '../normalize';
import type { Corpus } from '../types';
import { computeLineStarts, lineIndexFromStarts } from './lineIndex';
import { scanMarkdown, type WikilinkSyntax } from './markdown';
import { getMatcher } from './matcher';
import type { DocumentAnalysis, LineIndex, Mention } from './types';

export { createLineIndex } from './lineIndex';

export interface AnalyzeOptions {
  /** Recognise plain-text names and aliases (default true); false keeps only wikilinks. */
  plainText?: boolean;
}

export function analyzeDocument(text: string, version: number, corpus: Corpus, options?: AnalyzeOptions): DocumentAnalysis {
  const structure = scanMarkdown(text);
  const links = structure.wikilinks.map((w) => resolveWikilink(w, corpus));
  const plain = options?.plainText === false ? [] : getMatcher(corpus).find(text, structure.segments);
  const analysis: DocumentAnalysis = {
    version,
    text,
    mentions: mergeByStart(plain, links),
    masked: structure.masked,
    comments: structure.comments,
    headings: structure.headings,
    lineIndex: lazyLineIndex(text),
  };
  if (structure.frontMatter) analysis.frontMatter = structure.frontMatter;
  return analysis;
}

/** `[[id]]` first by id, then by normalised name or alias; unresolved wikilinks keep `entityIds: []`. */
export function resolveWikilinkTarget(target: string, corpus: Corpus): string[] {
  if (corpus.byId.has(target)) return [target];
  const entry = corpus.aliases.get(normalize(target));
  return entry ? [...entry.entityIds] : [];
}

function resolveWikilink(w: WikilinkSyntax, corpus: Corpus): Mention {
  const mention: Mention = {
    start: w.start,
    end: w.end,
    entityIds: resolveWikilinkTarget(w.target, corpus),
    form: 'wikilink',
    matched: w.target,
    target: { start: w.targetStart, end: w.targetEnd, text: w.target },
  };
  if (w.shown !== undefined) mention.shown = { start: w.shownStart!, end: w.shownEnd!, text: w.shown };
  return mention;
}

/** Both lists are sorted and disjoint from each other (wikilinks are cut out of the prose segments). */
function mergeByStart(a: Mention[], b: Mention[]): Mention[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: Mention[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i].start <= b[j].start ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** A LineIndex whose line table is computed on first use: many requests never convert a position. */
function lazyLineIndex(text: string): LineIndex {
  let index: LineIndex | undefined;
  const get = () => (index ??= lineIndexFromStarts(text, computeLineStarts(text)));
  return {
    get lineCount() {
      return get().lineCount;
    },
    positionAt: (offset) => get().positionAt(offset),
    offsetAt: (position) => get().offsetAt(position),
  };
}
