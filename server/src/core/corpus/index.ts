// The corpus loader: YAML texts in, an indexed, checked corpus out. Pure (no fs, no editor): the Node layer
// (server/src/node/corpusFiles.ts) reads files and hands their texts over, source documents included, so this
// module decides everything — including that a source path may not leave its corpus folder — on strings alone.
// It never throws: whatever the input, the answer is a Corpus whose `problems` say what is wrong and where.
//
// Overlay rule (also in docs/corpus-format.md). Inputs with `bundled: false` are overlays, applied after the
// bundled corpus in input order:
//   - an overlay entity with a new id adds an entity;
//   - an overlay entity whose id already exists (bundled, or from an earlier overlay file) EXTENDS it: list fields
//     (aliases, sources, roles, participants, organisations, agreements, topics, parties, commits, related) are
//     appended; single-valued fields (name, summary, date, place, format, ordinal, parent) replace the existing
//     value only when the overlay gives them; the entity keeps its original `origin`;
//   - its `kind` must be the existing entity's kind, or the overlay entry is ignored with a problem;
//   - one file may not define the same id twice, and the bundled corpus may not either (`duplicate-id`).
// An overlay cannot break the bundled corpus: every problem it causes (dangling references, alias collisions,
// bad quotes) is reported at the overlay's own lines.
import type {
  AliasEntry, Corpus, CorpusProblem, Entity, ExternalSource, ProblemSeverity, SourceDocument, SourceLocation,
} from '../types';
import { buildAliasIndex, type AliasSubject } from './aliases';
import {
  child, convertEntityFile, convertSourcesFile, forEachCitation, forEachRef, gives, pathOf, REF_LIST_FIELDS, under, type Draft, type Where,
} from './convert';
import { basenameOf, dirnameOf, pathKey, resolveInside } from './paths';
import { ZERO_RANGE, type Range } from './positions';
import { findQuote, quoteMatchesLoosely } from './quotes';
import { validateAgainstSchema, type SchemaProblem } from './schema';
import { runToEnd } from '../steps';
import { DEFAULT_YAML_LIMITS, forgetKeptParses, takeParsedYaml, type ParsedYaml, type YamlLimits } from './yamlDoc';

export { findQuote } from './quotes';
export { surnameOf } from './aliases';

export type CorpusInputKind = 'entities' | 'sources' | 'source-text';

export interface CorpusInput {
  /** Absolute path (or any stable name) of the file; problems and origins refer to it. */
  file: string;
  text: string;
  /** True for the corpus shipped with the extension; false for workspace overlays. */
  bundled: boolean;
  /**
   * What the file is. Inferred when omitted: `sources.yaml` → sources, other `.yaml`/`.yml` → entities, anything
   * else → the text of a source document (looked up by the path sources.yaml names).
   */
  kind?: CorpusInputKind;
}

export interface LoadOptions extends Partial<YamlLimits> {
  /** Check that every non-external quote occurs in its source (default true). */
  checkQuotes?: boolean;
  /** Validate each file against corpus/schema.json (default true). */
  validateSchema?: boolean;
  /** Filled with milliseconds per stage (parse, schema, convert, sources, merge, checks, aliases), when given. */
  timings?: Record<string, number>;
}

export function inputKind(input: Pick<CorpusInput, 'file' | 'kind'>): CorpusInputKind {
  if (input.kind) return input.kind;
  const base = basenameOf(input.file).toLowerCase();
  if (base === 'sources.yaml' || base === 'sources.yml') return 'sources';
  if (base.endsWith('.yaml') || base.endsWith('.yml')) return 'entities';
  return 'source-text';
}

export function emptyCorpus(problems: CorpusProblem[] = []): Corpus {
  return { entities: [], byId: new Map(), aliases: new Map(), sources: new Map(), externalSources: new Map(), problems, files: [] };
}

/** Load, merge, check and index corpus files. Never throws. */
export function loadCorpus(inputs: readonly CorpusInput[], options: LoadOptions = {}): Corpus {
  return runToEnd(loadCorpusSteps(inputs, options));
}

/**
 * The same load in steps: each `next()` does a bounded piece of work (one file, a few thousand entities), so that a
 * server can rebuild a large corpus between requests instead of stopping for seconds. Never throws either.
 */
export function* loadCorpusSteps(inputs: readonly CorpusInput[], options: LoadOptions = {}): Generator<void, Corpus, void> {
  try {
    return yield* load(Array.isArray(inputs) ? inputs : [], options);
  } catch (e) {
    forgetKeptParses();
    const message = e instanceof RangeError ? 'the corpus is too deeply nested or too large to load' : String(e);
    return emptyCorpus([{ file: inputs[0]?.file ?? '', line: 0, column: 0, severity: 'error', code: 'internal-error', message: `Corpus not loaded: ${message}` }]);
  }
}

/** Entities (drafts) handled between two steps of the cross-reference and merge loops. */
const DRAFTS_PER_STEP = 2048;

function* load(inputs: readonly CorpusInput[], options: LoadOptions): Generator<void, Corpus, void> {
  const limits: YamlLimits = {
    maxFileChars: options.maxFileChars ?? DEFAULT_YAML_LIMITS.maxFileChars,
    maxAliasCount: options.maxAliasCount ?? DEFAULT_YAML_LIMITS.maxAliasCount,
    maxProblemsPerFile: options.maxProblemsPerFile ?? DEFAULT_YAML_LIMITS.maxProblemsPerFile,
  };
  const problems: CorpusProblem[] = [];
  const files: string[] = [];
  const texts = new Map<string, string>();
  const yamlInputs: { input: CorpusInput; kind: 'entities' | 'sources' }[] = [];
  for (const input of inputs) {
    if (!input || typeof input.file !== 'string' || typeof input.text !== 'string') continue;
    files.push(input.file);
    const kind = inputKind(input);
    if (kind === 'source-text') texts.set(pathKey(input.file), input.text);
    else yamlInputs.push({ input, kind });
  }
  // The bundled corpus first, then overlays, each group in the order given.
  yamlInputs.sort((a, b) => Number(!a.input.bundled) - Number(!b.input.bundled));

  const locate = (at: Where, part: 'key' | 'value' = 'value'): { file: string; range: Range } =>
    ({ file: at.doc.file, range: at.doc.locate(pathOf(at), part) });
  const report = (at: Where, severity: ProblemSeverity, code: string, message: string, part: 'key' | 'value' = 'value') => {
    const { file, range } = locate(at, part);
    problems.push({ file, ...range, severity, code, message });
  };
  const originOf = (at: Where): SourceLocation => {
    const { file, range } = locate(at, 'key');
    return { file, line: range.line, column: range.column, endLine: range.endLine, endColumn: range.endColumn };
  };
  const lineRef = (at: Where) => {
    const { file, range } = locate(at, 'key');
    return `${file}:${range.line + 1}`;
  };

  // Where the time goes, for the benchmark (`options.timings`).
  const timings = options.timings;
  let last = timings ? performance.now() : 0;
  const lap = (stage: string) => {
    if (!timings) return;
    const now = performance.now();
    timings[stage] = (timings[stage] ?? 0) + (now - last);
    last = now;
  };

  // 1. Parse and validate every YAML file; convert what is usable.
  const drafts: Draft[] = [];
  const sourceFiles: { doc: ParsedYaml; bundled: boolean }[] = [];
  const pendingRequired: { doc: ParsedYaml; index: number; problem: SchemaProblem }[] = [];
  for (const { input, kind } of yamlInputs) {
    const doc = takeParsedYaml(input.file, input.text, limits);
    lap('parse');
    problems.push(...doc.problems);
    if (doc.value === undefined || doc.value === null) continue; // unusable, or an empty file (no entities yet)
    yield;
    // Entities with schema errors are rebuilt field by field; the others are adopted (see convert.ts).
    let invalid: Set<number> | 'all' = new Set<number>();
    if (options.validateSchema !== false) {
      for (const p of validateAgainstSchema(kind, doc)) {
        if (invalid !== 'all') {
          if (p.path.length >= 2 && p.path[0] === 'entities' && typeof p.path[1] === 'number') invalid.add(p.path[1]);
          else invalid = 'all';
        }
        // An overlay entry that extends an existing entity need not repeat its name, summary or sources: those
        // `required` errors wait until the merge says whether the entry extends (see `extending` below).
        if (!input.bundled && kind === 'entities' && p.missingProperty && EXTENSION_MAY_OMIT.has(p.missingProperty) &&
          p.path.length === 2 && p.path[0] === 'entities' && typeof p.path[1] === 'number') {
          pendingRequired.push({ doc, index: p.path[1], problem: p });
        } else {
          problems.push(stripSchemaFields(p));
        }
      }
    }
    lap('schema');
    yield;
    if (kind === 'sources') sourceFiles.push({ doc, bundled: input.bundled });
    else for (const d of convertEntityFile(doc, input.bundled, options.validateSchema === false ? 'all' : invalid)) drafts.push(d);
    lap('convert');
    yield;
  }

  forgetKeptParses();

  // 2. Source documents: paths confined to the folder of their sources.yaml, texts from the inputs.
  const sources = new Map<string, SourceDocument>();
  const externalSources = new Map<string, ExternalSource>();
  const sourceIdAt = new Map<string, Where>();
  for (const { doc } of sourceFiles) {
    const { sources: docs, external } = convertSourcesFile(doc);
    const folder = dirnameOf(doc.file);
    for (const d of docs) {
      const earlier = sourceIdAt.get(d.id);
      if (earlier) {
        report(d.idAt, 'error', 'duplicate-id', `Duplicate source id \`${d.id}\`; first defined at ${lineRef(earlier)}.`);
        continue;
      }
      sourceIdAt.set(d.id, d.idAt);
      const path = resolveInside(folder, d.file);
      if (path === undefined) {
        report(d.fileAt, 'error', 'bad-source-path', `Source file "${d.file}" must be a relative path inside the folder of sources.yaml (no "..", no absolute paths).`);
        continue;
      }
      const text = texts.get(pathKey(path));
      if (text === undefined) {
        report(d.fileAt, 'error', 'missing-source', `Source file "${d.file}" was not found next to sources.yaml.`);
      }
      const src: SourceDocument = {
        id: d.id, file: d.file, title: d.title, publisher: d.publisher, date: d.date, language: d.language,
        path, text: text ?? '', origin: originOf(d.idAt),
      };
      if (d.url !== undefined) src.url = d.url;
      sources.set(d.id, src);
    }
    for (const x of external) {
      const earlier = sourceIdAt.get(x.id);
      if (earlier) {
        report(x.idAt, 'error', 'duplicate-id', `Duplicate source id \`${x.id}\`; first defined at ${lineRef(earlier)}.`);
        continue;
      }
      sourceIdAt.set(x.id, x.idAt);
      const ext: ExternalSource = { id: x.id, title: x.title, publisher: x.publisher, date: x.date, origin: originOf(x.idAt) };
      if (x.reference !== undefined) ext.reference = x.reference;
      if (x.url !== undefined) ext.url = x.url;
      externalSources.set(x.id, ext);
    }
  }

  lap('sources');
  // 3. Entities: the bundled corpus, then overlays merged over it.
  interface Merged { entity: Entity; bundled: boolean; drafts: Draft[]; idAt: Where }
  const merged = new Map<string, Merged>();
  const order: Merged[] = [];
  const accepted: Draft[] = [];
  const extending = new Map<ParsedYaml, Set<number>>(); // overlay entries (file, index) that extend an entity
  for (let k = 0; k < drafts.length; k++) {
    if (k % DRAFTS_PER_STEP === DRAFTS_PER_STEP - 1) yield;
    const d = drafts[k]!;
    const id = d.entity.id;
    const existing = merged.get(id);
    if (!existing) {
      const m: Merged = { entity: d.entity, bundled: d.bundled, drafts: [d], idAt: d.idAt };
      merged.set(id, m);
      order.push(m);
      accepted.push(d);
      continue;
    }
    const sameFile = existing.drafts.some((x) => x.at.doc === d.at.doc);
    if (d.bundled || sameFile) {
      report(d.idAt, 'error', 'duplicate-id', `Duplicate id \`${id}\`; first defined at ${lineRef(existing.idAt)}.`);
      continue;
    }
    if (d.entity.kind !== existing.entity.kind) {
      report(child(d.at, 'kind'), 'error', 'overlay-kind-mismatch',
        `\`${id}\` is a ${existing.entity.kind} (${lineRef(existing.idAt)}); an overlay can extend it but not make it a ${d.entity.kind}. This entry is ignored.`);
      continue;
    }
    existing.entity = extend(existing.entity, d);
    existing.drafts.push(d);
    accepted.push(d);
    let inDoc = extending.get(d.at.doc);
    if (!inDoc) extending.set(d.at.doc, (inDoc = new Set()));
    if (typeof d.at.seg === 'number') inDoc.add(d.at.seg);
  }
  for (const { doc, index, problem } of pendingRequired) {
    if (!extending.get(doc)?.has(index)) problems.push(stripSchemaFields(problem));
  }
  const entities = order.map((m) => m.entity);
  const byId = new Map<string, Entity>();
  for (const e of entities) byId.set(e.id, e);

  lap('merge');
  // 4. Cross-references and citations, reported where they are written.
  const checkQuotes = options.checkQuotes !== false;
  yield;
  for (let k = 0; k < accepted.length; k++) {
    if (k % DRAFTS_PER_STEP === DRAFTS_PER_STEP - 1) yield;
    const d = accepted[k]!;
    forEachRef(d.raw, (id, field, rel) => {
      const target = byId.get(id);
      if (!target) {
        report(under(d.at, rel), 'error', 'dangling-ref', `No entity with id \`${id}\` (in \`${field}\`).`);
        return;
      }
      const want = EXPECTED_KIND[field];
      if (want && target.kind !== want) {
        report(under(d.at, rel), 'warning', 'ref-kind', `\`${field}\` should name a ${want}; \`${id}\` is a ${target.kind}.`);
      }
    });
    forEachCitation(d.raw, (c, rel) => {
      const source = c.source as string;
      const quote = c.quote as string;
      const doc = sources.get(source);
      const ext = externalSources.get(source);
      if (c.external === true) {
        if (!ext) {
          report(under(d.at, [...rel, 'source']), 'error', 'unknown-source', doc
            ? `\`${source}\` is a bundled document; quote it verbatim without \`external: true\`.`
            : `No external reference with id \`${source}\` in sources.yaml.`);
        }
        return;
      }
      if (!doc) {
        report(under(d.at, [...rel, 'source']), 'error', 'unknown-source', ext
          ? `\`${source}\` is an external reference; mark the citation \`external: true\` and give its \`reference\`.`
          : `No source with id \`${source}\` in sources.yaml.`);
        return;
      }
      if (!checkQuotes || doc.text === '') return;
      if (!findQuote(doc.text, quote)) {
        const loose = quoteMatchesLoosely(doc.text, quote);
        report(under(d.at, [...rel, 'quote']), 'error', 'quote-not-verbatim',
          `Quote not found verbatim in \`${source}\` (${doc.file})` +
          (loose ? ': it differs in case, dashes, apostrophes or letter forms; copy the source text exactly.' : '.'));
      }
    });
  }

  lap('checks');
  // 5. The alias index.
  const subjects: AliasSubject[] = order.map((m) => ({ entity: m.entity, drafts: m.drafts }));
  yield;
  const aliases: Map<string, AliasEntry> = yield* buildAliasIndex(subjects, (at) => locate(at), problems);
  lap('aliases');

  return {
    entities,
    byId,
    aliases,
    sources,
    externalSources,
    problems: sortProblems(problems, yamlInputs.map((y) => y.input.file)),
    files,
  };
}

/** Fields an overlay entry may leave out when it extends an existing entity. */
const EXTENSION_MAY_OMIT = new Set(['name', 'summary', 'sources']);

function stripSchemaFields(p: SchemaProblem): CorpusProblem {
  const { path: _path, missingProperty: _missing, ...problem } = p;
  return problem;
}

/** Which kind a reference field must name, where the model says so unambiguously. */
const EXPECTED_KIND: Record<string, Entity['kind'] | undefined> = {
  place: 'place',
  parent: 'organisation',
  organisation: 'organisation',
  agreements: 'agreement',
};

const SINGLE_FIELDS = ['name', 'summary', 'date', 'place', 'format', 'ordinal', 'parent'] as const;
const LIST_FIELDS = ['aliases', 'sources', 'roles', 'commits', ...REF_LIST_FIELDS] as const;

/** An existing entity extended by an overlay entry (see the rule at the top). Returns a new object. */
function extend(base: Entity, d: Draft): Entity {
  const add = d.entity;
  // Known fields only, never a spread of a parsed object.
  const out = { id: base.id, kind: base.kind, name: base.name, aliases: base.aliases, summary: base.summary, sources: base.sources, origin: base.origin } as Entity;
  for (const f of [...SINGLE_FIELDS, ...LIST_FIELDS]) {
    if (base[f] !== undefined) (out as unknown as Record<string, unknown>)[f] = base[f];
  }
  for (const f of SINGLE_FIELDS) {
    if (gives(d, f) && add[f] !== undefined) (out as unknown as Record<string, unknown>)[f] = add[f];
  }
  for (const f of LIST_FIELDS) {
    const extra = add[f] as unknown[] | undefined;
    if (!extra || extra.length === 0) continue;
    const prev = (base[f] as unknown[] | undefined) ?? [];
    (out as unknown as Record<string, unknown>)[f] = [...prev, ...extra];
  }
  return out;
}

function sortProblems(problems: CorpusProblem[], fileOrder: string[]): CorpusProblem[] {
  const rank = new Map<string, number>();
  fileOrder.forEach((f, i) => { if (!rank.has(f)) rank.set(f, i); });
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (rank.get(a.p.file) ?? 1e9) - (rank.get(b.p.file) ?? 1e9) ||
      (a.p.file < b.p.file ? -1 : a.p.file > b.p.file ? 1 : 0) ||
      a.p.line - b.p.line || a.p.column - b.p.column || a.i - b.i)
    .map((x) => x.p);
}

/** A problem's range, or line 0 when it has none: for printing and for diagnostics. */
export function problemRange(p: CorpusProblem): Range {
  return p.endLine === undefined ? { ...ZERO_RANGE, line: p.line, column: p.column, endLine: p.line, endColumn: p.column }
    : { line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn ?? p.column };
}
