// The curation panel in a real workbench, by keyboard only: a project holding the paper's SVAMP
// mistakes (imported from mapd_release); ten mistakes curated with a, x, e (typing in the edit
// box, Ctrl+Enter), u, n and the digit keys; every decision in the store; "Developer: Reload
// Window" brings the panel back on the same mistake and item; a decision made right before the
// extension host is killed is in the store.
import fs from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import type { ScenarioContext } from '../lib/scenario.ts';
import { runCommand, viewRows, waitForWorkbench, webviewFrame } from '../lib/workbench.ts';
import { sharedDataDir } from '../lib/paths.ts';
import { sleep } from '../lib/codeServer.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { allCurationStates, listEvents } from '../../../src/core/store/events.ts';
import { importTeacherOutputsFile } from '../../../src/core/import/index.ts';

const DB = '.mapd/curation.db';
const EDITED = 'Each group has 290 / 2 = 145 bananas, so the answer is 145.';

export function prepare({ workspaceDir }: { workspaceDir: string }): void {
  const shared = sharedDataDir();
  if (!shared) throw new Error('the shared data folder (mapd_release) is needed for this scenario');
  const db = openStore(path.join(workspaceDir, DB));
  try {
    for (const name of ['svamp_false', 'svamp_feedback', 'svamp_rationale']) {
      importTeacherOutputsFile(db, path.join(shared, 'mapd_release', `Llama-2-7b-chat-hf_${name}_round0.json`));
    }
  } finally {
    db.close();
  }
}

function storeFacts(workspaceDir: string): { accepted: number; rejected: number; edited: string[]; events: number } {
  const db = openStore(path.join(workspaceDir, DB), { readonly: true });
  try {
    const states = [...allCurationStates(db).values()];
    return {
      accepted: states.filter((s) => s.decision === 'accepted').length,
      rejected: states.filter((s) => s.decision === 'rejected').length,
      edited: states.filter((s) => s.editedText !== null).map((s) => s.editedText as string),
      events: listEvents(db).length,
    };
  } finally {
    db.close();
  }
}

export const title = (frame: FrameLocator) => frame.locator('#title');
export const focused = (frame: FrameLocator) => frame.locator('.item.focused');

/** Presses a key in the panel and waits until no decision is waiting for the host. */
export async function key(page: Page, frame: FrameLocator, keys: string): Promise<void> {
  await page.keyboard.press(keys);
  await sleep(150);
  await frame.locator('.badge.pending').first().waitFor({ state: 'detached', timeout: 15_000 });
}

/** Accepts the focused item; a rationale flagged for missing gold takes a second a (the first asks). */
export async function accept(page: Page, frame: FrameLocator): Promise<void> {
  if ((await focused(frame).locator('[data-warning="answer-mismatch"]').count()) > 0) {
    await page.keyboard.press('a');
    await frame.locator('#notice').filter({ hasText: 'press a again to accept anyway' }).waitFor({ timeout: 15_000 });
  }
  await key(page, frame, 'a');
}

/** Edits the focused item with e: `select` (Control+a replaces, Control+End appends), then types `text` and saves with Ctrl+Enter. */
export async function editFocused(page: Page, frame: FrameLocator, select: 'Control+a' | 'Control+End', text: string): Promise<void> {
  await page.keyboard.press('e');
  await frame.locator('textarea.edit-text').waitFor({ timeout: 15_000 });
  await page.keyboard.press(select);
  // Letters that are panel keys, typed into the box, are text.
  await page.keyboard.type(text);
  await key(page, frame, 'Control+Enter');
  await focused(frame).locator('[data-decision="edited"]').waitFor({ timeout: 15_000 });
}

export async function nextMistake(page: Page, frame: FrameLocator): Promise<void> {
  const before = await title(frame).innerText();
  await page.keyboard.press('n');
  await title(frame).filter({ hasNotText: before }).waitFor({ timeout: 15_000 });
}

/** The extension host code-server started for this scenario (its ancestry includes our server's folder). */
function extensionHostPid(serverRoot: string): number | undefined {
  const cmdline = (pid: string): string => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      return '';
    }
  };
  const parent = (pid: string): string | undefined => {
    try {
      return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1];
    } catch {
      return undefined;
    }
  };
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (!cmdline(pid).includes('extensionHost')) continue;
    for (let up = parent(pid); up && up !== '0' && up !== '1'; up = parent(up)) {
      if (cmdline(up).includes(serverRoot)) return Number(pid);
    }
  }
  return undefined;
}

export default async function curationKeyboard({ page, workspaceDir, screenshot }: ScenarioContext): Promise<void> {
  await runCommand(page, 'MAPD: Open Curation Panel');
  const frame = webviewFrame(page);
  await title(frame)
    .filter({ hasText: /^Mistake / })
    .waitFor({ timeout: 60_000 });
  await frame.locator('#progress').filter({ hasText: '0 of 387 mistakes settled' }).waitFor({ timeout: 30_000 });
  await focused(frame).waitFor({ timeout: 15_000 });

  // Ten mistakes, keys only. Each: the top critique and the top rationale accepted, with variations.
  for (let i = 0; i < 10; i++) {
    if (i === 2) await key(page, frame, 'x'); // reject the top critique; the focus moves to the next one
    if (i === 8) {
      // Out of the search field with Esc and straight on with a key: the key is acted on, not
      // dropped while the host catches up with the focus.
      await page.keyboard.press('/');
      await frame.locator('#filter-search:focus').waitFor({ timeout: 15_000 });
      await page.keyboard.press('Escape');
    }
    await key(page, frame, 'a'); // accept the focused critique; the focus moves to the first rationale
    if (i === 4) {
      await editFocused(page, frame, 'Control+a', EDITED);
    } else {
      await accept(page, frame);
    }
    if (i === 6) {
      await key(page, frame, 'u'); // undo the rationale just accepted, then accept it again
      await frame.locator('.item.focused [data-decision="undecided"]').waitFor({ timeout: 15_000 });
      await accept(page, frame);
    }
    await frame
      .locator('#progress')
      .filter({ hasText: `${i + 1} of 387 mistakes settled` })
      .waitFor({ timeout: 15_000 });
    if (i < 9) await nextMistake(page, frame);
  }
  const facts = storeFacts(workspaceDir);
  if (facts.accepted !== 20 || facts.rejected !== 1 || facts.edited.length !== 1 || facts.edited[0] !== EDITED) {
    throw new Error(`the store does not hold the ten mistakes' decisions: ${JSON.stringify(facts)}`);
  }
  // The status bar counts in the panel's words (README, Glossary).
  await page
    .locator('.statusbar-item')
    .filter({ hasText: /10 of 387 mistakes settled · 21 outputs decided/ })
    .first()
    .waitFor({ timeout: 15_000 });
  await key(page, frame, '3');
  const where = { title: await title(frame).innerText(), item: await focused(frame).getAttribute('aria-label') };
  await screenshot('curated-ten');

  // A click on the status bar shows the Problems view: the ten settled mistakes are marked there.
  await page
    .locator('.statusbar-item')
    .filter({ hasText: /mistakes settled/ })
    .first()
    .click();
  await viewRows(page, 'Problems')
    .filter({ hasText: /✓ settled/ })
    .first()
    .waitFor({ timeout: 15_000 });
  await screenshot('problems-marked');
  await page.locator('.tabs-container .tab').filter({ hasText: 'MAPD Curation' }).first().click();

  // Reload the window: the panel comes back on the same mistake and item; the decisions are there.
  await sleep(500);
  await runCommand(page, 'Developer: Reload Window');
  await waitForWorkbench(page);
  const again = webviewFrame(page);
  await title(again).filter({ hasText: where.title }).waitFor({ timeout: 60_000 });
  const item = await focused(again).getAttribute('aria-label');
  if (item !== where.item) throw new Error(`after the reload the focus is on "${item}", not "${where.item}"`);
  await again.locator('#progress').filter({ hasText: '10 of 387 mistakes settled' }).waitFor({ timeout: 15_000 });
  await screenshot('after-reload');

  // One more decision, then the extension host dies without warning: the decision is in the store.
  await focused(again).waitFor({ timeout: 15_000 });
  await page.keyboard.press('n');
  await sleep(500);
  await key(page, again, 'a');
  const before = storeFacts(workspaceDir).events;
  const serverRoot = path.dirname(path.dirname(workspaceDir));
  const pid = extensionHostPid(serverRoot);
  if (pid === undefined) throw new Error("could not find this scenario's extension host process");
  process.kill(pid, 'SIGKILL');
  await sleep(1000);
  const after = storeFacts(workspaceDir);
  if (after.events !== before || after.accepted !== 21) throw new Error(`after the kill the store holds ${JSON.stringify(after)}; expected 21 accepted`);
}
