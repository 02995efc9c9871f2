import type { LineIssue } from '../../core/io/textFile.ts';

/** One-line reports of finished imports, for the notification and the log. */

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

export function skippedSummary(skipped: readonly LineIssue[], shown = 5): string {
  if (skipped.length === 0) return '';
  const lines = skipped
    .slice(0, shown)
    .map((s) => s.line)
    .join(', ');
  return ` Skipped ${plural(skipped.length, 'bad row')} (line${skipped.length === 1 ? '' : 's'} ${lines}${skipped.length > shown ? ', …' : ''}; the log lists them).`;
}

export function problemsSummary(file: string, r: { task: string; split: string; inserted: number; existing: number; skipped: readonly LineIssue[] }): string {
  const existing = r.existing > 0 ? `, ${plural(r.existing, 'was', 'were')} already there` : '';
  return `Imported ${plural(r.inserted, 'new problem')} from ${file} (${r.task}/${r.split})${existing}.${skippedSummary(r.skipped)}`;
}

export function answersSummary(file: string, r: { imported: number; correct: number; mistakes: number; skipped: readonly LineIssue[] }): string {
  return `Imported ${plural(r.imported, 'student answer')} from ${file}: ${plural(r.mistakes, 'mistake')}, ${r.correct.toLocaleString('en-US')} correct.${skippedSummary(r.skipped)}`;
}

export function outputsSummary(
  file: string,
  r: { format: string; problems: number; answers: number; outputs: number; reviews: number; skipped: readonly LineIssue[]; notes?: readonly string[] },
): string {
  const parts = [plural(r.outputs, 'teacher output'), plural(r.reviews, 'peer review')];
  if (r.problems > 0) parts.push(plural(r.problems, 'problem'));
  if (r.answers > 0) parts.push(plural(r.answers, 'student answer'));
  const notes = r.notes && r.notes.length > 0 ? ` ${r.notes.join(' ')}` : '';
  return `Imported ${parts.join(', ')} from ${file} (${r.format} format).${skippedSummary(r.skipped)}${notes}`;
}
