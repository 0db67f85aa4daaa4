// The writers' checks on plain strings, against a small hand-made corpus (test/unit/checks-support.ts).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { check, found, applyFirstFix, testCorpus, makeCorpus } from './checks-support';
import { runChecks, RULE_DEFAULTS } from '../../server/src/core/checks/index';
import { analyzeDocument } from '../../server/src/core/analysis/analyze';
import { nearMissIndexes } from '../../server/src/core/checks/nearMissIndex';
import { editDistance, NeighbourIndex } from '../../server/src/core/checks/distance';
import { findDates } from '../../server/src/core/checks/dates';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';

function only(text: string, code: string) {
  const fs = check(text).filter((f) => f.code === code);
  assert.equal(fs.length, 1, `expected one ${code} in ${JSON.stringify(text)}, got ${JSON.stringify(fs.map((f) => text.slice(f.start, f.end)))}`);
  return fs[0]!;
}

describe('edit distance and the neighbour index', () => {
  test('OSA distance counts a transposition as one edit', () => {
    assert.equal(editDistance('jmpg', 'jpmg'), 1);
    assert.equal(editDistance('cholet', 'chollet'), 1);
    assert.equal(editDistance('weinburgre', 'weinberger'), 2);
    assert.equal(editDistance('abc', 'abc'), 0);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });
  test('lookup finds neighbours within the distance and nothing farther', () => {
    const index = new NeighbourIndex<string>(2);
    for (const w of ['chollet', 'eshel', 'gantz', 'esper']) index.add(w, w);
    assert.deepEqual(index.lookup('cholet', 2).map((h) => h.key), ['chollet']);
    assert.deepEqual(index.lookup('eshal', 1).map((h) => h.key), ['eshel']);
    assert.deepEqual(index.lookup('zzzzz', 2), []);
  });
  test('lookup returns exactly the keys within the distance, nearest first (random keys, brute force)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const word = (alphabet: string, max: number) => {
      let w = '';
      for (let i = 1 + Math.floor(random() * max); i > 0; i--) w += alphabet[Math.floor(random() * alphabet.length)];
      return w;
    };
    let hits = 0;
    for (const alphabet of ['ab', 'abcd', "abcdefgh -'é"]) {
      const index = new NeighbourIndex<number>(2);
      const keys = new Set<string>();
      for (let i = 0; i < 80; i++) {
        const k = word(alphabet, 9);
        keys.add(k);
        index.add(k, i);
      }
      for (let q = 0; q < 60; q++) {
        const query = word(alphabet, 10);
        for (const d of [1, 2]) {
          for (const otherFirstMax of [d, 1]) {
            // Keys sharing no character with the query are left out (as a deletion index leaves them).
            const expected = [...keys]
              .map((key) => ({ key, distance: editDistance(query, key) }))
              .filter((h) => h.distance <= (h.key[0] === query[0] ? d : otherFirstMax))
              .filter((h) => Math.max(h.key.length, query.length) > d || [...h.key].some((c) => query.includes(c)))
              .sort((a, b) => a.distance - b.distance || a.key.localeCompare(b.key));
            const got = index.lookup(query, d, { otherFirstMax }).map((h) => ({ key: h.key, distance: h.distance }));
            assert.deepEqual(got, expected, `${JSON.stringify(query)} within ${d}`);
            hits += got.length;
          }
        }
      }
    }
    assert.ok(hits > 500, `only ${hits} neighbours found: the test would prove little`);
  });
  test('the per-corpus index is built once (cached by corpus identity)', () => {
    assert.equal(nearMissIndexes(testCorpus), nearMissIndexes(testCorpus));
  });
});

describe('near-miss-name', () => {
  test('a transposed acronym: "JMPG" → "JPMG", citing the source', () => {
    const text = 'U.S. and Israeli officials set up the Bilateral JMPG.';
    const f = only(text, 'near-miss-name');
    assert.equal(text.slice(f.start, f.end), 'JMPG');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /did you mean “JPMG”/);
    assert.match(f.message, /seed-001/);
    assert.equal(applyFirstFix(text, f), 'U.S. and Israeli officials set up the Bilateral JPMG.');
  });
  test('a dropped letter in a surname: "Cholet" → "Chollet"; possessive kept outside the range', () => {
    const text = "Cholet's team met the delegation.";
    const f = only(text, 'near-miss-name');
    assert.equal(text.slice(f.start, f.end), 'Cholet');
    assert.equal(applyFirstFix(text, f), "Chollet's team met the delegation.");
  });
  test('a two-word name with one wrong letter: "Amir Eshal" → "Amir Eshel"', () => {
    assert.deepEqual(found('They met Amir Eshal in Washington.', 'near-miss-name'), ['near-miss-name:Eshal']);
  });
  test('an acronym in the wrong case: "Jpmg" → "JPMG"', () => {
    assert.deepEqual(found('The Jpmg met.', 'near-miss-name'), ['near-miss-name:Jpmg']);
  });
  test('never flags real words, known names, inflections or well-known acronyms', () => {
    for (const text of [
      'Iraq and Iran are neighbours.',
      'Israeli officials and Russians met; Iranians watched.',
      'The Group met in Washington and the Office agreed.',
      'FMS cases differ from FMF grants.',
      'Share sensitive information only on official, secure websites.',
      'LEAVE A REPLY',
      'Chollet and Eshel met; Gantz and Esper spoke.',
    ]) {
      assert.deepEqual(found(text, 'near-miss-name'), [], text);
    }
  });
  test('skips code, comments, link destinations and URLs', () => {
    const text = 'Code `Cholet` and\n\n```\nJMPG\n```\n\n<!-- Cholet --> [x](https://example.com/Cholet) https://www.state.gov/JMPG';
    assert.deepEqual(found(text, 'near-miss-name'), []);
  });
  test('ignoreWords silences a word', () => {
    assert.deepEqual(found('Cholet spoke.', 'near-miss-name', { ignoreWords: ['cholet'] }), []);
  });
  test('lowercase words are not names', () => {
    assert.deepEqual(found('the jmpg and cholet', 'near-miss-name'), []);
  });
});

describe('wrong-title', () => {
  test('"Secretary Chollet": he was Counselor; the fix puts the right title', () => {
    const text = 'Secretary Chollet welcomed the delegation.';
    const f = only(text, 'wrong-title');
    assert.equal(text.slice(f.start, f.end), 'Secretary');
    assert.match(f.message, /Counselor of the U\.S\. Department of State/);
    assert.match(f.message, /seed-001/);
    assert.equal(applyFirstFix(text, f), 'Counselor Chollet welcomed the delegation.');
  });
  test('titles the person held are accepted, including longer and reordered forms', () => {
    for (const text of [
      'Counselor Chollet welcomed Director General Eshel.',
      'Major General (ret.) Amir Eshel led the delegation.',
      'Israeli Defense Minister Gantz met Secretary of Defense Mark Esper in 2020.',
      'Minister Gantz spoke.',
      'the Counselor of the State Department, Derek Chollet, spoke.',
    ]) {
      assert.deepEqual(found(text, 'wrong-title'), [], text);
    }
  });
  test('time-aware: a title held, but not at the brief\'s date (front matter), with another role then', () => {
    const text = '---\ndate: 2022-10-25\n---\nAlternate Prime Minister Gantz spoke.\n';
    const f = only(text, 'wrong-title');
    assert.match(f.message, /On 25 October 2022/);
    assert.equal(applyFirstFix(text, f), '---\ndate: 2022-10-25\n---\nDefense Minister Gantz spoke.\n');
  });
  test('time-aware: a date in the sentence wins over the front matter; "former" is never flagged', () => {
    assert.deepEqual(found('---\ndate: 2022-10-25\n---\nIn 2020, Alternate Prime Minister Gantz spoke.\n', 'wrong-title'), []);
    assert.deepEqual(found('---\ndate: 2022-10-25\n---\nFormer Alternate Prime Minister Gantz spoke.\n', 'wrong-title'), []);
  });
  test('time-aware: a date in a heading above', () => {
    assert.deepEqual(found('# Readout, 25 October 2022\n\nAlternate Prime Minister Gantz spoke.\n', 'wrong-title'), ['wrong-title:Alternate Prime Minister']);
  });
  test('no date known and the title was held once: not flagged', () => {
    assert.deepEqual(found('Alternate Prime Minister Gantz spoke.', 'wrong-title'), []);
  });
});

describe('wrong-date and wrong-ordinal', () => {
  test('"the JPMG, founded in 1984" → 1983', () => {
    const text = 'The JPMG, founded in 1984, meets twice a year.';
    const f = only(text, 'wrong-date');
    assert.equal(text.slice(f.start, f.end), '1984');
    assert.match(f.message, /1983/);
    assert.equal(applyFirstFix(text, f), 'The JPMG, founded in 1983, meets twice a year.');
  });
  test('"the 48th JPMG met in Washington in 2021" → 2022', () => {
    const text = 'The 48th JPMG met in Washington in 2021.';
    const f = only(text, 'wrong-date');
    assert.equal(applyFirstFix(text, f), 'The 48th JPMG met in Washington in 2022.');
  });
  test('"the 47th JPMG in October 2022" → 48th', () => {
    const text = 'The 47th JPMG in October 2022 focused on Iran.';
    const f = only(text, 'wrong-ordinal');
    assert.equal(text.slice(f.start, f.end), '47th');
    assert.equal(applyFirstFix(text, f), 'The 48th JPMG in October 2022 focused on Iran.');
  });
  test('full dates keep their style in the fix', () => {
    const text = 'The 2016 MOU, signed on 15 September 2016, covers ten years.';
    const f = only(text, 'wrong-date');
    assert.equal(applyFirstFix(text, f), 'The 2016 MOU, signed on 14 September 2016, covers ten years.');
    const us = 'The 2016 MOU was signed on September 15, 2016.';
    assert.equal(applyFirstFix(us, only(us, 'wrong-date')), 'The 2016 MOU was signed on September 14, 2016.');
  });
  test('in 1984, fronted before a founding verb', () => {
    assert.deepEqual(found('In 1984, the JPMG was established.', 'wrong-date'), ['wrong-date:1984']);
  });
  test('conservative: numbers not tied to the entity are left alone', () => {
    for (const text of [
      'The JPMG met in 2022.', // a meeting year, not the founding
      'The JPMG, founded in 1983, met in 2022.',
      'Since 2008 the JPMG has discussed the QME.',
      'The JPMG discussed exercises that started in 1984.',
      'The MOU was signed in 2015.', // ambiguous: two MOUs
      'The 48th JPMG met on 25 October 2022 in Washington.',
      'The 2016 MOU covers FY2019–FY2028 and 2019–2028.',
      'The 48th JPMG discussed the 1981 MOU.',
    ]) {
      assert.deepEqual(found(text).filter((x) => x.startsWith('wrong-')), [], text);
    }
  });
});

describe('acronym-first-use', () => {
  test('the first unexpanded use is flagged once (information) with an expanding fix', () => {
    const text = 'The JPMG met. The JPMG agreed.';
    const fs = check(text).filter((f) => f.code === 'acronym-first-use');
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.severity, 'information');
    assert.equal(fs[0]!.start, 4);
    assert.equal(applyFirstFix(text, fs[0]!), 'The Joint Political-Military Group (JPMG) met. The JPMG agreed.');
  });
  test('expanded forms are accepted: "Full Name (ACR)", "ACR (Full Name)", initials, name earlier', () => {
    for (const text of [
      'The Joint Political-Military Group (JPMG) met. The JPMG agreed.',
      'The JPMG (Joint Political-Military Group) met.',
      'Israel’s qualitative military edge (QME) matters.',
      'The Joint Political-Military Group met. Later the JPMG agreed.',
      'The U.S. and the US agreed.',
      '# JPMG readout\n\nThe Joint Political-Military Group (JPMG) met.',
    ]) {
      assert.deepEqual(found(text, 'acronym-first-use'), [], text);
    }
  });
});

describe('preferred-term', () => {
  test('a discouraged alias gives a hint with the preferred term', () => {
    const text = 'Violence rose in Judea and Samaria.';
    const f = only(text, 'preferred-term');
    assert.equal(f.severity, 'hint');
    assert.match(f.message, /West Bank/);
    assert.equal(applyFirstFix(text, f), 'Violence rose in West Bank.');
  });
  test('can be turned off or raised', () => {
    assert.deepEqual(found('In Judea and Samaria.', 'preferred-term', { rules: { 'preferred-term': 'off' } }), []);
    assert.equal(check('In Judea and Samaria.', { rules: { 'preferred-term': 'warning' } })[0]!.severity, 'warning');
  });
});

describe('unknown-wikilink', () => {
  test('did you mean, with a fix that replaces only the target', () => {
    const text = 'See [[derek-cholet|the Counselor]].';
    const f = only(text, 'unknown-wikilink');
    assert.match(f.message, /did you mean \[\[derek-chollet\]\]/);
    assert.equal(applyFirstFix(text, f), 'See [[derek-chollet|the Counselor]].');
  });
  test('misspelt names and acronyms suggest the entity id; nothing near → no fix', () => {
    assert.equal(applyFirstFix('[[jmpg]]', only('[[jmpg]]', 'unknown-wikilink')), '[[jpmg]]');
    assert.equal(applyFirstFix('[[Derek Cholet]]', only('[[Derek Cholet]]', 'unknown-wikilink')), '[[derek-chollet]]');
    assert.equal(only('[[qqqq-zzzz]]', 'unknown-wikilink').fixes.length, 0);
  });
  test('resolved wikilinks are fine', () => {
    assert.deepEqual(found('[[jpmg]] and [[Derek Chollet]]', 'unknown-wikilink'), []);
  });
});

describe('suppression comments', () => {
  const bad = 'Secretary Chollet met the JMPG.';
  test('disable-next-line with a rule list silences only those rules on the next line', () => {
    assert.deepEqual(found(`<!-- jpmg-disable-next-line wrong-title -->\n${bad}`), ['near-miss-name:JMPG']);
    assert.deepEqual(found(`<!-- jpmg-disable-next-line wrong-title, near-miss-name -->\n${bad}`), []);
    assert.deepEqual(found(`<!-- jpmg-disable-next-line -->\n${bad}`), []);
    assert.deepEqual(found(`<!-- jpmg-disable-next-line -->\n\n${bad}`).length, 2); // only the very next line
  });
  test('disable … enable regions, bare and per rule', () => {
    assert.deepEqual(found(`<!-- jpmg-disable -->\n${bad}\n<!-- jpmg-enable -->\n${bad}`), ['wrong-title:Secretary', 'near-miss-name:JMPG']);
    assert.deepEqual(found(`<!-- jpmg-disable near-miss-name -->\n${bad}\n\n${bad}`), ['wrong-title:Secretary', 'wrong-title:Secretary']);
    assert.deepEqual(found(`<!-- jpmg-disable -->\n<!-- jpmg-enable wrong-title -->\n${bad}`), ['wrong-title:Secretary']);
    assert.deepEqual(found(`<!-- jpmg-disable near-miss-name -- house style -->\n${bad}`), ['wrong-title:Secretary']);
  });
  test('other comments, such as test expectations, change nothing', () => {
    assert.deepEqual(found(`<!-- expect: wrong-title -->\n${bad}`), ['wrong-title:Secretary', 'near-miss-name:JMPG']);
  });
});

describe('severities and settings', () => {
  test('defaults: warnings, information for acronyms, hint for preferred terms', () => {
    assert.deepEqual(RULE_DEFAULTS, {
      'near-miss-name': 'warning', 'wrong-title': 'warning', 'wrong-date': 'warning', 'wrong-ordinal': 'warning',
      'acronym-first-use': 'information', 'preferred-term': 'hint', 'unknown-wikilink': 'warning',
    });
  });
  test('per-rule override and "off"', () => {
    assert.equal(check('The JMPG met.', { rules: { 'near-miss-name': 'error' } })[0]!.severity, 'error');
    assert.deepEqual(found('The JMPG met.', undefined, { rules: { 'near-miss-name': 'off' } }), []);
  });
  test('plain-text mentions off: only wikilink checks and near-misses remain meaningful', () => {
    const fs = found('Secretary Chollet and [[jmpg]].', undefined, { mentions: { plainText: false } });
    assert.deepEqual(fs, ['unknown-wikilink:[[jmpg]]']);
  });
  test('findings come in document order and positions survive CRLF and a BOM', () => {
    const lf = 'The JMPG met.\nSecretary Chollet spoke.\n';
    const crlf = '\ufeff' + lf.replace(/\n/g, '\r\n');
    const a = check(lf).map((f) => [f.code, lf.slice(f.start, f.end)]);
    const b = check(crlf).map((f) => [f.code, crlf.slice(f.start, f.end)]);
    assert.deepEqual(a, b);
    const starts = check(lf).map((f) => f.start);
    assert.deepEqual(starts, [...starts].sort((x, y) => x - y));
  });
  test('an empty corpus and an empty document give no findings and no errors', () => {
    const empty = makeCorpus([]);
    assert.deepEqual(runChecks(analyzeDocument('Secretary Chollet, JMPG, [[x]].', 1, empty), empty, DEFAULT_SETTINGS).map((f) => f.code), ['unknown-wikilink']);
    assert.deepEqual(check(''), []);
  });
});

describe('dates in text', () => {
  test('recognises the usual forms and skips ranges, fiscal years and decades', () => {
    const text = 'On 25 October 2022, October 25, 2022, Oct. 2022, 2022-10-25 and 1983; not FY2019, 2019–2028, 1980s or $2016.';
    assert.deepEqual(findDates(text, 0, text.length).map((d) => d.text), ['25 October 2022', 'October 25, 2022', 'Oct. 2022', '2022-10-25', '1983']);
  });
});

describe('hostile input (hang guard)', () => {
  test('a large brief full of near-misses, titles, ordinals, wikilinks and comments finishes within 20 s', () => {
    const unit = 'Secretary Chollet met the JMPG; the 47th JPMG in October 2022, founded in 1984. [[jmpg]] [[ <!-- jpmg-disable --> Cholet\n';
    const text = unit.repeat(3000);
    const started = Date.now();
    const findings = check(text);
    assert.ok(Date.now() - started < 20_000);
    assert.ok(findings.length > 0);
  });
});
