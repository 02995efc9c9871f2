import path from 'node:path';
import type { LineIssue } from '../io/textFile.ts';
import { countJsonLines, jsonLineRecords } from '../io/jsonLinesStream.ts';
import type { TaskName } from '../model.ts';
import type { Db } from '../store/db.ts';
import { cachedStatement, inTransaction, nowIso } from '../store/db.ts';
import { insertProblem, withProblemIndexDeferred } from '../store/problems.ts';
import { duplicateId, failer, noProblemRead, readRecord } from '../tasks/records.ts';
import type { RecordReader } from '../tasks/types.ts';
import { progressReporter } from './rows.ts';

/**
 * A JSON Lines file of problems imported as it is read (issue 11: 1M problems with bounded
 * memory): each record is parsed, checked and inserted before the next is read, in one
 * transaction, so a bad row still leaves the project unchanged. Only the counts and the skipped
 * rows stay in memory.
 *
 * Ids must be unique within the file, as when the file is parsed whole (records.ts,
 * collectProblems), but the ids seen are not kept in memory: a row the insert refuses was either
 * inserted earlier by this import (a repeat within the file) or was in the project before it
 * (re-importing a file adds nothing); the second kind is remembered in a temporary table, so a
 * repeat of it is still caught.
 */

/** What a streamed import writes: under which task and split, read by the task's record reader. */
export interface StreamedImport {
  task: TaskName;
  split: string;
  read: RecordReader;
  skipBad: boolean;
  onProgress: ((done: number, total: number) => void) | undefined;
}

export interface StreamedCounts {
  inserted: number;
  existing: number;
  skipped: LineIssue[];
}

interface StoredRow {
  id: number;
  source_line: number;
}

export function importJsonLinesProblems(db: Db, file: string, job: StreamedImport): StreamedCounts {
  const skipped: LineIssue[] = [];
  const fail = failer(file, job.skipBad, skipped);
  // A first pass only counts lines (no parsing), so progress can say "of how many".
  const total = countJsonLines(file);
  const report = progressReporter(total, job.onProgress);
  const sourceFile = path.resolve(file);
  try {
    return inTransaction(db, () =>
      withProblemIndexDeferred(db, () => {
        const createdAt = nowIso();
        const lastIdBefore = cachedStatement(db, 'SELECT COALESCE(MAX(id), 0) FROM problems').pluck().get() as number;
        const stored = cachedStatement(db, 'SELECT id, source_line FROM problems WHERE task = ? AND split = ? AND source_id = ?');
        const repeats = existingRepeats(db);
        let inserted = 0;
        let existing = 0;
        let done = 0;
        for (const record of jsonLineRecords(file, job.skipBad, skipped)) {
          const problem = readRecord(file, record, record.index ?? 0, job.read, fail);
          if (problem !== undefined) {
            if (insertProblem(db, job.task, job.split, sourceFile, problem, createdAt)) inserted++;
            else {
              const row = stored.get(job.task, job.split, problem.sourceId) as StoredRow;
              // The streamed tasks' readers all keep the record's line as sourceLine.
              const firstLine = row.id > lastIdBefore ? row.source_line : repeats.firstLine(problem.sourceId, record.line);
              if (firstLine === undefined) existing++;
              else fail(record.line, duplicateId(file, record.line, problem.sourceId, firstLine));
            }
          }
          done = (record.index ?? done) + 1;
          report(done);
        }
        if (done < total) report(total);
        if (inserted + existing === 0) throw noProblemRead(file, skipped);
        return { inserted, existing, skipped };
      }),
    );
  } finally {
    db.exec('DROP TABLE IF EXISTS temp.import_existing');
  }
}

/** Source ids this import found already in the project, with the line that first named each (a temporary table, created on the first). */
function existingRepeats(db: Db): { firstLine(sourceId: string, line: number): number | undefined } {
  let created = false;
  return {
    firstLine(sourceId, line) {
      if (!created) {
        db.exec('CREATE TEMP TABLE IF NOT EXISTS import_existing (source_id TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID');
        db.exec('DELETE FROM temp.import_existing');
        created = true;
      }
      if (cachedStatement(db, 'INSERT INTO temp.import_existing (source_id, line) VALUES (?, ?) ON CONFLICT DO NOTHING').run(sourceId, line).changes > 0)
        return undefined;
      return cachedStatement(db, 'SELECT line FROM temp.import_existing WHERE source_id = ?').pluck().get(sourceId) as number;
    },
  };
}
