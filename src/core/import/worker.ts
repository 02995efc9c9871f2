import { parentPort, workerData } from 'node:worker_threads';
import { Cancelled } from '../errors.ts';
import { cancelAsked, describeWorkerError } from '../workerThread.ts';
import { openStore } from '../store/db.ts';
import type { Db } from '../store/db.ts';
import { importStudentAnswersFile } from './answers.ts';
import { importTeacherOutputsFile } from './outputs.ts';
import { importProblemsFile } from './problems.ts';
import type { ImportJob, ImportOptionsByKind, ImportReportByKind, WorkerMessage } from './workerMessages.ts';

/**
 * The entry of an import worker thread (bundled to dist/importWorker.js): one import on its own
 * connection to the project database, so the host's thread stays free and its own connection
 * keeps reading meanwhile. Progress, the report and errors go back as plain messages.
 *
 * Cancelling: the host sets a shared flag; the next progress call inside the import's transaction
 * throws, the transaction rolls back and nothing is written. A flag seen only after the commit
 * changes nothing: the import finished, and the host gets its report.
 */

function post(message: WorkerMessage): void {
  parentPort?.postMessage(message);
}

function runImport(db: Db, job: ImportJob, onProgress: (done: number, total: number) => void): ImportReportByKind[keyof ImportReportByKind] {
  switch (job.kind) {
    case 'problems':
      return importProblemsFile(db, job.file, { ...(job.options as ImportOptionsByKind['problems']), onProgress });
    case 'answers':
      return importStudentAnswersFile(db, job.file, { ...(job.options as ImportOptionsByKind['answers']), onProgress });
    case 'outputs':
      return importTeacherOutputsFile(db, job.file, { ...(job.options as ImportOptionsByKind['outputs']), onProgress });
  }
}

function outcome(job: ImportJob): WorkerMessage {
  const cancelled = (): boolean => cancelAsked(job.control);
  if (cancelled()) return { type: 'cancelled' };
  const db = openStore(job.dbPath);
  try {
    const report = runImport(db, job, (done, total) => {
      if (cancelled() && db.inTransaction) throw new Cancelled();
      post({ type: 'progress', done, total });
    });
    return { type: 'done', result: report };
  } finally {
    db.close();
  }
}

try {
  post(outcome(workerData as ImportJob));
} catch (error) {
  post(describeWorkerError(error));
}
