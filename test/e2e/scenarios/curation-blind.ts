// Blind mode in a real workbench, by keyboard only: on the paper's SVAMP mistakes, b turns it on
// (the setting mapd.curation.blind is written), nothing of an undecided item's peer verdict is in
// the panel's DOM, five mistakes are curated with a a n, each event records verdict_shown = 0 and
// its display time; after "Developer: Reload Window" the panel is still blind.
import path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import type { ScenarioContext } from '../lib/scenario.ts';
import { openCurationPanel, runCommand, waitForWorkbench, webviewFrame } from '../lib/workbench.ts';
import { sleep } from '../lib/codeServer.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { listEvents } from '../../../src/core/store/events.ts';
import { key, prepare as prepareRelease } from './curation-keyboard.ts';

const DB = '.mapd/curation.db';

export const prepare = prepareRelease;

/** Nothing of an undecided item's verdict in the DOM: no score, rank or review element, no "peer n" text. */
export async function assertBlind(frame: FrameLocator): Promise<void> {
  await frame.locator('.item [data-blinded]').first().waitFor({ timeout: 15_000 });
  const leaks = await frame.locator('.item:has([data-blinded]) :is(.score, .rank, .reviews, .review-text)').count();
  if (leaks > 0) throw new Error(`blind mode: ${leaks} verdict elements of undecided items are in the DOM`);
  const html = await frame.locator('#mistake').evaluate((e) =>
    [...e.querySelectorAll('.item')]
      .filter((i) => i.querySelector('[data-blinded]'))
      .map((i) => i.outerHTML)
      .join(''),
  );
  if (/peer \d/.test(html)) throw new Error("blind mode: a peer score is in an undecided item's DOM");
}

export default async function curationBlind({ page, workspaceDir, screenshot }: ScenarioContext): Promise<void> {
  const frame = await openCurationPanel(page);
  await key(page, frame, 'b');
  await frame.locator('nav.toolbar button[aria-pressed="true"]', { hasText: 'Blind' }).waitFor({ timeout: 15_000 });
  for (let i = 0; i < 5; i++) {
    await assertBlind(frame);
    await key(page, frame, 'a');
    // A flagged rationale asks once before an accept: the second a goes through.
    if ((await frame.locator('.item.focused [data-warning="answer-mismatch"]').count()) > 0) {
      await page.keyboard.press('a');
      await sleep(300);
    }
    await key(page, frame, 'a');
    await frame
      .locator('#progress')
      .filter({ hasText: `${i + 1} of 387 mistakes settled` })
      .waitFor({ timeout: 15_000 });
    const before = await frame.locator('#title').innerText();
    await page.keyboard.press('n');
    await frame.locator('#title').filter({ hasNotText: before }).waitFor({ timeout: 15_000 });
  }
  await screenshot('blind');
  const db = openStore(path.join(workspaceDir, DB), { readonly: true });
  try {
    const events = listEvents(db);
    if (events.length !== 10 || events.some((e) => e.verdictShown !== false || e.decisionMs === null)) {
      throw new Error(`the events do not record blind decisions with their time: ${JSON.stringify(events.map((e) => [e.verdictShown, e.decisionMs]))}`);
    }
  } finally {
    db.close();
  }
  await sleep(500);
  await runCommand(page, 'Developer: Reload Window');
  await waitForWorkbench(page);
  const again = webviewFrame(page);
  await again.locator('nav.toolbar button[aria-pressed="true"]', { hasText: 'Blind' }).waitFor({ timeout: 60_000 });
  await assertBlind(again);
}
