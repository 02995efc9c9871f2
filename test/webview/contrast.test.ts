import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { recordDecision } from '../../src/core/store/events.ts';
import type { Browser } from './harness.ts';
import { launchBrowser, openPanel } from './harness.ts';
import { applyTheme, THEMES } from './themes.ts';
import { seedProject } from '../unit/curation/seed.ts';

/**
 * WCAG AA asks 4.5:1 for text. Measured from computed styles in Chromium, per theme (the same
 * variable tables the screenshots use), over the background the text actually sits on (every
 * ancestor's background composited, the focused card's included).
 */
const AA = 4.5;

/** The text that carries a curator's decision: scores, answer checks, the gold answer, badges, the cards' buttons. */
const KEY_ELEMENTS = [
  '.gold-answer',
  '.score.peer-accepted',
  '.score.peer-rejected',
  '.answer.ok',
  '.answer.warning',
  '.badge.accepted',
  '.badge.edited',
  '.badge.rejected',
  '.badge.undecided',
  '.item-actions button',
  '.rank',
  '.label',
  '.muted',
];

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const [name, theme] of Object.entries(THEMES)) {
  test(`text contrast meets AA (4.5:1) in the ${name} theme`, async (t) => {
    const { db } = seedProject(t, 2, () => ({ rationaleAnswers: { mixtral: '5' }, critiqueScores: { gemini: [1, 2] } }));
    const outputs = db.prepare('SELECT id, kind, teacher FROM teacher_outputs WHERE problem_id = (SELECT MIN(id) FROM problems) ORDER BY id').all() as {
      id: number;
      kind: string;
      teacher: string;
    }[];
    const id = (kind: string, teacher: string): number => outputs.find((o) => o.kind === kind && o.teacher === teacher)!.id;
    recordDecision(db, { outputId: id('critique', 'gpt'), action: 'accept', curator: 'tester' });
    recordDecision(db, { outputId: id('critique', 'gemini'), action: 'reject', curator: 'tester' });
    recordDecision(db, { outputId: id('rationale', 'gpt'), action: 'edit', text: 'gpt: 0 + 0 = 0. The answer is 0.', curator: 'tester' });
    // The saved focus sits on the edited rationale, so the focused card's background is measured too.
    const panel = await openPanel(browser, { db, state: { problemId: outputs.length ? 1 : null, focus: 3 }, beforeLoad: (page) => applyTheme(page, theme) });
    t.after(() => panel.close());
    const measured = await panel.page.evaluate((selectors) => {
      type Rgba = [number, number, number, number];
      const parse = (css: string): Rgba => {
        const n = css.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
        return [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0, n[3] ?? 1];
      };
      const over = (top: Rgba, below: Rgba): Rgba => {
        const a = top[3];
        return [top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1];
      };
      const luminance = ([r, g, b]: Rgba): number => {
        const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
      };
      const background = (el: Element): Rgba => {
        const chain: Element[] = [];
        for (let at: Element | null = el; at; at = at.parentElement) chain.unshift(at);
        return chain.reduce<Rgba>((below, node) => over(parse(getComputedStyle(node).backgroundColor), below), [255, 255, 255, 1]);
      };
      const result: Record<string, { ratio: number; count: number; sample: string }> = {};
      for (const selector of selectors) {
        for (const el of document.querySelectorAll(selector)) {
          if (!(el instanceof HTMLElement) || el.offsetParent === null || el.innerText.trim() === '') continue;
          const bg = background(el);
          const fg = over(parse(getComputedStyle(el).color), bg);
          const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x) as [number, number];
          const ratio = (hi + 0.05) / (lo + 0.05);
          const seen = result[selector];
          if (!seen || ratio < seen.ratio)
            result[selector] = {
              ratio,
              count: (seen?.count ?? 0) + 1,
              sample: `${getComputedStyle(el).color} on rgb(${bg.slice(0, 3).map(Math.round).join(', ')})`,
            };
          else seen.count++;
        }
      }
      return result;
    }, KEY_ELEMENTS);
    const rows = KEY_ELEMENTS.map(
      (selector) =>
        `${selector.padEnd(22)} ${measured[selector] ? `${measured[selector].ratio.toFixed(2)} : 1  (${measured[selector].count}; lowest ${measured[selector].sample})` : 'not shown'}`,
    );
    for (const row of rows) t.diagnostic(`${name}: ${row}`);
    for (const selector of KEY_ELEMENTS.slice(0, 10)) assert.ok(measured[selector], `${selector} is shown in the ${name} theme`);
    for (const [selector, { ratio, sample }] of Object.entries(measured))
      assert.ok(ratio >= AA, `${selector} in ${name}: ${ratio.toFixed(2)} : 1 (${sample}) is below ${AA} : 1`);
  });
}
