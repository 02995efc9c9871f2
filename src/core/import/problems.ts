import path from 'node:path';
import { UserError } from '../errors.ts';
import type { LineIssue } from '../io/textFile.ts';
import type { ProblemInput, TaskName } from '../model.ts';
import type { Db } from '../store/db.ts';
import { inTransaction } from '../store/db.ts';
import { insertProblems } from '../store/problems.ts';
import type { FieldMapping } from '../tasks/types.ts';
import { describeSkipped, eachRow, progressReporter, rowError, sortIssues } from './rows.ts';
import { taskSpec } from './taskNames.ts';

export interface ImportProgress {
  (done: number, total: number): void;
}

export interface ImportProblemsOptions {
  task: string;
  split?: string;
  skipBad?: boolean;
  mapping?: FieldMapping;
  onProgress?: ImportProgress;
}

export interface ImportProblemsResult {
  task: TaskName;
  split: string;
  inserted: number;
  /** Problems the project already had (same task, split and id), left as they were. */
  existing: number;
  skipped: LineIssue[];
}

const CHUNK = 2000;

/**
 * Imports a dataset file's problems in one transaction: a bad row stops the import with nothing
 * written, unless skipBad; importing the same file again adds nothing.
 */
export function importProblemsFile(db: Db, file: string, o: ImportProblemsOptions): ImportProblemsResult {
  const spec = taskSpec(o.task);
  const skipBad = o.skipBad ?? false;
  const parsed = spec.parseFile(file, { ...(o.split === undefined ? {} : { split: o.split }), skipBad, ...(o.mapping ? { mapping: o.mapping } : {}) });
  const skipped = [...parsed.skipped];
  const problems = withoutDuplicateIds(file, parsed.problems, skipBad, skipped);
  if (problems.length === 0) {
    throw new UserError(`no problem could be read (${describeSkipped(skipped) || 'no records'})`, { where: file, next: 'Check that the file and --task (or the field mapping) match' });
  }
  const report = progressReporter(problems.length, o.onProgress);
  const sourceFile = path.resolve(file);
  const inserted = inTransaction(db, () => {
    let count = 0;
    for (let start = 0; start < problems.length; start += CHUNK) {
      const chunk = problems.slice(start, start + CHUNK);
      count += insertProblems(db, spec.name, parsed.split, sourceFile, chunk).inserted;
      report(start + chunk.length);
    }
    return count;
  });
  return { task: spec.name, split: parsed.split, inserted, existing: problems.length - inserted, skipped: sortIssues(skipped) };
}

/** Two records with one id in a file are an error (which one would the project mean?). */
function withoutDuplicateIds(file: string, problems: readonly ProblemInput[], skipBad: boolean, skipped: LineIssue[]): ProblemInput[] {
  const firstLine = new Map<string, number>();
  const kept: ProblemInput[] = [];
  const rows = problems.map((problem, index) => ({ problem, line: problem.sourceLine ?? index + 1 }));
  eachRow(file, rows, skipBad, skipped, ({ problem, line }) => {
    const seen = firstLine.get(problem.sourceId);
    if (seen !== undefined) throw rowError(file, line, `duplicate id "${problem.sourceId}" (first on line ${seen})`, 'Give every record its own id, or remove the duplicate');
    firstLine.set(problem.sourceId, line);
    kept.push(problem);
  });
  return kept;
}
