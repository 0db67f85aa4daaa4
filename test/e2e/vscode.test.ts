// The packaged extension in a real VS Code (code-server 4.100.3 = VS Code 1.100, in Debian's Chromium):
// install the .vsix into a fresh profile, open examples/, and use it the way a writer does — hover a name,
// complete after `[[`, go to definition, browse the Meetings and In-this-brief views. Screenshots of each step go
// to test-results/screenshots/. Expectations come from the corpus and example files, not from hard-coded answers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { parse } from 'yaml';
import {
  activeTab,
  cursor,
  editorText,
  goToLine,
  hoverText,
  launch,
  openFile,
  packageExtension,
  paneOf,
  positionOf,
  prerequisites,
  projectRoot,
  revertActiveFile,
  runCommand,
  screenshot,
  setSideBarWidth,
  treeRows,
  waitFor,
  waitForQuickPick,
  webviewText,
  type Session,
} from './support/workbench';

interface CorpusEntity {
  id: string;
  name: string;
  sources?: { source: string; quote: string }[];
  date?: { value: string };
  ordinal?: { value: number };
}

function corpusFile(name: string): { text: string; entities: CorpusEntity[] } {
  const text = readFileSync(join(projectRoot, 'corpus', name), 'utf8');
  return { text, entities: (parse(text) as { entities: CorpusEntity[] }).entities };
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
const READ_AHEAD = 'jpmg-round-read-ahead.md';
const readAhead = readFileSync(join(projectRoot, 'examples', READ_AHEAD), 'utf8');
const people = corpusFile('people.yaml');
const meetings = corpusFile('meetings.yaml');
const person = (id: string): CorpusEntity => {
  const found = people.entities.find((e) => e.id === id);
  assert.ok(found, `corpus/people.yaml has ${id}`);
  return found;
};

describe('JPMG Briefs in a real VS Code (code-server)', { timeout: 420_000 }, () => {
  let session: Session | undefined;
  let skipReason = '';

  before(async () => {
    const pre = prerequisites();
    if ('skip' in pre) {
      skipReason = pre.skip;
      console.log(skipReason);
      return;
    }
    const vsix = packageExtension();
    session = await launch(pre, vsix);
    const { page } = session;
    // The extension activates on Markdown: open the read-ahead, then wait for the server's corpus status.
    await setSideBarWidth(page, 560);
    await openFile(page, READ_AHEAD);
    await waitFor('the JPMG status-bar item to report the corpus', async () => {
      const text = await page.locator('[id="jpmg-briefs.jpmg-briefs.jpmg.status"]').first().innerText().catch(() => '');
      return /JPMG \d+/.test(text) && text;
    }, 90_000);
  });

  after(async () => {
    if (session && process.env.JPMG_E2E_KEEP) console.log(`code-server log:\n${session.server.output().slice(-3000)}`);
    await session?.dispose();
  });

  /** Runs a step with a live session, or skips it with the reason; a failure leaves a screenshot behind. */
  async function step(t: TestContext, name: string, body: (s: Session) => Promise<void>): Promise<void> {
    if (!session) {
      t.skip(skipReason || 'no VS Code session');
      return;
    }
    try {
      await body(session);
    } catch (e) {
      await screenshot(session.page, `FAILED-${name}`).catch(() => undefined);
      throw e;
    }
  }

  it('shows an entity card with a source quote when hovering a name', async (t) => {
    await step(t, 'hover', async ({ page }) => {
      const chollet = person('derek-chollet');
      const at = positionOf(readAhead, chollet.name);
      await openFile(page, READ_AHEAD);
      await goToLine(page, at.line, at.column + 2);
      const hover = await waitFor('the hover card for Derek Chollet', async () => {
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        const text = await waitFor('a hover', async () => hoverText(page), 3_000).catch(() => '');
        return text.includes(chollet.name) && text;
      });
      // A sourced card: at least one of the entity's quotes from the bundled documents is shown verbatim.
      const quotes = (chollet.sources ?? []).map((c) => squash(c.quote).slice(0, 40));
      assert.ok(quotes.length > 0, 'the corpus cites sources for Derek Chollet');
      assert.ok(
        quotes.some((q) => squash(hover).includes(q)),
        `the hover quotes a source; hover was:\n${hover}`,
      );
      await screenshot(page, 'hover');
      await page.keyboard.press('Escape');
    });
  });

  it('shows the card for a Persian name in a Persian brief', async (t) => {
    await step(t, 'hover-persian', async ({ page }) => {
      const eshel = person('amir-eshel');
      const file = 'jpmg-48-persian-summary.md';
      const text = readFileSync(join(projectRoot, 'examples', file), 'utf8');
      const persianName = 'عمیر اشل';
      const at = positionOf(text, persianName);
      await openFile(page, file);
      await goToLine(page, at.line, at.column + 2);
      const hover = await waitFor('the hover card for عمیر اشل', async () => {
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        const shown = await waitFor('a hover', async () => hoverText(page), 3_000).catch(() => '');
        return shown.includes(eshel.name) && shown;
      });
      assert.ok(hover.includes(persianName), 'the card lists the Persian alias');
      await screenshot(page, 'hover-persian');
      await page.keyboard.press('Escape');
    });
  });

  it('completes an entity absent from the brief after [[', async (t) => {
    await step(t, 'completion', async ({ page }) => {
      const gantz = person('benny-gantz');
      const surname = gantz.name.split(' ').pop()!;
      assert.ok(!readAhead.includes(surname), `${gantz.name} is absent from ${READ_AHEAD}`);
      await openFile(page, READ_AHEAD);
      const lastLine = readAhead.split('\n').length;
      await goToLine(page, lastLine, 1);
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('- Also brief [[');
      const suggest = page.locator('.editor-widget.suggest-widget');
      await waitFor('the suggest widget', async () => {
        if (await suggest.isVisible()) return true;
        await page.keyboard.press('Control+Space');
        return false;
      }, 20_000);
      await page.keyboard.type(surname);
      const rows = await waitFor(`"${gantz.name}" among the completions`, async () => {
        const texts = await suggest.locator('.monaco-list-row').allInnerTexts();
        return texts.some((r) => r.includes(gantz.name)) && texts;
      });
      assert.ok(rows.length > 0);
      await screenshot(page, 'completion');
      await suggest.locator('.monaco-list-row', { hasText: gantz.name }).first().click();
      // The completion inserts the entity's id and closes the link.
      const line = await waitFor('the inserted wikilink', async () => {
        const text = await editorText(page);
        return text.includes(`[[${gantz.id}]]`) && text;
      });
      assert.ok(!line.includes(`[[${gantz.id}]]]]`), 'no doubled closing brackets');
      await revertActiveFile(page);
      await waitFor('the brief to be reverted', async () => !(await editorText(page)).includes('Also brief'));
    });
  });

  it('goes to the definition of a mention in the bundled corpus YAML', async (t) => {
    await step(t, 'definition', async ({ page }) => {
      const chollet = person('derek-chollet');
      const entry = positionOf(people.text, `id: ${chollet.id}`);
      const at = positionOf(readAhead, chollet.name);
      await openFile(page, READ_AHEAD);
      await goToLine(page, at.line, at.column + 3);
      await page.keyboard.press('F12');
      await waitFor('people.yaml to open', async () => (await activeTab(page)) === 'people.yaml');
      await waitFor(`the cursor on the entry's line ${entry.line}`, async () => (await cursor(page))?.line === entry.line);
      assert.ok((await editorText(page)).includes(`id: ${chollet.id}`), 'the entry is on screen');
      await screenshot(page, 'definition');
    });
  });

  it('shows the 48th round with its date in the Meetings view and opens its entry', async (t) => {
    await step(t, 'meetings', async ({ page }) => {
      const round = meetings.entities.find((m) => m.ordinal?.value === 48);
      assert.ok(round, 'corpus/meetings.yaml has the 48th round');
      assert.equal(round.date?.value, '2022-10-25');
      const entry = positionOf(meetings.text, `id: ${round.id}`);
      await runCommand(page, 'Focus on Meetings View');
      const pane = paneOf(page, 'Meetings');
      const rows = await waitFor('the 48th round in the Meetings view', async () => {
        const texts = await treeRows(page, 'Meetings');
        return texts.some((r) => r.includes(round.name) && r.includes('2022-10-25')) && texts;
      });
      assert.ok(rows.some((r) => /^\d{4}/.test(r.trim())), 'meetings are grouped by year');
      const row = pane.locator('.monaco-list-row', { hasText: round.name }).first();
      await row.click();
      await waitFor('meetings.yaml to open', async () => (await activeTab(page)) === 'meetings.yaml');
      await waitFor(`the cursor on the entry's line ${entry.line}`, async () => (await cursor(page))?.line === entry.line);
      // Expand the round to show who took part, with their roles (for the screenshot and the check).
      if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
      const participants = pane.locator('.monaco-list-row', { hasText: 'Participants' }).first();
      await waitFor('the Participants group', () => participants.isVisible());
      if ((await participants.getAttribute('aria-expanded')) === 'false') await participants.locator('.monaco-tl-twistie').click();
      await waitFor('Derek Chollet with his role', async () =>
        (await treeRows(page, 'Meetings')).some((r) => r.includes('Derek Chollet') && r.includes('Counselor')),
      );
      await screenshot(page, 'meetings');
    });
  });

  it('opens a source document at the quote from the Meetings view', async (t) => {
    await step(t, 'open-source', async ({ page }) => {
      const sourceFiles = (parse(readFileSync(join(projectRoot, 'corpus', 'sources', 'sources.yaml'), 'utf8')) as {
        sources: { file: string }[];
      }).sources.map((x) => x.file);
      await runCommand(page, 'Focus on Meetings View');
      const pane = paneOf(page, 'Meetings');
      // The 48th round is expanded by the previous step; open its Sources group and click the first source.
      const group = pane.locator('.monaco-list-row', { hasText: /^\s*Sources/ }).first();
      await waitFor('the Sources group of the 48th round', () => group.isVisible());
      if ((await group.getAttribute('aria-expanded')) === 'false') await group.locator('.monaco-tl-twistie').click();
      const source = await waitFor('a source row (the row after "Sources")', async () => {
        const rows = await pane.locator('.monaco-list-row').all();
        const index = await Promise.all(rows.map((r) => r.innerText())).then((texts) => texts.findIndex((x) => /^\s*Sources/.test(x)));
        return index >= 0 && rows[index + 1];
      });
      await source.click();
      const tab = await waitFor('a source document to open', async () => {
        const name = await activeTab(page);
        return sourceFiles.includes(name) && name;
      });
      // The status bar can show an earlier selection for a moment after the tab changes: wait for the quote's.
      const selected = await waitFor('the quote selected (more than 10 characters)', async () => {
        const text = await page.locator('[id="status.editor.selection"]').first().innerText().catch(() => '');
        const m = /\((\d+) selected\)/.exec(text);
        return m && Number(m[1]) > 10 && Number(m[1]);
      });
      assert.ok(selected > 10, `a quote of ${selected} characters is selected in ${tab}`);
      await screenshot(page, 'open-source');
    });
  });

  it('lists the entities the brief mentions in the In-this-brief view and reveals the first mention', async (t) => {
    await step(t, 'brief-entities', async ({ page }) => {
      const eshel = person('amir-eshel');
      await openFile(page, READ_AHEAD);
      await runCommand(page, 'Focus on In this brief View');
      const rows = await waitFor('Derek Chollet and Amir Eshel with counts', async () => {
        const texts = await treeRows(page, 'In this brief');
        const has = (name: string) => texts.some((r) => r.includes(name) && /\d+×/.test(r));
        return has('Derek Chollet') && has(eshel.name) && texts;
      });
      assert.ok(rows.length >= 5, `several entities listed, got ${rows.length}`);
      // The first line of the brief mentioning Eshel (by any of his names) is where the view takes us.
      const firstLine = readAhead.split('\n').findIndex((l) => l.includes('Eshel')) + 1;
      await paneOf(page, 'In this brief').locator('.monaco-list-row', { hasText: eshel.name }).first().click();
      await waitFor(`the cursor on line ${firstLine}`, async () => {
        return (await activeTab(page)) === READ_AHEAD && (await cursor(page))?.line === firstLine;
      });
      await screenshot(page, 'brief-entities');
    });
  });
  it('finds an entity\'s mentions across the workspace from the view\'s context menu', async (t) => {
    await step(t, 'find-mentions', async ({ page }) => {
      const eshel = person('amir-eshel');
      // Every example brief that names him, by any of his names or a wikilink (read from the files themselves).
      const names = [eshel.name, 'Eshel', 'اشل', eshel.id];
      const expected = ['jpmg-round-read-ahead.md', 'qme-background.md', 'jpmg-48-persian-summary.md', 'wikilinks-demo.md']
        .filter((f) => names.some((n) => readFileSync(join(projectRoot, 'examples', f), 'utf8').includes(n)));
      assert.ok(expected.length >= 3, `several briefs mention ${eshel.name}`);
      await openFile(page, READ_AHEAD);
      await runCommand(page, 'Focus on In this brief View');
      const row = paneOf(page, 'In this brief').locator('.monaco-list-row', { hasText: eshel.name }).first();
      await waitFor(`${eshel.name} in the view`, () => row.isVisible());
      await row.click({ button: 'right' });
      const item = page.locator('.context-view .action-item', { hasText: 'Find Mentions' }).first();
      await waitFor('the context menu', () => item.isVisible());
      // A click on a context-menu row can land on the overlay VS Code lays over a freshly opened menu; the
      // keyboard always reaches the highlighted row.
      await item.hover();
      await waitFor('Find Mentions highlighted', async () => (await item.getAttribute('class'))?.includes('focused') ||
        (await item.locator('.action-menu-item.focused, a.focused').count()) > 0);
      await page.keyboard.press('Enter');
      await waitFor('the context menu to close', async () => !(await item.isVisible()));
      const peek = page.locator('.reference-zone-widget').first();
      const listed = await waitFor('the references peek listing the briefs', async () => {
        if (!(await peek.isVisible())) return false;
        const text = await peek.innerText();
        return expected.every((f) => text.includes(f)) && text;
      });
      assert.ok(!listed.includes('people.yaml'), 'mentions are in briefs, not the corpus entry');
      await screenshot(page, 'find-mentions');
      await page.keyboard.press('Escape');
    });
  });

  it('restarts the server and the commands still work: insert a reference picked by alias, show a card', async (t) => {
    await step(t, 'commands', async ({ page }) => {
      const eshel = person('amir-eshel');
      await openFile(page, READ_AHEAD);
      await runCommand(page, 'JPMG: Restart Language Server');
      const status = page.locator('[id="jpmg-briefs.jpmg-briefs.jpmg.status"]').first();
      await waitFor('the corpus status after the restart', async () => /JPMG \d+/.test(await status.innerText()));
      const lastLine = readAhead.split('\n').length;
      await goToLine(page, lastLine, 1);
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('Ask ');
      // The quick pick searches names and aliases on the server: "Director General Eshel" is an alias.
      await runCommand(page, 'JPMG: Insert Entity Reference');
      await waitForQuickPick(page, /reference/i);
      await page.keyboard.type('Director General Eshel');
      // Picked with the keyboard once it is the focused row: a click can land on an editor hover card that the
      // resting mouse pointer opened over the quick pick.
      const row = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: eshel.name }).first();
      await waitFor(`${eshel.name} focused in the quick pick`, () => row.isVisible());
      await screenshot(page, 'insert-reference');
      await page.keyboard.press('Enter');
      await waitFor('the inserted reference', async () => (await editorText(page)).includes(`Ask [[${eshel.id}]]`));
      await revertActiveFile(page);
      await waitFor('the brief to be reverted', async () => !(await editorText(page)).includes('Ask '));
      // Show Entity Card: a read-only Markdown preview of the card (no webview scripts of ours).
      await runCommand(page, 'JPMG: Show Entity Card');
      await waitForQuickPick(page, /card/i);
      await page.keyboard.type(eshel.name);
      const cardRow = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: eshel.name }).first();
      await waitFor(`${eshel.name} focused in the quick pick`, () => cardRow.isVisible());
      await page.keyboard.press('Enter');
      await waitFor('the card preview tab', async () => {
        const tabs = await page.locator('.tab').allInnerTexts();
        return tabs.some((tab) => tab.includes(eshel.id));
      });
      const card = await waitFor('the card rendered in the preview', async () => {
        const text = await webviewText(page);
        return text.includes(eshel.name) && text.includes('Sources') && text;
      });
      const quotes = (eshel.sources ?? []).map((c) => squash(c.quote).slice(0, 40));
      assert.ok(quotes.some((q) => squash(card).includes(q)), `the card quotes a source:\n${card}`);
      const errors = await page.locator('.notifications-toasts .notification-toast', { hasText: 'JPMG' }).allInnerTexts();
      assert.deepEqual(errors, [], 'no JPMG error notifications');
      await screenshot(page, 'entity-card');
    });
  });
});
