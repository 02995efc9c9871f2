// Loads a running code-server's workbench once in headless Chromium and checks that MAPD Curator
// is there: the activity-bar entry, the Problems view and (with --mistakes N) its "Mistakes" group
// with N problems. Used by `npm run demo -- --check` and by scripts/screenshots.ts.
//
// Usage: node test/e2e/check-workbench.ts --url URL --folder DIR [--mistakes N]
//          [--screenshot FILE] [--open-first-mistake]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchBrowser } from './lib/browser.ts';
import { clearNotifications, openViewContainer, viewRows, waitForWorkbench, webviewFrame, workbenchUrl } from './lib/workbench.ts';

export interface CheckOptions {
  serverUrl: string;
  folder: string;
  /** false when the page shows the workbench already (a harness scenario). */
  navigate?: boolean;
  mistakes?: number;
  screenshot?: string;
  openFirstMistake?: boolean;
}

/** Throws with a plain message when something a user would see is missing. */
export async function checkWorkbench(page: Page, options: CheckOptions): Promise<void> {
  if (options.navigate !== false) {
    await page.goto(workbenchUrl({ serverUrl: options.serverUrl, folder: options.folder }));
    await waitForWorkbench(page);
  }
  await openViewContainer(page, 'MAPD Curator');
  const rows = viewRows(page, 'Problems');
  const mistakes = rows.filter({ hasText: /^\s*Mistakes/ }).first();
  await mistakes.waitFor({ state: 'visible', timeout: 30_000 });
  if (options.mistakes !== undefined) {
    const text = await mistakes.innerText();
    if (!text.includes(options.mistakes.toLocaleString('en-US'))) {
      throw new Error(`the Problems view shows "${text.replace(/\s+/g, ' ')}", expected ${options.mistakes} mistakes`);
    }
  }
  if (options.openFirstMistake) {
    // The first problem row under the expanded Mistakes group opens the curation panel.
    const firstProblem = rows.filter({ hasNotText: /^\s*(Mistakes|Correct|Unanswered)\b/ }).first();
    await firstProblem.click();
    await webviewFrame(page).locator('body').waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(1500); // let the panel paint its content before the screenshot
  }
  if (options.screenshot) {
    await clearNotifications(page);
    fs.mkdirSync(path.dirname(options.screenshot), { recursive: true });
    await page.screenshot({ path: options.screenshot });
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      folder: { type: 'string' },
      mistakes: { type: 'string' },
      screenshot: { type: 'string' },
      'open-first-mistake': { type: 'boolean', default: false },
    },
  });
  if (!values.url || !values.folder) {
    console.error('usage: node test/e2e/check-workbench.ts --url URL --folder DIR [--mistakes N] [--screenshot FILE] [--open-first-mistake]');
    return 2;
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-check-'));
  const browser = await launchBrowser(profile);
  try {
    await checkWorkbench(browser.page, {
      serverUrl: values.url,
      folder: path.resolve(values.folder),
      ...(values.mistakes !== undefined ? { mistakes: Number(values.mistakes) } : {}),
      ...(values.screenshot ? { screenshot: path.resolve(values.screenshot) } : {}),
      openFirstMistake: values['open-first-mistake'],
    });
    console.log('check: the workbench shows MAPD Curator and its project');
    return 0;
  } catch (error) {
    const failure = path.join(os.tmpdir(), 'mapd-check-failure.png');
    await browser.page.screenshot({ path: failure }).catch(() => undefined);
    console.error(`check failed: ${error instanceof Error ? error.message : String(error)} (screenshot: ${failure})`);
    return 1;
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) process.exitCode = await main();
