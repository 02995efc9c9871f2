import { UserError } from '../errors.ts';
import type { LineIssue } from '../io/textFile.ts';
import { readJsonRecords } from '../io/textFile.ts';
import type { Db } from '../store/db.ts';
import { importGenericOutputs } from './genericOutputs.ts';
import { importMapdRelease, looksLikeMapdRelease } from './mapdRelease.ts';
import type { ImportOutputsOptions, ImportOutputsResult } from './outputTypes.ts';
import { sortIssues } from './rows.ts';

/**
 * Imports teacher outputs (and their peer reviews) from either the generic JSON Lines format or
 * the paper's released JSON arrays, told apart by their shape and fields. One transaction.
 */
export function importTeacherOutputsFile(db: Db, file: string, o: ImportOutputsOptions = {}): ImportOutputsResult {
  const raw = readJsonRecords(file, { skipBad: o.skipBad ?? false });
  const skipped: LineIssue[] = [...raw.skipped];
  let result: ImportOutputsResult;
  if (raw.shape === 'json-array') {
    if (!looksLikeMapdRelease(raw.records.map((r) => r.value))) {
      throw new UserError('a JSON array, but not the MAPD release format (records with "id", "question", "gold_answer", "student_wrong_pred")', {
        where: file,
        next: 'Use the generic format: one JSON object per line (see docs/formats.md)',
      });
    }
    result = importMapdRelease(db, file, raw.records, skipped, o);
  } else {
    result = importGenericOutputs(db, file, raw.records, skipped, o);
  }
  if (result.outputs + result.answers + result.problems + result.reviews === 0 && skipped.length > 0) {
    const first = sortIssues(skipped)[0] as LineIssue;
    throw new UserError(`nothing could be imported: all ${skipped.length} rows are bad (first, line ${first.line}: ${first.message})`, {
      where: file,
      next: "Check the file's format (docs/formats.md)",
    });
  }
  return { ...result, skipped: sortIssues(result.skipped) };
}
