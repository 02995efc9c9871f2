import path from 'node:path';
import { UserError } from '../errors.ts';
import type { LineIssue } from '../io/textFile.ts';
import type { TaskName } from '../model.ts';
import type { Db } from '../store/db.ts';
import { inTransaction } from '../store/db.ts';
import { insertProblems, withProblemIndexDeferred } from '../store/problems.ts';
import type { FieldMapping, ParseOptions } from '../tasks/types.ts';
import { isJsonLinesFile } from '../io/jsonLinesStream.ts';
import { resolveSplit } from '../tasks/records.ts';
import { importJsonLinesProblems } from './problemStream.ts';
import { describeSkipped, progressReporter, sortIssues } from './rows.ts';
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
 * written, unless skipBad; importing the same file again adds nothing. A JSON Lines file of a task
 * that reads one problem per record is streamed (problemStream.ts); other files are parsed whole.
 */
export function importProblemsFile(db: Db, file: string, o: ImportProblemsOptions): ImportProblemsResult {
  const spec = taskSpec(o.task);
  const skipBad = o.skipBad ?? false;
  const parseOptions: ParseOptions = { ...(o.split === undefined ? {} : { split: o.split }), skipBad, ...(o.mapping ? { mapping: o.mapping } : {}) };
  const read = spec.recordReader?.(parseOptions);
  if (read && isJsonLinesFile(file)) {
    const split = resolveSplit(file, parseOptions);
    const counts = importJsonLinesProblems(db, file, { task: spec.name, split, read, skipBad, onProgress: o.onProgress });
    return { task: spec.name, split, inserted: counts.inserted, existing: counts.existing, skipped: sortIssues(counts.skipped) };
  }
  const parsed = spec.parseFile(file, parseOptions);
  // The task's parser has checked every record, ids unique within the file included.
  const { problems, skipped } = parsed;
  if (problems.length === 0) {
    throw new UserError(`no problem could be read (${describeSkipped(skipped) || 'no records'})`, {
      where: file,
      next: 'Check that the file and --task (or the field mapping) match',
    });
  }
  const report = progressReporter(problems.length, o.onProgress);
  const sourceFile = path.resolve(file);
  const inserted = inTransaction(db, () =>
    withProblemIndexDeferred(db, () => {
      let count = 0;
      for (let start = 0; start < problems.length; start += CHUNK) {
        const chunk = problems.slice(start, start + CHUNK);
        count += insertProblems(db, spec.name, parsed.split, sourceFile, chunk).inserted;
        report(start + chunk.length);
      }
      return count;
    }),
  );
  return { task: spec.name, split: parsed.split, inserted, existing: problems.length - inserted, skipped: sortIssues(skipped) };
}
