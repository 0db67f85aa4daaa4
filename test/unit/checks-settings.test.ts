// Settings merge and `.jpmg/settings.json` parsing (shared by the editor and `jpmg check`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSettingsFile, mergeSettings, resolveSettings } from '../../server/src/core/settings';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';

test('nested, dotted and bare keys all set the same settings', () => {
  for (const text of [
    '{"jpmg": {"rules": {"wrong-title": "error"}, "ignoreWords": ["Cholet"]}}',
    '{"jpmg.rules": {"wrong-title": "error"}, "jpmg.ignoreWords": ["Cholet"]}',
    '{"rules": {"wrong-title": "error"}, "ignoreWords": ["Cholet"]}',
    '{"jpmg.rules.wrong-title": "error", "ignoreWords": ["Cholet"]}',
  ]) {
    const { values, problems } = parseSettingsFile(text);
    assert.deepEqual(problems, [], text);
    assert.deepEqual({ ...values.rules }, { 'wrong-title': 'error' }, text);
    assert.deepEqual(values.ignoreWords, ['Cholet'], text);
  }
});

test('comments, trailing commas and a BOM are accepted', () => {
  const { values, problems } = parseSettingsFile('\ufeff{\n  // house style\n  "jpmg.mentions.plainText": false, /* off */\n  "jpmg.hover.enabled": false,\n}\n');
  assert.deepEqual(problems, []);
  assert.deepEqual(values.mentions, { plainText: false });
  assert.deepEqual(values.hover, { enabled: false });
});

test('a syntax error is reported at its line and column; nothing is applied', () => {
  const { values, problems } = parseSettingsFile('{\n  "jpmg.rules": {\n    "wrong-title" "off"\n  }\n}');
  assert.equal(problems.length, 1);
  assert.deepEqual([problems[0]!.line, problems[0]!.column], [2, 18]);
  assert.deepEqual(values, {});
});

test('wrong types and unknown severities are reported where they are; the valid parts still apply', () => {
  const text = '{\n  "jpmg.rules": {"wrong-title": "loud", "near-miss-name": "off"},\n  "jpmg.ignoreWords": "Cholet",\n  "jpmg.colour": 1\n}';
  const { values, problems } = parseSettingsFile(text);
  assert.deepEqual({ ...values.rules }, { 'near-miss-name': 'off' });
  assert.deepEqual(problems.map((p) => [p.line, p.column]), [[1, 32], [2, 22], [3, 2]]);
  assert.match(problems[2]!.message, /unknown setting "jpmg.colour"/);
});

test('merge order: defaults < editor < workspace file; rules key by key; ignoreWords united', () => {
  const merged = mergeSettings(
    DEFAULT_SETTINGS,
    { rules: { 'wrong-title': 'hint', 'preferred-term': 'off' }, ignoreWords: ['A'], mentions: { plainText: false } },
    { rules: { 'wrong-title': 'error' }, ignoreWords: ['B', 'A'] },
  );
  assert.deepEqual(merged.rules, { 'wrong-title': 'error', 'preferred-term': 'off' });
  assert.deepEqual(merged.ignoreWords, ['A', 'B']);
  assert.equal(merged.mentions.plainText, false);
  assert.deepEqual(DEFAULT_SETTINGS.rules, {}, 'defaults are not mutated');
});

test('resolveSettings: no file gives the editor settings over defaults; problems are passed on', () => {
  assert.deepEqual(resolveSettings({ editor: { hover: { enabled: false } } }).settings.hover, { enabled: false });
  const r = resolveSettings({ fileText: '{"jpmg.rules": 3}' });
  assert.equal(r.problems.length, 1);
  assert.deepEqual(r.settings, DEFAULT_SETTINGS);
  assert.deepEqual(resolveSettings({ fileText: '' }).problems, []);
});

test('hostile input: deep nesting and unterminated strings give problems, never a throw', () => {
  assert.equal(parseSettingsFile('['.repeat(10000)).problems.length, 1);
  assert.equal(parseSettingsFile('{"a": "b').problems.length, 1);
  assert.equal(parseSettingsFile('{"__proto__": {"polluted": true}}').problems.length, 1);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
