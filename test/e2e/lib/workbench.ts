// Driving the VS Code workbench (code-server) from Playwright: URLs, the command palette, views,
// webviews. Scenario files import these.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { sleep } from './codeServer.ts';

export interface WorkbenchTarget {
  /** The server's base URL, e.g. http://127.0.0.1:41234 */
  serverUrl: string;
  /** The folder to open (an absolute path on the server's machine). */
  folder: string;
  /** Load the extension from this folder (extensionDevelopmentPath). */
  extensionDevelopmentPath?: string;
  /** Run the mocha suite in this module inside the extension host (extensionTestsPath). */
  extensionTestsPath?: string;
}

/**
 * The workbench URL. Paths in the payload are URIs of the server's file system, which the
 * browser workbench calls vscode-remote://<host:port>/<path>.
 */
export function workbenchUrl(target: WorkbenchTarget): string {
  const authority = new URL(target.serverUrl).host;
  const remote = (file: string): string => `vscode-remote://${authority}${encodeURI(file)}`;
  const payload: [string, string][] = [];
  if (target.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(target.extensionDevelopmentPath)]);
  if (target.extensionTestsPath) payload.push(['extensionTestsPath', remote(target.extensionTestsPath)]);
  const query = new URLSearchParams({ folder: target.folder });
  if (payload.length > 0) query.set('payload', JSON.stringify(payload));
  return `${target.serverUrl}/?${query.toString()}`;
}

/** Waits until the workbench has rendered and the remote connection is up. */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.part.activitybar, .part.sidebar').first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * Runs a command by its palette label (e.g. "MAPD: Show Log"). A command appears only once the
 * extension host has registered it, so this retries until timeoutMs.
 */
export async function runCommand(page: Page, label: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input[type="text"], .quick-input-widget .quick-input-box input').first();
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 5000 });
    await input.fill(`>${label}`);
    const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: label }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 2000 });
      const text = (await row.innerText()).split('\n')[0]?.trim() ?? '';
      if (text.startsWith(label) || text.includes(label)) {
        await row.click();
        return;
      }
    } catch {
      // not registered yet
    }
    if (Date.now() > deadline) throw new Error(`command "${label}" did not appear in the command palette within ${timeoutMs} ms`);
    await sleep(500);
  }
}

/** Opens a view container from the activity bar by its title (e.g. "MAPD Curator"). */
export async function openViewContainer(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const item = page.locator(`.part.activitybar .action-item a[aria-label^="${title}"], .part.activitybar .action-item[aria-label^="${title}"]`).first();
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  const sidebarTitle = page.locator('.part.sidebar .composite.title');
  if (!(await sidebarTitle.innerText().catch(() => '')).toUpperCase().includes(title.toUpperCase())) await item.click();
  await page.locator('.part.sidebar .composite.title', { hasText: new RegExp(title, 'i') }).waitFor({ timeout: timeoutMs });
}

/** The tree rows of a view pane in the side bar, by the pane's title (e.g. "Problems"). */
export function viewRows(page: Page, paneTitle: string): Locator {
  const pane = page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: new RegExp(`^${paneTitle}`, 'i') }) });
  return pane.locator('.monaco-list-row');
}

/**
 * The content of a webview: two nested iframes, the outer one marked ready once loaded.
 * index picks among several open webviews (in DOM order).
 */
export function webviewFrame(page: Page, index = 0): FrameLocator {
  return page.locator('iframe.webview.ready').nth(index).contentFrame().locator('#active-frame').contentFrame();
}

/** Opens the curation panel and waits for its first mistake with an item focused: keys reach it from here. */
export async function openCurationPanel(page: Page): Promise<FrameLocator> {
  await runCommand(page, 'MAPD: Open Curation Panel');
  const frame = webviewFrame(page);
  await frame
    .locator('#title')
    .filter({ hasText: /^Mistake / })
    .waitFor({ timeout: 60_000 });
  await frame.locator('.item.focused').waitFor({ timeout: 15_000 });
  return frame;
}

/**
 * Opens the Output panel, waits until its channel picker lists `name` and selects it. Returns
 * the panel's text area for assertions on its content.
 */
export async function showOutputChannel(page: Page, name: string, timeoutMs = 20_000): Promise<Locator> {
  const picker = page.locator('.part.panel select.monaco-select-box').first();
  if (!(await picker.isVisible())) await runCommand(page, 'View: Toggle Output');
  await picker.waitFor({ state: 'visible', timeout: timeoutMs });
  await picker.locator('option', { hasText: new RegExp(`^\\s*${name}\\s*$`) }).waitFor({ state: 'attached', timeout: timeoutMs });
  await picker.selectOption({ label: name });
  return page.locator('.part.panel .monaco-editor .view-lines');
}

/** Dismisses notifications so screenshots are clean. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications', 10_000).catch(() => undefined);
}
