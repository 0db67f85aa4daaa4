// Work in steps (core/steps.ts): the stepwise forms of the corpus load and of the per-corpus indexes give exactly
// what their one-go forms give, they really do yield (a server rebuilding a large corpus answers between steps),
// and WorkspaceCorpus keeps answering from the previous corpus while a rebuild runs in slices.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { Lazy, runToEnd, sortedStrings, type Steps } from '../../server/src/core/steps';
import { loadCorpus, loadCorpusSteps, type CorpusInput } from '../../server/src/core/corpus/index';
import { sortedAliasKeys, sortedAliasKeySteps } from '../../server/src/core/corpus/aliases';
import { bundledCorpusDir, readCorpusDir } from '../../server/src/node/corpusFiles';
import { WorkspaceCorpus } from '../../server/src/node/overlayFiles';
import { buildMatcher, getMatcherSteps } from '../../server/src/core/analysis/matcher';
import { analyzeDocument } from '../../server/src/core/analysis/analyze';
import { nearMissIndexes, nearMissIndexSteps } from '../../server/src/core/checks/nearMissIndex';
import { SearchIndex } from '../../server/src/core/features/corpusView';
import { scanMarkdown } from '../../server/src/core/analysis/markdown';
import type { Corpus } from '../../server/src/core/types';

/** Run steps to the end, counting them. */
function count<T>(steps: Steps<T>): { value: T; steps: number } {
  let n = 0;
  for (;;) {
    const r = steps.next();
    n++;
    if (r.done) return { value: r.value, steps: n };
  }
}

const temps: string[] = [];
after(() => { for (const t of temps) fs.rmSync(t, { recursive: true, force: true }); });

/** A generated overlay of `n` people and organisations (enough for the steps to yield many times). */
function overlayText(n: number, prefix = 'gen'): string {
  const lines = ['entities:'];
  for (let i = 0; i < n; i++) {
    const org = i % 5 === 0;
    lines.push(`  - id: ${prefix}-${i}`, `    kind: ${org ? 'organisation' : 'person'}`,
      `    name: "${org ? 'Office of' : 'Person'} ${prefix} ${i} Kal${(i * 7919) % 1000}"`,
      ...(org ? [`    aliases: [{text: "OF${prefix.toUpperCase()}${i}", acronym: true}]`] : []),
      `    summary: "Generated ${i}."`,
      '    sources: [{source: seed-001, quote: "Joint Political-Military Group"}]');
  }
  return lines.join('\n') + '\n';
}

function bundledInputs(): CorpusInput[] {
  return readCorpusDir(bundledCorpusDir()!, { bundled: true }).inputs;
}

test('sortedStrings gives the default sort order, for any strings and run length', () => {
  fc.assert(fc.property(
    fc.array(fc.string({ unit: fc.oneof(fc.constantFrom('a', 'b', 'ab', ' ', 'é', '\u05d0', '\ud83d\ude00', '\ud800'), fc.string({ unit: 'binary' })) }), { maxLength: 200 }),
    fc.integer({ min: 1, max: 40 }),
    (items, runLength) => {
      const steps = sortedStrings(items, runLength);
      assert.deepEqual(runToEnd(steps), [...items].sort());
    },
  ), { numRuns: 300 });
  // Many runs: the merge yields between pieces.
  const many = Array.from({ length: 70_000 }, (_, i) => `k${(i * 7919) % 70_000}`);
  const { value, steps } = count(sortedStrings(many, 1000));
  assert.deepEqual(value, [...many].sort());
  assert.ok(steps > 70, `yields between runs and while merging (${steps} steps)`);
});

test('Lazy: built once; a caller who needs it now finishes a build in steps under way instead of starting another', () => {
  let builds = 0;
  let nows = 0;
  const lazy = new Lazy(function* () {
    builds++;
    for (let i = 0; i < 5; i++) yield;
    return { made: builds };
  }, () => ({ made: -(++nows) }));
  const stepping = lazy.steps();
  stepping.next();
  stepping.next();
  const now = lazy.get(); // mid-build: finishes it
  assert.deepEqual(now, { made: 1 });
  assert.equal(builds, 1);
  assert.equal(nows, 0, 'not the "at once" builder while a build in steps is under way');
  let r = stepping.next();
  while (!r.done) r = stepping.next();
  assert.equal(r.value, now, 'the stepping caller gets the same value');
  assert.equal(lazy.get(), now);
  assert.equal(runToEnd(lazy.steps()), now);

  // Nothing under way: the faster builder.
  const fresh = new Lazy(function* () { yield; return 'steps'; }, () => 'at once');
  assert.equal(fresh.get(), 'at once');

  // A failed build is tried again by the next caller.
  let attempts = 0;
  const flaky = new Lazy(function* () {
    attempts++;
    yield;
    if (attempts === 1) throw new Error('boom');
    return 'ok';
  });
  assert.throws(() => flaky.get(), /boom/);
  assert.equal(flaky.get(), 'ok');
  assert.equal(attempts, 2);
});

test('loadCorpusSteps: the same corpus as loadCorpus, over many steps (one or more per file and per few thousand entities)', () => {
  const inputs = [...bundledInputs(), { file: '/ws/.jpmg/gen.yaml', text: overlayText(6000), bundled: false }];
  const whole = loadCorpus(inputs);
  const { value: stepped, steps } = count(loadCorpusSteps(inputs));
  assert.equal(stepped.entities.length, whole.entities.length);
  assert.deepEqual(stepped.entities, whole.entities);
  assert.deepEqual([...stepped.aliases.entries()], [...whole.aliases.entries()]);
  assert.deepEqual(stepped.problems, whole.problems);
  assert.ok(steps >= 10, `${steps} steps`);
  // Bad input in steps too: problems, never a throw.
  const broken = runToEnd(loadCorpusSteps([{ file: '/ws/.jpmg/bad.yaml', text: 'entities: [unclosed\n', bundled: false }]));
  assert.ok(broken.problems.some((p) => p.file === '/ws/.jpmg/bad.yaml' && p.severity === 'error'));
});

test('the per-corpus indexes built in steps answer as those built at once', () => {
  const inputs = [...bundledInputs(), { file: '/ws/.jpmg/gen.yaml', text: overlayText(3000), bundled: false }];
  const a = loadCorpus(inputs);
  const b = loadCorpus(inputs); // a second, equal corpus: its indexes are built in steps
  assert.deepEqual(runToEnd(sortedAliasKeySteps(b)), sortedAliasKeys(a));

  const text = '# Brief\n\nAmir Eshel met Person gen 12 Kal28 and the OFGEN10 at CENTCOM; [[gen-15]] and Persn gen 12 Kal28.\n';
  const matcher = count(getMatcherSteps(b));
  assert.ok(matcher.steps > 3, `${matcher.steps} steps`);
  const plain = buildMatcher(a.aliases.values());
  const segments = scanMarkdown(text).segments;
  assert.deepEqual(matcher.value.find(text, segments), plain.find(text, segments));
  assert.deepEqual(analyzeDocument(text, 1, b).mentions, analyzeDocument(text, 1, a).mentions);

  const near = runToEnd(nearMissIndexSteps(b, true));
  for (const q of ['persn gen 12 kal28', 'amir eshl', 'gen-1x']) {
    assert.deepEqual(near.names.lookup(q, 2), nearMissIndexes(a).names.lookup(q, 2), q);
    assert.deepEqual(near.targets.lookup(q, 2), nearMissIndexes(a).targets.lookup(q, 2), q);
  }

  const search = runToEnd(SearchIndex.build(b));
  const once = new SearchIndex(a);
  for (const q of ['', 'p', 'person gen 1', 'of', 'eshel', 'kal2']) {
    const names = (x: SearchIndex) => x.query(q, 50).hits.map((h) => [h.entity.id, h.tier, h.matched]);
    assert.deepEqual(names(search), names(once), q);
  }
});

test('WorkspaceCorpus.step: the previous corpus answers while a rebuild runs in slices; a newer change restarts it', () => {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-steps-')));
  temps.push(ws);
  const file = path.join(ws, '.jpmg', 'gen.yaml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, overlayText(4000));
  const prepared: Corpus[] = [];
  const wc = new WorkspaceCorpus({
    bundledInputs: bundledInputs(), loadSteps: (inputs) => loadCorpusSteps(inputs), trusted: true,
    *prepare(corpus) {
      yield;
      prepared.push(corpus);
    },
  });
  wc.setFolders([ws]);
  const first = wc.corpus(); // at once: nothing was in force yet
  assert.ok(first.byId.has('gen-3999'));
  while (wc.step(1) !== 'idle') { /* its indexes */ }
  assert.deepEqual(prepared, [first]);
  assert.equal(wc.stale, false);

  fs.writeFileSync(file, overlayText(4001));
  wc.fileChanged(file, 'changed');
  assert.equal(wc.stale, true);
  assert.equal(wc.inForce(), first, 'the previous corpus answers until the new one is ready');
  assert.equal(wc.step(0), 'working', 'one slice: at least one step, not the whole rebuild');
  assert.equal(wc.inForce(), first);

  // A newer change drops the rebuild under way: the corpus that goes into force is the newest files'.
  fs.writeFileSync(file, overlayText(4002));
  wc.fileChanged(file, 'changed');
  let outcome: string;
  let slices = 0;
  do {
    outcome = wc.step(2);
    slices++;
    if (outcome !== 'swapped') assert.equal(wc.inForce(), first);
  } while (outcome !== 'swapped');
  assert.ok(slices > 3, `${slices} slices`);
  const next = wc.inForce();
  assert.ok(next.byId.has('gen-4001') && !next.byId.has('gen-4002'));
  assert.equal(prepared[prepared.length - 1], next, 'prepared before it went into force');
  assert.equal(wc.step(5), 'idle');

  // corpus() does not wait for slices: it finishes a rebuild under way at once.
  fs.writeFileSync(file, overlayText(10));
  wc.fileChanged(file, 'changed');
  wc.step(0);
  const now = wc.corpus();
  assert.ok(now.byId.has('gen-9') && !now.byId.has('gen-10'));
  assert.equal(wc.inForce(), now);
});

test('WorkspaceCorpus.inForce at start: the bundled corpus answers until the workspace files are loaded in slices', () => {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-steps-')));
  temps.push(ws);
  fs.mkdirSync(path.join(ws, '.jpmg'));
  fs.writeFileSync(path.join(ws, '.jpmg', 'gen.yaml'), overlayText(2000));
  const wc = new WorkspaceCorpus({ bundledInputs: bundledInputs(), loadSteps: (inputs) => loadCorpusSteps(inputs), trusted: true });
  wc.setFolders([ws]);
  const first = wc.inForce();
  assert.ok(first.byId.has('amir-eshel') && !first.byId.has('gen-0'), 'the bundled corpus');
  assert.equal(wc.overlayFileCountInForce(), 0);
  assert.equal(wc.overlayFileCount(), 1);
  assert.equal(wc.stale, true);
  while (wc.step(1) !== 'swapped') assert.equal(wc.inForce(), first);
  assert.ok(wc.inForce().byId.has('gen-1999'));
  assert.equal(wc.overlayFileCountInForce(), 1);

  // Without workspace corpus files there is nothing to wait for: the corpus in force is final at once.
  const empty = new WorkspaceCorpus({ bundledInputs: bundledInputs(), loadSteps: (inputs) => loadCorpusSteps(inputs), trusted: true });
  const bare = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-steps-')));
  temps.push(bare);
  empty.setFolders([bare]);
  empty.inForce();
  assert.equal(empty.stale, false);
});

test('WorkspaceCorpus.step: a loader that throws gives a corpus with the problem, never a throw; a preparation that throws leaves the corpus sound', () => {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jpmg-steps-')));
  temps.push(ws);
  fs.mkdirSync(path.join(ws, '.jpmg'));
  fs.writeFileSync(path.join(ws, '.jpmg', 'gen.yaml'), overlayText(5));
  const logs: string[] = [];
  const failing = new WorkspaceCorpus({
    bundledInputs: bundledInputs(), trusted: true, log: (m) => logs.push(m),
    *loadSteps(inputs) {
      yield;
      if (inputs.some((i) => !i.bundled)) throw new Error('disk on fire');
      return runToEnd(loadCorpusSteps(inputs));
    },
    *prepare() {
      yield;
      throw new Error('index on fire');
    },
  });
  failing.setFolders([ws]);
  const first = failing.inForce(); // the bundled corpus
  let outcome: string;
  do outcome = failing.step(5);
  while (outcome !== 'swapped');
  const broken = failing.inForce();
  assert.notEqual(broken, first);
  assert.ok(broken.problems.some((p) => p.code === 'internal-error' && /disk on fire/.test(p.message)));
  while (failing.step(5) !== 'idle') { /* done */ }
  assert.ok(logs.some((m) => /index on fire/.test(m)), 'the failed preparation is logged');
});
