// The checks stay linear on big briefs. Shown without timing: the work a run does — characters read
// (charCodeAt/codePointAt), characters copied (slice, substring, toLowerCase…) and characters a regular expression
// scans (from its lastIndex to the end of its match), counted through the String and RegExp prototypes — grows at
// most ~4.5× when the brief grows 4×. A search backwards from every mention, a regular expression over the rest of
// the document per word or a copy of every sentence per mention would grow ~16×. Plus a hang guard on a hostile
// 10 MB brief.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { testCorpus } from './checks-support';
import { analyzeDocument } from '../../server/src/core/analysis/analyze';
import { runChecks } from '../../server/src/core/checks/index';
import { workCounter } from '../../server/src/core/checks/context';
import type { DocumentAnalysis } from '../../server/src/core/analysis/types';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** Runs `fn` with the String and RegExp prototypes instrumented; returns the work counted. */
function countWork(fn: () => void): number {
  let work = 0;
  const proto = String.prototype as unknown as Record<string, Method>;
  const saved: [Record<string, Method>, string, Method][] = [];
  const wrap = (target: Record<string, Method>, name: string, cost: (self: unknown, args: unknown[], result: unknown) => number) => {
    const original = target[name]!;
    saved.push([target, name, original]);
    target[name] = function (this: unknown, ...args: unknown[]) {
      const result = original.apply(this, args);
      work += cost(this, args, result);
      return result;
    };
  };
  for (const name of ['charCodeAt', 'codePointAt', 'at']) wrap(proto, name, () => 1);
  for (const name of ['slice', 'substring', 'substr', 'toLowerCase', 'toUpperCase', 'trim', 'trimEnd', 'trimStart', 'normalize', 'repeat', 'padStart', 'padEnd']) {
    wrap(proto, name, (_self, _args, result) => 1 + (typeof result === 'string' ? result.length : 0));
  }
  // Searches: from their start position to what they found (or the end).
  for (const name of ['includes', 'indexOf']) {
    wrap(proto, name, (self, args, result) => {
      const from = Number(args[1] ?? 0) || 0;
      return 1 + (typeof result === 'number' && result >= 0 ? result : String(self).length) - from;
    });
  }
  wrap(proto, 'lastIndexOf', (self, args, result) => {
    const from = args[1] === undefined ? String(self).length : Number(args[1]);
    return 1 + from - Math.max(0, Number(result));
  });
  for (const name of ['startsWith', 'endsWith']) wrap(proto, name, (_self, args) => 1 + String(args[0]).length);
  const regexpProto = RegExp.prototype as unknown as Record<string, Method>;
  const exec = regexpProto.exec!;
  saved.push([regexpProto, 'exec', exec]);
  // Every regular-expression operation (test, match, replace, split, matchAll…) goes through exec once it is replaced.
  regexpProto.exec = function (this: unknown, input: unknown) {
    const re = this as RegExp;
    const text = String(input);
    const from = re.global || re.sticky ? re.lastIndex : 0;
    const m = exec.call(re, text) as RegExpExecArray | null;
    work += 1 + (m ? m.index + m[0].length - from : text.length - from);
    return m;
  };
  try {
    fn();
  } finally {
    for (const [target, name, original] of saved.reverse()) target[name] = original;
  }
  return work;
}

// One paragraph touching every rule: near-misses, titles, dates, ordinals, acronyms, preferred terms, wikilinks,
// suppressions, code, links, a quote and a list.
const PARAGRAPH = [
  '## Readout of the 48th JPMG, 25 October 2022',
  '',
  'Secretary Chollet met the JMPG delegation; the 47th JPMG in October 2022 was founded in 1984. Cholet and Amir Eshal,',
  'Director General Eshel and Prime Minister Gantz discussed the QME, FMF and the 2016 MOU (signed in 2015) in Judea and Samaria.',
  'See [[jpmg]], [[jmpg]], [[derek-cholet|Cholet]], https://www.state.gov/briefs/2022 and `Secretary Chollet` code; U.S. officials (the',
  'then-Secretary Esper, e.g. Mr. Weinburger) met in Washington in 2021. In 1984, the JPMG was established.',
  '<!-- jpmg-disable-next-line near-miss-name -->',
  '> Isreal, Iran and the United States: 1st, 2nd and 3rd rounds, 1983–1985.',
  '- Joint Political-Military Group (JPMG), founded in 1983',
  '',
].join('\n');

// One sentence that never ends: a rule that reads the whole sentence for each mention in it would be quadratic.
const ENDLESS = 'the JPMG, founded in 1984, met Secretary Chollet and Cholet on 25 October 2022 with the 47th JPMG; ';

// One chunk without a space: words, capitals, dots and an at sign (an "address" the tokeniser skips whole).
const CHUNK = 'Xyz.Cholet@JMPG-Chollet’s.';

function analyse(text: string): DocumentAnalysis {
  return analyzeDocument(text, 1, testCorpus);
}

function workFor(text: string): { work: number; units: number; findings: number } {
  const analysis = analyse(text);
  let findings = 0;
  const before = workCounter.units;
  const work = countWork(() => {
    findings = runChecks(analysis, testCorpus, DEFAULT_SETTINGS).length;
  });
  return { work, units: workCounter.units - before, findings };
}

function assertLinear(unit: string, n: number, expectFindings: boolean): void {
  runChecks(analyse(unit.repeat(n)), testCorpus, DEFAULT_SETTINGS); // per-corpus indexes and caches, built once
  const small = workFor(unit.repeat(n));
  const large = workFor(unit.repeat(4 * n));
  const ratio = large.work / small.work;
  assert.ok(ratio <= 4.5, `work grew ${ratio.toFixed(2)}× for 4× the text (${small.work} → ${large.work})`);
  assert.ok(large.units <= 4.5 * small.units, `scanned ${small.units} → ${large.units} characters`);
  assert.ok(small.work > unit.length * n, 'the probe counts the work done');
  if (expectFindings) assert.ok(large.findings >= 3 * small.findings && small.findings > 0, `findings ${small.findings} → ${large.findings}`);
}

describe('the checks are linear in the size of the brief', () => {
  test('paragraphs: 4× the paragraphs cost at most ~4.5× the work', () => {
    assertLinear(PARAGRAPH, 60, true);
  });
  test('one endless sentence full of mentions, dates and ordinals', () => {
    assertLinear(ENDLESS, 300, true);
  });
  test('one chunk without spaces', () => {
    assertLinear(CHUNK, 2000, false);
  });
  test('the probe would see quadratic work (a backwards search from every mention)', () => {
    const quadratic = (text: string) => countWork(() => {
      for (const m of analyse(text).mentions) text.slice(0, m.start).lastIndexOf('\n');
    });
    const ratio = quadratic(PARAGRAPH.repeat(240)) / quadratic(PARAGRAPH.repeat(60));
    assert.ok(ratio > 10, `ratio ${ratio}`);
  });
});

describe('hostile input (hang guard)', () => {
  test('a 10 MB brief of 100k capitalised words, numbers, ordinals, brackets, wikilinks and comments finishes within 20 s', () => {
    const parts: string[] = [];
    const letters = (i: number) => {
      let s = '';
      do { s += String.fromCharCode(97 + (i % 26)); i = Math.floor(i / 26); } while (i > 0);
      return s;
    };
    for (let i = 0; i < 100_000; i++) {
      // 100k distinct capitalised words (each a near-miss lookup), numbers, ordinals, years, open brackets and links.
      parts.push(`Q${letters(i)} ${i} ${i % 100}th (${1800 + (i % 400)} [[x${i}| ( the JPMG, founded in 1984, met Chollet in 2021 and in Washington (`);
      if (i % 10 === 0) parts.push('Secretary Chollet met the JMPG; Cholet and Eshal at the 47th JPMG in October 2022.');
      if (i % 1000 === 0) parts.push(`\n# H${letters(i)} ${1900 + (i % 100)}\n<!-- jpmg-disable wrong-date -->\n`);
      if (i % 7 === 0) parts.push('.\n');
    }
    parts.push('U.S.'.repeat(50_000), ' ', 'a@b.'.repeat(50_000), '\n', '('.repeat(100_000), '\n', '`'.repeat(1000));
    const text = parts.join(' ');
    assert.ok(text.length >= 10_000_000, `only ${text.length} characters`);
    const analysis = analyse(text);
    // Process CPU time, not wall time: a busy shared machine must not fail it, a hang still does.
    const started = process.cpuUsage();
    const findings = runChecks(analysis, testCorpus, DEFAULT_SETTINGS);
    const used = process.cpuUsage(started);
    const ms = (used.user + used.system) / 1000;
    assert.ok(ms < 20_000, `took ${Math.round(ms)} ms of CPU`);
    assert.ok(findings.length > 10_000, `${findings.length} findings`);
  });
});
