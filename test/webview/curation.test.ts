import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { curationState, listEvents } from '../../src/core/store/events.ts';
import type { Db } from '../../src/core/store/db.ts';
import { EMPTY_FILTER } from '../../src/protocol/curation.ts';
import type { Browser, PanelPage } from './harness.ts';
import { launchBrowser, openPanel, panelKeybindings, press } from './harness.ts';
import { seedProject } from '../unit/curation/seed.ts';
import { identityOf } from '../../src/core/decisions/identity.ts';
import { teamEventId } from '../../src/core/team/eventLine.ts';
import { addTeamEvents, rebuildTeamDecisions } from '../../src/core/team/teamStore.ts';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

type T = Parameters<typeof seedProject>[0];

async function open(t: T, count = 10, spec?: Parameters<typeof seedProject>[2], state?: unknown): Promise<PanelPage & { db: Db }> {
  const { db } = seedProject(t, count, spec);
  const panel = await openPanel(browser, { db, state });
  t.after(() => panel.close());
  return { ...panel, db };
}

const text = (panel: PanelPage, selector: string): Promise<string> => panel.page.locator(selector).first().innerText();
const focusedLabel = (panel: PanelPage): Promise<string | null> => panel.page.locator('.item.focused').getAttribute('aria-label');
const focusedId = async (panel: PanelPage): Promise<number> => Number(await panel.page.locator('.item.focused').getAttribute('data-output-id'));

test("renders the first undecided mistake: question, gold, marked student answer, ranked items with reviewers' scores", async (t) => {
  const panel = await open(t, 10, (i) =>
    i === 0 ? { critiqueScores: { gpt: [5, 5], gemini: [2, 3], mixtral: [4, 4] }, rationaleAnswers: { gemini: '9' } } : {},
  );
  assert.equal(await text(panel, '#title'), 'Mistake p0');
  assert.equal(await text(panel, '#progress'), '0 of 5 mistakes settled');
  assert.equal(await text(panel, '#position'), '1 of 5 shown');
  assert.equal(await text(panel, '.question'), 'What is 0 + 0? (item 0)');
  assert.equal(await text(panel, '.gold-answer'), '0');
  assert.equal(await text(panel, '.student-answer'), '1');
  assert.equal(await text(panel, '.student-output mark.extracted'), '1');
  const critiques = await panel.page.locator('.item.critique .teacher').allInnerTexts();
  assert.deepEqual(critiques, ['gpt', 'mixtral', 'gemini'], 'ranked by peer score, best first');
  assert.deepEqual(await panel.page.locator('.item.critique .score').allInnerTexts(), ['peer 5', 'peer 4', 'peer 2.5']);
  const firstReviews = await panel.page.locator('.item.critique').first().locator('.review').allInnerTexts();
  assert.deepEqual(
    firstReviews.map((r) => r.replace(/\s+/g, ' ')),
    ['gemini 5', 'mixtral 5'],
  );
  assert.equal(await panel.page.locator('.item.rationale').count(), 3);
  assert.equal(await focusedLabel(panel), 'Critique 1 by gpt');
  assert.deepEqual(panel.pageErrors, []);
  assert.deepEqual(panel.foreignRequests, []);
});

test('every key: a x e u j k n 1–9 r / Shift+B act through the contributed keybindings', async (t) => {
  const panel = await open(t, 10);
  const keys = new Set(panelKeybindings().map((k) => k.key));
  for (const key of ['a', 'x', 'e', 'u', 'j', 'k', 'n', 'r', '/', 'shift+b', '1', '5', '9']) assert.ok(keys.has(key), `package.json binds ${key}`);
  // No binding waits for the `mapd.curation.editing` context key: it lags the focus by a host round
  // trip. Keys typed into a field never reach the workbench (the webview keeps them), so the
  // webview's focus at the moment of the key decides.
  assert.ok(panelKeybindings().every((k) => k.when?.includes("activeWebviewPanelId == 'mapd.curation'") && !k.when.includes('mapd.curation.editing')));

  // a: accept the focused critique; focus moves to the first rationale (critiques are settled).
  const firstCritique = await focusedId(panel);
  await press(panel, 'a');
  assert.equal(curationState(panel.db, firstCritique).decision, 'accepted');
  assert.equal(await focusedLabel(panel), 'Rationale 1 by gemini');
  // x: reject the focused rationale.
  const rationale = await focusedId(panel);
  await press(panel, 'x');
  assert.equal(curationState(panel.db, rationale).decision, 'rejected');
  // 1–9 focus an item by number.
  await press(panel, '3');
  assert.equal(await focusedLabel(panel), 'Critique 3 by mixtral');
  await press(panel, '6');
  assert.equal(await focusedLabel(panel), 'Rationale 3 by mixtral');
  await press(panel, '9');
  assert.equal(await focusedLabel(panel), 'Rationale 3 by mixtral', 'a number past the last item focuses the last');
  // r: reviewers' texts one key away.
  assert.equal(await panel.page.locator('.review-text').count(), 0);
  await press(panel, 'r');
  assert.equal(await text(panel, '.item.focused .review-text'), 'Review by gemini: [4]');
  await press(panel, 'r');
  assert.equal(await panel.page.locator('.review-text').count(), 0);
  // j / k: next and previous mistake.
  await press(panel, 'j');
  assert.equal(await text(panel, '#title'), 'Mistake p2');
  await press(panel, 'j', 'k');
  assert.equal(await text(panel, '#title'), 'Mistake p2');
  // u: undo (across items): the reject on p0 comes back, and the panel goes there.
  await press(panel, 'u');
  assert.equal(await text(panel, '#title'), 'Mistake p0');
  assert.equal(await focusedId(panel), rationale);
  assert.equal(curationState(panel.db, rationale).decision, 'undecided');
  // n: next undecided.
  await press(panel, 'n');
  assert.equal(await text(panel, '#title'), 'Mistake p2');
  // /: search box; typing there is text, not actions.
  await press(panel, '/');
  assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'filter-search');
  await panel.page.keyboard.type('zz');
  // Ctrl+A selects what is there, and only that: text typed right after it stays.
  await panel.page.keyboard.press('Control+a');
  await panel.page.keyboard.type('axjk axjk axjk', { delay: 5 });
  await panel.settle();
  assert.equal(await panel.page.inputValue('#filter-search'), 'axjk axjk axjk');
  assert.equal(listEvents(panel.db).filter((e) => e.action !== 'undo').length, 2, 'typing in the search box decided nothing');
  await panel.page.fill('#filter-search', '');
  await press(panel, 'Enter', 'Escape');
  assert.equal(await panel.page.evaluate(() => document.activeElement?.classList.contains('item')), true, 'Esc leaves the search box');
  // e: edit; typing never triggers an action; Ctrl+Enter saves.
  const editedId = await focusedId(panel);
  await press(panel, 'e');
  assert.equal(await panel.page.evaluate(() => document.activeElement?.className), 'edit-text');
  await panel.page.keyboard.press('Control+a');
  await panel.page.keyboard.type('axe junk key n u r 1 2 /', { delay: 5 });
  await panel.settle();
  assert.equal(curationState(panel.db, editedId).decision, 'undecided', 'no key typed in the edit box acted');
  await press(panel, 'Control+Enter');
  assert.deepEqual([curationState(panel.db, editedId).decision, curationState(panel.db, editedId).editedText], ['accepted', 'axe junk key n u r 1 2 /']);
  // Esc leaves the edit box without saving; with changes it asks first, and a second Esc discards.
  await press(panel, 'e');
  await panel.page.keyboard.type(' more');
  await press(panel, 'Escape');
  assert.equal(await panel.page.locator('.edit-discard').isVisible(), true, 'a changed edit is not dropped on one Esc');
  await press(panel, 'Escape');
  assert.equal(await panel.page.locator('.edit-text').count(), 0);
  assert.equal(curationState(panel.db, editedId).editedText, 'axe junk key n u r 1 2 /');
  // Shift+B: the bulk action asks first, with the count, then accepts in one batch.
  await press(panel, 'Shift+B');
  // p0 and p2 already have a decided critique: the curator's decisions are left alone.
  assert.match(await text(panel, '#confirm-text'), /of 3 mistakes whose reviewers agree/);
  await press(panel, 'Enter');
  const batch = listEvents(panel.db).filter((e) => e.batch !== null);
  assert.equal(batch.length, 3);
  assert.equal(new Set(batch.map((e) => e.batch)).size, 1, 'one batch');
  await press(panel, 'u');
  assert.equal(listEvents(panel.db).filter((e) => e.action === 'undo' && e.batch !== null).length, 3, 'one undo reverts the whole batch');
  assert.deepEqual(panel.pageErrors, []);
});

test('a key pressed at once after leaving the edit box or the search field is acted on, not dropped', async (t) => {
  const panel = await open(t, 10);
  // Esc out of the edit box, then x within the same task: the context key has not caught up yet.
  const critique = await focusedId(panel);
  await press(panel, 'e');
  assert.equal(await panel.page.evaluate(() => document.activeElement?.className), 'edit-text');
  await panel.page.keyboard.press('Escape');
  await panel.page.keyboard.press('x');
  await panel.settle();
  assert.equal(curationState(panel.db, critique).decision, 'rejected', 'x right after Esc in the edit box');
  // Esc out of the search field, then 1 and a at once.
  await press(panel, '/');
  assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'filter-search');
  await panel.page.keyboard.press('Escape');
  await panel.page.keyboard.press('1');
  await panel.page.keyboard.press('a');
  await panel.settle();
  assert.equal(curationState(panel.db, critique).decision, 'accepted', 'a right after Esc in the search field');
  // And keys typed in the field still never act.
  await press(panel, '/');
  await panel.page.keyboard.type('xa', { delay: 0 });
  await panel.page.keyboard.press('Escape');
  await panel.page.fill('#filter-search', '');
  await panel.settle();
  assert.equal(listEvents(panel.db).length, 2);
  assert.deepEqual(panel.pageErrors, []);
});

test('each card has Accept / Reject / Edit buttons naming their key, and the mouse decides with them', async (t) => {
  const panel = await open(t, 10);
  const second = panel.page.locator('.item.critique').nth(1);
  assert.deepEqual(await second.locator('button[data-action]').evaluateAll((bs) => bs.map((b) => b.getAttribute('title'))), [
    'Accept Critique 2 by gpt (a)',
    'Reject Critique 2 by gpt (x)',
    'Edit Critique 2 by gpt (e)',
  ]);
  assert.deepEqual(
    (await second.locator('button[data-action]').allInnerTexts()).map((b) => b.replace(/\s+/g, ' ')),
    ['Accept a', 'Reject x', 'Edit e'],
  );
  const id = Number(await second.getAttribute('data-output-id'));
  await second.locator('button[data-action="reject"]').click();
  await panel.settle();
  assert.equal(curationState(panel.db, id).decision, 'rejected', 'the button acts on its own card, not the focused one');
  const rationale = panel.page.locator('.item.rationale').nth(2);
  const rationaleId = Number(await rationale.getAttribute('data-output-id'));
  await rationale.locator('button[data-action="edit"]').click();
  await panel.settle();
  assert.equal(await panel.page.evaluate(() => document.activeElement?.className), 'edit-text');
  await panel.page.locator('.edit-text').fill('edited by mouse');
  await panel.page.getByRole('button', { name: 'Save the edit' }).click();
  await panel.settle();
  assert.equal(curationState(panel.db, rationaleId).editedText, 'edited by mouse');
  await panel.page.locator('.item.rationale').nth(0).locator('button[data-action="accept"]').click();
  await panel.settle();
  assert.equal(listEvents(panel.db).length, 3);
  assert.deepEqual(panel.pageErrors, []);
});

test('? and the Keys button open a list of every key; Esc closes it', async (t) => {
  const panel = await open(t, 4);
  assert.equal(await panel.page.locator('#help').isVisible(), false);
  await press(panel, '?');
  assert.equal(await panel.page.locator('#help').isVisible(), true);
  const listed = (await panel.page.locator('#help th').allInnerTexts()).join(' ').toLowerCase();
  for (const binding of panelKeybindings()) {
    const key = binding.key.toLowerCase();
    assert.ok(listed.includes(key) || (/^[1-9]$/.test(key) && listed.includes('1 – 9')), `the list names ${key}`);
  }
  for (const key of ['ctrl+enter', 'esc', '?']) assert.ok(listed.includes(key), `the list names ${key}`);
  await press(panel, 'Escape');
  assert.equal(await panel.page.locator('#help').isVisible(), false);
  assert.equal(await panel.page.evaluate(() => document.activeElement?.classList.contains('item')), true, 'focus back on the items');
  assert.equal(listEvents(panel.db).length, 0);
  await panel.page.locator('#show-keys').click();
  assert.equal(await panel.page.locator('#help').isVisible(), true);
  assert.match((await panel.page.locator('#show-keys').getAttribute('title')) ?? '', /\(\?\)/);
  await press(panel, 'Escape');
  assert.equal(await panel.page.locator('#help').isVisible(), false);
});

test('a new mistake opens scrolled to the top, and the header and toolbar stay on screen', async (t) => {
  const panel = await open(t, 10);
  await panel.page.setViewportSize({ width: 900, height: 360 });
  const scrolled = () => panel.page.evaluate(() => window.scrollY);
  await panel.page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  assert.ok((await scrolled()) > 100, 'the mistake is taller than the window');
  const top = await panel.page.locator('#top').boundingBox();
  assert.ok(top && top.y === 0, 'the header and toolbar are stuck at the top');
  assert.equal(await panel.page.locator('#top button[aria-label="Next mistake"]').isVisible(), true);
  await press(panel, 'j');
  assert.equal(await text(panel, '#title'), 'Mistake p2');
  assert.equal(await scrolled(), 0, 'the next mistake starts at its question');
  await panel.page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await press(panel, 'k');
  assert.equal(await scrolled(), 0, 'also when painted from the prefetched neighbours');
  // Within a mistake the focused card is brought into view, clear of the sticky top.
  await press(panel, '6');
  const card = await panel.page.locator('.item.focused').boundingBox();
  const bar = await panel.page.locator('#top').boundingBox();
  assert.ok(
    card && bar && card.y >= bar.y + bar.height - 1 && card.y + card.height <= 360 + 1,
    `the focused card is visible below the toolbar (${card?.y}, bar ${bar?.height})`,
  );
});

test('the edit box opens in view with Save and Cancel on screen; Esc on a changed edit asks, Enter keeps editing', async (t) => {
  const panel = await open(t, 10);
  await panel.page.setViewportSize({ width: 900, height: 420 });
  await press(panel, '6', 'e');
  const inView = (selector: string) =>
    panel.page.locator(selector).evaluate((node) => {
      const r = node.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight + 1;
    });
  assert.equal(await inView('.edit-actions'), true, 'Save and Cancel are on screen');
  assert.equal(await inView('.edit-text'), true);
  await panel.page.keyboard.press('End');
  await panel.page.keyboard.type(' changed');
  await press(panel, 'Escape');
  assert.match(await text(panel, '.edit-discard'), /Discard your changes\? Esc again discards · Enter keeps editing/);
  await press(panel, 'Enter');
  assert.equal(await panel.page.locator('.edit-discard').isVisible(), false);
  assert.match(await panel.page.inputValue('.edit-text'), / changed$/, 'Enter kept the text as it was (no new line)');
  await press(panel, 'Escape', 'Escape');
  assert.equal(await panel.page.locator('.edit-text').count(), 0, 'the second Esc discards');
  assert.equal(listEvents(panel.db).length, 0);
  // Unchanged, one Esc closes at once.
  await press(panel, 'e', 'Escape');
  assert.equal(await panel.page.locator('.edit-text').count(), 0);
});

test('undo says what it undid', async (t) => {
  const panel = await open(t, 10);
  const teacher = async () => panel.page.locator('.item.focused .teacher').innerText();
  const critiqueBy = await teacher();
  await press(panel, 'a');
  await press(panel, 'u');
  assert.equal(await text(panel, '#notice'), `Undid accept of ${critiqueBy}'s critique.`);
  await press(panel, '4');
  const rationaleBy = await teacher();
  await press(panel, 'x', 'j', 'u');
  assert.equal(await text(panel, '#title'), 'Mistake p0');
  assert.equal(await text(panel, '#notice'), `Undid reject of ${rationaleBy}'s rationale.`, 'also for a decision on another mistake');
  await press(panel, 'e');
  await panel.page.locator('.edit-text').fill('rewritten');
  await press(panel, 'Control+Enter', 'u');
  assert.equal(await text(panel, '#notice'), `Undid edit of ${rationaleBy}'s rationale.`);
});

test('search hits are highlighted with mark elements holding only text', async (t) => {
  const panel = await open(t, 10);
  await panel.page.fill('#filter-search', 'ITEM 4 <b>');
  await panel.page.locator('#filter-search').press('Enter');
  await panel.settle();
  assert.equal(await panel.page.locator('mark.hit').count(), 0, 'no mistake has <b>: nothing shown');
  await panel.page.fill('#filter-search', 'ITEM 8)');
  await panel.page.locator('#filter-search').press('Enter');
  await panel.settle();
  assert.equal(await text(panel, '#title'), 'Mistake p8');
  const hits = await panel.page.locator('#mistake mark.hit').allInnerTexts();
  assert.ok(hits.includes('item') && hits.includes('8)'), hits.join(','));
  assert.equal((await panel.page.locator('.question mark.hit').count()) >= 2, true, 'in the question');
  assert.equal((await panel.page.locator('.item .text mark.hit').count()) > 0, true, 'in the outputs');
  assert.equal(await panel.page.locator('#mistake mark.hit *').count(), 0, 'a hit holds text only');
  assert.equal(await panel.page.locator('.item-head mark.hit').count(), 0, 'labels and buttons are left alone');
});

test('after a decision the focus skips a flagged rationale while one that reaches gold is open; accepting a flagged one takes a second a', async (t) => {
  // p0 (gold 0): gemini's rationale ranks first on its peers' 5s but answers 19.
  const panel = await open(t, 10, (i) => (i === 0 ? { rationaleAnswers: { gemini: '19' }, rationaleScores: { gemini: [5, 5] } } : {}));
  assert.equal(await panel.page.locator('.item.rationale').first().locator('[data-warning="answer-mismatch"]').count(), 1, 'the top rationale is flagged');
  await press(panel, 'a');
  assert.equal(await focusedLabel(panel), 'Rationale 2 by gpt', 'the focus passes over #1, which misses gold');
  // Accepting the flagged #1 asks first.
  await press(panel, '4');
  const flagged = await focusedId(panel);
  await press(panel, 'a');
  assert.equal(curationState(panel.db, flagged).decision, 'undecided');
  assert.equal(await text(panel, '#notice'), 'This rationale reaches 19, not the gold 0; the export leaves it out — press a again to accept anyway.');
  assert.equal(await panel.page.locator('#notice').getAttribute('role'), 'alert');
  // Another key in between starts over.
  await press(panel, 'r', 'r', 'a');
  assert.equal(curationState(panel.db, flagged).decision, 'undecided');
  await press(panel, 'a');
  assert.equal(curationState(panel.db, flagged).decision, 'accepted', 'the second a accepts anyway');
  // An item that reaches gold is accepted at once, and the card's button follows the same rule.
  await press(panel, 'u', 'j');
  assert.equal(await text(panel, '#title'), 'Mistake p2');
  assert.equal(await focusedLabel(panel), 'Critique 1 by gemini');
  await press(panel, 'a');
  assert.equal(curationState(panel.db, await focusedId(panel)).decision, 'undecided', 'focus moved to the rationale');
  await press(panel, 'a');
  assert.equal(listEvents(panel.db).filter((e) => e.action !== 'undo').length, 4);
  await press(panel, 'k');
  const button = panel.page.locator(`.item[data-output-id="${flagged}"] button[data-action="accept"]`);
  await button.click();
  await panel.settle();
  assert.equal(curationState(panel.db, flagged).decision, 'undecided', 'one click on a flagged card asks');
  await button.click();
  await panel.settle();
  assert.equal(curationState(panel.db, flagged).decision, 'accepted');
});

test('a mistake whose student answer the task grades correct is marked, and the status filter finds it', async (t) => {
  const { db } = seedProject(t, 10);
  db.prepare(
    "UPDATE student_answers SET raw_output = 'So 4 + 4 = 8. The answer is 8.' WHERE problem_id = (SELECT id FROM problems WHERE source_id = 'p4')",
  ).run();
  const panel = await openPanel(browser, { db });
  t.after(() => panel.close());
  assert.equal(await panel.page.locator('[data-note="graded-correct"]').count(), 0, 'p0 is wrong by the extractor too');
  await panel.page.selectOption('#filter-status', 'gradedCorrect');
  await panel.settle();
  assert.equal(await text(panel, '#title'), 'Mistake p4');
  assert.equal(await text(panel, '#position'), '1 of 1 shown');
  assert.equal(await text(panel, '[data-note="graded-correct"]'), 'graded correct here; imported as a mistake');
});

test('the undo stack: decisions on three mistakes undone newest first, each time showing the undone item', async (t) => {
  const panel = await open(t, 10);
  const made: { title: string; id: number }[] = [];
  for (const step of [['a'], ['j', '2', 'x'], ['j', '5', 'a']]) {
    await press(panel, ...step.slice(0, -1));
    made.push({ title: await text(panel, '#title'), id: await focusedId(panel) });
    await press(panel, step.at(-1)!);
  }
  assert.equal(listEvents(panel.db).length, 3);
  await press(panel, 'j');
  for (const expected of [...made].reverse()) {
    await press(panel, 'u');
    assert.equal(await text(panel, '#title'), expected.title);
    assert.equal(await focusedId(panel), expected.id);
    assert.equal(curationState(panel.db, expected.id).decision, 'undecided');
    assert.equal(await panel.page.locator('.item.focused [data-decision]').getAttribute('data-decision'), 'undecided');
  }
  await press(panel, 'u');
  assert.equal(await text(panel, '#notice'), 'Nothing to undo.');
});

test("an edit shows as a word diff against the teacher's text; an edited rationale that misses gold is flagged", async (t) => {
  const panel = await open(t, 10, (i) => (i === 2 ? { rationaleAnswers: { mixtral: '5' } } : {}));
  await press(panel, 'j');
  // The teacher's own wrong rationale is flagged already.
  const warnings = panel.page.locator('[data-warning="answer-mismatch"]');
  assert.equal(await warnings.count(), 1);
  assert.match(await warnings.first().innerText(), /answer 5 ≠ gold 4/);
  assert.equal(await warnings.first().locator('xpath=ancestor::section[contains(@class,"item")]').getAttribute('aria-label'), 'Rationale 3 by mixtral');

  await press(panel, '4', 'e');
  await panel.page.locator('.edit-text').fill('gemini: 2 + 2 = 5. The answer is 5.');
  await press(panel, 'Control+Enter');
  const card = panel.page.locator('.item.rationale').first();
  assert.deepEqual(await card.locator('del').allInnerTexts(), ['4', '4']);
  assert.deepEqual(await card.locator('ins').allInnerTexts(), ['5', '5']);
  assert.equal(await card.locator('[data-decision]').getAttribute('data-decision'), 'edited');
  assert.match(await card.locator('[data-warning="answer-mismatch"]').innerText(), /answer 5 ≠ gold 4/);
  assert.match((await card.locator('[data-warning="answer-mismatch"]').getAttribute('aria-label'))!, /edited rationale no longer reaches the gold answer/);

  await press(panel, 'e');
  await panel.page.locator('.edit-text').fill('gemini: 2 + 2 = 4. So 4.');
  await press(panel, 'Control+Enter');
  assert.equal(await card.locator('[data-warning]').count(), 0);
  assert.match(await card.locator('.answer.ok').innerText(), /answer 4 ✓/);
});

test('filters: status, teacher, peer-score range, answer mismatch and search narrow the mistakes shown', async (t) => {
  const panel = await open(t, 10, (i) => (i === 4 ? { rationaleAnswers: { gpt: '1' }, rationaleScores: { gemini: [1, 2] } } : {}));
  await panel.page.check('#filter-mismatch');
  await panel.settle();
  assert.equal(await text(panel, '#title'), 'Mistake p4');
  assert.equal(await text(panel, '#position'), '1 of 1 shown');
  await panel.page.uncheck('#filter-mismatch');
  await panel.page.fill('#filter-min', '1');
  await panel.page.fill('#filter-max', '2');
  await panel.page.locator('#filter-max').press('Enter');
  await panel.settle();
  assert.equal(await text(panel, '#position'), '1 of 1 shown');
  await panel.page.fill('#filter-min', '');
  await panel.page.fill('#filter-max', '');
  await panel.page.locator('#filter-max').press('Enter');
  await panel.settle();
  assert.equal(await text(panel, '#position'), '3 of 5 shown', 'clearing a filter stays on the shown mistake');
  assert.deepEqual(await panel.page.locator('#filter-teacher option').allInnerTexts(), ['Any teacher', 'gemini', 'gpt', 'mixtral']);

  await panel.page.fill('#filter-search', 'item 8)');
  await panel.page.locator('#filter-search').press('Enter');
  await panel.settle();
  assert.equal(await text(panel, '#title'), 'Mistake p8');
  await panel.page.fill('#filter-search', 'no such words');
  await panel.page.locator('#filter-search').press('Enter');
  await panel.settle();
  assert.equal(await panel.page.locator('#empty').isVisible(), true);
  await panel.page.fill('#filter-search', '');
  await panel.page.locator('#filter-search').press('Enter');
  await press(panel, 'Escape', 'a');
  await panel.page.selectOption('#filter-status', 'accepted');
  await panel.settle();
  assert.match(await text(panel, '#position'), /of 1 shown/);
  await panel.page.selectOption('#filter-status', 'rejected');
  await panel.settle();
  assert.equal(await panel.page.locator('#empty').isVisible(), true);
  const sent = panel.fromWebview.filter((m) => (m as { type: string }).type === 'setFilter').at(-1) as { filter: typeof EMPTY_FILTER };
  assert.deepEqual(sent.filter, { ...EMPTY_FILTER, status: 'rejected' });
});

test('after a reload the panel is back where the user was (problem and focused item), from getState only', async (t) => {
  const panel = await open(t, 10);
  await press(panel, 'j', 'j', '5');
  const states = (await panel.page.evaluate(() => (window as unknown as { __mapdStates: unknown[] }).__mapdStates)) as { problemId: number; focus: number }[];
  const last = states.at(-1)!;
  assert.deepEqual(Object.keys(last).sort(), ['focus', 'problemId'], 'the webview keeps only where the user was');
  assert.equal(last.focus, 4);
  const again = await openPanel(browser, { db: panel.db, state: last });
  t.after(() => again.close());
  assert.equal(await text(again, '#title'), 'Mistake p4');
  assert.equal(await focusedLabel(again), 'Rationale 2 by gpt');
});

test('malformed messages from the host are ignored: nothing changes, nothing throws', async (t) => {
  const panel = await open(t, 4);
  const before = await panel.page.locator('#curation').innerHTML();
  const good = panel.toWebview.find((m) => m.type === 'show')!;
  const malformed: unknown[] = [
    null,
    'show',
    42,
    [],
    {},
    { type: 'unknown' },
    { ...good, mistake: { ...(good as { mistake: object }).mistake, problemId: 'one' } },
    { ...good, position: null },
    { ...good, neighbours: [{}] },
    { ...good, mistake: { ...(good as { mistake: object }).mistake, critiques: [{ outputId: 1 }] } },
    { type: 'command', command: 'format-disk', index: null },
    { type: 'command', command: 'focusItem', index: 42 },
    { type: 'notice', message: { toString: 'x' } },
    { type: 'error', requestId: -3, message: 'x' },
    { type: 'bulkPreview', requestId: 1, kind: 'critique', count: -1 },
  ];
  for (const message of malformed) await panel.postRaw(message);
  await panel.settle();
  assert.equal(await panel.page.evaluate(() => document.body.dataset.ignoredMessages), String(malformed.length));
  assert.equal(await panel.page.locator('#curation').innerHTML(), before);
  assert.deepEqual(panel.pageErrors, []);
});

const XSS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 2">',
  '<svg onload="window.__xss = 3"><circle r=1></svg>',
  '<a href="javascript:window.__xss = 4">click me</a>',
  '[click me](javascript:window.__xss = 5)',
  '![logo](x" onerror="window.__xss = 6)',
  '<style>@import url("http://evil.test/import.css"); body { background: url(http://evil.test/bg.png) }</style>',
  '<link rel="stylesheet" href="http://evil.test/sheet.css">',
  '<iframe src="javascript:window.__xss = 9"></iframe>',
  '<body onload="window.__xss = 10">',
  '"><script>window.__xss = 11</script><"',
  '<details open ontoggle="window.__xss = 12">x</details>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss = 13">',
  '<object data="javascript:window.__xss = 14"></object>',
  '<embed src="javascript:window.__xss = 15">',
  '<input autofocus onfocus="window.__xss = 16">',
  'javascript:window.__xss = 17',
  '<div style="background:url(javascript:window.__xss = 18)">styled</div>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss = 20">',
  '<img src="http://evil.test/pixel.png"><form action="javascript:window.__xss = 19"><button>go</button></form>',
];

/** The elements rendered Markdown may build (webview-ui/src/curation/markdown.ts). */
const MARKDOWN_TAGS = ['blockquote', 'br', 'code', 'em', 'hr', 'p', 'pre', 's', 'table', 'tbody', 'td', 'th', 'thead', 'tr'];

test(`${XSS.length} XSS payloads in every dataset and model text field never execute and create no elements`, async (t) => {
  const { db } = seedProject(t, 4);
  const payload = (i: number) => XSS[i % XSS.length]!;
  let n = 0;
  db.prepare('UPDATE problems SET question = ?, context = ?, options = ?, gold_answer = ?, source_id = ? || id').run(
    payload(n++),
    payload(n++),
    JSON.stringify([payload(n++), payload(n++)]),
    payload(n++),
    payload(n++),
  );
  db.prepare('UPDATE student_answers SET raw_output = ?, extracted_answer = ?').run(`${payload(n++)} and ${payload(n++)}`, payload(n - 1));
  const outputs = db.prepare('SELECT id FROM teacher_outputs').all() as { id: number }[];
  for (const output of outputs) db.prepare('UPDATE teacher_outputs SET text = ? WHERE id = ?').run(XSS.join('\n'), output.id);
  db.prepare('UPDATE peer_reviews SET raw_text = ?').run(XSS.join(' '));
  db.prepare('UPDATE teacher_outputs SET teacher = \'<img src=x onerror="window.__xss=99">\' || teacher').run();
  const panel = await openPanel(browser, { db });
  t.after(() => panel.close());
  await press(panel, 'r', '2', 'e');
  await panel.page.locator('.edit-text').fill(`${XSS.join('\n')}\nedited`);
  await press(panel, 'Control+Enter');
  await press(panel, 'j', 'k');
  await panel.page.waitForTimeout(200);

  assert.equal(await panel.page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined, 'no payload ran');
  // MathML (KaTeX's output) is checked for live attributes below; the HTML must be the panel's own and rendered Markdown's.
  const tags = await panel.page
    .locator('#mistake *')
    .evaluateAll((els) => [...new Set(els.filter((e) => e.namespaceURI !== 'http://www.w3.org/1998/Math/MathML').map((e) => e.tagName.toLowerCase()))].sort());
  const allowed = ['button', 'del', 'details', 'div', 'h2', 'ins', 'kbd', 'li', 'mark', 'ol', 'section', 'span', 'strong', 'summary', 'ul', ...MARKDOWN_TAGS];
  assert.deepEqual(
    tags.filter((tag) => !allowed.includes(tag)),
    [],
    `only the panel's own elements: ${tags.join(', ')}`,
  );
  assert.equal(await panel.page.locator('#mistake [onerror], #mistake [onload], #mistake [href], #mistake [src], #mistake [style]').count(), 0);
  // And nowhere else in the page: only the panel's own script and stylesheet.
  assert.equal(await panel.page.locator('script').count(), 1);
  assert.equal(await panel.page.locator('link').count(), 1);
  assert.equal(
    await panel.page.locator('body iframe, body img, body svg, body object, body embed, body style, body a, body form:not(#filters), body meta').count(),
    0,
  );
  // The payloads are shown as the text they are (rendered Markdown too: raw HTML stays text), and so in the source view (m).
  assert.ok((await text(panel, '.question')).includes('<script>window.__xss = 1</script>'));
  assert.ok((await panel.page.locator('.item .text').first().innerText()).includes('[click me](javascript:window.__xss = 5)'));
  await press(panel, 'm');
  assert.ok((await panel.page.locator('.item .text.source').first().innerText()).includes('[click me](javascript:window.__xss = 5)'));
  assert.equal((await panel.page.locator('.review-text').count()) > 0, true);
  assert.deepEqual(panel.foreignRequests, [], 'nothing was fetched from anywhere else');
  assert.deepEqual(panel.pageErrors, []);
});

test('the page runs under the strict CSP: an injected inline script is refused', async (t) => {
  const panel = await open(t, 2);
  const csp = await panel.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(
    csp!,
    /default-src 'none'; script-src 'nonce-[^']+'; style-src http:\/\/mapd\.test 'nonce-[^']+'; img-src http:\/\/mapd\.test data:; font-src http:\/\/mapd\.test/,
  );
  const violated = await panel.page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        document.addEventListener('securitypolicyviolation', () => resolve(true), { once: true });
        const script = document.createElement('script');
        script.textContent = 'window.__xss = "inline"';
        document.body.appendChild(script);
        setTimeout(() => resolve(false), 500);
      }),
  );
  assert.equal(violated, true);
  assert.equal(await panel.page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined);
});

test("the header's student picker curates another student's mistakes (a second student, the next round)", async (t) => {
  const { db } = seedProject(t, 6);
  const { listProblems } = await import('../../src/core/store/problems.ts');
  const { upsertStudentAnswer } = await import('../../src/core/store/answers.ts');
  // llama-r1 is wrong on p0 and p1 only.
  listProblems(db).forEach((p, i) =>
    upsertStudentAnswer(db, {
      problemId: p.id,
      student: 'llama-r1',
      rawOutput: i < 2 ? 'no idea' : String(2 * i),
      extractedAnswer: i < 2 ? null : String(2 * i),
      correct: i >= 2,
    }),
  );
  const panel = await openPanel(browser, { db });
  t.after(() => panel.close());
  const { page } = panel;
  await page.locator('#student').waitFor({ state: 'visible' });
  assert.deepEqual(await page.locator('#student option').allTextContents(), ['Every student', "llama's mistakes", "llama-r1's mistakes"]);
  await page.waitForFunction(() => document.querySelector('#progress')?.textContent?.includes('of 4 mistakes'));
  await page.locator('#student').selectOption('llama-r1');
  await page.waitForFunction(() => document.querySelector('#progress')?.textContent?.includes('of 2 mistakes'));
  assert.equal(await page.locator('#student').inputValue(), 'llama-r1');
  assert.match((await page.locator('#mistake').textContent()) ?? '', /no idea/);
  await page.locator('#student').selectOption('');
  await page.waitForFunction(() => document.querySelector('#progress')?.textContent?.includes('of 4 mistakes'));
});

test("blind between curators: no other curator's decision in the DOM; the 'Curators disagree' filter shows them side by side, as text", async (t) => {
  const panel = await open(t, 6);
  // Two curators' synced decisions on p0's first rationale, through the team store: ana accepts, ben edits (markup as text).
  const first = panel.db
    .prepare(
      "SELECT o.id FROM teacher_outputs o JOIN problems p ON p.id = o.problem_id WHERE p.source_id = 'p0' AND o.kind = 'rationale' ORDER BY o.id LIMIT 1",
    )
    .get() as { id: number };
  const output = identityOf(panel.db, first.id)!;
  const event = (curator: string, action: 'accept' | 'edit', text: string | null) => {
    const content = { curator, role: 'curator' as const, action, output, text, undoes: null, at: '2026-01-01T00:00:00.000Z' };
    return { id: teamEventId(content), ...content };
  };
  addTeamEvents(panel.db, [event('ana', 'accept', null), event('ben', 'edit', '<img src=x onerror="window.__pwned=1"> The answer is 0.')]);
  rebuildTeamDecisions(panel.db);
  panel.session.reload();
  await panel.page.waitForSelector('.item');
  assert.equal(await panel.page.locator('.team').count(), 0);
  assert.equal((await panel.page.locator('#app').innerText()).includes('ben'), false, "ben's decision is not on the page");
  await panel.page.locator('#filter-disagree').check();
  await panel.page.waitForSelector('.team');
  assert.equal(await text(panel, '#position'), '1 of 1 shown');
  const team = await panel.page.locator(`.item[data-output-id="${first.id}"] .team`).innerText();
  assert.match(team, /ana: accepted/);
  assert.match(team, /ben: edited\s+<img src=x onerror="window\.__pwned=1"> The answer is 0\./);
  assert.equal(await panel.page.locator('.team img').count(), 0);
  await panel.page.locator('#filter-disagree').uncheck();
  await panel.page.waitForFunction(() => document.querySelector('.team') === null);
});
