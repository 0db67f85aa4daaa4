// The writers' checks in a real VS Code (code-server 4.100.3 = VS Code 1.100, in Debian's Chromium): install the
// packaged .vsix into a fresh profile, open a brief with planted errors in a temporary workspace, read the
// diagnostics in the Problems panel, and apply the "JMPG" → "JPMG" quick fix from the Ctrl+. menu. What the panel
// must list comes from `jpmg check --format json` on the same text (the same engine, run outside the editor), and
// the planted errors are checked against the corpus, so the test fails if either the engine or the editor drops one.
// Screenshots go to test-results/screenshots-checks/.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { parse } from 'yaml';
import {
  checksScreenshot,
  cliCheck,
  launchWorkspace,
  openProblems,
  problemRows,
  quickFixTitles,
  type CliFinding,
  type ProblemRow,
} from './support/problems';
import { editorText, goToLine, openFile, runCommand, packageExtension, positionOf, prerequisites, projectRoot, waitFor, type Session } from './support/workbench';

const BRIEF = 'jpmg-48-planted-errors.md';
// Planted: "JMPG" (a transposed acronym) in the headline, "Secretary Chollet" (he was Counselor), "47th" for the
// round of October 2022 (the 48th). "Director General Eshel" is right and must not be reported.
const briefText = [
  '---',
  'date: 2022-10-25',
  '---',
  '# Read-ahead: the JMPG round in Washington',
  '',
  'Secretary Chollet met Director General Eshel in Washington for the 47th JPMG in October 2022.',
  'The talks covered the qualitative military edge and regional security.',
  '',
].join('\n');
const fixedText = briefText.replace('JMPG', 'JPMG');

interface Person {
  id: string;
  name: string;
  roles?: { title: string; titles?: string[] }[];
}
const people = (parse(readFileSync(join(projectRoot, 'corpus', 'people.yaml'), 'utf8')) as { entities: Person[] }).entities;
const chollet = people.find((p) => p.id === 'derek-chollet');

/** Findings of `jpmg check` on `text`, written to a scratch file outside the editor's workspace. */
function expectedFindings(text: string): CliFinding[] {
  const dir = mkdtempSync(join(tmpdir(), 'jpmg-e2e-expect-'));
  try {
    const file = join(dir, BRIEF);
    writeFileSync(file, text);
    return cliCheck(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** "code @ line:col" keys (1-based, as the Problems panel shows them) of CLI findings and of panel rows. */
const findingKey = (f: CliFinding): string => `${f.code} @ ${f.range.start.line + 1}:${f.range.start.character + 1}`;
const rowKey = (r: ProblemRow): string => `${r.code} @ ${r.line}:${r.column}`;
const sorted = (keys: string[]): string[] => [...keys].sort();

/** The panel rows, once they are exactly the expected findings (code, position, and message start). */
async function waitForProblems(session: Session, expected: CliFinding[], what: string): Promise<ProblemRow[]> {
  await openProblems(session.page);
  const want = sorted(expected.map(findingKey));
  return waitFor(what, async () => {
    const rows = (await problemRows(session.page)).filter((r) => r.source === 'jpmg' || r.text.includes('jpmg'));
    if (JSON.stringify(sorted(rows.map(rowKey))) !== JSON.stringify(want)) return false;
    const messagesMatch = expected.every((f) => rows.some((r) => rowKey(r) === findingKey(f) && f.message.startsWith(r.message.slice(0, 60))));
    return messagesMatch && rows;
  }, 60_000);
}

describe('writers\' checks in a real VS Code (code-server): Problems panel and quick fix', { timeout: 300_000 }, () => {
  let session: Session | undefined;
  let skipReason = '';
  let expected: CliFinding[] = [];

  before(async () => {
    const pre = prerequisites();
    if ('skip' in pre) {
      skipReason = pre.skip;
      console.log(skipReason);
      return;
    }
    const vsix = packageExtension(); // builds dist/ (cli.js included) and packages the .vsix
    expected = expectedFindings(briefText);
    session = await launchWorkspace(pre, vsix, { [BRIEF]: briefText });
    // No side bar: the Problems panel gets the window's width, so its messages show in full on the screenshots.
    await runCommand(session.page, 'View: Close Primary Side Bar');
    await openFile(session.page, BRIEF);
    await waitFor('the JPMG status-bar item to report the corpus', async () => {
      const text = await session!.page.locator('[id="jpmg-briefs.jpmg-briefs.jpmg.status"]').first().innerText().catch(() => '');
      return /JPMG \d+/.test(text) && text;
    }, 90_000);
  });

  after(async () => {
    if (session && process.env.JPMG_E2E_KEEP) console.log(`code-server log:\n${session.server.output().slice(-3000)}`);
    await session?.dispose();
  });

  async function step(t: TestContext, name: string, body: (s: Session) => Promise<void>): Promise<void> {
    if (!session) {
      t.skip(skipReason || 'no VS Code session');
      return;
    }
    try {
      await body(session);
    } catch (e) {
      await checksScreenshot(session.page, `FAILED-${name}`).catch(() => undefined);
      throw e;
    }
  }

  it('the engine reports the planted errors and not the right title (jpmg check on the same text)', async (t) => {
    if (!session) return t.skip(skipReason || 'no VS Code session');
    assert.ok(chollet?.roles?.length, 'corpus/people.yaml has Derek Chollet with roles');
    const heldTitles = chollet.roles.flatMap((r) => [r.title, ...(r.titles ?? [])]);
    assert.ok(!heldTitles.includes('Secretary') && heldTitles.includes('Counselor'), 'the corpus has Chollet as Counselor, never Secretary');
    const at = (needle: string) => positionOf(briefText, needle);
    const has = (code: string, needle: string, correction: string) =>
      expected.some((f) => f.code === code && f.range.start.line + 1 === at(needle).line &&
        f.range.start.character + 1 === at(needle).column && f.message.includes(correction));
    assert.ok(has('near-miss-name', 'JMPG', '“JPMG”'), `"JMPG" → "JPMG" is reported: ${JSON.stringify(expected, null, 1)}`);
    assert.ok(has('wrong-title', 'Secretary Chollet', 'Counselor'), '"Secretary Chollet" → Counselor is reported');
    assert.ok(has('wrong-ordinal', '47th', '48th'), '"47th" → 48th is reported');
    const eshel = at('Director General Eshel');
    assert.ok(
      !expected.some((f) => f.code === 'wrong-title' && f.range.start.line + 1 === eshel.line && f.range.start.character + 1 === eshel.column),
      'the right title (Director General Eshel) is not reported',
    );
  });

  it('lists the findings in the Problems panel with their codes, positions and messages', async (t) => {
    await step(t, 'problems', async (s) => {
      const rows = await waitForProblems(s, expected, 'the Problems panel to list the findings of jpmg check');
      const nearMiss = rows.find((r) => r.code === 'near-miss-name');
      assert.ok(nearMiss?.message.includes('did you mean “JPMG”'), `the near-miss row names the correction: ${nearMiss?.message}`);
      const title = rows.find((r) => r.code === 'wrong-title');
      assert.ok(title?.message.includes('Counselor'), `the wrong-title row names the right title: ${title?.message}`);
      // Squiggles in the editor too: one marker decoration per finding on screen.
      await waitFor('squiggles under the findings', async () =>
        (await s.page.locator('.editor-group-container.active .squiggly-warning').count()) >= expected.filter((f) => f.severity === 'warning').length,
      );
      await checksScreenshot(s.page, 'problems');
    });
  });

  it('fixes "JMPG" to "JPMG" from the quick-fix menu (Ctrl+.) and the diagnostic goes away', async (t) => {
    await step(t, 'quickfix', async (s) => {
      const { page } = s;
      const at = positionOf(briefText, 'JMPG');
      await openFile(page, BRIEF);
      await goToLine(page, at.line, at.column + 2);
      const fixTitle = 'Replace with “JPMG”';
      await waitFor('the quick-fix menu offering “JPMG”', async () => {
        if ((await quickFixTitles(page)).length === 0) await page.keyboard.press('Control+.');
        return waitFor('menu rows', async () => (await quickFixTitles(page)).some((x) => x.includes(fixTitle)), 3_000).catch(() => false);
      });
      await checksScreenshot(page, 'diagnostic-quickfix');
      // Choose it with the keyboard, as a writer does (the menu's pointer block swallows a synthetic click).
      await waitFor(`"${fixTitle}" focused in the menu`, async () => {
        const focused = await page.locator('.action-widget .monaco-list-row.focused').first().getAttribute('aria-label').catch(() => null);
        if (focused === fixTitle) return true;
        await page.keyboard.press('ArrowDown');
        return false;
      }, 10_000);
      await page.keyboard.press('Enter');
      const text = await waitFor('the editor to read "JPMG" in the headline', async () => {
        const shown = await editorText(page);
        return shown.includes('# Read-ahead: the JPMG round in Washington') && shown;
      });
      assert.ok(!text.includes('JMPG'), 'no "JMPG" left in the editor');
      // The panel now lists exactly what jpmg check finds in the fixed text: the near miss is gone, the rest stays.
      const remaining = expectedFindings(fixedText);
      assert.ok(!remaining.some((f) => f.code === 'near-miss-name'), 'the fixed text has no near miss');
      assert.ok(remaining.some((f) => f.code === 'wrong-title'), 'the other findings remain (the panel stays live)');
      const rows = await waitForProblems(s, remaining, 'the near-miss diagnostic to leave the Problems panel');
      assert.ok(!rows.some((r) => r.code === 'near-miss-name'), 'no near-miss row left');
      await checksScreenshot(page, 'quickfix-applied');
    });
  });
});
