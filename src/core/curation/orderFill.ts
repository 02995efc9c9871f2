import { Worker } from 'node:worker_threads';
import { Cancelled } from '../errors.ts';
import type { WorkerErrorMessage } from '../workerThread.ts';
import { bundledWorkerFile, workerError } from '../workerThread.ts';

/**
 * The queue-order keys' first fill (orderKeys.ts) in a worker thread: on a migrated or freshly
 * imported project every problem is stale, and refreshing 100k of them on the extension host's
 * thread would block it for a minute. Small refreshes stay synchronous (SYNC_REFRESH_LIMIT).
 */

/** What the host gives the fill thread (plain data: it crosses threads). */
export interface OrderFillJob {
  dbPath: string;
  /** One Int32 slot shared with the host; set to 1 it asks the worker to stop after its current batch. */
  control: SharedArrayBuffer;
}

export type OrderFillMessage = { type: 'progress'; done: number; total: number } | { type: 'done'; done: number } | WorkerErrorMessage;

export function orderFillCancelled(): Cancelled {
  return new Cancelled('Ordering cancelled; the keys computed so far are kept');
}

export interface OrderFillHooks {
  /** Problems keyed of all stale ones, after each batch (one transaction) the worker committed. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting stops the fill after its current batch: the promise rejects with Cancelled, finished batches kept. */
  signal?: AbortSignal;
  /** The worker's script; by default orderFillWorker.js beside the bundle (tests give orderFillWorker.ts). */
  workerFile?: string;
}

/** Refreshes every stale problem's order keys of the database at dbPath in a worker; resolves to the count of problems keyed. */
export function fillOrderKeysInWorker(dbPath: string, hooks: OrderFillHooks = {}): Promise<number> {
  const { onProgress, signal } = hooks;
  if (signal?.aborted) return Promise.reject(orderFillCancelled());
  const control = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const job: OrderFillJob = { dbPath, control };
  return new Promise((resolve, reject) => {
    const worker = new Worker(hooks.workerFile ?? bundledWorkerFile('orderFillWorker.js', 'fillOrderKeysInWorker', 'src/core/curation/orderFillWorker.ts'), {
      workerData: job,
    });
    let settled = false;
    const cancel = (): void => {
      Atomics.store(new Int32Array(control), 0, 1);
    };
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      finish();
    };
    signal?.addEventListener('abort', cancel, { once: true });
    worker.on('message', (message: OrderFillMessage) => {
      if (message.type === 'progress') {
        if (!settled) onProgress?.(message.done, message.total);
      } else if (message.type === 'done') settle(() => resolve(message.done));
      else settle(() => reject(workerError(message, orderFillCancelled)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the order-keys worker stopped (exit code ${code}) without a result`))));
  });
}
