/** Filling a project from files: problems, student answers, teacher outputs; and its counts. */
export type { ImportProblemsOptions, ImportProblemsResult, ImportProgress } from './problems.ts';
export { importProblemsFile } from './problems.ts';
export type { ImportAnswersOptions, ImportAnswersResult } from './answers.ts';
export { DEFAULT_STUDENT, importStudentAnswersFile } from './answers.ts';
export type { ImportOutputsOptions, ImportOutputsResult } from './outputTypes.ts';
export { importTeacherOutputsFile } from './outputs.ts';
export type { ProjectCounts, TeacherCounts } from './counts.ts';
export { projectCounts } from './counts.ts';
export { describeSkipped } from './rows.ts';
