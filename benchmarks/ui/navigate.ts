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
import { openStore } from '../../src/core/store/db.ts';
import type { Db } from '../../src/core/store/db.ts';
import { buildIndex } from '../../src/core/curation/mistakeIndex.ts';
import { launchBrowser, openPanel } from '../../test/webview/harness.ts';
import { seed } from './seed.ts';

const STEPS = Number(process.argv[2] ?? 200);
const PROBLEMS = Number(process.argv[3] ?? 10_000);
async function probe(page: Page, stripNeighbours: boolean): Promise<void> {
  await page.addInitScript((strip) => {
    const w = window as unknown as { __paint: number[]; __render: number[]; __dom: number[]; __keyAt: number; __commandAt: number };
    w.__paint = [];
    w.__render = [];
    w.__dom = [];
    w.__keyAt = 0;
    w.__commandAt = 0;
    window.addEventListener(
      'message',
      (e) => {
        if ((e.data as { type?: string } | null)?.type === 'command') w.__commandAt = performance.now();
      },
      true,
    );
    if (strip) {
      window.addEventListener(
        'message',
        (e) => {
          const data = e.data as { type?: string; neighbours?: unknown[] } | null;
          if (data && data.type === 'show') data.neighbours = [];
        },
        true,
      );
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
  seed(db, PROBLEMS);
  console.log(
    `seeded ${PROBLEMS} problems, ${PROBLEMS} mistakes, ${PROBLEMS * 6} outputs, ${PROBLEMS * 12} reviews in ${(performance.now() - started).toFixed(0)} ms`,
  );
  started = performance.now();
  const index = buildIndex(db);
  console.log(`host: index of ${index.order.length} mistakes built in ${(performance.now() - started).toFixed(0)} ms (once per panel session)`);
  const richDb = openStore(path.join(dir, 'rich.db'));
  seed(richDb, PROBLEMS, true);
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
    const line = (label: string, x: { p50: number; p95: number; max: number }) =>
      console.log(`  ${label.padEnd(44)} p50 ${x.p50.toFixed(1).padStart(6)}  p95 ${x.p95.toFixed(1).padStart(6)}  max ${x.max.toFixed(1).padStart(6)}`);
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
