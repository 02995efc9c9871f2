import { optionalString, requireScalarText, requireString } from '../io/fields.ts';
import type { LineIssue } from '../io/textFile.ts';
import { readJsonLines } from '../io/textFile.ts';
import type { Db } from '../store/db.ts';
import { inTransaction } from '../store/db.ts';
import { upsertStudentAnswer } from '../store/answers.ts';
import { UserError } from '../errors.ts';
import { problemLookup } from './lookup.ts';
import type { ImportProgress } from './problems.ts';
import { describeSkipped, eachRow, progressReporter, rowError, sortIssues } from './rows.ts';
import { optionalTaskName, taskSpec } from './taskNames.ts';
import { gradeWith } from '../tasks/grade.ts';

/** The student name for rows that name none and imports that give none. */
export const DEFAULT_STUDENT = 'student';

export interface ImportAnswersOptions {
  /** For rows without a "student" field. */
  student?: string;
  /** Narrow the id lookup (rows may give their own "task"/"split"). */
  task?: string;
  split?: string;
  skipBad?: boolean;
  onProgress?: ImportProgress;
}

export interface ImportAnswersResult {
  imported: number;
  correct: number;
  mistakes: number;
  skipped: LineIssue[];
}

/**
 * Imports a student's outputs from JSON Lines ({"id", "output", optional "student", "task",
 * "split"}), grading each with its task's extraction on the way in. One transaction: a bad row
 * stops the import with nothing written, unless skipBad. A newer answer of the same student to the
 * same problem replaces the older one.
 */
export function importStudentAnswersFile(db: Db, file: string, o: ImportAnswersOptions = {}): ImportAnswersResult {
  if (o.task !== undefined) taskSpec(o.task);
  const skipBad = o.skipBad ?? false;
  const { records, skipped } = readJsonLines(file, { skipBad });
  const report = progressReporter(records.length, o.onProgress);
  const lookup = problemLookup(db);
  const result = inTransaction(db, () => {
    const firstLine = new Map<string, number>();
    let imported = 0;
    let correct = 0;
    eachRow(file, records, skipBad, skipped, ({ line, value }, index) => {
      const place = { file, line };
      const sourceId = requireScalarText(value, 'id', place);
      const rawOutput = requireString(value, 'output', place, { allowEmpty: true });
      const student = optionalString(value, 'student', place) ?? o.student ?? DEFAULT_STUDENT;
      const task = optionalTaskName(optionalString(value, 'task', place) ?? o.task, `${file}:${line}`);
      const split = optionalString(value, 'split', place) ?? o.split;
      const match = lookup(sourceId, task, split);
      if ('error' in match) throw rowError(file, line, match.error, match.next);
      const { problem } = match;
      const key = `${problem.id}\u0000${student}`;
      const seen = firstLine.get(key);
      if (seen !== undefined)
        throw rowError(file, line, `duplicate answer of "${student}" to id "${sourceId}" (first on line ${seen})`, 'Keep one answer per problem and student');
      firstLine.set(key, line);
      const grade = gradeWith(taskSpec(problem.task), rawOutput, problem.goldAnswer, problem);
      upsertStudentAnswer(db, { problemId: problem.id, student, rawOutput, ...grade });
      imported++;
      if (grade.correct) correct++;
      report(index + 1);
    });
    return { imported, correct };
  });
  if (result.imported === 0) {
    throw new UserError(`no answer could be imported (${describeSkipped(skipped)})`, {
      where: file,
      next: 'Check that the file holds {"id", "output"} rows for problems of this project',
    });
  }
  report(records.length);
  return { imported: result.imported, correct: result.correct, mistakes: result.imported - result.correct, skipped: sortIssues(skipped) };
}
