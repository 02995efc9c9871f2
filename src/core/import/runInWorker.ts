import { Cancelled } from '../errors.ts';
import { bundledWorkerFile as bundled, controlBuffer, runWorker } from '../workerThread.ts';
import type { ImportJob, ImportKind, ImportOptionsByKind, ImportReportByKind } from './workerMessages.ts';

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
  const job: ImportJob = { kind, dbPath, file, options, control: controlBuffer() };
  return runWorker<ImportReportByKind[K]>(hooks.workerFile ?? bundledWorkerFile(), job, hooks, importCancelled, 'the import worker');
}
