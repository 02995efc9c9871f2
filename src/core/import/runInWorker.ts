import { Worker } from 'node:worker_threads';
import { Cancelled } from '../errors.ts';
import { bundledWorkerFile as bundled, workerError } from '../workerThread.ts';
import type { ImportJob, ImportKind, ImportOptionsByKind, ImportReportByKind, WorkerMessage } from './workerMessages.ts';
import { CANCEL_SLOT, CONTROL_SLOTS } from './workerMessages.ts';

export type { ImportKind, ImportOptionsByKind, ImportReportByKind } from './workerMessages.ts';

/** An import stopped at the user's request: its transaction rolled back. */
export function importCancelled(): Cancelled {
  return new Cancelled('Import cancelled; nothing was imported');
}

export interface RunImportHooks {
  /** Rows done of all rows, about every 1 % of them, as the worker gets through them. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting cancels the import: the promise rejects with Cancelled, nothing written. */
  signal?: AbortSignal;
  /** The worker's script; by default importWorker.js beside the bundle (tests give worker.ts). */
  workerFile?: string;
}

/** Where the bundled worker is: next to the bundle that holds this runner (dist/). */
export function bundledWorkerFile(): string {
  return bundled('importWorker.js', 'runImportInWorker', 'src/core/import/worker.ts');
}

/**
 * Runs one import in a worker thread with its own connection to the database at dbPath (WAL: the
 * caller's connection keeps reading meanwhile; its writes wait for the import's commit). Resolves
 * to the same report as the direct import; rejects with the same UserError, with
 * Cancelled when cancelled, or with an internal error carrying the worker's stack.
 */
export function runImportInWorker<K extends ImportKind>(
  kind: K,
  dbPath: string,
  file: string,
  options: ImportOptionsByKind[K],
  hooks: RunImportHooks = {},
): Promise<ImportReportByKind[K]> {
  const { onProgress, signal } = hooks;
  if (signal?.aborted) return Promise.reject(importCancelled());
  const control = new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT);
  const job: ImportJob = { kind, dbPath, file, options, control };
  return new Promise((resolve, reject) => {
    const worker = new Worker(hooks.workerFile ?? bundledWorkerFile(), { workerData: job });
    let settled = false;
    const cancel = (): void => {
      Atomics.store(new Int32Array(control), CANCEL_SLOT, 1);
    };
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      finish();
    };
    signal?.addEventListener('abort', cancel, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'progress':
          if (!settled) onProgress?.(message.done, message.total);
          return;
        case 'done':
          return settle(() => resolve(message.report as ImportReportByKind[K]));
        default:
          return settle(() => reject(workerError(message, importCancelled)));
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the import worker stopped (exit code ${code}) without a result`))));
  });
}
