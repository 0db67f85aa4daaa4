// A hand-written, linear-time Markdown scanner that finds where prose lives and where it doesn't.
//
// Why not markdown-it: a full markdown-it parse of a 1 MB brief costs about a third of the whole budget on its own
// (issue 7: analysis ≤ 0.5 × VS Code's folding pass, which *is* a full markdown-it parse), and even a block-only
// parse costs ~50 ms. We need far less than a parse tree: the regions where no mention may be recognised (code,
// link destinations, autolinks, comments, raw HTML, front matter), the headings, and the text segments to scan.
// One pass over lines (block structure: front matter, fences, indented code, HTML comment/raw blocks, headings,
// lists well enough for indentation, paragraphs) and one pass over each paragraph's characters (inline structure)
// do that in a few milliseconds per megabyte. See README.md in this folder for the measurements.
//
// Linearity: every forward search is either a monotone cached search (`indexOf`, or the inline scan's regular
// expression: a character class and literal prefixes, linear) or bounded by the next character that would start
// another attempt; a failed attempt blocks retries inside the range it already scanned. No other regular expression
// runs over unbounded user text (only over short, capped slices).
import { StringInterner } from '../interner';
import { Int32Triples } from './int32Triples';
import type { HtmlComment, Heading, MaskedRegion } from './types';

export interface WikilinkSyntax {
  /** [start, end) of the whole `[[...]]`. */
  start: number;
  end: number;
  targetStart: number;
  targetEnd: number;
  target: string;
  shownStart?: number;
  shownEnd?: number;
  shown?: string;
}

/** Segment flags for the matcher: RESET starts a new run (nothing matches across it); SOFT reads as one space. */
export const SEGMENT_RESET = 0;
export const SEGMENT_SOFT = 1;

export interface MarkdownStructure {
  /** Sorted, non-overlapping. */
  masked: MaskedRegion[];
  comments: HtmlComment[];
  headings: Heading[];
  wikilinks: WikilinkSyntax[];
  frontMatter?: { start: number; end: number; raw: string; date?: string };
  /** Prose segments for the mention matcher as triples [start, end, flag], in document order, disjoint. Typed:
   *  its storage lies outside the JavaScript heap (a growing array of numbers was ~0.4 MB of garbage per scan of
   *  the 1 MB brief, in copies left behind as it grew). */
  segments: Int32Array;
}

const MAX_LINK_DESTINATION = 2048;
const MAX_LABEL = 999;
const MAX_WIKILINK = 512;
const MAX_TAG = 2048;
const MAX_AUTOLINK = 2048;
const MAX_FRONT_MATTER = 256 * 1024;

const enum C {
  Tab = 0x09, LF = 0x0a, CR = 0x0d, Space = 0x20, Bang = 0x21, Quote = 0x22, Hash = 0x23, Dollar = 0x24,
  Apos = 0x27, LParen = 0x28, RParen = 0x29, Star = 0x2a, Plus = 0x2b, Minus = 0x2d, Dot = 0x2e, Slash = 0x2f,
  Colon = 0x3a, Lt = 0x3c, Eq = 0x3d, Gt = 0x3e, Question = 0x3f, At = 0x40, LBracket = 0x5b, Backslash = 0x5c,
  RBracket = 0x5d, Underscore = 0x5f, Backtick = 0x60, Pipe = 0x7c, Tilde = 0x7e, BOM = 0xfeff,
}

/** What the inline scan must look at: \\ ` < [ ] @ $, and where a bare URL may start ("http://", "https://",
 *  "ftp://", "www.", any case). Everything else is plain text. A regular expression finds the next one several times
 *  faster than a loop over every character (a class and a literal alternation: linear). With `\n` and `\r` too for
 *  blocks with block-quote prefixes on continuation lines (elsewhere a line break needs nothing). */
const INLINE_NEXT = /[\\`<[\]@$]|https?:\/\/|ftp:\/\/|www\./gi;
const INLINE_NEXT_OR_BREAK = /[\\`<[\]@$\n\r]|https?:\/\/|ftp:\/\/|www\./gi;

function isAsciiPunct(c: number): boolean {
  return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}
function isAsciiAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
function isAsciiAlnum(c: number): boolean {
  return isAsciiAlpha(c) || (c >= 0x30 && c <= 0x39);
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isWhite(c: number): boolean {
  return c === C.Space || c === C.Tab || c === C.LF || c === C.CR || c === 0x0b || c === 0x0c;
}
/** ASCII-and-common-Unicode word character test, for "does a bare URL start here" only. */
function isWordish(c: number): boolean {
  return isAsciiAlnum(c) || c === C.Underscore || c >= 0x80;
}
function isEmailLocal(c: number): boolean {
  return isAsciiAlnum(c) || c === C.Dot || c === C.Plus || c === C.Minus || c === C.Underscore;
}
function isEmailDomain(c: number): boolean {
  return isAsciiAlnum(c) || c === C.Dot || c === C.Minus || c === C.Underscore;
}

const AUTOLINK_URI = /^[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\u0000-\u001f]*$/;
const AUTOLINK_EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const RAW_BLOCK_OPEN = /^<(script|pre|style|textarea)(?:[\s>]|$)/i;
const ISO_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T\s].*)?$/;

interface Fence {
  start: number;
  char: number;
  length: number;
  quoteDepth: number;
  base: number; // list content indent the fence lives in
}

/** Scans `text` once and returns its prose structure. */
export function scanMarkdown(text: string): MarkdownStructure {
  return new Scanner(text).run(0, undefined);
}

/** A scan of part of a text, for incremental analysis: see `scanMarkdownFrom`. */
export interface PartialStructure extends MarkdownStructure {
  /** Line starts where the scanner's state was neutral (nothing open): a fresh scan from any of them produces the
   *  same results for the rest of the text. Sorted. */
  checkpoints: number[];
  /** Where the scan stopped: a checkpoint accepted by `stop`, or the text's length. */
  end: number;
}

/**
 * Scans from `from` (0, or a checkpoint of an earlier scan of a text with the same prefix) until `stop` accepts a
 * checkpoint (or the end). Results cover [from, end) only.
 */
export function scanMarkdownFrom(text: string, from: number, stop?: (checkpoint: number) => boolean): PartialStructure {
  return new Scanner(text).run(from, stop);
}

class Scanner {
  private readonly len: number;
  private readonly masked: MaskedRegion[] = [];
  private readonly comments: HtmlComment[] = [];
  private readonly headings: Heading[] = [];
  private readonly wikilinks: WikilinkSyntax[] = [];
  private readonly segments: Int32Triples;
  private frontMatter: MarkdownStructure['frontMatter'];

  // Monotone caches for forward searches (each answers "next occurrence at or after p" for non-decreasing p).
  private nextLF = -2;
  private nextCR = -2;
  private nextCommentClose = -2;
  private nextMathClose = -2;
  /** The prose segment under way in inline(): where it starts and its flag (fields, not a closure per block). */
  private segStart = 0;
  private segFlag = SEGMENT_RESET;
  /** Monotone caches of the inline searches: the first match at or after `from` is at `at` (the length if none). */
  private readonly inlineNext = { from: 1, at: 0 };
  private readonly inlineNextOrBreak = { from: 1, at: 0 };

  // Block state.
  private para = false;
  private paraStart = 0;
  private paraEnd = 0;
  private paraQuoteDepth = 0;
  private paraSoft: number[] = []; // [start, end) pairs of block-quote prefixes on continuation lines
  private listIndents: number[] = [];
  private fence: Fence | undefined;
  private codeStart = -1; // indented code block
  private codeEnd = 0;
  private codeBase = 0;
  /** Set by blocks that consume text past their first line (comments, raw HTML, math): where the line loop resumes. */
  private resumeAt = -1;

  constructor(private readonly text: string) {
    this.len = text.length;
    // Room for about one segment per 200 characters of prose at first (a brief has one per ~170).
    this.segments = new Int32Triples(64 + (text.length >> 8));
  }

  private addSegment(start: number, end: number, flag: number): void {
    this.segments.push(start, end, flag);
  }


  run(from: number, stop: ((checkpoint: number) => boolean) | undefined): PartialStructure {
    const checkpoints: number[] = [];
    const end = this.lines(from, stop, checkpoints);
    this.closeParagraph();
    this.closeIndentedCode();
    if (this.fence) this.mask(this.fence.start, this.len, 'fenced-code'); // an unclosed fence runs to the end
    this.masked.sort((a, b) => a.start - b.start);
    return {
      masked: this.masked,
      comments: this.comments,
      headings: this.headings,
      wikilinks: this.wikilinks,
      frontMatter: this.frontMatter,
      segments: this.segments.view(),
      checkpoints,
      end,
    };
  }

  /** The line loop, apart from run(): V8 compiles a long loop while it runs (on-stack replacement) and would leave
   *  the code after it without type feedback, then bail out there on every later call. Returns where it stopped. */
  private lines(from: number, stop: ((checkpoint: number) => boolean) | undefined, checkpoints: number[]): number {
    let pos = from === 0 ? this.scanFrontMatter() : from;
    while (pos < this.len) {
      if (!this.para && !this.fence && this.codeStart < 0 && this.listIndents.length === 0) {
        if (pos > from && stop?.(pos)) return pos;
        checkpoints.push(pos);
      }
      let lineEnd = this.lineEndFrom(pos);
      this.line(pos, lineEnd);
      const resume = this.resumeAt;
      if (resume >= 0) {
        // A block that ends mid-line (an HTML comment) or several lines later: what follows on its last line is
        // ordinary inline text (CommonMark renders it as part of the HTML block; its words are visible).
        this.resumeAt = -1;
        if (resume > lineEnd) lineEnd = this.lineEndFrom(resume);
        if (resume < lineEnd) this.inline(resume, lineEnd, []);
      }
      pos = this.afterLineBreak(lineEnd);
      if (pos < 0) break;
    }
    return this.len;
  }

  // ---- lines -------------------------------------------------------------------------------------------------

  private lineEndFrom(pos: number): number {
    if (this.nextLF !== -1 && this.nextLF < pos) this.nextLF = this.text.indexOf('\n', pos);
    if (this.nextCR !== -1 && this.nextCR < pos) this.nextCR = this.text.indexOf('\r', pos);
    const lf = this.nextLF === -1 ? this.len : this.nextLF;
    const cr = this.nextCR === -1 ? this.len : this.nextCR;
    return Math.min(lf, cr);
  }

  /** Offset of the next line's start, or -1 at the end of the text. */
  private afterLineBreak(lineEnd: number): number {
    if (lineEnd >= this.len) return -1;
    if (this.text.charCodeAt(lineEnd) === C.CR && this.text.charCodeAt(lineEnd + 1) === C.LF) return lineEnd + 2;
    return lineEnd + 1;
  }

  private scanFrontMatter(): number {
    const t = this.text;
    const p = t.charCodeAt(0) === C.BOM ? 1 : 0;
    if (!t.startsWith('---', p)) return p;
    const fmStart = p;
    let e = this.lineEndFrom(p);
    if (t.slice(p + 3, e).trim() !== '') {
      this.nextLF = this.nextCR = -2;
      return p;
    }
    let next = this.afterLineBreak(e);
    const innerStart = next;
    while (next >= 0 && next - fmStart <= MAX_FRONT_MATTER) {
      e = this.lineEndFrom(next);
      if (e - next <= 8) {
        const line = t.slice(next, e).trimEnd();
        if (line === '---' || line === '...') {
          const raw = t.slice(innerStart, next);
          this.frontMatter = { start: fmStart, end: e, raw };
          const date = parseFrontMatterDate(raw);
          if (date) this.frontMatter.date = date;
          this.mask(fmStart, e, 'front-matter');
          const after = this.afterLineBreak(e);
          return after < 0 ? this.len : after;
        }
      }
      next = this.afterLineBreak(e);
    }
    // No closing line: not front matter. The caches moved ahead; reset them for the main pass.
    this.nextLF = this.nextCR = -2;
    return p;
  }

  private line(ls: number, le: number): void {
    const t = this.text;
    // Block-quote markers.
    let p = ls;
    let quoteDepth = 0;
    for (;;) {
      let q = p;
      while (q < le && q - p < 3 && t.charCodeAt(q) === C.Space) q++;
      if (q < le && t.charCodeAt(q) === C.Gt) {
        quoteDepth++;
        p = q + 1;
        if (p < le && (t.charCodeAt(p) === C.Space || t.charCodeAt(p) === C.Tab)) p++;
      } else break;
    }
    const prefixEnd = p;
    // Indentation in columns (tabs to the next multiple of 4).
    let col = 0;
    let q = p;
    while (q < le) {
      const c = t.charCodeAt(q);
      if (c === C.Space) col++;
      else if (c === C.Tab) col += 4 - (col % 4);
      else break;
      q++;
    }
    const blank = q >= le;

    if (this.fence) {
      const f = this.fence;
      if (quoteDepth < f.quoteDepth || (!blank && col < f.base)) {
        // The container that held the fence ended: so did the fence.
        this.mask(f.start, this.lastContentEnd(ls), 'fenced-code');
        this.fence = undefined;
      } else {
        if (!blank && col - f.base < 4 && isClosingFence(t, q, le, f.char, f.length)) {
          this.mask(f.start, le, 'fenced-code');
          this.fence = undefined;
        }
        return;
      }
    }

    if (this.codeStart >= 0) {
      if (blank) return;
      if (col >= this.codeBase + 4) {
        this.codeEnd = le;
        return;
      }
      this.closeIndentedCode();
    }

    if (blank) {
      this.closeParagraph();
      return;
    }

    // Which list items does this line belong to (by indentation)?
    let depth = this.listIndents.length;
    while (depth > 0 && col < this.listIndents[depth - 1]) depth--;
    this.block(ls, le, prefixEnd, q, col, depth, quoteDepth);
  }

  /** Classifies and handles a non-blank line whose content starts at q with indentation col. */
  private block(ls: number, le: number, prefixEnd: number, q: number, col: number, depth: number, quoteDepth: number): void {
    const t = this.text;
    for (let guard = 0; guard < 64; guard++) {
      const base = depth > 0 ? this.listIndents[depth - 1] : 0;
      const rel = col - base;
      const c = t.charCodeAt(q);

      if (rel >= 4) {
        if (this.para) return this.continueParagraph(ls, le, prefixEnd);
        this.listIndents.length = depth;
        this.codeStart = q;
        this.codeEnd = le;
        this.codeBase = base;
        return;
      }
      if (this.para && quoteDepth > this.paraQuoteDepth) this.closeParagraph();

      if (c === C.Backtick || c === C.Tilde) {
        let n = q;
        while (n < le && t.charCodeAt(n) === c) n++;
        if (n - q >= 3 && (c === C.Tilde || !hasBacktick(t, n, le))) {
          this.closeParagraph();
          this.listIndents.length = depth;
          this.fence = { start: q, char: c, length: n - q, quoteDepth, base };
          return;
        }
      } else if (c === C.Hash) {
        let n = q;
        while (n < le && n - q < 7 && t.charCodeAt(n) === C.Hash) n++;
        const level = n - q;
        if (level <= 6 && (n >= le || t.charCodeAt(n) === C.Space || t.charCodeAt(n) === C.Tab)) {
          this.closeParagraph();
          this.listIndents.length = depth;
          this.atxHeading(q, le, level, n);
          return;
        }
      } else if (c === C.Lt) {
        if (t.startsWith('<!--', q)) {
          this.closeParagraph();
          this.listIndents.length = depth;
          return this.commentBlock(q);
        }
        if (RAW_BLOCK_OPEN.test(t.slice(q, Math.min(le, q + 12)))) {
          this.closeParagraph();
          this.listIndents.length = depth;
          return this.rawHtmlBlock(q, le);
        }
      } else if (c === C.Dollar && t.charCodeAt(q + 1) === C.Dollar && !this.para) {
        if (this.mathBlock(q, le)) return;
      } else if (c === C.Eq && this.para && isSetextUnderline(t, q, le, C.Eq)) {
        return this.setextHeading(le, 1);
      } else if (c === C.LBracket && !this.para && t.charCodeAt(q + 1) !== C.LBracket) {
        const end = referenceDefinitionEnd(t, q, le);
        if (end > 0) {
          this.listIndents.length = depth;
          this.mask(q, end, 'link-destination');
          return;
        }
      }

      if (c === C.Minus || c === C.Star || c === C.Underscore) {
        if (c === C.Minus && this.para && isSetextUnderline(t, q, le, C.Minus)) return this.setextHeading(le, 2);
        if (isThematicBreak(t, q, le, c)) {
          this.closeParagraph();
          this.listIndents.length = depth;
          return;
        }
      }

      // List item markers.
      let markerEnd = -1;
      let canInterrupt = false;
      if (c === C.Minus || c === C.Star || c === C.Plus) {
        markerEnd = q + 1;
        canInterrupt = true;
      } else if (isDigit(c)) {
        let n = q;
        while (n < le && n - q < 10 && isDigit(t.charCodeAt(n))) n++;
        const d = t.charCodeAt(n);
        if (n - q <= 9 && (d === C.Dot || d === C.RParen)) {
          markerEnd = n + 1;
          canInterrupt = n - q === 1 && c === 0x31; // only "1." may interrupt a paragraph
        }
      }
      if (markerEnd > 0) {
        const after = markerEnd < le ? t.charCodeAt(markerEnd) : -1;
        if (after === -1 || after === C.Space || after === C.Tab) {
          let s = markerEnd;
          let spaces = 0;
          while (s < le && spaces < 5 && (t.charCodeAt(s) === C.Space || t.charCodeAt(s) === C.Tab)) {
            spaces++;
            s++;
          }
          const empty = s >= le;
          if (!this.para || (canInterrupt && !empty)) {
            this.closeParagraph();
            const markerWidth = markerEnd - q;
            const contentCol = col + markerWidth + (empty || spaces >= 5 ? 1 : spaces);
            this.listIndents.length = depth;
            this.listIndents.push(contentCol);
            depth = this.listIndents.length;
            if (empty) return;
            if (spaces >= 5) {
              // "-     code": indented code inside the item; treat as paragraph text (rare, harmless).
              s = markerEnd + 1;
            }
            q = s;
            col = contentCol;
            continue; // the rest of the line may itself open a block
          }
        }
      }

      // Paragraph text.
      if (this.para) return this.continueParagraph(ls, le, prefixEnd);
      this.listIndents.length = depth;
      this.para = true;
      this.paraStart = q;
      this.paraEnd = le;
      this.paraQuoteDepth = quoteDepth;
      this.paraSoft.length = 0;
      return;
    }
    // Pathological nesting ("- - - - ..." beyond the guard): the rest is paragraph text.
    if (!this.para) {
      this.para = true;
      this.paraStart = q;
      this.paraSoft.length = 0;
      this.paraQuoteDepth = quoteDepth;
    }
    this.paraEnd = le;
  }

  private continueParagraph(ls: number, le: number, prefixEnd: number): void {
    if (prefixEnd > ls) this.paraSoft.push(ls, prefixEnd);
    this.paraEnd = le;
  }

  private closeParagraph(): void {
    if (!this.para) return;
    this.para = false;
    this.inline(this.paraStart, this.paraEnd, this.paraSoft);
  }

  private closeIndentedCode(): void {
    if (this.codeStart < 0) return;
    this.mask(this.codeStart, this.codeEnd, 'indented-code');
    this.codeStart = -1;
  }

  /** End of the content of the line before the one starting at ls. */
  private lastContentEnd(ls: number): number {
    let e = ls;
    if (e > 0 && this.text.charCodeAt(e - 1) === C.LF) e--;
    if (e > 0 && this.text.charCodeAt(e - 1) === C.CR) e--;
    return e;
  }

  private atxHeading(q: number, le: number, level: number, afterHashes: number): void {
    const t = this.text;
    let s = afterHashes;
    while (s < le && (t.charCodeAt(s) === C.Space || t.charCodeAt(s) === C.Tab)) s++;
    let e = le;
    while (e > s && (t.charCodeAt(e - 1) === C.Space || t.charCodeAt(e - 1) === C.Tab)) e--;
    // Optional closing sequence of #s, preceded by a space.
    let h = e;
    while (h > s && t.charCodeAt(h - 1) === C.Hash) h--;
    if (h < e && (h === s || t.charCodeAt(h - 1) === C.Space || t.charCodeAt(h - 1) === C.Tab)) {
      e = h;
      while (e > s && (t.charCodeAt(e - 1) === C.Space || t.charCodeAt(e - 1) === C.Tab)) e--;
    }
    this.headings.push({ start: q, end: le, level, text: t.slice(s, e), textStart: s, textEnd: e });
    this.inline(s, e, []);
  }

  private setextHeading(underlineEnd: number, level: number): void {
    const t = this.text;
    let e = this.paraEnd;
    while (e > this.paraStart && isWhite(t.charCodeAt(e - 1))) e--;
    this.headings.push({
      start: this.paraStart, end: underlineEnd, level, text: t.slice(this.paraStart, e),
      textStart: this.paraStart, textEnd: e,
    });
    this.closeParagraph();
  }

  /** `<!--` at a block start: an HTML block that ends at the line holding `-->` (or the end of the text). */
  private commentBlock(q: number): void {
    const close = this.findCommentClose(q + 4);
    const end = close < 0 ? this.len : close + 3;
    this.addComment(q, end, close < 0 ? this.len : close);
    this.resumeAt = end;
  }

  /** `<script>`, `<pre>`, `<style>`, `<textarea>` blocks: masked up to the line with the closing tag. */
  private rawHtmlBlock(q: number, le: number): void {
    const name = /^<([a-z]+)/i.exec(this.text.slice(q, q + 12))![1].toLowerCase();
    const re = new RegExp(`</${name}>`, 'ig');
    re.lastIndex = q;
    const m = re.exec(this.text); // a literal search: linear
    const end = m ? this.lineEndFrom(m.index + m[0].length) : this.len;
    this.mask(q, m ? end : this.len, 'html');
    this.resumeAt = Math.max(le, end);
  }

  /** `$$` at a block start: display math up to the next `$$`; like a fence, unclosed it runs to the end (so what a
   *  line means never depends on text after an edit further down, which incremental analysis relies on). */
  private mathBlock(q: number, le: number): boolean {
    const close = this.findMathClose(q + 2);
    const end = close < 0 ? this.len : this.lineEndFrom(close + 2);
    this.mask(q, end, 'math');
    this.resumeAt = Math.max(le, end);
    return true;
  }

  private findCommentClose(from: number): number {
    if (this.nextCommentClose !== -1 && this.nextCommentClose < from) this.nextCommentClose = this.text.indexOf('-->', from);
    return this.nextCommentClose;
  }

  private findInline(from: number, re: RegExp, cache: { from: number; at: number }): number {
    if (from < cache.from || from > cache.at) {
      // test() builds no match array. A match ending in "/" or "." is a URL prefix (rare): exec() again for where
      // it starts; anything else is one character.
      re.lastIndex = from;
      let at = this.len;
      if (re.test(this.text)) {
        const last = re.lastIndex - 1;
        const c = this.text.charCodeAt(last);
        if (c === C.Slash || c === C.Dot) {
          re.lastIndex = from;
          at = re.exec(this.text)!.index;
        } else at = last;
      }
      cache.from = from;
      cache.at = at;
    }
    return cache.at;
  }

  private findMathClose(from: number): number {
    if (this.nextMathClose !== -1 && this.nextMathClose < from) this.nextMathClose = this.text.indexOf('$$', from);
    return this.nextMathClose;
  }

  private addComment(start: number, end: number, innerEnd: number): void {
    this.mask(start, end, 'html-comment');
    this.comments.push({ start, end, text: this.text.slice(start + 4, innerEnd).trim() });
  }

  private mask(start: number, end: number, reason: MaskedRegion['reason']): void {
    if (end > start) this.masked.push({ start, end, reason });
  }

  /** Masks an inline span (code, a link's destination, a bare URL, math) and ends the prose segment at it: no
   *  mention runs across it. */
  private maskInline(start: number, end: number, reason: MaskedRegion['reason']): void {
    this.mask(start, end, reason);
    this.cut(start, end, SEGMENT_RESET);
  }

  // ---- inline --------------------------------------------------------------------------------------------------

  /** Scans one leaf block [s, e) for inline code, links, autolinks, HTML, comments, math and wikilinks, and emits
   *  the prose segments between them. `soft` holds block-quote prefixes that read as spaces. */
  private inline(s: number, e: number, soft: number[]): void {
    const t = this.text;
    this.segStart = s;
    this.segFlag = SEGMENT_RESET;
    let softIndex = 0;
    let openBrackets = 0;
    let failedDestUntil = s;
    let failedTagUntil = s;
    let failedLabelUntil = s;
    let runs: BacktickRuns | undefined;

    const breaks = soft.length > 0;
    let next = -1;
    let i = s;
    while (i < e) {
      // Plain text (most of a paragraph) is skipped by the search; the switch sees only possible syntax.
      if (next < i) next = breaks ? this.findInline(i, INLINE_NEXT_OR_BREAK, this.inlineNextOrBreak) : this.findInline(i, INLINE_NEXT, this.inlineNext);
      i = next;
      if (i >= e) break;
      const c = t.charCodeAt(i);
      if ((c | 0x20) === 0x68 || (c | 0x20) === 0x77 || (c | 0x20) === 0x66) {
        // h w f: "http://", "https://", "ftp://" or "www.", a bare URL unless a word character comes before.
        if (i === s || !isWordish(t.charCodeAt(i - 1))) {
          const end = bareUrlEnd(t, i, e);
          if (end > 0) {
            this.maskInline(i, end, 'autolink');
            i = end;
            continue;
          }
        }
        i++;
        continue;
      }
      switch (c) {
        case C.LF:
        case C.CR: {
          // A block-quote prefix at the start of the next line reads as a space.
          i++;
          while (softIndex < soft.length && soft[softIndex] < i) softIndex += 2;
          if (softIndex < soft.length && soft[softIndex] === i && soft[softIndex + 1] > i) {
            this.cut(i, soft[softIndex + 1], SEGMENT_SOFT);
            i = soft[softIndex + 1];
            softIndex += 2;
          }
          continue;
        }
        case C.Backslash: {
          i += i + 1 < e && isAsciiPunct(t.charCodeAt(i + 1)) ? 2 : 1;
          continue;
        }
        case C.Backtick: {
          let n = i;
          while (n < e && t.charCodeAt(n) === C.Backtick) n++;
          // The closing run is searched for directly until a search fails; only then is the block's index of
          // runs built (which keeps unclosed runs linear). Most blocks close every run: no index, no Map.
          let close: number;
          if (runs) close = runs.next(n - i, n);
          else {
            close = closingBacktickRun(t, n, e, n - i);
            if (close < 0) runs = new BacktickRuns(t, s, e);
          }
          if (close >= 0) {
            const end = close + (n - i);
            this.maskInline(i, end, 'inline-code');
            i = end;
          } else i = n;
          continue;
        }
        case C.Lt: {
          const end = this.inlineAngle(i, e, failedTagUntil);
          if (end > 0) {
            const reason = this.masked[this.masked.length - 1].reason;
            this.cut(i, end, reason === 'html' ? SEGMENT_SOFT : SEGMENT_RESET);
            i = end;
          } else {
            if (end < -1) failedTagUntil = -end;
            i++;
          }
          continue;
        }
        case C.LBracket: {
          if (t.charCodeAt(i + 1) === C.LBracket) {
            const w = this.wikilink(i, e);
            if (w) {
              this.cut(i, w.end, SEGMENT_RESET);
              i = w.end;
              continue;
            }
          }
          openBrackets++;
          i++;
          continue;
        }
        case C.RBracket: {
          if (openBrackets > 0) {
            openBrackets--;
            const d = t.charCodeAt(i + 1);
            if (d === C.LParen && i + 1 >= failedDestUntil) {
              const end = linkDestinationEnd(t, i + 2, e);
              if (end > 0) {
                this.maskInline(i + 1, end, 'link-destination');
                i = end;
                continue;
              }
              failedDestUntil = -end;
            } else if (d === C.LBracket && t.charCodeAt(i + 2) !== C.LBracket && i + 1 >= failedLabelUntil) {
              // Full or collapsed reference link: `[text][label]` — the label isn't shown.
              const end = linkLabelEnd(t, i + 1, e);
              if (end > 0) {
                this.maskInline(i + 1, end, 'link-destination');
                i = end;
                continue;
              }
              failedLabelUntil = -end;
            }
          }
          i++;
          continue;
        }
        case C.At: {
          let a = i;
          while (a > this.segStart && isEmailLocal(t.charCodeAt(a - 1))) a--;
          let b = i + 1;
          let lastDot = -1;
          while (b < e && isEmailDomain(t.charCodeAt(b))) {
            if (t.charCodeAt(b) === C.Dot) lastDot = b;
            b++;
          }
          while (b > i + 1 && !isAsciiAlnum(t.charCodeAt(b - 1))) b--; // trailing "." or "-" is punctuation
          if (a < i && b > i + 1 && lastDot > i + 1 && lastDot < b - 1) {
            this.maskInline(a, b, 'autolink');
            i = b;
            continue;
          }
          i++;
          continue;
        }
        case C.Dollar: {
          if (t.charCodeAt(i + 1) === C.Dollar) {
            const close = this.findMathClose(i + 2);
            if (close >= 0 && close + 2 <= e) {
              this.maskInline(i, close + 2, 'math');
              i = close + 2;
              continue;
            }
            i += 2;
            continue;
          }
          i++;
          continue;
        }
        default:
          i++;
      }
    }
    if (e > this.segStart) this.addSegment(this.segStart, e, this.segFlag);
  }

  /** Ends the segment under way at `start` (if not empty); the next starts at `end` with `flag`. */
  private cut(start: number, end: number, flag: number): void {
    if (start > this.segStart) this.addSegment(this.segStart, start, this.segFlag);
    this.segStart = end;
    this.segFlag = flag;
  }

  /**
   * `<` inside a paragraph: an HTML comment, an autolink or a raw HTML tag. Returns the end offset on success
   * (after masking); -1 on a plain failure; -(scanned end) when the attempt scanned ahead and failed, so that no
   * tag attempt restarts inside that range.
   */
  private inlineAngle(i: number, e: number, failedTagUntil: number): number {
    const t = this.text;
    if (t.startsWith('<!--', i)) {
      const close = this.findCommentClose(i + 4);
      if (close >= 0 && close + 3 <= e) {
        this.addComment(i, close + 3, close);
        return close + 3;
      }
      return -1;
    }
    // Autolink: no spaces, no `<`, up to `>`.
    let j = i + 1;
    const cap = Math.min(e, i + MAX_AUTOLINK);
    while (j < cap) {
      const c = t.charCodeAt(j);
      if (c === C.Gt || c === C.Lt || c <= C.Space) break;
      j++;
    }
    if (j < e && t.charCodeAt(j) === C.Gt && j > i + 1) {
      const inner = t.slice(i + 1, j);
      if (AUTOLINK_URI.test(inner) || AUTOLINK_EMAIL.test(inner)) {
        this.mask(i, j + 1, 'autolink');
        return j + 1;
      }
    }
    // Raw HTML tag: `<name ...>`, `</name>`, `<?...>`, `<!X...>`. Ends at the first `>`; a `<` before it fails.
    if (i < failedTagUntil) return -1;
    const c1 = t.charCodeAt(i + 1);
    const closing = c1 === C.Slash;
    const n0 = closing ? i + 2 : i + 1;
    if (!(isAsciiAlpha(t.charCodeAt(n0)) || (!closing && (c1 === C.Question || c1 === C.Bang)))) return -1;
    let n = n0 + 1;
    while (n < e && (isAsciiAlnum(t.charCodeAt(n)) || t.charCodeAt(n) === C.Minus)) n++;
    const after = t.charCodeAt(n);
    if (isAsciiAlpha(t.charCodeAt(n0)) && !(isWhite(after) || after === C.Gt || after === C.Slash)) return -1;
    const tagCap = Math.min(e, i + MAX_TAG);
    let k = n;
    let quote = 0;
    while (k < tagCap) {
      const c = t.charCodeAt(k);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === C.Gt) break;
      else if (c === C.Lt) return -k;
      else if ((c === C.Quote || c === C.Apos) && !closing) quote = c;
      k++;
    }
    if (k >= tagCap || t.charCodeAt(k) !== C.Gt) return -k;
    this.mask(i, k + 1, 'html');
    return k + 1;
  }

  private wikilink(i: number, e: number): WikilinkSyntax | undefined {
    const t = this.text;
    const cap = Math.min(e, i + 2 + MAX_WIKILINK);
    let j = i + 2;
    let pipe = -1;
    while (j < cap) {
      const c = t.charCodeAt(j);
      if (c === C.RBracket || c === C.LBracket || c === C.LF || c === C.CR) break;
      if (c === C.Pipe && pipe < 0) pipe = j;
      j++;
    }
    if (j + 1 >= e || t.charCodeAt(j) !== C.RBracket || t.charCodeAt(j + 1) !== C.RBracket) return undefined;
    const targetEnd = pipe >= 0 ? pipe : j;
    // Trimmed in place (trimRange's pair, destructured, was an array and an iterator per link), and the texts
    // interned: a brief links the same few targets again and again.
    let ts = i + 2;
    let te = targetEnd;
    while (ts < te && isWhite(t.charCodeAt(ts))) ts++;
    while (te > ts && isWhite(t.charCodeAt(te - 1))) te--;
    if (te <= ts) return undefined;
    const w: WikilinkSyntax = { start: i, end: j + 2, targetStart: ts, targetEnd: te, target: interned.slice(t, ts, te) };
    if (pipe >= 0) {
      let ss = pipe + 1;
      let se = j;
      while (ss < se && isWhite(t.charCodeAt(ss))) ss++;
      while (se > ss && isWhite(t.charCodeAt(se - 1))) se--;
      w.shownStart = ss;
      w.shownEnd = se;
      w.shown = interned.slice(t, ss, se);
    }
    this.wikilinks.push(w);
    return w;
  }

}

/** Backtick runs of one leaf block, grouped by length, each group consumed front to back (linear overall). */
class BacktickRuns {
  private readonly byLength = new Map<number, { positions: number[]; next: number }>();
  constructor(text: string, s: number, e: number) {
    let i = text.indexOf('`', s);
    while (i >= 0 && i < e) {
      let n = i;
      while (n < e && text.charCodeAt(n) === C.Backtick) n++;
      const length = n - i;
      let group = this.byLength.get(length);
      if (!group) this.byLength.set(length, (group = { positions: [], next: 0 }));
      group.positions.push(i);
      i = text.indexOf('`', n);
    }
  }
  /** Start of the first run of exactly `length` backticks starting at or after `from`, or -1. */
  next(length: number, from: number): number {
    const group = this.byLength.get(length);
    if (!group) return -1;
    while (group.next < group.positions.length && group.positions[group.next] < from) group.next++;
    return group.next < group.positions.length ? group.positions[group.next] : -1;
  }
}

/** Start of the first run of exactly `length` backticks in [from, e), or -1; t[from - 1] is a backtick and
 *  t[from] is not, so the runs found from here are whole. */
function closingBacktickRun(t: string, from: number, e: number, length: number): number {
  let i = t.indexOf('`', from);
  while (i >= 0 && i < e) {
    let n = i;
    while (n < e && t.charCodeAt(n) === C.Backtick) n++;
    if (n - i === length) return i;
    i = t.indexOf('`', n);
  }
  return -1;
}

/** Wikilink targets and shown texts, one string per distinct text across scans. */
const interned = new StringInterner(20_000, 200);

function hasBacktick(t: string, s: number, e: number): boolean {
  for (let n = s; n < e; n++) if (t.charCodeAt(n) === C.Backtick) return true;
  return false;
}

function isClosingFence(t: string, q: number, le: number, char: number, length: number): boolean {
  let n = q;
  while (n < le && t.charCodeAt(n) === char) n++;
  if (n - q < length) return false;
  while (n < le && (t.charCodeAt(n) === C.Space || t.charCodeAt(n) === C.Tab)) n++;
  return n >= le;
}

function isSetextUnderline(t: string, q: number, le: number, char: number): boolean {
  let n = q;
  while (n < le && t.charCodeAt(n) === char) n++;
  while (n < le && (t.charCodeAt(n) === C.Space || t.charCodeAt(n) === C.Tab)) n++;
  return n >= le;
}

function isThematicBreak(t: string, q: number, le: number, char: number): boolean {
  let count = 0;
  for (let n = q; n < le; n++) {
    const c = t.charCodeAt(n);
    if (c === char) count++;
    else if (c !== C.Space && c !== C.Tab) return false;
  }
  return count >= 3;
}

/** `[label]: destination "title"` on one line starting at q: returns the line end, or -1. */
function referenceDefinitionEnd(t: string, q: number, le: number): number {
  const close = linkLabelEnd(t, q, le);
  if (close <= 0 || t.charCodeAt(close) !== C.Colon) return -1;
  let n = close + 1;
  while (n < le && (t.charCodeAt(n) === C.Space || t.charCodeAt(n) === C.Tab)) n++;
  return n < le ? le : -1;
}

/** `[label]` starting at the `[` at q: returns the offset after `]`, or -(scanned end) on failure. */
function linkLabelEnd(t: string, q: number, e: number): number {
  const cap = Math.min(e, q + 1 + MAX_LABEL);
  let n = q + 1;
  while (n < cap) {
    const c = t.charCodeAt(n);
    if (c === C.Backslash) {
      n += 2;
      continue;
    }
    if (c === C.LBracket) return -n;
    if (c === C.RBracket) return n + 1;
    n++;
  }
  return -n;
}

/**
 * A link's `(destination "title")` with `p` just after `(`: returns the offset after `)`, or -(scanned end).
 * The destination stops at whitespace (or is `<...>`), parentheses nest up to 32 deep, the title is quoted.
 */
function skipWhite(t: string, n: number, cap: number): number {
  while (n < cap && isWhite(t.charCodeAt(n))) n++;
  return n;
}

function linkDestinationEnd(t: string, p: number, e: number): number {
  const cap = Math.min(e, p + MAX_LINK_DESTINATION);
  // (White space skipped by a function, not a closure over `n`: that was a context and a closure per link.)
  let n = skipWhite(t, p, cap);
  if (t.charCodeAt(n) === C.Lt) {
    n++;
    while (n < cap) {
      const c = t.charCodeAt(n);
      if (c === C.Gt || c === C.Lt || c === C.LF || c === C.CR) break;
      n += c === C.Backslash ? 2 : 1;
    }
    if (n >= cap || t.charCodeAt(n) !== C.Gt) return -Math.max(n, p);
    n++;
  } else {
    let depth = 0;
    while (n < cap) {
      const c = t.charCodeAt(n);
      if (c <= C.Space) break;
      if (c === C.Backslash) {
        n += 2;
        continue;
      }
      if (c === C.LParen) {
        if (++depth > 32) return -n;
      } else if (c === C.RParen) {
        if (depth === 0) break;
        depth--;
      }
      n++;
    }
    if (depth !== 0) return -n;
  }
  n = skipWhite(t, n, cap);
  const q = t.charCodeAt(n);
  if (q === C.Quote || q === C.Apos || q === C.LParen) {
    const closer = q === C.LParen ? C.RParen : q;
    n++;
    while (n < cap) {
      const c = t.charCodeAt(n);
      if (c === C.Backslash) {
        n += 2;
        continue;
      }
      if (c === closer) break;
      if (q === C.LParen && c === C.LParen) return -n;
      n++;
    }
    if (n >= cap) return -n;
    n++;
    n = skipWhite(t, n, cap);
  }
  if (n < cap && t.charCodeAt(n) === C.RParen) return n + 1;
  return -Math.max(n, p);
}

/** A bare URL (`http://`, `https://`, `ftp://`, `www.`) starting at i: returns its end, or -1. */
function bareUrlEnd(t: string, i: number, e: number): number {
  const head = t.slice(i, i + 8).toLowerCase();
  let n: number;
  if (head.startsWith('https://')) n = i + 8;
  else if (head.startsWith('http://') || head.startsWith('ftp://')) n = i + (head[0] === 'f' ? 6 : 7);
  else if (head.startsWith('www.')) n = i + 4;
  else return -1;
  const start = n;
  let parens = 0;
  while (n < e) {
    const c = t.charCodeAt(n);
    if (isWhite(c) || c === C.Lt || c === 0xa0) break;
    if (c === C.LParen) parens++;
    else if (c === C.RParen) parens--;
    n++;
  }
  // Trailing punctuation belongs to the sentence, and so does an unbalanced closing parenthesis.
  for (;;) {
    const c = t.charCodeAt(n - 1);
    if (n > start && (c === C.Dot || c === 0x2c || c === C.Colon || c === 0x3b || c === C.Bang || c === C.Question ||
      c === C.Quote || c === C.Apos || c === C.Star || c === C.Underscore || c === C.Tilde)) {
      n--;
    } else if (n > start && c === C.RParen && parens < 0) {
      n--;
      parens++;
    } else break;
  }
  return n > start ? n : -1;
}

/** `date:` at the top level of the front matter, as ISO text (YYYY, YYYY-MM or YYYY-MM-DD), if valid. */
export function parseFrontMatterDate(raw: string): string | undefined {
  let p = 0;
  while (p <= raw.length) {
    let e = raw.indexOf('\n', p);
    if (e < 0) e = raw.length;
    if (raw.startsWith('date:', p) && e - p < 200) {
      let value = raw.slice(p + 5, e).replace(/\r$/, '');
      const hash = value.indexOf(' #');
      if (hash >= 0) value = value.slice(0, hash);
      value = value.trim();
      if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
        value = value.slice(1, -1).trim();
      }
      const m = ISO_DATE.exec(value);
      if (!m) return undefined;
      const [, y, mo, d] = m;
      if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12)) return undefined;
      if (d !== undefined) {
        const days = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
        if (Number(d) < 1 || Number(d) > days) return undefined;
      }
      return d !== undefined ? `${y}-${mo}-${d}` : mo !== undefined ? `${y}-${mo}` : y;
    }
    p = e + 1;
  }
  return undefined;
}
