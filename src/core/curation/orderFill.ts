import { Cancelled } from '../errors.ts';
import type { WorkerHooks, WorkerReply } from '../workerThread.ts';
import { bundledWorkerFile, controlBuffer, runWorker } from '../workerThread.ts';

/**
 * The queue-order keys' first fill (orderKeys.ts) in a worker thread: on a migrated or freshly
 * imported project every problem is stale, and refreshing 100k of them on the extension host's
 * thread would block it for a minute. Small refreshes stay synchronous (SYNC_REFRESH_LIMIT).
 */

/** What the host gives the fill thread (plain data: it crosses threads). */
export interface OrderFillJob {
  dbPath: string;
  /** Shared with the host (workerThread.ts, controlBuffer): set, it asks the worker to stop after its current batch. */
  control: SharedArrayBuffer;
}

/** The worker's result: how many problems it keyed. */
export type OrderFillMessage = WorkerReply<number>;

export function orderFillCancelled(): Cancelled {
  return new Cancelled('Ordering cancelled; the keys computed so far are kept');
}

/** Progress: problems keyed of all stale ones, after each batch (one transaction) the worker committed; aborting stops the fill after its current batch (finished batches kept, the promise rejects with Cancelled). */
export type OrderFillHooks = WorkerHooks;

/** Refreshes every stale problem's order keys of the database at dbPath in a worker; resolves to the count of problems keyed. */
export function fillOrderKeysInWorker(dbPath: string, hooks: OrderFillHooks = {}): Promise<number> {
  const job: OrderFillJob = { dbPath, control: controlBuffer() };
  const script = hooks.workerFile ?? bundledWorkerFile('orderFillWorker.js', 'fillOrderKeysInWorker', 'src/core/curation/orderFillWorker.ts');
  return runWorker<number>(script, job, hooks, orderFillCancelled, 'the order-keys worker');
}
