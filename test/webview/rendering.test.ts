import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { listEvents } from '../../src/core/store/events.ts';
import type { Db } from '../../src/core/store/db.ts';
import type { Browser, PanelPage } from './harness.ts';
import { launchBrowser, openPanel, press } from './harness.ts';
import { seedProject } from '../unit/curation/seed.ts';

/**
 * The panel's rendered text on the built bundle in Chromium: Markdown and KaTeX MathML, the
 * source view (m), the diff on the source, the arithmetic step marks, blind mode (b) asserted on
 * the DOM, and Markdown- and TeX-borne XSS payloads.
 */
let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

type T = Parameters<typeof seedProject>[0];

async function open(t: T, prepare: (db: Db) => void = () => undefined, blind = false): Promise<PanelPage & { db: Db }> {
  const { db } = seedProject(t, 4);
  prepare(db);
  const panel = await openPanel(browser, { db, blind });
  t.after(() => panel.close());
  return { ...panel, db };
}

/** A teacher rationale as current teachers write it: Markdown, LaTeX, and two wrong steps (one in math). */
export const LATEX_RATIONALE = [
  '**Step 1.** Each box holds $\\frac{48}{2} = 25$ pencils.',
  '',
  '- Two boxes: 40 x 2 = 70 pencils',
  '- Then *add* the rest:',
  '',
  '$$25 \\times 2 + 5 = 55$$',
  '',
  'The answer is \\(55\\).',
].join('\n');

const setRationales =
  (text: string) =>
  (db: Db): void => {
    db.prepare("UPDATE teacher_outputs SET text = ? WHERE kind = 'rationale'").run(text);
  };

test('Markdown and math render (KaTeX MathML); m shows the source; the editor edits the source and the diff is on it', async (t) => {
  const panel = await open(t, setRationales(LATEX_RATIONALE));
  const card = panel.page.locator('.item.rationale').first();
  assert.equal(await card.locator('.text strong').first().innerText(), 'Step 1.');
  assert.equal(await card.locator('.text li').count(), 2);
  assert.equal(await card.locator('.text em').innerText(), 'add');
  assert.equal(await card.locator('.text math').count(), 3, 'inline $…$, display $$…$$ and \\(…\\)');
  assert.equal(await card.locator('.text .math-display math[display="block"]').count(), 1);
  assert.equal(await card.locator('.text math mfrac').count(), 1, '\\frac typeset as a fraction');
  assert.ok(!(await card.locator('.text').innerText()).includes('\\frac'), 'no TeX source in the rendered view');
  assert.equal(await panel.page.locator('#mistake [style]').count(), 0, 'MathML output needs no inline styles');

  await press(panel, 'm');
  const source = card.locator('.text.source');
  assert.equal(await source.innerText(), LATEX_RATIONALE);
  assert.equal(await card.locator('math').count(), 0);
  assert.equal((await panel.page.locator('#show-keys ~ button, nav.toolbar button[aria-pressed="true"]').count()) >= 1, true);
  await press(panel, 'm');
  assert.equal(await card.locator('.text math').count(), 3);

  // The editor holds the source; the saved edit shows as a word diff of the source.
  await press(panel, '4', 'e');
  assert.equal(await panel.page.locator('.edit-text').inputValue(), LATEX_RATIONALE);
  await panel.page.locator('.edit-text').fill(LATEX_RATIONALE.replace('= 25$', '= 24$').replace('**Step 1.**', '**First.**'));
  await press(panel, 'Control+Enter');
  const edited = panel.page.locator('.item.rationale').first();
  assert.equal(await edited.locator('.diff').count(), 1);
  assert.ok((await edited.locator('.diff').innerText()).includes('\\frac{48}{2}'), 'the diff is on the source text');
  assert.ok((await edited.locator('del').allInnerTexts()).some((d) => d.includes('Step')));
  assert.deepEqual(panel.pageErrors, []);
});

test("wrong steps: underlined with the right value on hover, the student's first wrong step labelled, cards flagged, a filter", async (t) => {
  const panel = await open(t, (db) => {
    setRationales(LATEX_RATIONALE)(db);
    db.prepare(
      "UPDATE student_answers SET raw_output = 'First 3 + 4 = 7, then 7 x 3 = 20, then 20 - 1 = 18. So 18.', extracted_answer = '18' WHERE correct = 0",
    ).run();
  });
  const card = panel.page.locator('.item.rationale').first();
  const marks = card.locator('[data-step="wrong"]');
  assert.equal(await marks.count(), 2);
  // The math step is marked on its typeset formula; the plain one on its text.
  assert.match((await card.locator('.math.step-wrong').getAttribute('title'))!, /= 24, not 25/);
  const plain = card.locator('span.step-wrong:not(.math)');
  assert.equal(await plain.innerText(), '40 x 2 = 70');
  assert.equal(await plain.getAttribute('title'), 'Wrong step: 40 x 2 = 80, not 70');
  assert.match(await card.locator('[data-warning="wrong-step"]').innerText(), /2 wrong arithmetic steps/);
  assert.equal(await panel.page.locator('.item.critique [data-warning="wrong-step"]').count(), 0, 'a critique without a wrong step is not flagged');

  const student = panel.page.locator('.student-output');
  assert.equal(await student.locator('[data-step="first-wrong"]').count(), 1);
  assert.match(await student.locator('[data-step="first-wrong"]').innerText(), /^7 x 3 = 20\s*first wrong step$/);
  assert.equal(await student.locator('[data-step="first-wrong"]').getAttribute('title'), 'First wrong step: 7 x 3 = 21, not 20');
  assert.equal(await student.locator('[data-step="wrong"]').innerText(), '20 - 1 = 18', 'a later wrong step is marked, not labelled first');
  assert.equal(await student.locator('mark.extracted').innerText(), '18');

  // Source view: the plain steps are marked in the text as written.
  await press(panel, 'm');
  assert.equal(await card.locator('.text.source span.step-wrong').innerText(), '40 x 2 = 70');
  await press(panel, 'm');

  await panel.page.locator('#filter-wrong-step').check();
  await panel.settle();
  assert.equal(await panel.page.locator('#position').innerText(), '1 of 2 shown', 'both mistakes have the rationales with wrong steps');
  assert.deepEqual(panel.pageErrors, []);
});

test('blind mode: nothing of the peer verdict is in the DOM until the item is decided; the event records it', async (t) => {
  const panel = await open(t, (db) => {
    db.prepare("UPDATE peer_reviews SET raw_text = 'REVIEWER-SAYS score 4'").run();
  });
  await press(panel, 'r');
  assert.ok((await panel.page.locator('#mistake').textContent())!.includes('REVIEWER-SAYS'));
  const ordered = await panel.page.locator('.item.critique').evaluateAll((els) => els.map((e) => e.getAttribute('data-output-id')));
  await press(panel, 'b');
  assert.equal(await panel.page.locator('nav.toolbar button[aria-pressed="true"]', { hasText: 'Blind' }).count(), 1);
  const dom = (await panel.page.locator('#mistake').evaluate((e) => e.outerHTML)) as string;
  assert.ok(!dom.includes('REVIEWER-SAYS'), 'no reviewer text anywhere in the DOM');
  assert.equal(await panel.page.locator('#mistake .score, #mistake .rank, #mistake .reviews, #mistake .review-text').count(), 0);
  assert.ok(!/peer \d/.test(dom), 'no peer score in the DOM');
  assert.equal(await panel.page.locator('.item [data-blinded]').count(), 6);
  const blindOrder = await panel.page.locator('.item.critique').evaluateAll((els) => els.map((e) => e.getAttribute('data-output-id')));
  assert.deepEqual([...blindOrder].sort(), [...ordered].sort());

  // Deciding the focused item reveals its verdict, not the others'; the cards keep their places.
  const decidedId = await panel.page.locator('.item.focused').getAttribute('data-output-id');
  await press(panel, 'a');
  const decided = panel.page.locator(`.item[data-output-id="${decidedId}"]`);
  assert.equal(await decided.locator('.score').count(), 1);
  assert.equal(await panel.page.locator('.item [data-blinded]').count(), 5);
  assert.deepEqual(await panel.page.locator('.item.critique').evaluateAll((els) => els.map((e) => e.getAttribute('data-output-id'))), blindOrder);
  const last = listEvents(panel.db).at(-1)!;
  assert.equal(last.verdictShown, false);
  assert.equal(typeof last.decisionMs, 'number');

  // Out of blind mode the verdict is back, and a decision records that it was shown.
  await press(panel, 'b', 'x');
  assert.equal(await panel.page.locator('.item [data-blinded]').count(), 0);
  assert.equal(listEvents(panel.db).at(-1)!.verdictShown, true);
  assert.deepEqual(panel.pageErrors, []);
});

test('blind mode from the setting: the first paint holds no verdict', async (t) => {
  const panel = await open(t, () => undefined, true);
  assert.equal(await panel.page.locator('#mistake .score, #mistake .rank, #mistake .reviews').count(), 0);
  assert.equal(await panel.page.locator('nav.toolbar button[aria-pressed="true"]', { hasText: 'Blind' }).count(), 1);
  assert.ok(
    panel.toWebview.every(
      (m) =>
        m.type !== 'show' ||
        [m.mistake, ...m.neighbours].every(
          (v) =>
            v === null || [...v.critiques, ...v.rationales].every((i) => i.decision !== 'undecided' || (i.reviews.length === 0 && i.verdict.score === null)),
        ),
    ),
    'no undecided verdict leaves the host',
  );
});

test('a truncated output is marked on its card as text, and "Truncated only" posts the filter and finds its mistake', async (t) => {
  const panel = await open(t, (db) => {
    // The second mistake's gpt rationale stopped at the token limit (issue 10's finish reason).
    db.prepare(
      "UPDATE teacher_outputs SET truncated = 1, text = 'gpt: 2 + 2 = 4. The answer' WHERE kind = 'rationale' AND teacher = 'gpt' AND problem_id = 3",
    ).run();
  });
  assert.equal(await panel.page.locator('#title').innerText(), 'Mistake p0');
  assert.equal(await panel.page.locator('[data-warning="truncated"]').count(), 0, 'no mark on a mistake without a truncated output');
  assert.equal(await panel.page.locator('#position').innerText(), '1 of 2 shown');

  await panel.page.locator('#filter-truncated').check();
  await panel.settle();
  const sent = panel.fromWebview.filter((m) => (m as { type: string }).type === 'setFilter').at(-1) as { filter: { truncatedOnly: boolean } };
  assert.equal(sent.filter.truncatedOnly, true);
  assert.equal(await panel.page.locator('#title').innerText(), 'Mistake p2');
  assert.equal(await panel.page.locator('#position').innerText(), '1 of 1 shown');
  const marks = panel.page.locator('.item [data-warning="truncated"]');
  assert.equal(await marks.count(), 1, 'one truncated output, one mark');
  const truncatedId = panel.db.prepare('SELECT id FROM teacher_outputs WHERE truncated = 1').pluck().all();
  assert.deepEqual(truncatedId, [Number(await panel.page.locator('.item:has([data-warning="truncated"])').getAttribute('data-output-id'))]);
  assert.match((await panel.page.locator('.item:has([data-warning="truncated"])').getAttribute('aria-label'))!, /^Rationale \d by gpt$/);
  assert.equal(await marks.innerText(), '✂ truncated');
  assert.match((await marks.getAttribute('title'))!, /token limit/);
  assert.match((await marks.getAttribute('aria-label'))!, /^Truncated: the teacher stopped at its token limit/);
  assert.equal(await marks.evaluate((e) => e.childElementCount), 0, 'the mark is text only');

  await panel.page.locator('#filter-truncated').uncheck();
  await panel.settle();
  assert.equal(await panel.page.locator('#position').innerText(), '2 of 2 shown', 'clearing the filter stays on the shown mistake');
  assert.deepEqual(panel.pageErrors, []);
});

/** Markdown- and TeX-borne payloads: each would run or fetch if the text became live HTML or a live link. */
const MD_XSS = [
  '[click](javascript:window.__xss=101)',
  '<javascript:window.__xss=102>',
  '[ref link][evil]\n\n[evil]: javascript:window.__xss=103',
  '![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX3hzcz0xMDQiLz4=)',
  '![remote](http://evil.test/x.png)',
  '<div onmouseover="window.__xss=105">html block</div>',
  '<img src=x onerror="window.__xss=106">',
  '$\\href{javascript:window.__xss=107}{click}$',
  '$\\url{javascript:window.__xss=108}$',
  '$\\htmlClass{evil}{x} \\htmlId{evil}{y} \\htmlStyle{color:red}{z} \\htmlData{a=b}{w}$',
  '$$\\includegraphics{http://evil.test/y.png}$$',
  '\\[\\href{data:text/html,<script>window.__xss=109</script>}{x}\\]',
  '[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTEwPC9zY3JpcHQ+)',
  '```html\n<script>window.__xss=111</script>\n```',
  '<style>body{background:url(http://evil.test/z)}</style>',
];

test(`${MD_XSS.length} Markdown- and TeX-borne payloads: none runs, no live href or src, nothing fetched`, async (t) => {
  const all = MD_XSS.join('\n\n');
  const panel = await open(t, (db) => {
    db.prepare('UPDATE teacher_outputs SET text = ?').run(all);
    db.prepare('UPDATE peer_reviews SET raw_text = ?').run(all);
    db.prepare('UPDATE problems SET question = ?, context = ?').run(all, all);
    db.prepare('UPDATE student_answers SET raw_output = ?').run(all);
  });
  await press(panel, 'r');
  // Hover and click every inert link and formula: nothing is live to follow.
  for (const target of await panel.page.locator('.md-link, .md-image, .math').all()) await target.click({ force: true, timeout: 2000 }).catch(() => undefined);
  await panel.page.waitForTimeout(200);
  assert.equal(await panel.page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined, 'no payload ran');
  assert.equal(
    await panel.page
      .locator(
        '#mistake [href], #mistake [src], #mistake [xlink\\:href], #mistake [style], #mistake [onerror], #mistake [onmouseover], #mistake [id="evil"], #mistake .evil',
      )
      .count(),
    0,
  );
  assert.equal(await panel.page.locator('body a, body img, body iframe, body object, body embed, body style, body svg, body image').count(), 0);
  const links = await panel.page.locator('.item .text .md-link').count();
  assert.ok(links >= 4, `links are inert spans (${links})`);
  assert.ok(
    (await panel.page.locator('.item .text').first().innerText()).includes('<div onmouseover="window.__xss=105">html block</div>'),
    'an HTML block is shown as text',
  );
  assert.ok((await panel.page.locator('.item .text .md-image').first().innerText()).startsWith('[image: pixel]'));
  assert.equal((await panel.page.locator('.item .text').first().locator('pre code').innerText()).trim(), '<script>window.__xss=111</script>');
  assert.deepEqual(panel.foreignRequests, [], 'nothing was fetched from anywhere else');
  assert.deepEqual(panel.pageErrors, []);
});
