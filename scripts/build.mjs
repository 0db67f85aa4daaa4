// One esbuild script bundles the client, the server and the CLI (types are checked by `tsc --noEmit`).
import { build } from 'esbuild';
import { writeSchemaValidators } from './schemaValidators.mjs';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify: !process.argv.includes('--no-minify'),
  logLevel: 'warning',
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

// Before bundling: the corpus schema's validators, precompiled (the server bundles them instead of ajv's compiler).
if (writeSchemaValidators()) console.log('regenerated server/src/core/corpus/generated/schemaValidators.js from corpus/schema.json');
await Promise.all(entries.map((e) => build({ ...common, ...e })));
if (watch) console.log('watch mode is not supported; rerun npm run build');
