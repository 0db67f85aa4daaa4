// What the analysis of one Markdown brief produces. Computed once per document version and shared by every
// feature (hover, definition, references, symbols, checks...). Offsets are UTF-16 code units into the document
// text exactly as the editor holds it (BOM and CRLF included); features convert to LSP positions with LineIndex.

export type MentionForm = 'plain' | 'wikilink';

export interface Mention {
  /** [start, end) UTF-16 offsets of the mention's visible text (for a wikilink: the whole `[[...]]`). */
  start: number;
  end: number;
  /** The resolved entity ids: exactly one normally, several when the alias is declared ambiguous, none for an
   *  unresolved wikilink. */
  entityIds: string[];
  form: MentionForm;
  /** The alias text as written in the corpus that matched (plain), or the wikilink target as written. */
  matched: string;
  /** For wikilinks: the target's span [start, end) inside the brackets, and the shown text after `|` if any. */
  target?: { start: number; end: number; text: string };
  shown?: { start: number; end: number; text: string };
}

/** Regions of the document where no mention is recognised (code, link destinations, comments, front matter...). */
export interface MaskedRegion {
  start: number;
  end: number;
  reason: 'front-matter' | 'fenced-code' | 'indented-code' | 'inline-code' | 'link-destination' | 'autolink' |
    'html-comment' | 'html' | 'math';
}

/** An HTML comment, kept for suppression comments (`<!-- jpmg-disable-next-line RULE -->`). */
export interface HtmlComment {
  start: number;
  end: number;
  text: string; // inside the comment delimiters, trimmed
}

export interface Heading {
  /** The whole heading: from the first `#` to the end of its line; for setext headings, through the underline. */
  start: number;
  end: number;
  level: number;
  text: string;
  /** The heading's text span (without `#` markers or the setext underline). */
  textStart?: number;
  textEnd?: number;
}

export interface DocumentAnalysis {
  /** Document version this analysis belongs to (for caching). */
  version: number;
  text: string;
  /** Mentions in document order, non-overlapping (longest match wins). */
  mentions: Mention[];
  masked: MaskedRegion[];
  comments: HtmlComment[];
  headings: Heading[];
  /** Front matter as raw YAML text and its parsed `date` (ISO) if present. */
  frontMatter?: { start: number; end: number; raw: string; date?: string };
  lineIndex: LineIndex;
}

/** Converts between UTF-16 offsets and LSP line/character positions. LF, CRLF and CR all end a line. */
export interface LineIndex {
  positionAt(offset: number): { line: number; character: number };
  offsetAt(position: { line: number; character: number }): number;
  lineCount: number;
}
