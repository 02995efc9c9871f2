// Regenerates docs/walkthrough.png (the Get Started walkthrough, opened by the extension on its
// first activation in a workspace without a project) and docs/ask-streaming.png (Ask Teacher's
// answer view while the answer streams in from a local server that sends it slowly).
// Made by the harness in code-server, never by hand. Usage: node scripts/screenshots-editor.ts
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../test/e2e/lib/browser.ts';
import { installCodeServer, startCodeServer } from '../test/e2e/lib/codeServer.ts';
import { REPO_ROOT } from '../test/e2e/lib/paths.ts';
import { runCommand, waitForWorkbench, workbenchUrl } from '../test/e2e/lib/workbench.ts';
import { startFakeServer } from '../test/servers/fakeServer.ts';

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

const SETTINGS = { 'workbench.colorTheme': 'Default Light Modern', 'window.zoomLevel': 0, 'breadcrumbs.enabled': false };
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-screenshots-editor-'));
const entry = installCodeServer();
run(process.execPath, ['esbuild.js']);
try {
  // 1. A workspace without a project: the walkthrough opens by itself.
  {
    const workspace = path.join(root, 'empty');
    fs.mkdirSync(workspace);
    const server = await startCodeServer(entry, { root: path.join(root, 'server-1'), trust: true, linkExtension: REPO_ROOT, settings: SETTINGS });
    const browser = await launchBrowser(path.join(root, 'browser-1'));
    try {
      await browser.page.goto(workbenchUrl({ serverUrl: server.url, folder: workspace }));
      await waitForWorkbench(browser.page);
      // As a user finds it again later (Help > Welcome lists it too); the first activation opens it itself.
      await runCommand(browser.page, 'Welcome: Open Walkthrough...');
      await browser.page
        .locator('.quick-input-widget .monaco-list-row')
        .filter({ hasText: 'MAPD Curator' })
        .first()
        .click({ timeout: 20_000 })
        .catch(async (error: unknown) => {
          await browser.page.screenshot({ path: path.join(os.tmpdir(), 'walkthrough-failed.png') });
          throw error;
        });
      await browser.page
        .getByText('Get Started with MAPD Curator')
        .first()
        .waitFor({ timeout: 60_000 })
        .catch(async (error: unknown) => {
          await browser.page.screenshot({ path: path.join(os.tmpdir(), 'walkthrough-failed.png') });
          fs.cpSync(path.join(root, 'server-1', 'user-data', 'logs'), path.join(os.tmpdir(), 'walkthrough-logs'), { recursive: true });
          throw error;
        });
      await browser.page.getByText('Create a curation project').first().waitFor({ timeout: 20_000 });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await browser.page.screenshot({ path: path.join(REPO_ROOT, 'docs/walkthrough.png') });
    } finally {
      await browser.close();
      await server.stop();
    }
  }
  // 2. The demo project, a teacher that streams slowly: Ask Teacher mid-answer.
  {
    const teacher = await startFakeServer({
      protocol: 'openai',
      streamPieces: 12,
      streamDelayMs: 400,
      responder: () =>
        'Let us work it out step by step.\n\n1. The chapters have the same number of pages.\n2. 594 pages / 3 chapters = 198 pages per chapter.\n\nThe answer is 198.',
    });
    const workspace = path.join(root, 'demo');
    run('bash', ['scripts/demo-project.sh', workspace]);
    fs.writeFileSync(
      path.join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'mapd.teachers': [{ id: 'local-teacher', provider: 'openai-compatible', model: 'local', baseUrl: teacher.baseUrl }] }, null, 2),
    );
    const server = await startCodeServer(entry, { root: path.join(root, 'server-2'), trust: true, linkExtension: REPO_ROOT, settings: SETTINGS });
    const browser = await launchBrowser(path.join(root, 'browser-2'));
    const page = browser.page;
    try {
      await page.goto(workbenchUrl({ serverUrl: server.url, folder: workspace }));
      await waitForWorkbench(page);
      await runCommand(page, 'MAPD: Ask Teacher…');
      const quick = page.locator('.quick-input-widget');
      const pick = async (text: string): Promise<void> => {
        await quick.locator('.monaco-list-row').filter({ hasText: text }).first().click();
      };
      await pick('local-teacher');
      await pick('Free text');
      await quick.locator('input').first().fill('A book has 3 chapters with the same number of pages, 594 pages in all. How many pages are in each chapter?');
      await page.keyboard.press('Enter');
      await pick('free');
      await page.getByText('step by step').first().waitFor({ timeout: 20_000 });
      await new Promise((resolve) => setTimeout(resolve, 1200));
      await page.screenshot({ path: path.join(REPO_ROOT, 'docs/ask-streaming.png') });
    } finally {
      await browser.close();
      await server.stop();
      await teacher.close();
    }
  }
  console.log('screenshots: docs/walkthrough.png, docs/ask-streaming.png');
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
