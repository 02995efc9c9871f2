// The queue's order in a real workbench, by keyboard only: on the paper's SVAMP mistakes, o picks
// "Reviewers disagree most", n walks the mistakes in that order (checked against the stored keys),
// and after "Developer: Reload Window" the panel comes back in that order (workspaceState).
import path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import type { ScenarioContext } from '../lib/scenario.ts';
import { openCurationPanel, runCommand, waitForWorkbench, webviewFrame } from '../lib/workbench.ts';
import { sleep } from '../lib/codeServer.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { prepare as prepareRelease } from './curation-keyboard.ts';

const DB = '.mapd/curation.db';

export const prepare = prepareRelease;

async function orderShown(frame: FrameLocator, order: string): Promise<void> {
  for (let tries = 0; tries < 150; tries++) {
    if ((await frame.locator('#order').inputValue()) === order) return;
    await sleep(100);
  }
  throw new Error(`the order select never showed ${order}`);
}

/** The mistakes' titles in the disagreement order, from the keys the panel stored. */
function titlesInOrder(workspaceDir: string): string[] {
  const db = openStore(path.join(workspaceDir, DB), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT p.source_id FROM mistake_order_keys k JOIN student_answers a ON a.id = k.answer_id JOIN problems p ON p.id = a.problem_id
        WHERE NOT EXISTS (SELECT 1 FROM student_answers b WHERE b.correct = 0 AND b.problem_id = a.problem_id AND b.id < a.id)
        ORDER BY k.by_disagreement, k.problem_id`,
      )
      .pluck()
      .all()
      .map((id) => `Mistake ${id as string}`);
  } finally {
    db.close();
  }
}

export default async function curationOrder({ page, workspaceDir, screenshot }: ScenarioContext): Promise<void> {
  const frame = await openCurationPanel(page);
  await page.keyboard.press('o');
  await orderShown(frame, 'disagreement');
  const titles = titlesInOrder(workspaceDir);
  if (titles.length !== 387) throw new Error(`expected keys for the 387 mistakes, found ${titles.length}`);
  for (let i = 0; i < 3; i++) {
    const before = await frame.locator('#title').innerText();
    const expected = titles[(titles.indexOf(before) + 1) % titles.length] as string;
    await page.keyboard.press('n');
    const exact = new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    await frame.locator('#title').filter({ hasText: exact }).waitFor({ timeout: 15_000 });
  }
  await screenshot('order');
  await sleep(500);
  await runCommand(page, 'Developer: Reload Window');
  await waitForWorkbench(page);
  const again = webviewFrame(page);
  await again
    .locator('#title')
    .filter({ hasText: /^Mistake / })
    .waitFor({ timeout: 60_000 });
  await orderShown(again, 'disagreement');
}
