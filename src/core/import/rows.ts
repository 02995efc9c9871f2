import { UserError, fileLine, isUserError } from '../errors.ts';
import type { LineIssue } from '../io/textFile.ts';

/**
 * Runs one row's work. A UserError from a bad row either stops the import (the transaction rolls
 * back) or, when the user asked to skip bad rows, is recorded in `skipped` and the row is left out.
 * Anything else is a bug and always propagates.
 */
export function eachRow<T extends { line: number }>(
  file: string,
  rows: readonly T[],
  skipBad: boolean,
  skipped: LineIssue[],
  work: (row: T, index: number) => void,
): void {
  rows.forEach((row, index) => {
    try {
      work(row, index);
    } catch (error) {
      if (!skipBad || !isUserError(error)) throw error;
      skipped.push({ file, line: row.line, message: error.what });
    }
  });
}

/** An error about one row, placed at file:line, with the usual way out. */
export function rowError(file: string, line: number, what: string, next = 'Fix or remove that line (or import with "skip bad rows")'): UserError {
  return new UserError(what, { where: fileLine(file, line), next });
}

/** Skipped rows in file order, for reports. */
export function sortIssues(issues: readonly LineIssue[]): LineIssue[] {
  return [...issues].sort((a, b) => a.line - b.line);
}

/** One line for a person: how many rows were skipped and where the first ones are. */
export function describeSkipped(skipped: readonly LineIssue[], shown = 5): string {
  if (skipped.length === 0) return '';
  const sorted = sortIssues(skipped);
  const first = sorted
    .slice(0, shown)
    .map((s) => s.line)
    .join(', ');
  const firstIssue = sorted[0] as LineIssue;
  const rows = skipped.length === 1 ? 'row' : 'rows';
  return `skipped ${skipped.length} bad ${rows} (line${sorted.length === 1 ? '' : 's'} ${first}${sorted.length > shown ? ', …' : ''}; first: ${firstIssue.message})`;
}

/** Calls onProgress about every 1% of the rows and once at the end, so a UI can show a bar cheaply. */
export function progressReporter(total: number, onProgress: ((done: number, total: number) => void) | undefined): (done: number) => void {
  if (!onProgress) return () => undefined;
  const step = Math.max(1, Math.floor(total / 100));
  let last = -1;
  return (done) => {
    if (done === total || done - last >= step) {
      last = done;
      onProgress(done, total);
    }
  };
}
