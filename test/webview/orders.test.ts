import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MISTAKE_ORDERS, ORDER_LABELS } from '../../src/protocol/curation.ts';
import type { Browser } from './harness.ts';
import { launchBrowser, openPanel, press } from './harness.ts';
import { seedProject } from '../unit/curation/seed.ts';

/**
 * The queue's order in the built webview (issue 12): the toolbar select and keys o / Shift+O post
 * `setOrder`, the select shows the order the host answered with, next follows the order, and in
 * blind mode the select names the orders only (no score reaches it).
 */

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Mistakes p0 p2 p4 p6 p8; p6's critique by gpt has the widest peer spread (1 and 5), p2's the next (2 and 4). */
const spreads = (i: number) =>
  i === 6 ? { critiqueScores: { gpt: [1, 5] as [number, number] } } : i === 2 ? { critiqueScores: { gpt: [2, 4] as [number, number] } } : {};

const setOrders = (posted: unknown[]): string[] =>
  posted.filter((m): m is { type: 'setOrder'; order: string } => (m as { type?: unknown }).type === 'setOrder').map((m) => m.order);

test('the order select and keys o / Shift+O post setOrder; the shown order updates and j follows it; blind mode shows names only', async (t) => {
  const { db } = seedProject(t, 10, spreads);
  const panel = await openPanel(browser, { db, blind: true });
  t.after(() => panel.close());
  const { page } = panel;
  const order = page.locator('#order');
  const shownOrder = () => order.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent ?? '');
  assert.equal(await order.inputValue(), 'problem');
  assert.equal(await page.locator('#title').innerText(), 'Mistake p0');
  // Blind: the select holds the five names and nothing else (no score, no count).
  assert.deepEqual(
    await order.locator('option').allTextContents(),
    MISTAKE_ORDERS.map((o) => ORDER_LABELS[o]),
  );

  await press(panel, 'o');
  assert.deepEqual(setOrders(panel.fromWebview), ['disagreement']);
  assert.equal(await order.inputValue(), 'disagreement');
  assert.equal(await shownOrder(), 'Reviewers disagree most');
  // The panel stays on the mistake it showed; its place is now in the new order.
  assert.equal(await page.locator('#title').innerText(), 'Mistake p0');
  assert.equal(await page.locator('#position').innerText(), '3 of 5 shown');
  await press(panel, 'j');
  assert.equal(await page.locator('#title').innerText(), 'Mistake p4');
  await press(panel, 'k', 'k', 'k');
  assert.equal(await page.locator('#title').innerText(), 'Mistake p6', 'the widest spread comes first');

  await press(panel, 'Shift+O', 'Shift+O');
  assert.deepEqual(setOrders(panel.fromWebview), ['disagreement', 'problem', 'wrongSteps']);
  assert.equal(await order.inputValue(), 'wrongSteps', 'Shift+O wraps backwards');
  assert.equal(await shownOrder(), 'Wrong steps first');

  await order.selectOption('threshold');
  await panel.settle();
  assert.deepEqual(setOrders(panel.fromWebview).at(-1), 'threshold');
  assert.equal(await shownOrder(), 'Closest to the acceptance threshold');
  // Still blind: no peer score in the DOM of the shown undecided mistake.
  assert.equal(await page.locator('.item .score').count(), 0);
  assert.deepEqual(panel.pageErrors, []);
});

test('a panel opened with a kept order shows it and navigates in it (the order survives a reload)', async (t) => {
  const { db } = seedProject(t, 10, spreads);
  const panel = await openPanel(browser, { db, order: 'disagreement', state: { problemId: null, focus: 0 } });
  t.after(() => panel.close());
  assert.equal(await panel.page.locator('#order').inputValue(), 'disagreement');
  // The landing is the first undecided mistake in that order.
  assert.equal(await panel.page.locator('#title').innerText(), 'Mistake p6');
  await press(panel, 'n');
  assert.equal(await panel.page.locator('#title').innerText(), 'Mistake p2');
});
