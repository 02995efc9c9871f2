// The project commands as a person uses them: the welcome view's "New Curation Project" button,
// then "MAPD: Import Problems…" through the file dialog, the task and split pickers, an import
// that fails on a bad row and is retried skipping it, then "MAPD: Import Student Answers…"; the
// Problems view shows the groups and the wrong answer against gold.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ScenarioContext } from '../lib/scenario.ts';
import { openViewContainer, runCommand, viewRows } from '../lib/workbench.ts';

const PROBLEMS = 'gsm8k-mini.jsonl';
const ANSWERS = 'answers.jsonl';

export function prepare({ workspaceDir }: { workspaceDir: string }): void {
  const rows = [
    { question: 'Ann has 3 apples and buys 4 more. How many apples does she have?', answer: '3 + 4 = 7\n#### 7' },
    '{"question": "a broken line',
    { question: 'Bo has 10 pens and gives away 2. How many pens are left?', answer: '10 - 2 = 8\n#### 8' },
  ];
  fs.writeFileSync(path.join(workspaceDir, PROBLEMS), rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
  // A gsm8k record without an "id" gets its 0-based record index (stable when a bad row is skipped).
  fs.writeFileSync(
    path.join(workspaceDir, ANSWERS),
    [
      { id: '0', output: 'She buys 4 and has 3, so 3 * 4 = 12. The answer is 99.' },
      { id: '2', output: '10 - 2 = 8. The answer is 8.' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
}

const quickInput = (page: Page) => page.locator('.quick-input-widget');
const quickInputBox = (page: Page) => page.locator('.quick-input-widget .quick-input-box input').first();

/** Answers the file dialog (in the browser, VS Code's own quick-input dialog) with a path. */
async function chooseFile(page: Page, file: string): Promise<void> {
  const box = quickInputBox(page);
  await box.waitFor({ state: 'visible', timeout: 20_000 });
  // The dialog rewrites its input with the folder path once it has listed the folder; a path
  // typed before that is lost. Wait for the listing, then type until the value sticks.
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 20_000 });
  for (let attempt = 0; attempt < 10; attempt++) {
    await box.fill(file);
    await page.waitForTimeout(300);
    if ((await box.inputValue()) === file) break;
  }
  await page.keyboard.press('Enter');
}

async function acceptQuickInput(page: Page, title: RegExp): Promise<void> {
  await quickInput(page).filter({ hasText: title }).waitFor({ state: 'visible', timeout: 20_000 });
  await page.keyboard.press('Enter');
}

function toast(page: Page, text: RegExp) {
  return page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
}

/**
 * Waits for a notification. A notification raised right after a toast's button was clicked can
 * land in the notification center without a toast of its own, so the center is checked too.
 */
async function notice(page: Page, text: RegExp): Promise<void> {
  try {
    await toast(page, text).waitFor({ timeout: 5000 });
    return;
  } catch {
    // not as a toast: look in the center
  }
  await runCommand(page, 'Notifications: Show Notifications');
  await page.locator('.notifications-center .notification-list-item').filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
  await runCommand(page, 'Notifications: Clear All Notifications');
}

export default async function projectImport({ page, workspaceDir, screenshot }: ScenarioContext): Promise<void> {
  await openViewContainer(page, 'MAPD Curator');
  const welcome = page.locator('.part.sidebar .welcome-view');
  await welcome.getByRole('button', { name: 'New Curation Project' }).click({ timeout: 30_000 });
  await notice(page, /Created a curation project in \.mapd[/\\]curation\.db/);

  await runCommand(page, 'MAPD: Import Problems…');
  await chooseFile(page, path.join(workspaceDir, PROBLEMS));
  // The guessed task (from the file name) comes first: Enter takes it; Enter again keeps the split.
  await acceptQuickInput(page, /gsm8k.*guessed from the file/);
  await acceptQuickInput(page, /train/);
  const failed = toast(page, /gsm8k-mini\.jsonl:2/);
  await failed.waitFor({ timeout: 20_000 });
  await screenshot('bad-row');
  await failed.getByRole('button', { name: 'Import, skipping bad rows' }).click();
  await notice(page, /Imported 2 new problems from gsm8k-mini\.jsonl \(gsm8k\/train\)\. Skipped 1 bad row \(line 2/);

  const rows = viewRows(page, 'Problems');
  await rows.filter({ hasText: 'Unanswered (2)' }).waitFor({ timeout: 20_000 });

  await runCommand(page, 'MAPD: Import Student Answers…');
  await chooseFile(page, path.join(workspaceDir, ANSWERS));
  await acceptQuickInput(page, /Name of the student model/);
  await notice(page, /Imported 2 student answers from answers\.jsonl: 1 mistake, 1 correct/);
  await rows.filter({ hasText: 'Mistakes (1)' }).waitFor({ timeout: 20_000 });
  await rows.filter({ hasText: 'Correct (1)' }).waitFor({ timeout: 20_000 });
  // Mistakes open by default; the row shows the source id, the question and the wrong answer against gold.
  await rows
    .filter({ hasText: /0: 99 ≠ 7/ })
    .filter({ hasText: 'Ann has 3 apples' })
    .waitFor({ timeout: 20_000 });
  await screenshot('problems-view');
}
