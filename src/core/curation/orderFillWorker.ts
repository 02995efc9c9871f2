import { parentPort, workerData } from 'node:worker_threads';
import { Cancelled } from '../errors.ts';
import { openStore } from '../store/db.ts';
import { cancelAsked, describeWorkerError } from '../workerThread.ts';
import { refreshOrderKeys } from './orderKeys.ts';
import type { OrderFillJob, OrderFillMessage } from './orderFill.ts';

/**
 * The entry of the queue-order keys' fill thread (bundled to dist/orderFillWorker.js): refreshOrderKeys
 * on its own connection, so the host's thread stays free; its batches of one transaction each keep
 * other writers' waits short (WAL: readers never wait).
 *
 * Cancelling: the host sets a shared flag; the progress call after a committed batch throws, so
 * every finished batch is kept and the rest stays marked stale for a later fill.
 */

function post(message: OrderFillMessage): void {
  parentPort?.postMessage(message);
}

function fill(job: OrderFillJob): OrderFillMessage {
  const cancelled = (): boolean => cancelAsked(job.control);
  if (cancelled()) return { type: 'cancelled' };
  const db = openStore(job.dbPath);
  try {
    const done = refreshOrderKeys(db, (done, total) => {
      post({ type: 'progress', done, total });
      if (cancelled()) throw new Cancelled();
    });
    return { type: 'done', result: done };
  } finally {
    db.close();
  }
}

try {
  post(fill(workerData as OrderFillJob));
} catch (error) {
  post(describeWorkerError(error));
}
