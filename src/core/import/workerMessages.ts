import type { WorkerReply } from '../workerThread.ts';
import type { ImportAnswersOptions, ImportAnswersResult } from './answers.ts';
import type { ImportOutputsOptions, ImportOutputsResult } from './outputTypes.ts';
import type { ImportProblemsOptions, ImportProblemsResult } from './problems.ts';

/** What the host and an import worker say to each other (plain data: it crosses threads). */

export type ImportKind = 'problems' | 'answers' | 'outputs';

/** An import's options without its callback (progress comes back as messages). */
export interface ImportOptionsByKind {
  problems: Omit<ImportProblemsOptions, 'onProgress'>;
  answers: Omit<ImportAnswersOptions, 'onProgress'>;
  outputs: Omit<ImportOutputsOptions, 'onProgress'>;
}

export interface ImportReportByKind {
  problems: ImportProblemsResult;
  answers: ImportAnswersResult;
  outputs: ImportOutputsResult;
}

export interface ImportJob {
  kind: ImportKind;
  dbPath: string;
  file: string;
  options: ImportOptionsByKind[ImportKind];
  /** Shared with the host (workerThread.ts, controlBuffer): its CANCEL_SLOT set to 1 asks the worker to stop. */
  control: SharedArrayBuffer;
}

export type WorkerMessage = WorkerReply<ImportReportByKind[ImportKind]>;
