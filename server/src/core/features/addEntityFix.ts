// Quick fix on a wikilink that names no entity: "Add entity to the workspace corpus". Creates
// `.jpmg/entities.yaml` in the workspace folder, or extends it, with a skeleton entry the schema accepts, so the
// writer fills in the facts and the link resolves as soon as the file is saved (overlays reload live).
//
// Pure: the caller passes the current text of the file (or undefined when it does not exist) and gets back an LSP
// WorkspaceEdit as a plain object. A file that does not parse is never touched.
import { isMap, isSeq, isScalar } from 'yaml';
import { parseDocumentSafely } from '../yamlGuard';
import type { Corpus, EntityKind } from '../types';
import { createLineIndex } from '../analysis/lineIndex';

export const WORKSPACE_ENTITIES_FILE = '.jpmg/entities.yaml';

interface Position { line: number; character: number }
interface Range { start: Position; end: Position }
export interface PlainTextEdit { range: Range; newText: string }
export interface PlainCreateFile { kind: 'create'; uri: string; options: { overwrite: false; ignoreIfExists: true } }
export interface PlainTextDocumentEdit { textDocument: { uri: string; version: null }; edits: PlainTextEdit[] }
export interface PlainWorkspaceEdit { documentChanges: (PlainCreateFile | PlainTextDocumentEdit)[] }

export interface AddEntityFix {
  title: string;
  /** The id the new entry gets (unique in the corpus and the file). */
  id: string;
  edit: PlainWorkspaceEdit;
}

export interface AddEntityFixInput {
  /** The wikilink target as written, e.g. "Yossi Cohen" or "new-forum". */
  target: string;
  /** The workspace folder's URI, e.g. "file:///home/me/briefs". */
  folderUri: string;
  /** Current text of `.jpmg/entities.yaml` (an open editor's text if open), undefined when the file is missing. */
  existingText: string | undefined;
  corpus: Corpus;
  /** Kind of the skeleton; writers change it as needed. */
  kind?: EntityKind;
}

/** The quick fix, or undefined when the target is empty or the existing file cannot be extended safely. */
export function addEntityFix(input: AddEntityFixInput): AddEntityFix | undefined {
  const name = input.target.replace(/\s+/g, ' ').trim();
  if (!name) return undefined;
  const existing = input.existingText;
  const id = uniqueId(slug(name), input.corpus, existing ?? '');
  const kind = input.kind ?? 'topic';
  const uri = `${input.folderUri.replace(/\/+$/, '')}/${WORKSPACE_ENTITIES_FILE}`;
  const title = `Add entity "${name.length > 60 ? name.slice(0, 57) + '…' : name}" to the workspace corpus`;
  const fields = skeletonFields(id, kind, name);

  if (existing === undefined) {
    return {
      title, id,
      edit: {
        documentChanges: [
          { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: true } },
          { textDocument: { uri, version: null }, edits: [insertAt(existing ?? '', 0, `entities:\n${blockItem(fields, 2)}`)] },
        ],
      },
    };
  }
  const edit = extend(existing, fields);
  if (!edit) return undefined;
  return { title, id, edit: { documentChanges: [{ textDocument: { uri, version: null }, edits: [edit] }] } };
}

/** The fields of the skeleton, in order, as YAML-safe values. */
function skeletonFields(id: string, kind: EntityKind, name: string): [string, string][] {
  return [
    ['id', quote(id)], // quoted: an id like `2016`, `true` or `null` must stay a string
    ['kind', kind],
    ['name', quote(name)],
    ['aliases', '[]'],
    ['summary', quote(`TODO: who or what ${name} is.`)],
    // An external citation validates without a verbatim quote; the writer replaces it with a real one.
    ['sources', `[{ source: workspace, quote: ${quote(`TODO: the fact about ${name} and where it comes from.`)}, external: true, reference: "TODO" }]`],
  ];
}

function blockItem(fields: [string, string][], indent: number): string {
  const pad = ' '.repeat(indent);
  return fields.map(([k, v], i) => `${i === 0 ? `${pad}- ` : `${pad}  `}${k}: ${v}\n`).join('');
}

function flowItem(fields: [string, string][]): string {
  return `{ ${fields.map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
}

/** An edit that adds the entry to an existing file, or undefined if its shape is not one we can extend. */
function extend(text: string, fields: [string, string][]): PlainTextEdit | undefined {
  const doc = parseDocumentSafely(text, { prettyErrors: false, uniqueKeys: true });
  if (!doc || doc.errors.length > 0) return undefined;
  const contents = doc.contents;
  const atEnd = (block: string) => insertAt(text, text.length, `${text.length && !/[\r\n]$/.test(text) ? '\n' : ''}${block}`);
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return atEnd(`entities:\n${blockItem(fields, 2)}`);
  }
  if (!isMap(contents)) return undefined;
  const pair = contents.items.find((p) => isScalar(p.key) && p.key.value === 'entities');
  if (!pair) {
    if (contents.flow) return undefined;
    return atEnd(`entities:\n${blockItem(fields, 2)}`);
  }
  const value = pair.value;
  if (isSeq(value) && value.range) {
    if (value.flow) {
      const close = value.range[1] - 1; // the `]`
      if (text[close] !== ']') return undefined;
      return insertAt(text, close, `${value.items.length ? ', ' : ''}${flowItem(fields)}`);
    }
    const lineStart = Math.max(text.lastIndexOf('\n', value.range[0] - 1), text.lastIndexOf('\r', value.range[0] - 1)) + 1;
    const indent = value.range[0] - lineStart;
    const end = value.range[1];
    const needsBreak = end > 0 && !/[\r\n]/.test(text[end - 1]!);
    return insertAt(text, end, `${needsBreak ? '\n' : ''}${blockItem(fields, indent)}`);
  }
  if ((value === null || (isScalar(value) && value.value === null)) && !contents.flow) {
    const [start, end] = isScalar(value) && value.range ? [value.range[0], value.range[1]] : [text.length, text.length];
    const keyIndent = isScalar(pair.key) && pair.key.range ? columnOf(text, pair.key.range[0]) : 0;
    return replaceRange(text, start, end, `\n${blockItem(fields, keyIndent + 2).replace(/\n$/, '')}`);
  }
  return undefined;
}

function insertAt(text: string, offset: number, newText: string): PlainTextEdit {
  return replaceRange(text, offset, offset, newText);
}

function replaceRange(text: string, start: number, end: number, newText: string): PlainTextEdit {
  const lines = createLineIndex(text);
  return { range: { start: lines.positionAt(start), end: lines.positionAt(end) }, newText };
}

function columnOf(text: string, offset: number): number {
  return offset - (Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1);
}

/** A YAML double-quoted scalar (JSON strings are valid YAML). */
function quote(s: string): string {
  return JSON.stringify(s);
}

/** kebab-case id from a name: ASCII letters and digits, accents dropped; "entity" when nothing is left. */
export function slug(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const s = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return s || 'entity';
}

function uniqueId(base: string, corpus: Corpus, fileText: string): string {
  const taken = (id: string) => corpus.byId.has(id) || new RegExp(`\\bid:\\s*["']?${id}["']?\\s*($|[,}\\r\\n])`, 'm').test(fileText);
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const id = `${base}-${n}`;
    if (!taken(id)) return id;
  }
}
