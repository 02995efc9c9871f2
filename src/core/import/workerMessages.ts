import type { WorkerErrorMessage } from '../workerThread.ts';
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
  /** Int32 slots shared with the host; CANCEL_SLOT set to 1 asks the worker to stop. */
  control: SharedArrayBuffer;
}

export const CANCEL_SLOT = 0;
export const CONTROL_SLOTS = 1;

export type WorkerMessage = { type: 'progress'; done: number; total: number } | { type: 'done'; report: ImportReportByKind[ImportKind] } | WorkerErrorMessage;
