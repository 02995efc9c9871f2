import type { Db } from '../store/db.ts';
import type { PlannedRequest, PollResult } from '../teachers/batch.ts';
import { planningCaller, pollBatches, submitPlanned } from '../teachers/batch.ts';
import type { CollectOptions } from './collect.ts';
import { COLLECT_JOBS, COLLECT_RUNNERS } from './collect.ts';
import { runTotals } from '../teachers/ledgerTotals.ts';
import type { JobProgress } from './progress.ts';
import { settleFromLedger } from './progress.ts';
import { mistakesInScope } from './scope.ts';

/**
 * collect through the providers' batch APIs (half price, hours not seconds). Each job runs
 * against planning callers: what the ledger answers is stored, the rest is submitted as one
 * batch per teacher and polled until it ends; then the job runs again. Open batches from an
 * earlier, interrupted run are polled first, so a restart resumes rather than resubmits.
 */
export interface BatchCollectOptions extends CollectOptions {
  pollIntervalMs?: number;
  /** Rounds per job (peer review needs one per reviewer when skipping is on). */
  maxRounds?: number;
  onBatch?: (event: { kind: 'submitted'; ids: string[]; requests: number } | { kind: 'polled'; result: PollResult }) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

async function waitForBatches(db: Db, options: BatchCollectOptions): Promise<void> {
  for (;;) {
    const result = await pollBatches(db, options.teachers, options.keys);
    options.onBatch?.({ kind: 'polled', result });
    if (result.open === 0 || options.signal?.aborted) return;
    await sleep(options.pollIntervalMs ?? 30_000, options.signal);
  }
}

export async function collectByBatch(db: Db, options: BatchCollectOptions): Promise<JobProgress[]> {
  await waitForBatches(db, options);
  const context = { db, ...(options.signal ? { signal: options.signal } : {}) };
  const results: JobProgress[] = [];
  for (const name of options.jobs ?? COLLECT_JOBS) {
    let last: JobProgress | undefined;
    const runIds: string[] = [];
    for (let round = 0; round < (options.maxRounds ?? 4); round++) {
      if (options.signal?.aborted) break;
      const planned: PlannedRequest[] = [];
      const callers = options.teachers.map((t) => planningCaller(db, t, planned, { retryEmpty: options.retryEmpty ?? false }));
      last = await COLLECT_RUNNERS[name](context, callers, mistakesInScope(db, options.scope), options);
      runIds.push(last.runId);
      if (planned.length === 0) break;
      const ids = await submitPlanned(db, options.teachers, options.keys, planned);
      options.onBatch?.({ kind: 'submitted', ids, requests: planned.length });
      await waitForBatches(db, options);
    }
    if (last) {
      // The batch requests are the rows the rounds planned: the summary sums them (answers found in the ledger stay cached).
      settleFromLedger(last, runTotals(db, runIds));
      results.push(last);
    }
  }
  return results;
}
