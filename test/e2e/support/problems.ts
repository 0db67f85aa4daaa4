// Helpers for the writers' checks in a real VS Code: a workspace of the test's own files, the Problems panel, the
// quick-fix menu, and screenshots kept apart from vscode.test.ts's (its launch() empties test-results/screenshots/
// when it starts, and it runs after checks.test.ts in the e2e tier). Every wait polls; there are no fixed sleeps.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launch, projectRoot, waitFor, type Session } from './workbench';

export const checksScreenshotDir = join(projectRoot, 'test-results', 'screenshots-checks');

/** A finding as `jpmg check --format json` prints it (LSP 0-based positions). */
export interface CliFinding {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

/** Runs the packaged CLI (dist/cli.js, the same engine as the server) on one file; its JSON findings. */
export function cliCheck(file: string): CliFinding[] {
  const r = spawnSync(process.execPath, [join(projectRoot, 'dist', 'cli.js'), 'check', '--format', 'json', file], {
    cwd: projectRoot,
    encoding: 'utf8',
  });
  // Exit 1 means "findings at warning level or above"; only 2 (usage) or a crash is a failure here.
  if (r.status !== 0 && r.status !== 1) throw new Error(`jpmg check failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout) as CliFinding[];
}

/** A fresh profile with the .vsix installed and code-server serving a new temporary folder holding `files`
 *  (relative path → text); screenshots go to test-results/screenshots-checks/. */
export function launchWorkspace(pre: { codeServer: string; chromium: string }, vsix: string, files: Record<string, string>): Promise<Session> {
  return launch(pre, vsix, { files, screenshots: checksScreenshotDir });
}

const ANIMATIONS_SETTLED = `document.getAnimations().every((a) => a.playState !== 'running' ||
  a.effect?.getComputedTiming().iterations === Infinity)`;

/** A screenshot into test-results/screenshots-checks/ once fade-ins have finished; returns its path. */
export async function checksScreenshot(page: Page, name: string): Promise<string> {
  await waitFor('animations to settle', () => page.evaluate<boolean>(ANIMATIONS_SETTLED), 3_000).catch(() => undefined);
  const path = join(checksScreenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The Problems panel (Ctrl+Shift+M), opened if it is not already showing. */
export async function openProblems(page: Page): Promise<void> {
  const panel = page.locator('.markers-panel').first();
  if (await panel.isVisible().catch(() => false)) return;
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+M');
  await waitFor('the Problems panel', () => panel.isVisible(), 10_000);
}

/** One marker row of the Problems panel, as shown. */
export interface ProblemRow {
  text: string;
  message: string;
  /** "jpmg(near-miss-name)" style source and code. */
  source: string;
  code: string;
  /** 1-based position as the panel shows it ("[Ln 4, Col 19]"). */
  line: number;
  column: number;
}

/** The marker rows listed in the Problems panel (file rows left out). */
export async function problemRows(page: Page): Promise<ProblemRow[]> {
  const rows = await page.locator('.markers-panel .monaco-list-row').all();
  const out: ProblemRow[] = [];
  for (const row of rows) {
    const message = row.locator('.marker-message-details-container .marker-message');
    if ((await message.count()) === 0) continue;
    const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
    const at = /\[Ln (\d+), Col (\d+)\]/.exec(text);
    out.push({
      text,
      message: (await message.first().innerText()).replace(/\s+/g, ' ').trim(),
      source: (await row.locator('.marker-source').first().innerText().catch(() => '')).trim(),
      code: (await row.locator('.marker-code').first().innerText().catch(() => '')).trim(),
      line: at ? Number(at[1]) : 0,
      column: at ? Number(at[2]) : 0,
    });
  }
  return out;
}

/** Titles of the entries in the open quick-fix menu (Ctrl+.), empty when it is closed. */
export async function quickFixTitles(page: Page): Promise<string[]> {
  const menu = page.locator('.action-widget').first();
  if (!(await menu.isVisible().catch(() => false))) return [];
  return (await menu.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}
