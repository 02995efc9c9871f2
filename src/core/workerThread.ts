import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Cancelled, isUserError, UserError } from './errors.ts';

/**
 * What every worker thread of ours (the import, the queue-order keys' fill) shares with its host:
 * where its bundled script is, how progress, the result and an error cross the thread as plain
 * data, and the host's side of one run (runWorker).
 */

/** An error as a worker posts it: cancelled, a user's error (its three parts) or an internal one with its stack. */
export type WorkerErrorMessage =
  | { type: 'cancelled' }
  | { type: 'userError'; what: string; where?: string; next?: string }
  | { type: 'internalError'; name: string; message: string; stack?: string };

/** What a worker posts: progress, its result, or its error. */
export type WorkerReply<T> = { type: 'progress'; done: number; total: number } | { type: 'done'; result: T } | WorkerErrorMessage;

/** The slot of a job's shared control array that asks its worker to stop (set to 1). */
export const CANCEL_SLOT = 0;

/** A job's shared control array (the worker reads CANCEL_SLOT). */
export function controlBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

/** Whether the host asked the worker holding this control array to stop. */
export function cancelAsked(control: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(control), CANCEL_SLOT) === 1;
}

export interface WorkerHooks {
  /** Progress as the worker posts it. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting asks the worker to stop (it decides where: the caller documents what is kept). */
  signal?: AbortSignal;
  /** The worker's script; by default the bundled one beside the bundle (tests give the .ts entry). */
  workerFile?: string;
}

/**
 * Runs one job in a worker thread on `script`: resolves to its result; rejects with the UserError
 * it threw, with `cancelled()` when it stopped at the signal, or with an internal error carrying
 * the worker's stack. `what` names the worker in the error of one that exits without a word.
 */
export function runWorker<T>(
  script: string,
  job: { control: SharedArrayBuffer },
  hooks: Omit<WorkerHooks, 'workerFile'>,
  cancelled: () => Cancelled,
  what: string,
): Promise<T> {
  const { onProgress, signal } = hooks;
  if (signal?.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job });
    let settled = false;
    const cancel = (): void => {
      Atomics.store(new Int32Array(job.control), CANCEL_SLOT, 1);
    };
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      finish();
    };
    signal?.addEventListener('abort', cancel, { once: true });
    worker.on('message', (message: WorkerReply<T>) => {
      if (message.type === 'progress') {
        if (!settled) onProgress?.(message.done, message.total);
      } else if (message.type === 'done') settle(() => resolve(message.result));
      else settle(() => reject(workerError(message, cancelled)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`${what} stopped (exit code ${code}) without a result`))));
  });
}

/** Where a bundled worker is: next to the bundle that holds its runner (dist/). */
export function bundledWorkerFile(fileName: string, runner: string, source: string): string {
  if (typeof __dirname === 'undefined') throw new Error(`${runner}: not running from a bundle; pass workerFile (${source})`);
  return path.join(__dirname, fileName);
}

/** A worker's error as the message it posts. */
export function describeWorkerError(error: unknown): WorkerErrorMessage {
  if (error instanceof Cancelled) return { type: 'cancelled' };
  if (isUserError(error)) {
    return {
      type: 'userError',
      what: error.what,
      ...(error.where === undefined ? {} : { where: error.where }),
      ...(error.next === undefined ? {} : { next: error.next }),
    };
  }
  if (error instanceof Error)
    return { type: 'internalError', name: error.name, message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) };
  return { type: 'internalError', name: 'Error', message: String(error) };
}

/** The host's error for a worker's error message (Cancelled as the caller words it). */
export function workerError(message: WorkerErrorMessage, cancelled: () => Cancelled): Error {
  switch (message.type) {
    case 'cancelled':
      return cancelled();
    case 'userError':
      return new UserError(message.what, {
        ...(message.where === undefined ? {} : { where: message.where }),
        ...(message.next === undefined ? {} : { next: message.next }),
      });
    case 'internalError': {
      const error = new Error(message.message);
      error.name = message.name;
      if (message.stack !== undefined) error.stack = message.stack;
      return error;
    }
  }
}
