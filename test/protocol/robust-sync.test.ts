// Incremental sync equals a reference model: random edit sequences are applied to the server (incremental
// didChange) and to a plain string; after every step the server's semantic tokens — which reveal where every
// mention is — must equal the tokens an in-process analysis of the reference string gives. A second property
// interleaves requests with changes without waiting: each answer must match one whole version of the text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startServer, withTimeout, type TestServer } from '../fixtures/hostile/lspClient';
import { brief, editSpec, resolveEdit, applyEdit, splitsSurrogate, offsetAt } from '../fixtures/hostile/textModel';
import { loadBundledCorpus } from '../../server/src/node/corpusFiles';
import { analyzeDocument } from '../../server/src/core/analysis/analyze';
import { provideSemanticTokens } from '../../server/src/core/features/semanticTokens';
import type { Corpus } from '../../server/src/core/types';

const RUNS = Number(process.env.JPMG_PROPERTY_RUNS ?? 40);
let server: TestServer;
let corpus: Corpus;
let docCounter = 0;
let nonEmpty = 0;
let steps = 0;

before(async () => {
  corpus = loadBundledCorpus();
  server = await startServer();
});
after(async () => {
  await server?.stop();
  console.log(`robust-sync: ${steps} edit steps compared, ${nonEmpty} with mentions`);
});

function expectedTokens(text: string): number[] {
  return provideSemanticTokens(analyzeDocument(text, 1, corpus), corpus).data;
}

async function serverTokens(uri: string): Promise<number[]> {
  const r = await withTimeout(server.conn.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } }), 20_000, 'semantic tokens');
  return (r as { data: number[] }).data;
}

/** Token start/end offsets in the text, to check none splits a surrogate pair. */
function tokenOffsets(text: string, data: number[]): number[] {
  const out: number[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i]!;
    char = data[i]! === 0 ? char + data[i + 1]! : data[i + 1]!;
    const start = offsetAt(text, { line, character: char });
    out.push(start, start + data[i + 2]!);
  }
  return out;
}

test('random incremental edits: the server text equals the reference string after every step', async () => {
  await fc.assert(
    fc.asyncProperty(brief, fc.array(fc.array(editSpec, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 10 }), async (initial, batches) => {
      const uri = `file:///robust-sync/doc-${++docCounter}.md`;
      let reference = initial;
      let version = 1;
      await server.open(uri, reference, 'markdown', version);
      try {
        assert.deepEqual(await serverTokens(uri), expectedTokens(reference), 'after open');
        for (const batch of batches) {
          // Several changes in one notification apply in order, each to the text the previous one left.
          const changes = [];
          for (const spec of batch) {
            const e = resolveEdit(reference, spec);
            changes.push({ range: e.range, text: e.newText });
            reference = applyEdit(reference, e);
          }
          await server.change(uri, ++version, changes);
          const got = await serverTokens(uri);
          const want = expectedTokens(reference);
          steps++;
          if (want.length > 0) nonEmpty++;
          assert.deepEqual(got, want, `after edit ${version - 1} of ${JSON.stringify(reference).slice(0, 200)}`);
          for (const o of tokenOffsets(reference, got)) assert.ok(!splitsSurrogate(reference, o), `token boundary ${o} splits a surrogate pair`);
        }
      } finally {
        await server.close(uri);
      }
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: 90_000 },
  );
  assert.ok(nonEmpty > 0, 'some steps had mentions to compare (the property is not vacuous)');
});

test('requests interleaved with changes each see one whole version of the text', async () => {
  await fc.assert(
    fc.asyncProperty(brief, fc.array(fc.oneof(fc.constant<'request'>('request'), editSpec), { minLength: 2, maxLength: 14 }), async (initial, ops) => {
      const uri = `file:///robust-sync/interleave-${++docCounter}.md`;
      const versions = [initial];
      let version = 1;
      await server.open(uri, initial, 'markdown', version);
      const pending: { sentAt: number; result: Promise<number[]> }[] = [];
      try {
        for (const op of ops) {
          if (op === 'request') {
            pending.push({ sentAt: versions.length - 1, result: serverTokens(uri) });
          } else {
            const current = versions[versions.length - 1]!;
            const e = resolveEdit(current, op);
            versions.push(applyEdit(current, e));
            void server.change(uri, ++version, [{ range: e.range, text: e.newText }]);
          }
        }
        for (const p of pending) {
          const got = await p.result;
          // The answer must be the tokens of a version the document had at or after the request was sent.
          const candidates = versions.slice(p.sentAt).map(expectedTokens);
          assert.ok(candidates.some((c) => JSON.stringify(c) === JSON.stringify(got)),
            `request sent at version ${p.sentAt + 1} got tokens of no single version`);
        }
      } finally {
        await server.close(uri);
      }
    }),
    { numRuns: Math.max(10, Math.floor(RUNS / 2)), interruptAfterTimeLimit: 60_000 },
  );
});
