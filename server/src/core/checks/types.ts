// The writers' checks engine contract: the server turns findings into diagnostics and quick fixes, the CLI
// (`jpmg check`) prints them. Offsets are UTF-16 into the analysed document text.
import type { DocumentAnalysis } from '../analysis/types';
import type { Corpus } from '../types';
import type { JpmgSettings } from '../../protocol';

export type FindingSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The preferred fix for "fix all" / auto-fix. */
  isPreferred?: boolean;
}

export interface Finding {
  start: number;
  end: number;
  /** Rule code, e.g. "near-miss-name", "wrong-title", "wrong-date", "wrong-ordinal", "acronym-first-use",
   *  "preferred-term", "unknown-wikilink". */
  code: string;
  severity: FindingSeverity;
  message: string;
  fixes: Fix[];
}

export type RunChecks = (analysis: DocumentAnalysis, corpus: Corpus, settings: JpmgSettings) => Finding[];
