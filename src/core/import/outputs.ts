import { UserError, fileLine } from '../errors.ts';
import type { LineIssue } from '../io/textFile.ts';
import { readJsonLines, readTextFile } from '../io/textFile.ts';
import type { Db } from '../store/db.ts';
import { importGenericOutputs } from './genericOutputs.ts';
import { importMapdRelease, looksLikeMapdRelease } from './mapdRelease.ts';
import type { ImportOutputsOptions, ImportOutputsResult } from './outputTypes.ts';
import { sortIssues } from './rows.ts';

/**
 * Imports teacher outputs (and their peer reviews) from either the generic JSON Lines format or
 * the paper's released JSON arrays, told apart by their content. One transaction.
 */
export function importTeacherOutputsFile(db: Db, file: string, o: ImportOutputsOptions = {}): ImportOutputsResult {
  const text = readTextFile(file);
  const array = parseWholeArray(text, file);
  const skipped: LineIssue[] = [];
  let result: ImportOutputsResult;
  if (array) {
    if (!looksLikeMapdRelease(array)) {
      throw new UserError('a JSON array, but not the MAPD release format (records with "id", "question", "gold_answer", "student_wrong_pred")', {
        where: file,
        next: 'Use the generic format: one JSON object per line (see docs/formats.md)',
      });
    }
    result = importMapdRelease(db, file, text, array, skipped, o);
  } else {
    const lines = readJsonLines(file, { skipBad: o.skipBad ?? false });
    skipped.push(...lines.skipped);
    result = importGenericOutputs(db, file, lines.records, skipped, o);
  }
  if (result.outputs + result.answers + result.problems === 0 && skipped.length > 0 && result.reviews === 0) {
    const first = sortIssues(skipped)[0] as LineIssue;
    throw new UserError(`nothing could be imported: all ${skipped.length} rows are bad (first, line ${first.line}: ${first.message})`, { where: file, next: 'Check the file\'s format (docs/formats.md)' });
  }
  return { ...result, skipped: sortIssues(result.skipped) };
}

/**
 * A file that is one JSON array (the release's form) parsed, or null for JSON Lines. A file that
 * starts like an array but is broken is reported where JSON.parse stopped.
 */
function parseWholeArray(text: string, file: string): unknown[] | null {
  const start = text.trimStart();
  if (!start.startsWith('[')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : null;
  } catch (error) {
    const firstLine = start.split('\n', 1)[0] ?? '';
    // JSON Lines whose first line is an array: readJsonLines reports it, with its line.
    if (isJson(firstLine) && start.length > firstLine.length) return null;
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    const truncated = /Unexpected end of JSON input/.test(message);
    throw new UserError(truncated ? 'the JSON array ends early: the file looks truncated' : `not valid JSON (${message.split('\n')[0] ?? ''})`, {
      where: fileLine(file, line),
      next: 'Fix the file, or check that it is the file you meant',
    });
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
