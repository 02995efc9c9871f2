import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../../src/core/store/db.ts';
import { Cancelled } from '../../../src/core/errors.ts';
import { recordDecision } from '../../../src/core/store/events.ts';
import type { OrderFillHooks } from '../../../src/core/curation/orderFill.ts';
import { fillOrderKeysInWorker } from '../../../src/core/curation/orderFill.ts';
import { manyStaleOrderKeys, refreshOrderKeys, staleOrderKeys, SYNC_REFRESH_LIMIT } from '../../../src/core/curation/orderKeys.ts';
import { EMPTY_FILTER } from '../../../src/core/curation/view.ts';
import { matchingIds } from '../../../src/core/curation/mistakeQueries.ts';
import { createCurationSession } from '../../../src/vscode/curation/session.ts';
import type { HostMessage } from '../../../src/protocol/curation.ts';
import { generate } from './generated.ts';

/**
 * The order keys' first fill in a worker thread (orderFill.ts) on real SQLite files: the same keys
 * as the synchronous refresh, the host's thread free meanwhile, progress to the total, a cancel
 * that keeps finished batches, decisions written meanwhile kept, and the panel's session
 * switching to the chosen order only once the keys are ready.
 */

// Unbundled here: the worker is the .ts entry itself (type stripping works in workers).
const WORKER = fileURLToPath(new URL('../../../src/core/curation/orderFillWorker.ts', import.meta.url));
const inWorker = (db: Db, hooks: OrderFillHooks = {}): Promise<number> => fillOrderKeysInWorker(db.name, { ...hooks, workerFile: WORKER });

/** Problems enough for three batches of the fill. */
const PROBLEMS = 2 * SYNC_REFRESH_LIMIT + 500;

const keys = (db: Db): unknown[] => db.prepare('SELECT * FROM mistake_order_keys ORDER BY answer_id').all();

/** As the migration leaves a project made before it: no keys, every problem stale. */
function unkeyed(db: Db): number {
  db.exec('DELETE FROM mistake_order_keys; INSERT OR IGNORE INTO mistake_order_stale SELECT id FROM problems');
  return staleOrderKeys(db);
}

/** A generated project with its keys as the synchronous refresh computes them, then all of them made stale again. */
function project(t: test.TestContext, seed: number, problems = PROBLEMS): { db: Db; reference: unknown[]; stale: number } {
  const db = generate(t, seed, problems);
  refreshOrderKeys(db);
  const reference = keys(db);
  return { db, reference, stale: unkeyed(db) };
}

test('the worker fills the same keys as the synchronous refresh, with progress monotonic up to the total, the host thread free and its decisions kept', async (t) => {
  const { db, reference, stale } = project(t, 7);
  assert.ok(manyStaleOrderKeys(db));
  const outputId = db.prepare("SELECT id FROM teacher_outputs WHERE kind = 'rationale' ORDER BY id LIMIT 1").pluck().get() as number;
  const eventsBefore = db.prepare('SELECT COUNT(*) FROM curation_events').pluck().get() as number;
  const heard: [number, number][] = [];
  // A timer on the host thread that fires while the fill runs: the thread is not blocked.
  let ticksDuringFill = 0;
  let ticksAtProgress = 0;
  const timer = setInterval(() => ticksDuringFill++, 1);
  try {
    const done = await inWorker(db, {
      onProgress: (d, total) => {
        heard.push([d, total]);
        ticksAtProgress = ticksDuringFill;
        // A decision on the host's own connection between two of the worker's batches.
        if (heard.length === 1) recordDecision(db, { outputId, action: 'accept', curator: 'ana' });
      },
    });
    assert.equal(done, stale);
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticksAtProgress > 0, 'the host timer fired while the worker filled');
  assert.ok(heard.length >= 3, `one progress per batch: ${JSON.stringify(heard)}`);
  for (let i = 1; i < heard.length; i++) assert.ok((heard[i] as [number, number])[0] > (heard[i - 1] as [number, number])[0], 'progress grows');
  assert.deepEqual(heard.at(-1), [stale, stale]);
  assert.equal(staleOrderKeys(db), 0);
  assert.deepEqual(keys(db), reference);
  assert.equal(db.prepare('SELECT COUNT(*) FROM curation_events').pluck().get(), eventsBefore + 1, 'the decision is kept');
});

test('a cancelled fill keeps its finished batches, leaves the rest stale, and a later fill completes them', async (t) => {
  const { db, reference, stale } = project(t, 8);
  const controller = new AbortController();
  await assert.rejects(inWorker(db, { signal: controller.signal, onProgress: () => controller.abort() }), Cancelled);
  const left = staleOrderKeys(db);
  assert.ok(left > 0 && left < stale, `${left} of ${stale} still stale`);
  assert.equal((stale - left) % SYNC_REFRESH_LIMIT, 0, 'whole batches done');
  // Every key written is a finished problem's, as the synchronous refresh computes it.
  const byAnswer = new Map((reference as { answer_id: number }[]).map((row) => [row.answer_id, row]));
  for (const row of keys(db) as { answer_id: number }[]) assert.deepEqual(row, byAnswer.get(row.answer_id));
  const staleWithKeys = db
    .prepare('SELECT COUNT(*) FROM mistake_order_keys k JOIN mistake_order_stale s ON s.problem_id = k.problem_id')
    .pluck()
    .get() as number;
  assert.equal(staleWithKeys, 0, 'no key of a problem still stale');
  assert.equal(await inWorker(db), left);
  assert.deepEqual(keys(db), reference);
  await assert.rejects(inWorker(db, { signal: AbortSignal.abort() }), Cancelled);
});

test('the session keeps problem order while the chosen order is filled, with progress notices, then switches to it', async (t) => {
  const { db } = project(t, 10);
  const posted: HostMessage[] = [];
  let filled: Promise<number> | undefined;
  let disposed = false;
  const session = createCurationSession(db, {
    curator: () => 'ana',
    fillOrderKeys: (hooks) => {
      hooks.signal.addEventListener('abort', () => (disposed = true));
      return (filled = inWorker(db, hooks));
    },
    hooks: { post: (message) => posted.push(message) },
  });
  session.handle({ type: 'ready', problemId: null });
  const shown = (): Extract<HostMessage, { type: 'show' }>[] => posted.filter((m): m is Extract<HostMessage, { type: 'show' }> => m.type === 'show');
  const notices = (): string[] => posted.flatMap((m) => (m.type === 'notice' ? [m.message] : []));
  session.handle({ type: 'setOrder', requestId: 1, order: 'disagreement' });
  assert.ok(filled, 'the fill started');
  assert.equal(shown().at(-1)?.order, 'problem', 'the list stays in problem order meanwhile');
  assert.match(notices().at(-1) ?? '', /^Ordering by Reviewers disagree most/);
  // The panel stays usable in problem order during the fill.
  const first = shown().at(-1)?.mistake?.problemId ?? null;
  session.handle({ type: 'navigate', requestId: 2, target: { kind: 'next', from: first } });
  assert.equal(shown().at(-1)?.order, 'problem');
  await filled;
  await new Promise((resolve) => setImmediate(resolve));
  const last = shown().at(-1);
  assert.equal(last?.order, 'disagreement');
  assert.equal(staleOrderKeys(db), 0);
  assert.equal(last?.position.matching, matchingIds(db, { student: null, filter: EMPTY_FILTER }, 'disagreement').length);
  const percents = notices().flatMap((n) => {
    const match = / (\d+) % of problems keyed$/.exec(n);
    return match ? [Number(match[1])] : [];
  });
  assert.ok(percents.length > 0 && percents.at(-1) === 100, JSON.stringify(notices()));
  assert.equal(notices().at(-1), 'Ordered by Reviewers disagree most.');
  session.dispose();
  assert.equal(disposed, false, 'nothing running to stop');
});

test('closing the panel stops a fill started at the start for the kept order', async (t) => {
  const db = generate(t, 11, PROBLEMS);
  const stale = unkeyed(db);
  let filled: Promise<number> | undefined;
  const session = createCurationSession(db, {
    curator: () => 'ana',
    order: () => 'threshold',
    fillOrderKeys: (hooks) => (filled = inWorker(db, { ...hooks, onProgress: (d, total) => (hooks.onProgress(d, total), session.dispose()) })),
    hooks: { post: () => {} },
  });
  session.handle({ type: 'ready', problemId: null });
  assert.ok(filled, 'the kept order started the fill');
  await assert.rejects(filled, Cancelled);
  assert.ok(staleOrderKeys(db) < stale && staleOrderKeys(db) > 0);
});
