// Validation of a parsed corpus file against corpus/schema.json (JSON Schema 2020-12), with each error put at the
// YAML node it concerns. The validators are ajv's standalone code, generated at build time from the schema
// (scripts/schemaValidators.mjs): compiling the schema at startup took ~175 ms and bundled ajv's compiler.
import type { ErrorObject } from 'ajv';
import type { CorpusProblem } from '../types';
import { entities, sources } from './generated/schemaValidators';
import { problemAt, type ParsedYaml, type Path } from './yamlDoc';
import { ZERO_RANGE } from './positions';

export type FileKind = 'entities' | 'sources';

const validators = { entities, sources };

/** A schema problem, with the data path and the missing field of a `required` error (overlays may omit some). */
export interface SchemaProblem extends CorpusProblem {
  path: readonly (string | number)[];
  missingProperty?: string;
}

/** Schema problems of one parsed file. A validator that throws yields one problem, never an exception. */
export function validateAgainstSchema(kind: FileKind, parsed: ParsedYaml): SchemaProblem[] {
  const validate = validators[kind];
  let ok: boolean;
  try {
    ok = validate(parsed.value) as boolean;
  } catch (e) {
    return [{ ...problemAt(parsed.file, ZERO_RANGE, 'error', 'schema-unavailable', `Schema validation failed: ${String(e)}`), path: [] }];
  }
  if (ok) return [];
  return relevantErrors(validate.errors ?? []).map((err) => schemaProblem(parsed, err));
}

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath.slice(1).split('/').map((seg) => {
    const s = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^(0|[1-9]\d*)$/.test(s) ? Number(s) : s;
  });
}

/**
 * Keep the errors that say what is wrong. A value failing `oneOf` (an alias: text or object) fails every branch;
 * report the branch whose shape it has, not "must be string" and "must match exactly one schema" as well.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const isUnder = (child: string, parent: string) => child === parent || child.startsWith(parent + '/');
  const combinator = new Set(['oneOf', 'anyOf', 'if']);
  const out: ErrorObject[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (combinator.has(e.keyword)) {
      if (errors.some((o) => !combinator.has(o.keyword) && isUnder(o.instancePath, e.instancePath) && o.schemaPath.startsWith(e.schemaPath.replace(/\/(oneOf|anyOf|if)$/, '')))) continue;
    }
    if (e.keyword === 'type' && /\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath)) {
      const branchRoot = e.schemaPath.replace(/\/(oneOf|anyOf)\/\d+\/.*$/, '');
      if (errors.some((o) => o !== e && o.keyword !== 'type' && !combinator.has(o.keyword) &&
        isUnder(o.instancePath, e.instancePath) && o.schemaPath.startsWith(branchRoot))) continue;
    }
    const key = `${e.instancePath}\u0000${e.keyword}\u0000${e.message}\u0000${JSON.stringify(e.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

function fieldName(path: Path): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg === 'string') {
      const index = path.slice(i + 1).filter((s) => typeof s === 'number');
      return index.length ? `${seg}[${index.join('][')}]` : seg;
    }
  }
  return 'document';
}

function schemaProblem(parsed: ParsedYaml, e: ErrorObject): SchemaProblem {
  const path = pathOf(e.instancePath);
  const field = fieldName(path);
  const params = e.params as Record<string, unknown>;
  const description = (e.parentSchema as { description?: string } | undefined)?.description;
  let at = parsed.locate(path);
  let message: string;
  switch (e.keyword) {
    case 'required':
      message = `${field === 'document' ? 'The file' : `\`${field}\``} is missing the required field \`${String(params.missingProperty)}\`.`;
      break;
    case 'additionalProperties':
      at = parsed.locate([...path, String(params.additionalProperty)], 'key');
      message = `Unknown field \`${String(params.additionalProperty)}\`${field === 'document' ? '' : ` in \`${field}\``}.`;
      break;
    case 'false schema':
      at = parsed.locate(path, 'key');
      message = `Field \`${field}\` does not apply to this kind of entity.`;
      break;
    case 'enum':
      message = `\`${field}\` must be one of: ${((params.allowedValues as unknown[]) ?? []).map(String).join(', ')}.`;
      break;
    case 'pattern':
      message = `\`${field}\` ${description ? `is not valid: ${description}` : `${e.message ?? 'does not match its pattern'}.`}`;
      break;
    case 'dependentRequired':
      message = `\`${field}\` has \`${String(params.property)}\` without \`${String(params.missingProperty)}\`.`;
      break;
    default:
      message = `\`${field}\` ${e.message ?? 'is not valid'}.`;
  }
  const problem: SchemaProblem = { ...problemAt(parsed.file, at, 'error', 'schema', message), path };
  if (e.keyword === 'required') problem.missingProperty = String(params.missingProperty);
  return problem;
}
