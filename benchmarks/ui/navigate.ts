/**
 * Key press -> next mistake painted, in Chromium, on a synthetic 10k-problem project.
 *
 * The panel runs the built webview bundle under its real CSP; behind it the real host session on a
 * real SQLite file. A key press travels as in VS Code: the window forwards it, the keybinding's
 * command is relayed by the host as a message, the webview acts. Timed in the page from the key
 * event to the first frame painted after the new mistake is in the DOM (rAF, then a task).
 *
 * Two paths in the same run: "prefetched" (the webview paints the neighbour the host sent ahead)
 * and the baseline "round trip" (neighbours stripped, so the webview waits for the host's answer).
 * A third run, "Markdown/LaTeX-heavy", seeds every text as current teachers write it (headings,
 * bold, lists, a table, inline and display TeX with \frac and \times, a wrong step to mark), so
 * the paint includes markdown-it, KaTeX's MathML and the step marks.
 * Usage: node benchmarks/ui/navigate.ts [steps=200] [problems=10000]
 */
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import type { Page } from 'playwright-core';
import { openStore, inTransaction } from '../../src/core/store/db.ts';
import type { Db } from '../../src/core/store/db.ts';
import { insertProblems } from '../../src/core/store/problems.ts';
import { buildIndex } from '../../src/core/curation/mistakeIndex.ts';
import { launchBrowser, openPanel } from '../../test/webview/harness.ts';

const STEPS = Number(process.argv[2] ?? 200);
const PROBLEMS = Number(process.argv[3] ?? 10_000);
const TEACHERS = ['gemini', 'gpt', 'mixtral'];

/** A rationale as current math teachers write it: Markdown structure and TeX in nearly every line. */
function richRationale(i: number, gold: string): string {
  return [
    `### Step 1: items per crate`,
    `Each crate holds $\\frac{${2 * (i % 13)}}{2} = ${i % 13}$ items, and there are **${i % 7} crates**:`,
    '',
    `$$${i % 7} \\times ${i % 13} = ${(i % 7) * (i % 13)}$$`,
    '',
    '| quantity | value |',
    '| --- | --- |',
    `| already there | ${i} |`,
    `| bought | $${i % 7} \\cdot ${i % 13}$ |`,
    '',
    `1. Add: ${i} + ${(i % 7) * (i % 13)} = ${gold}`,
    `2. Check with a *second* method: \\(${i} + ${i % 7} \\times ${i % 13}\\) gives the same.`,
    '',
    `> A slip elsewhere: 40 x 2 = 70 would be wrong.`,
    '',
    `The answer is $\\boxed{${gold}}$.`,
  ].join('\n');
}

function seed(db: Db, rich = false): void {
  const words = 'apples oranges trains baskets marbles students pages coins boxes cookies'.split(' ');
  insertProblems(db, 'svamp', 'train', 'synthetic', Array.from({ length: PROBLEMS }, (_, i) => ({
    sourceId: `syn-${i}`,
    question: `A shop has ${i} ${words[i % 10]} and buys ${i % 7} more crates of ${words[(i + 3) % 10]} with ${i % 13} each. How many ${words[i % 10]} are there now? `.repeat(2),
    goldAnswer: String(i + (i % 7) * (i % 13)),
  })));
  const problems = db.prepare('SELECT id, gold_answer FROM problems ORDER BY id').all() as { id: number; gold_answer: string }[];
  inTransaction(db, () => {
    const answer = db.prepare("INSERT INTO student_answers (problem_id, student, raw_output, extracted_answer, correct, created_at) VALUES (?, 'llama', ?, ?, 0, 'now') RETURNING id");
    const output = db.prepare("INSERT INTO teacher_outputs (problem_id, kind, teacher, student_answer_id, text, source, created_at) VALUES (?, ?, ?, ?, ?, 'bench', 'now') RETURNING id");
    const review = db.prepare("INSERT INTO peer_reviews (output_id, reviewer, raw_text, score, created_at) VALUES (?, ?, ?, ?, 'now')");
    for (const p of problems) {
      const a = (answer.get(p.id, `Let me think step by step. The total is ${Number(p.gold_answer) + 1}.`, String(Number(p.gold_answer) + 1)) as { id: number }).id;
      TEACHERS.forEach((teacher, t) => {
        const critiqueText = rich
          ? `**Mistake 1:** the student added one too many at the last step.\n\n- Check $${p.gold_answer} + 1 \\neq ${p.gold_answer}$\n- ${'Check each multiplication before adding. '.repeat(3)}\n\n**Mistake 2:** none.`
          : `The student added one too many at the last step. ${'Check each multiplication before adding. '.repeat(6)}`;
        const rationaleText = rich ? richRationale(p.id, p.gold_answer) : `${'First multiply the crates by the items in each crate, then add the items already there. '.repeat(5)}The answer is ${p.gold_answer}.`;
        const critique = (output.get(p.id, 'critique', teacher, a, critiqueText) as { id: number }).id;
        const rationale = (output.get(p.id, 'rationale', teacher, null, rationaleText) as { id: number }).id;
        for (const reviewer of TEACHERS.filter((r) => r !== teacher)) {
          const score = 2 + ((p.id + t) % 4);
          review.run(critique, reviewer, `The feedback is mostly right. Score: ${score}`, score);
          review.run(rationale, reviewer, `Correct reasoning. Score: ${score}`, score);
        }
      });
    }
  });
}

async function probe(page: Page, stripNeighbours: boolean): Promise<void> {
  await page.addInitScript((strip) => {
    const w = window as unknown as { __paint: number[]; __render: number[]; __dom: number[]; __keyAt: number; __commandAt: number };
    w.__paint = [];
    w.__render = [];
    w.__dom = [];
    w.__keyAt = 0;
    w.__commandAt = 0;
    window.addEventListener('message', (e) => {
      if ((e.data as { type?: string } | null)?.type === 'command') w.__commandAt = performance.now();
    }, true);
    if (strip) {
      window.addEventListener('message', (e) => {
        const data = e.data as { type?: string; neighbours?: unknown[] } | null;
        if (data && data.type === 'show') data.neighbours = [];
      }, true);
    }
    window.addEventListener('keydown', () => (w.__keyAt = performance.now()), true);
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent<number>) => {
      const now = performance.now();
      w.__paint.push(now - event.data);
      w.__render.push(now - w.__commandAt);
    };
    document.addEventListener('DOMContentLoaded', () => {
      const article = document.getElementById('mistake');
      if (!article) return;
      // The first change of mistake after a key press is the one timed.
      new MutationObserver(() => {
        if (w.__keyAt === 0) return;
        w.__dom.push(performance.now() - w.__commandAt);
        const keyAt = w.__keyAt;
        w.__keyAt = 0;
        requestAnimationFrame(() => channel.port2.postMessage(keyAt));
      }).observe(article, { attributes: true, attributeFilter: ['data-problem-id'] });
    });
  }, stripNeighbours);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function run(db: Db, browser: Awaited<ReturnType<typeof launchBrowser>>, strip: boolean): Promise<{ paint: number[]; render: number[]; dom: number[] }> {
  const panel = await openPanel(browser, { db, beforeLoad: (page) => probe(page, strip) });
  try {
    for (let step = 0; step < STEPS; step++) {
      const before = await panel.page.evaluate(() => (window as unknown as { __paint: number[] }).__paint.length);
      await panel.page.keyboard.press('j');
      await panel.page.waitForFunction((n) => (window as unknown as { __paint: number[] }).__paint.length > n, before);
      await panel.settle();
    }
    return await panel.page.evaluate((n) => {
      const w = window as unknown as { __paint: number[]; __render: number[]; __dom: number[] };
      return { paint: w.__paint.slice(0, n), render: w.__render.slice(0, n), dom: w.__dom.slice(0, n) };
    }, STEPS);
  } finally {
    await panel.close();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-bench-ui-'));
try {
  const db = openStore(path.join(dir, 'curation.db'));
  let started = performance.now();
  seed(db);
  console.log(`seeded ${PROBLEMS} problems, ${PROBLEMS} mistakes, ${PROBLEMS * 6} outputs, ${PROBLEMS * 12} reviews in ${(performance.now() - started).toFixed(0)} ms`);
  started = performance.now();
  const index = buildIndex(db);
  console.log(`host: index of ${index.order.length} mistakes built in ${(performance.now() - started).toFixed(0)} ms (once per panel session)`);
  const richDb = openStore(path.join(dir, 'rich.db'));
  seed(richDb, true);
  const browser = await launchBrowser();
  try {
    const fast = await run(db, browser, false);
    const slow = await run(db, browser, true);
    const rich = await run(richDb, browser, false);
    const stats = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1]! };
    };
    const f = stats(fast.paint);
    const s = stats(slow.paint);
    const w = stats(fast.render);
    const line = (label: string, x: { p50: number; p95: number; max: number }) => console.log(`  ${label.padEnd(44)} p50 ${x.p50.toFixed(1).padStart(6)}  p95 ${x.p95.toFixed(1).padStart(6)}  max ${x.max.toFixed(1).padStart(6)}`);
    console.log(`${STEPS} steps each (ms):`);
    line('key -> painted, prefetched (ours)', f);
    line('key -> painted, Markdown/LaTeX-heavy, prefetched', stats(rich.paint));
    line('command -> DOM updated, Markdown/LaTeX-heavy', stats(rich.dom));
    line('key -> painted, round trip baseline', s);
    line('command message -> painted (webview alone)', w);
    line('command message -> DOM updated (render only)', stats(fast.dom));
    console.log(`  ratio baseline/ours: p50 ${(s.p50 / f.p50).toFixed(2)}x  p95 ${(s.p95 / f.p95).toFixed(2)}x`);
    console.log(`  goal p95 <= 50 ms: ${f.p95 <= 50 ? 'met' : 'NOT met'}; Markdown/LaTeX-heavy: ${stats(rich.paint).p95 <= 50 ? 'met' : 'NOT met'}`);
  } finally {
    await browser.close();
    db.close();
    richDb.close();
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
