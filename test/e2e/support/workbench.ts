// Drives a real VS Code (code-server 4.100.3 = VS Code 1.100) in Debian's Chromium with playwright-core.
// Recipe: ../shared/notes/real-vscode-e2e.md. Every wait polls for a condition; there are no fixed sleeps.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import {
  findChromium,
  findCodeServer,
  installCodeServer,
  installExtension,
  prepareProfile,
  projectRoot,
  startCodeServer,
  type RunningCodeServer,
} from '../../../scripts/e2e/codeServer.mjs';

export { projectRoot };
export const screenshotDir = join(projectRoot, 'test-results', 'screenshots');
const inCI = process.env.CI === 'true' || process.env.CI === '1';

export type Prerequisites = { codeServer: string; chromium: string } | { skip: string };

/**
 * Finds Chromium and code-server, installing code-server into .cache/ when missing. Where something cannot be
 * had, CI fails (a missing prerequisite there is a broken pipeline); a developer's machine gets a clear skip.
 */
export function prerequisites(): Prerequisites {
  const missing = (reason: string): Prerequisites => {
    if (inCI) throw new Error(`e2e prerequisite missing under CI: ${reason}`);
    return { skip: `SKIPPED (not CI): ${reason}` };
  };
  const browser = findChromium();
  if (!browser) return missing('Chromium is not installed (apt-get install -y chromium)');
  let codeServer = findCodeServer();
  if (!codeServer) {
    try {
      codeServer = installCodeServer((line) => console.log(line));
    } catch (e) {
      return missing(`code-server could not be installed: ${e instanceof Error ? e.message : e}`);
    }
  }
  return { codeServer, chromium: browser };
}

/** Builds and packages the extension; returns the .vsix path. */
export function packageExtension(): string {
  const r = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'package.mjs')], {
    cwd: projectRoot,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  const m = /(\S+\.vsix): \d+ files, (\d+) KB/.exec(r.stdout);
  if (!m) throw new Error(`could not find the .vsix in the package output:\n${r.stdout}`);
  return join(projectRoot, m[1]!);
}

export interface Session {
  page: Page;
  browser: Browser;
  server: RunningCodeServer;
  /** The copy of examples/ that VS Code has open (tests may edit it). */
  workspace: string;
  dispose(): Promise<void>;
}

export interface LaunchOptions {
  /** The workspace's files (relative path → text); a copy of examples/ when omitted. */
  files?: Record<string, string>;
  /** Where this session's screenshots go (emptied at launch). */
  screenshots?: string;
}

/** A fresh profile with the .vsix installed, code-server serving a copy of examples/ (or the given files),
 *  Chromium on the workbench. */
export async function launch(pre: { codeServer: string; chromium: string }, vsix: string, options: LaunchOptions = {}): Promise<Session> {
  const base = mkdtempSync(join(tmpdir(), 'jpmg-e2e-'));
  const workspace = join(base, options.files ? 'workspace' : 'examples');
  if (options.files) {
    for (const [name, text] of Object.entries(options.files)) {
      mkdirSync(dirname(join(workspace, name)), { recursive: true });
      writeFileSync(join(workspace, name), text);
    }
  } else {
    cpSync(join(projectRoot, 'examples'), workspace, { recursive: true });
  }
  const shots = options.screenshots ?? screenshotDir;
  const profile = prepareProfile(base, {
    'workbench.colorTheme': 'Default Light Modern',
    'editor.minimap.enabled': false,
    'window.commandCenter': false,
    'workbench.layoutControl.enabled': false,
    'editor.fontSize': 14,
    'editor.hover.delay': 100,
    'git.enabled': false,
    // Edits stay in the editor (tests revert them); code-server would otherwise save them to the copy on disk.
    'files.autoSave': 'off',
  });
  installExtension(pre.codeServer, vsix, profile);
  const server = await startCodeServer(pre.codeServer, profile, workspace);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: pre.chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 960 } });
    await page.goto(server.url);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // Fresh screenshots each run: no stale FAILED-* pictures from an earlier run.
    rmSync(shots, { recursive: true, force: true });
    mkdirSync(shots, { recursive: true });
    const opened = browser;
    return {
      page,
      browser: opened,
      server,
      workspace,
      async dispose() {
        await opened.close().catch(() => undefined);
        server.stop();
        rmSync(base, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    server.stop();
    throw e;
  }
}

/** Polls `probe` until it returns a truthy value; fails with `what` and the last value seen. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false | '' | 0>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const detail = lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : lastError})` : ` (last value: ${JSON.stringify(last)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** True when no finite CSS animation or transition (e.g. a hover's fade-in) is still running. */
const ANIMATIONS_SETTLED = `document.getAnimations().every((a) => a.playState !== 'running' ||
  a.effect?.getComputedTiming().iterations === Infinity)`;

export async function screenshot(page: Page, name: string): Promise<string> {
  // Let fade-ins finish so the picture shows what a person sees (bounded: a screenshot is never worth a failure).
  await waitFor('animations to settle', () => page.evaluate<boolean>(ANIMATIONS_SETTLED), 3_000).catch(() => undefined);
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

async function visible(locator: Locator): Promise<boolean> {
  return (await locator.count()) > 0 && (await locator.first().isVisible());
}

/** Text of the quick-input rows currently shown. */
async function quickInputRows(page: Page): Promise<string[]> {
  return page.locator('.quick-input-widget .monaco-list-row').allInnerTexts();
}

const quickInputFocused = (page: Page): Promise<boolean> =>
  // A string expression: it runs in the page (no DOM types in this Node project).
  page.evaluate<boolean>(`!!document.activeElement?.closest('.quick-input-widget')`);

async function openQuickInput(page: Page, key: string): Promise<void> {
  const open = async () =>
    (await visible(page.locator('.quick-input-widget .quick-input-box input'))) && (await quickInputFocused(page));
  // A key pressed while a previous quick input is still closing can be swallowed: press it again until it opens.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press(key);
    try {
      await waitFor('the quick input to open with focus', open, 5_000);
      return;
    } catch (e) {
      if (attempt >= 6) throw e;
    }
  }
}

/** Runs a command from the palette by its title as shown there (e.g. "JPMG: Restart Language Server"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await openQuickInput(page, 'F1');
  await page.keyboard.type(title);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // Typed text can be lost while the palette opens. The list then shows every command, and a recently used one may
  // sit among its rows but out of sight (a CI run clicked such a row until it timed out): put the title in again.
  await waitFor(`"${title}" typed in the palette`, async () => {
    if ((await input.inputValue()).includes(title)) return true;
    await input.fill(`>${title}`);
    return false;
  });
  await waitFor(`the command "${title}" in the palette`, async () =>
    (await quickInputRows(page)).some((row) => row.includes(title)),
  );
  const row = page.locator('.quick-input-widget .monaco-list-row:visible', { hasText: title }).first();
  await row.click();
  // The palette closes, or its widget is reused at once by the command's own quick pick (no `>` prefix).
  await waitFor('the palette to close', async () => !(await visible(input)) || !(await input.inputValue()).startsWith('>'));
}

/** Title of the active editor tab. */
export async function activeTab(page: Page): Promise<string> {
  const tab = page.locator('.editor-group-container.active .tab.active').first();
  return (await tab.count()) ? (await tab.innerText()).trim() : '';
}

/** Opens a workspace file with Quick Open and waits until it is the active, rendered editor. */
export async function openFile(page: Page, name: string): Promise<void> {
  await openQuickInput(page, 'Control+P');
  await page.keyboard.type(name);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first();
  await waitFor(`"${name}" in Quick Open`, () => visible(row));
  await row.click();
  await waitFor(`the editor tab "${name}"`, async () => (await activeTab(page)) === name);
  await waitFor('the editor text', () => visible(page.locator('.editor-group-container.active .monaco-editor .view-lines')));
}

/** The cursor position shown in the status bar: { line, column } (1-based). */
export async function cursor(page: Page): Promise<{ line: number; column: number } | undefined> {
  const text = await page.locator('[id="status.editor.selection"]').first().innerText().catch(() => '');
  const m = /Ln (\d+), Col (\d+)/.exec(text);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

/** Ctrl+G to a 1-based line and column, and waits until the cursor is there. */
export async function goToLine(page: Page, line: number, column: number): Promise<void> {
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await openQuickInput(page, 'Control+G');
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await waitFor(`the cursor at ${line}:${column}`, async () => {
    const at = await cursor(page);
    return at?.line === line && at.column === column;
  });
}

/** The text of the active editor's rendered lines (what is on screen). */
export async function editorText(page: Page): Promise<string> {
  const text = await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' '); // the editor renders spaces as no-break spaces
}

/** The text of the visible editor hover widgets. */
export async function hoverText(page: Page): Promise<string> {
  const hovers = page.locator('.monaco-editor .monaco-hover:not(.hidden)');
  const texts = await hovers.allInnerTexts();
  return texts.join('\n');
}

/** Rows of a tree view (by its container), each row's visible text. */
export async function treeRows(page: Page, viewTitle: string): Promise<string[]> {
  return paneOf(page, viewTitle).locator('.monaco-list-row').allInnerTexts();
}

export function paneOf(page: Page, viewTitle: string): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: viewTitle }) });
}

/** 1-based line and column of the first occurrence of `needle` in `text` (column of its first character). */
export function positionOf(text: string, needle: string, from = 0): { line: number; column: number } {
  const offset = text.indexOf(needle, from);
  if (offset < 0) throw new Error(`"${needle}" not found`);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** Waits for a quick pick whose placeholder matches (an extension's pick opens after the palette closes). */
export async function waitForQuickPick(page: Page, placeholder: RegExp): Promise<void> {
  await waitFor(`a quick pick matching ${placeholder}`, async () => {
    const input = page.locator('.quick-input-widget .quick-input-box input');
    return (await input.isVisible()) && placeholder.test((await input.getAttribute('placeholder')) ?? '') && (await quickInputFocused(page));
  });
}

/** The text of every webview frame (e.g. the Markdown preview), joined. */
export async function webviewText(page: Page): Promise<string> {
  const texts: string[] = [];
  for (const frame of page.frames()) {
    if (!frame.url().includes('/webview/')) continue;
    texts.push(await frame.locator('body').innerText({ timeout: 1_000 }).catch(() => ''));
  }
  return texts.join('\n');
}

/** Reverts the active editor to the file on disk (undoes a test's edits). */
export async function revertActiveFile(page: Page): Promise<void> {
  await runCommand(page, 'File: Revert File');
}

/** Drags the side bar's edge so it is `width` pixels wide (tree descriptions such as dates stay readable). */
export async function setSideBarWidth(page: Page, width: number): Promise<void> {
  const sideBar = page.locator('.part.sidebar').first();
  const box = await waitFor('the side bar', async () => (await sideBar.isVisible()) && sideBar.boundingBox());
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
  await waitFor(`the side bar to be ${width}px wide`, async () => {
    const now = await sideBar.boundingBox();
    return now && Math.abs(now.width - width) < 20;
  }, 5_000);
}
