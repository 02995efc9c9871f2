// Blind mode with a queue order, in a real workbench, by keyboard only (issue 12's scenario): on the
// paper's SVAMP mistakes, b turns blind mode on and o picks "Reviewers disagree most"; five mistakes
// are decided with x, a and e (typing in the edit box) and n, and they come in the order computed
// here from the project's peer_reviews, independently of the panel's order keys; nothing of an
// undecided item's verdict is in the DOM before each decision; every event records verdict_shown = 0
// and its display time; after "Developer: Reload Window" the order is still the disagreement order
// (and the panel still blind, on the same mistake at the same place in the queue).
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import type { ScenarioContext } from '../lib/scenario.ts';
import { runCommand, waitForWorkbench, webviewFrame } from '../lib/workbench.ts';
import { sleep } from '../lib/codeServer.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { listEvents } from '../../../src/core/store/events.ts';
import { accept, editFocused, focused, key, nextMistake, prepare as prepareRelease, title } from './curation-keyboard.ts';
import { assertBlind } from './curation-blind.ts';

const DB = '.mapd/curation.db';
const MISTAKES = 5;
const TOTAL = 387;
const ORDER = 'disagreement';
const ORDER_LABEL = 'Reviewers disagree most';
const EDIT_TAIL = ' Checked by hand.';

export const prepare = prepareRelease;

/**
 * The disagreement order from the database alone: each problem's first wrong answer, the outputs
 * shown with it (its rationales, and the critiques of that answer or of none), per output the
 * spread (max − min) of its valid peer scores when it has two or more; a mistake's key is its
 * widest spread, widest first, ties by problem id, mistakes without such an output last.
 */
function disagreementOrder(workspaceDir: string): number[] {
  const db = openStore(path.join(workspaceDir, DB), { readonly: true });
  try {
    const rows = db
      .prepare(
        `WITH m AS (SELECT problem_id, MIN(id) AS answer_id FROM student_answers WHERE correct = 0 GROUP BY problem_id),
        spreads AS (
          SELECT m.problem_id, MAX(r.score) - MIN(r.score) AS spread
          FROM m JOIN teacher_outputs o ON o.problem_id = m.problem_id AND o.kind IN ('critique', 'rationale')
            AND (o.kind = 'rationale' OR o.student_answer_id IS NULL OR o.student_answer_id = m.answer_id)
          JOIN peer_reviews r ON r.output_id = o.id AND r.score IS NOT NULL
          GROUP BY o.id HAVING COUNT(r.score) >= 2)
        SELECT m.problem_id AS problemId, (SELECT MAX(s.spread) FROM spreads s WHERE s.problem_id = m.problem_id) AS spread FROM m`,
      )
      .all() as { problemId: number; spread: number | null }[];
    return rows
      .sort((a, b) => (a.spread === null ? 1 : 0) - (b.spread === null ? 1 : 0) || (b.spread ?? 0) - (a.spread ?? 0) || a.problemId - b.problemId)
      .map((r) => r.problemId);
  } finally {
    db.close();
  }
}

const shownProblem = async (frame: FrameLocator): Promise<number> => Number(await frame.locator('#mistake').getAttribute('data-problem-id'));

/** Waits until the toolbar's order select shows the order (the host's show message carries it). */
async function waitForOrder(frame: FrameLocator, order: string, label: string): Promise<void> {
  const select = frame.locator('select#order');
  await select.waitFor({ timeout: 60_000 });
  for (let waited = 0; (await select.inputValue()) !== order; waited += 200) {
    if (waited > 15_000) throw new Error(`the order select shows "${await select.inputValue()}", not "${order}"`);
    await sleep(200);
  }
  const chosen = await select.evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
  if (chosen !== label) throw new Error(`the chosen order reads "${chosen}", not "${label}"`);
}

/** Where the shown mistake sits in the queue, as the header says it: "k of N shown". */
async function position(frame: FrameLocator): Promise<string> {
  return (await frame.locator('#position').innerText()).trim();
}

/** Decides the shown mistake's critiques and rationales by keyboard, a different way per mistake, checking blindness before each key. */
async function decideMistake(page: Page, frame: FrameLocator, i: number): Promise<void> {
  await assertBlind(frame);
  if (i === 0) {
    await key(page, frame, 'x'); // reject the focused critique; the focus moves to the next one
    await assertBlind(frame);
  }
  await accept(page, frame); // a critique: the critiques are settled, the focus moves to the first rationale
  await assertBlind(frame);
  if (i === 1) await editFocused(page, frame, 'Control+End', EDIT_TAIL);
  else await accept(page, frame);
}

export default async function curationBlindOrder({ page, workspaceDir, screenshot }: ScenarioContext): Promise<void> {
  const expected = disagreementOrder(workspaceDir);
  if (expected.length !== TOTAL) throw new Error(`the project has ${expected.length} mistakes, not ${TOTAL}`);
  await runCommand(page, 'MAPD: Open Curation Panel');
  const frame = webviewFrame(page);
  await title(frame)
    .filter({ hasText: /^Mistake / })
    .waitFor({ timeout: 60_000 });
  await frame
    .locator('#progress')
    .filter({ hasText: `0 of ${TOTAL} mistakes settled` })
    .waitFor({ timeout: 30_000 });
  await focused(frame).waitFor({ timeout: 15_000 });
  await waitForOrder(frame, 'problem', 'Problem order');

  await key(page, frame, 'b');
  await frame.locator('nav.toolbar button[aria-pressed="true"]', { hasText: 'Blind' }).waitFor({ timeout: 15_000 });
  await assertBlind(frame);
  await key(page, frame, 'o'); // problem order → the next order: reviewers disagree most
  await waitForOrder(frame, ORDER, ORDER_LABEL);

  // The queue from here on: the shown mistake where the order puts it, then n follows the order.
  const start = expected.indexOf(await shownProblem(frame));
  if (start < 0) throw new Error(`the shown mistake ${await shownProblem(frame)} is not in the order`);
  const visited: number[] = [];
  for (let i = 0; i < MISTAKES; i++) {
    const want = expected[(start + i) % expected.length] as number;
    const shown = await shownProblem(frame);
    visited.push(shown);
    if (shown !== want) throw new Error(`mistake ${i + 1} is problem ${shown}; the disagreement order has ${want} (visited ${visited.join(', ')})`);
    const where = await position(frame);
    if (where !== `${((start + i) % expected.length) + 1} of ${TOTAL} shown`) throw new Error(`problem ${shown} is at "${where}" in the queue`);
    await decideMistake(page, frame, i);
    await frame
      .locator('#progress')
      .filter({ hasText: `${i + 1} of ${TOTAL} mistakes settled` })
      .waitFor({ timeout: 15_000 });
    if (i < MISTAKES - 1) await nextMistake(page, frame);
  }
  await screenshot('blind-disagreement');

  const db = openStore(path.join(workspaceDir, DB), { readonly: true });
  try {
    const events = listEvents(db);
    const actions = events.map((e) => e.action).join(' ');
    // x a a · a e · a a · a a · a a: eleven decisions, none of them with the verdict on screen.
    if (actions !== 'reject accept accept accept edit accept accept accept accept accept accept')
      throw new Error(`the events are not the keys pressed: ${actions}`);
    if (events.some((e) => e.verdictShown !== false || e.decisionMs === null))
      throw new Error(`the events do not record blind decisions with their time: ${JSON.stringify(events.map((e) => [e.verdictShown, e.decisionMs]))}`);
    if (!events.find((e) => e.action === 'edit')?.text?.endsWith(EDIT_TAIL)) throw new Error('the edit typed in the box is not the one stored');
    const decided = db
      .prepare('SELECT o.problem_id FROM curation_events e JOIN teacher_outputs o ON o.id = e.output_id GROUP BY o.problem_id ORDER BY MIN(e.id)')
      .pluck()
      .all() as number[];
    if (decided.join() !== visited.join()) throw new Error(`decisions on problems ${decided.join(', ')}, not the order's ${visited.join(', ')}`);
  } finally {
    db.close();
  }

  // Reload: the order (workspaceState) and blind mode (the setting) survive, and the queue is the same.
  const before = { problem: await shownProblem(frame), position: await position(frame) };
  await sleep(500);
  await runCommand(page, 'Developer: Reload Window');
  await waitForWorkbench(page);
  const again = webviewFrame(page);
  await title(again)
    .filter({ hasText: /^Mistake / })
    .waitFor({ timeout: 60_000 });
  await waitForOrder(again, ORDER, ORDER_LABEL);
  await again.locator('nav.toolbar button[aria-pressed="true"]', { hasText: 'Blind' }).waitFor({ timeout: 60_000 });
  const after = { problem: await shownProblem(again), position: await position(again) };
  if (after.problem !== before.problem || after.position !== before.position)
    throw new Error(`after the reload the panel shows ${JSON.stringify(after)}, not ${JSON.stringify(before)}`);
  // On to the next undecided mistake: the order's next one, still blind.
  await nextMistake(page, again);
  const next = expected[(start + MISTAKES) % expected.length] as number;
  if ((await shownProblem(again)) !== next) throw new Error(`after the reload n shows problem ${await shownProblem(again)}, not the order's ${next}`);
  await assertBlind(again);
  await screenshot('after-reload');
}
