// One analysis per document version, shared by every feature (hover, definition, symbols, checks...). One entry per
// URI, bounded (least recently used out), and keyed also by the corpus and options it was computed with, so a
// corpus reload or a settings change never serves a stale analysis. A new version of a held document is analysed
// incrementally from the previous one (updateAnalysis: only the edited blocks are rescanned).
import type { Corpus } from '../types';
import { analyzeDocument, updateAnalysis, type AnalyzeOptions } from './analyze';
import type { DocumentAnalysis } from './types';

interface Entry {
  analysis: DocumentAnalysis;
  corpus: Corpus;
  plainText: boolean;
}

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 64) {}

  /** The analysis of `text` at `version`: the cached one when everything matches, else a fresh one (cached). */
  get(uri: string, version: number, text: string, corpus: Corpus, options?: AnalyzeOptions): DocumentAnalysis {
    const plainText = options?.plainText !== false;
    const hit = this.entries.get(uri);
    if (hit && hit.analysis.version === version && hit.corpus === corpus && hit.plainText === plainText &&
      hit.analysis.text === text) {
      // Refresh recency.
      this.entries.delete(uri);
      this.entries.set(uri, hit);
      return hit.analysis;
    }
    // A newer version of a document we hold: reuse what the edit did not touch.
    const analysis = hit && hit.corpus === corpus && hit.plainText === plainText
      ? updateAnalysis(hit.analysis, text, version, corpus, { plainText })
      : analyzeDocument(text, version, corpus, { plainText });
    this.entries.delete(uri);
    this.entries.set(uri, { analysis, corpus, plainText });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return analysis;
  }

  /** The latest analysis held for `uri`, whatever its version (e.g. to answer while a newer one is pending). */
  peek(uri: string): DocumentAnalysis | undefined {
    return this.entries.get(uri)?.analysis;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
