// The labelled drafts and the five source documents: the seeds raise only the real "JMPG" misspelling at warning
// level, and precision and recall per rule stay at or above the thresholds (scripts/measure-checks.ts prints them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureChecks, parseMarkers } from '../../scripts/measure-checks';

const { documents, rules } = measureChecks();

test('the five source documents read as briefs raise only the "JMPG" headline at warning level or above', () => {
  const seeds = documents.filter((d) => d.file.startsWith('seeds/'));
  assert.equal(seeds.length, 5);
  const serious = seeds.flatMap((d) =>
    d.findings
      .filter((f) => f.severity === 'warning' || f.severity === 'error')
      .map((f) => `${d.file}:${d.text.slice(0, f.start).split('\n').length}:${f.code}:${d.text.slice(f.start, f.end)}`),
  );
  assert.deepEqual(serious, ['seeds/000_1409a45872150403.txt:1:near-miss-name:JMPG']);
});

test('the Persian source document raises nothing at all', () => {
  const persian = documents.find((d) => d.file === 'seeds/004_229dc6423044a522.txt')!;
  assert.deepEqual(persian.findings.map((f) => f.code), []);
});

test('the labelled set is large enough to mean something: 30+ drafts, every rule planted', () => {
  assert.ok(documents.filter((d) => d.file.startsWith('drafts/')).length >= 30);
  for (const r of rules) assert.ok(r.expected >= 3, `${r.code} has only ${r.expected} planted errors`);
});

for (const threshold of [{ precision: 0.9, recall: 0.9 }]) {
  test(`precision ≥ ${threshold.precision} and recall ≥ ${threshold.recall} for every rule`, () => {
    const below = rules.filter((r) => r.precision < threshold.precision || r.recall < threshold.recall);
    const details = documents.flatMap((d) => [
      ...d.falsePositives.map((f) => `FP ${d.file} ${f.code} “${d.text.slice(f.start, f.end)}”`),
      ...d.missed.map((e) => `FN ${d.file}:${e.line + 1} ${e.code} ${e.text ?? ''}`),
    ]);
    assert.deepEqual(below.map((r) => `${r.code} p=${r.precision.toFixed(2)} r=${r.recall.toFixed(2)}`), [], details.join('\n'));
  });
}

test('markers attach to the next non-marker line and may stack', () => {
  const text = 'a\n<!-- expect: wrong-title "Secretary" -->\n<!-- expect: near-miss-name -->\nSecretary JMPG\n';
  assert.deepEqual(parseMarkers(text), [
    { line: 3, code: 'wrong-title', text: 'Secretary' },
    { line: 3, code: 'near-miss-name' },
  ]);
});
