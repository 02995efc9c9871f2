/**
 * The curation panel at scale (issue 11): the store-backed session (core/curation/mistakeQueries.ts)
 * against today's in-memory index (core/curation/mistakeIndex.ts) in the same run, on the synthetic
 * project navigate.ts uses (every problem a mistake, 3 teachers, 2 reviews per output).
 *
 * Per size, host side (no browser, the session's own work):
 *   panel open -> first `show` posted; key -> next `show` posted, p50/p95 over the steps, without
 *   and with a filter; text search -> first result posted; host memory held for an open panel
 *   (heap and RSS deltas after a GC). The baseline does what the old session did: build the index,
 *   filter it, and view the mistake and its neighbours.
 * Then in Chromium (the real webview bundle, harness.ts), the store-backed session only:
 *   panel open -> first mistake painted; key -> next painted p50/p95 without and with a filter;
 *   search (Enter, with the filter on) -> first result painted.
 *
 * The queue's orders (issue 12): the order keys' first fill (what the migration leaves for an
 * existing project) on the host's thread and in the worker, with the host's event-loop delay
 * during each (keyFill.ts); open with a non-default order, key -> next and n in it (with a filter
 * and without), switching order; in Chromium, open with an order and key -> next painted in it.
 *
 * Usage: node --expose-gc benchmarks/ui/scale.ts [sizes=10000,100000] [steps=200] [baselineUpTo=100000]
 * Seeded projects are cached in .cache/bench/ui-<size>.db (ignored), so a big seed is built once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Db } from '../../src/core/store/db.ts';
import { openStore } from '../../src/core/store/db.ts';
import type { HostMessage, MistakeFilter, MistakeOrder } from '../../src/protocol/curation.ts';
import { refreshOrderKeys, staleOrderKeys } from '../../src/core/curation/orderKeys.ts';
import { EMPTY_FILTER } from '../../src/protocol/curation.ts';
import { createCurationSession } from '../../src/vscode/curation/session.ts';
import type { CurationIndex } from '../../src/core/curation/mistakeIndex.ts';
import { buildIndex } from '../../src/core/curation/mistakeIndex.ts';
import type { FilteredList } from '../../src/core/curation/filters.ts';
import { filterIndex, nextId, nextUndecidedId, previousId } from '../../src/core/curation/filters.ts';
import { mistakeView } from '../../src/core/curation/mistakeView.ts';
import type { Browser, PanelPage } from '../../test/webview/harness.ts';
import { ROOT, launchBrowser, openPanel } from '../../test/webview/harness.ts';
import { seed } from './seed.ts';
import { firstKeyFill } from './keyFill.ts';

const SIZES = (process.argv[2] ?? '10000,100000').split(',').map(Number);
const STEPS = Number(process.argv[3] ?? 200);
const BASELINE_UP_TO = Number(process.argv[4] ?? 100_000);
/** A filter on every criterion but search and mismatch: not settled, one teacher, an output scored 2 (3 in 4 of the synthetic mistakes). */
const FILTER: MistakeFilter = { ...EMPTY_FILTER, status: 'undecided', teacher: 'gpt', scoreMin: 2, scoreMax: 2 };
const CACHE = path.join(ROOT, '.cache', 'bench');

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
/** The process's peak resident set so far (getrusage; kB on Linux). */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

/** Each goal's figure per size, for the table printed at the end. */
const figures = new Map<string, Map<number, string>>();
function figure(goal: string, size: number, value: string): void {
  let row = figures.get(goal);
  if (!row) figures.set(goal, (row = new Map()));
  row.set(size, value);
}
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (x: number): string => `${x.toFixed(1)} ms`;

function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const p50p95 = (xs: readonly number[]): string => `p50 ${ms(percentile(xs, 50))}  p95 ${ms(percentile(xs, 95))}`;

function timed<T>(fn: () => T): [T, number] {
  const started = performance.now();
  const value = fn();
  return [value, performance.now() - started];
}

/** Heap and RSS growth while `hold` keeps what `build` made alive (after a GC on both sides). */
function memory<T>(build: () => T): { value: T; heap: number; rss: number } {
  gc();
  const before = process.memoryUsage();
  const value = build();
  gc();
  const after = process.memoryUsage();
  return { value, heap: after.heapUsed - before.heapUsed, rss: after.rss - before.rss };
}

function project(size: number): Db {
  fs.mkdirSync(CACHE, { recursive: true });
  const file = path.join(CACHE, `ui-${size}.db`);
  const fresh = !fs.existsSync(file);
  const [db, opened] = timed(() => openStore(file));
  if (fresh) {
    const [, seeded] = timed(() => seed(db, size));
    console.log(
      `  seeded ${size} mistakes, ${size * 6} outputs, ${size * 12} reviews in ${(seeded / 1000).toFixed(1)} s (cached in ${path.relative(ROOT, file)})`,
    );
  } else console.log(`  cached project ${path.relative(ROOT, file)} (opened and migrated in ${ms(opened)})`);
  // The order keys of every mistake not keyed yet (a fresh seed, or a project from before migration 8 -> 9): once, then kept fresh.
  const stale = staleOrderKeys(db);
  if (stale > 0) {
    const [, filled] = timed(() => refreshOrderKeys(db));
    console.log(
      `  order keys of the mistakes of ${stale} problems computed in ${(filled / 1000).toFixed(1)} s (${((filled * 1000) / stale).toFixed(0)} µs each; stored)`,
    );
  }
  gc();
  console.log(`  process RSS before the panel opens ${mb(process.memoryUsage().rss)} (peak so far ${mb(peakRss())})`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  return db;
}

async function storeBacked(db: Db, size: number): Promise<void> {
  type Show = Extract<HostMessage, { type: 'show' }>;
  let last: Show | undefined;
  let error: string | undefined;
  const post = (m: HostMessage): void => {
    if (m.type === 'show') last = m;
    if (m.type === 'error') error = m.message;
  };
  gc();
  const before = process.memoryUsage();
  // The unfiltered id list is filled after the first paint, a page per turn of the event loop: timed here, with its longest turn.
  let pending = 0;
  let lastTurnEnd = 0;
  let longestTurn = 0;
  const schedule = (task: () => void): void => {
    pending++;
    setImmediate(() => {
      const [, took] = timed(task);
      longestTurn = Math.max(longestTurn, took);
      lastTurnEnd = performance.now();
      pending--;
    });
  };
  const session = createCurationSession(db, { curator: () => 'bench', schedule, hooks: { post } });
  const [, open] = timed(() => session.handle({ type: 'ready', problemId: null }));
  const listStarted = performance.now();
  while (pending > 0) await new Promise((resolve) => setImmediate(resolve));
  const listed = lastTurnEnd - listStarted;
  gc();
  const held = process.memoryUsage();
  const heldFigure = `heap ${mb(held.heapUsed - before.heapUsed)}, RSS ${mb(held.rss - before.rss)}`;
  console.log(
    `  store-backed: open -> first show ${ms(open)}; the id list filled after it in ${ms(listed)} (longest turn ${ms(longestTurn)}); held for the open panel: ${heldFigure}`,
  );
  figure('open -> first mistake shown (host)', size, ms(open));
  figure('  then the id list filled (host, after the paint)', size, `${ms(listed)}, longest turn ${ms(longestTurn)}`);
  let requestId = 1;
  const walk = (): number[] => {
    const times: number[] = [];
    for (let i = 0; i < STEPS; i++) {
      const from = last?.mistake?.problemId ?? null;
      times.push(timed(() => session.handle({ type: 'navigate', requestId: requestId++, target: { kind: 'next', from } }))[1]);
    }
    return times;
  };
  const plain = p50p95(walk());
  console.log(`    key -> next show, no filter:   ${plain}`);
  figure('key -> next shown, no filter (host)', size, plain);
  const [, filtering] = timed(() => session.handle({ type: 'setFilter', requestId: requestId++, filter: FILTER, from: last?.mistake?.problemId ?? null }));
  console.log(`    set filter (${last?.position.matching} of ${size} match): ${ms(filtering)}`);
  figure('set filter -> first match shown (host)', size, ms(filtering));
  const filtered = p50p95(walk());
  console.log(`    key -> next show, filtered:    ${filtered}`);
  figure('key -> next shown, filtered (host)', size, filtered);
  const search = String(Math.floor(size / 2) + 7);
  const [, searching] = timed(() => session.handle({ type: 'setFilter', requestId: requestId++, filter: { ...EMPTY_FILTER, search }, from: null }));
  console.log(`    search "${search}" -> first result shown: ${ms(searching)} (${last?.position.matching} match${error ? `; error ${error}` : ''})`);
  figure('search -> first result shown (host)', size, ms(searching));
  gc();
  const after = process.memoryUsage();
  const memoryFigure = `heap ${mb(after.heapUsed - before.heapUsed)}, RSS ${mb(after.rss - before.rss)} (peak RSS ${mb(peakRss())})`;
  console.log(`    held after filter and search: ${memoryFigure}; process RSS now ${mb(after.rss)}`);
  figure('host memory, open panel (after GC)', size, heldFigure);
  figure('host memory after filter and search', size, memoryFigure);
}

/** The orders, host side: open in one, walk next and n in it without and with the filter, switch. */
function ordered(db: Db, order: MistakeOrder): void {
  type Show = Extract<HostMessage, { type: 'show' }>;
  let last: Show | undefined;
  const post = (m: HostMessage): void => {
    if (m.type === 'show') last = m;
  };
  const session = createCurationSession(db, { curator: () => 'bench', order: () => order, hooks: { post } });
  const [, open] = timed(() => session.handle({ type: 'ready', problemId: null }));
  let requestId = 1;
  const walk = (kind: 'next' | 'nextUndecided'): number[] => {
    const times: number[] = [];
    for (let i = 0; i < STEPS; i++) {
      const from = last?.mistake?.problemId ?? null;
      times.push(timed(() => session.handle({ type: 'navigate', requestId: requestId++, target: { kind, from } }))[1]);
    }
    return times;
  };
  console.log(`  order ${order}: open -> first show ${ms(open)}`);
  console.log(`    key -> next show, no filter:   ${p50p95(walk('next'))}`);
  console.log(`    n -> next undecided, no filter: ${p50p95(walk('nextUndecided'))}`);
  const [, filtering] = timed(() => session.handle({ type: 'setFilter', requestId: requestId++, filter: FILTER, from: last?.mistake?.problemId ?? null }));
  console.log(`    set filter in this order (${last?.position.matching} match): ${ms(filtering)}`);
  console.log(`    key -> next show, filtered:    ${p50p95(walk('next'))}`);
  const [, switching] = timed(() => session.handle({ type: 'setOrder', requestId: requestId++, order: 'wrongSteps' }));
  console.log(`    switch to wrongSteps (filtered): ${ms(switching)}`);
}

/** What the old session did per show: the mistake and its neighbours viewed from the index. */
function oldShow(db: Db, index: CurationIndex, list: FilteredList, id: number | null): void {
  if (id === null) return;
  mistakeView(db, index, id);
  for (const n of new Set([nextId(list, id), previousId(list, id), nextUndecidedId(list, index, id)])) if (n !== null && n !== id) mistakeView(db, index, n);
}

function inMemory(db: Db, size: number): void {
  const held = memory(() => {
    const [state, open] = timed(() => {
      const index = buildIndex(db);
      const list = filterIndex(index, EMPTY_FILTER);
      oldShow(db, index, list, nextUndecidedId(list, index, null));
      return { index, list };
    });
    return { ...state, open };
  });
  const { index, open } = held.value;
  let { list } = held.value;
  console.log(`  in-memory baseline: open (index built) -> first show ${ms(open)}; held: heap ${mb(held.heap)}, RSS ${mb(held.rss)}`);
  figure('baseline (in-memory index): open -> first shown', size, ms(open));
  figure('baseline: memory held', size, `heap ${mb(held.heap)}, RSS ${mb(held.rss)}`);
  const walk = (): number[] => {
    const times: number[] = [];
    let at: number | null = list.ids[0] ?? null;
    for (let i = 0; i < STEPS; i++) {
      times.push(
        timed(() => {
          at = nextId(list, at) ?? at;
          oldShow(db, index, list, at);
        })[1],
      );
    }
    return times;
  };
  const plain = p50p95(walk());
  console.log(`    key -> next show, no filter:   ${plain}`);
  figure('baseline: key -> next, no filter', size, plain);
  const [, filtering] = timed(() => (list = filterIndex(index, FILTER)));
  console.log(`    set filter (${list.ids.length} of ${size} match): ${ms(filtering)}`);
  figure('baseline: set filter', size, ms(filtering));
  const filtered = p50p95(walk());
  console.log(`    key -> next show, filtered:    ${filtered}`);
  figure('baseline: key -> next, filtered', size, filtered);
  const search = String(Math.floor(size / 2) + 7);
  const [, searching] = timed(() => {
    list = filterIndex(index, { ...EMPTY_FILTER, search });
    oldShow(db, index, list, list.ids[0] ?? null);
  });
  console.log(`    search "${search}" -> first result shown: ${ms(searching)} (${list.ids.length} match, substring)`);
  figure('baseline: search -> first result', size, ms(searching));
}

/** Probes in the page: navigation start -> first mistake painted, and key -> next painted. */
async function probe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __paint: number[]; __first: number; __keyAt: number };
    w.__paint = [];
    w.__first = 0;
    w.__keyAt = 0;
    window.addEventListener('keydown', () => (w.__keyAt = performance.now()), true);
    document.addEventListener('DOMContentLoaded', () => {
      const article = document.getElementById('mistake');
      if (!article) return;
      new MutationObserver(() => {
        const keyAt = w.__keyAt;
        w.__keyAt = 0;
        requestAnimationFrame(() =>
          setTimeout(() => {
            if (w.__first === 0) w.__first = performance.now();
            else if (keyAt !== 0) w.__paint.push(performance.now() - keyAt);
          }, 0),
        );
      }).observe(article, { attributes: true, attributeFilter: ['data-problem-id'] });
    });
  });
}

/** Key j pressed STEPS times, each waited for until painted: the key -> painted times. */
async function walkPainted(panel: PanelPage): Promise<number[]> {
  const { page } = panel;
  const painted = (): Promise<number> => page.evaluate(() => (window as unknown as { __paint: number[] }).__paint.length);
  const start = await painted();
  for (let step = 0; step < STEPS; step++) {
    const before = await painted();
    await page.keyboard.press('j');
    await page.waitForFunction((n) => (window as unknown as { __paint: number[] }).__paint.length > n, before);
    await panel.settle();
  }
  return page.evaluate((n) => (window as unknown as { __paint: number[] }).__paint.slice(n), start);
}

/** Chromium: the panel opened in a non-default order, first paint and key -> next painted in it. */
async function inChromiumOrdered(db: Db, browser: Browser, order: MistakeOrder): Promise<void> {
  const panel = await openPanel(browser, { db, beforeLoad: probe, order });
  try {
    await panel.page.waitForFunction(() => (window as unknown as { __first: number }).__first > 0);
    const first = await panel.page.evaluate(() => (window as unknown as { __first: number }).__first);
    console.log(`  Chromium, order ${order}: panel opened -> first mistake painted ${ms(first)}; key -> next painted ${p50p95(await walkPainted(panel))}`);
  } finally {
    await panel.close();
  }
}

async function inChromium(db: Db, browser: Browser, size: number): Promise<void> {
  const panel = await openPanel(browser, { db, beforeLoad: probe });
  try {
    const page = panel.page;
    await page.waitForFunction(() => (window as unknown as { __first: number }).__first > 0);
    const first = await page.evaluate(() => (window as unknown as { __first: number }).__first);
    console.log(`  Chromium, store-backed: panel opened (page load) -> first mistake painted ${ms(first)}`);
    figure('Chromium: panel opened -> first mistake painted', size, ms(first));
    const painted = (): Promise<number> => page.evaluate(() => (window as unknown as { __paint: number[] }).__paint.length);
    const walk = (): Promise<number[]> => walkPainted(panel);
    const plain = p50p95(await walk());
    console.log(`    key -> next painted, no filter: ${plain}`);
    figure('Chromium: key -> next painted, no filter', size, plain);
    await page.selectOption('#filter-status', FILTER.status);
    await page.selectOption('#filter-teacher', FILTER.teacher as string);
    await page.fill('#filter-min', String(FILTER.scoreMin));
    await page.locator('#filter-min').press('Enter');
    await panel.settle();
    await page.locator('#filter-min').press('Escape');
    await panel.settle();
    const filtered = p50p95(await walk());
    console.log(`    key -> next painted, filtered:  ${filtered}`);
    figure('Chromium: key -> next painted, filtered', size, filtered);
    // Searched with the filter still on (clearing it field by field would run a full filter per field):
    // the problem searched for matches the filter, so the result is a new mistake.
    await page.fill('#filter-search', String(Math.floor(size / 2) + 7));
    await panel.settle();
    const before = await painted();
    await page.locator('#filter-search').press('Enter');
    await page.waitForFunction((n) => (window as unknown as { __paint: number[] }).__paint.length > n, before, { timeout: 120_000 });
    const search = await page.evaluate(() => (window as unknown as { __paint: number[] }).__paint.at(-1) as number);
    console.log(`    search (Enter) -> first result painted: ${ms(search)}`);
    figure('Chromium: search (Enter) -> first result painted', size, ms(search));
    gc();
    console.log(`  process RSS after the Chromium run ${mb(process.memoryUsage().rss)} (peak so far ${mb(peakRss())})`);
  } finally {
    await panel.close();
  }
}

const browser = await launchBrowser();
try {
  for (const size of SIZES) {
    console.log(`\n== ${size.toLocaleString('en-US')} problems ==`);
    const db = project(size);
    await firstKeyFill(db);
    try {
      await storeBacked(db, size);
      for (const order of ['disagreement', 'threshold'] as const) ordered(db, order);
      if (size <= BASELINE_UP_TO) inMemory(db, size);
      else console.log(`  in-memory baseline: skipped above ${BASELINE_UP_TO} (it does not fit)`);
      await inChromium(db, browser, size);
      await inChromiumOrdered(db, browser, 'disagreement');
    } finally {
      db.close();
    }
  }
} finally {
  await browser.close();
}

// Every goal's figure side by side (issue 11: open <= 500 ms, key p95 <= 50 ms, search <= 150 ms, memory <= 150 MB at 1M).
const width = Math.max(...[...figures.keys()].map((goal) => goal.length));
console.log(`\n${'figure'.padEnd(width)}  ${SIZES.map((size) => size.toLocaleString('en-US').padStart(40)).join('')}`);
for (const [goal, row] of figures) console.log(`${goal.padEnd(width)}  ${SIZES.map((size) => (row.get(size) ?? '-').padStart(40)).join('')}`);
