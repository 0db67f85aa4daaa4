// Types of the generated schemaValidators.js (ajv standalone code for corpus/schema.json; see
// scripts/schemaValidators.mjs). Each validator behaves as an ajv ValidateFunction compiled with allErrors and
// verbose: after a failed call, `errors` holds ErrorObjects with parentSchema.
import type { ValidateFunction } from 'ajv';

/** `$defs/entityFile`: corpus/*.yaml and workspace overlays. */
export declare const entities: ValidateFunction;
/** `$defs/sourcesFile`: corpus/sources/sources.yaml. */
export declare const sources: ValidateFunction;
