/**
 * Filling a project from files: problems, student answers, teacher outputs. Its users import from
 * here; runInWorker.ts (the same imports off the editor's thread) is the one other entry.
 */
export type { ImportProblemsOptions, ImportProblemsResult, ImportProgress } from './problems.ts';
export { importProblemsFile } from './problems.ts';
export type { ImportAnswersOptions, ImportAnswersResult } from './answers.ts';
export { DEFAULT_STUDENT, importStudentAnswersFile } from './answers.ts';
export type { ImportOutputsOptions, ImportOutputsResult } from './outputTypes.ts';
export { importTeacherOutputsFile } from './outputs.ts';
export { describeSkipped } from './rows.ts';
