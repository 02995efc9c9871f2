import type { ProjectCounts } from '../core/stats/counts.ts';
import { projectCounts } from '../core/stats/counts.ts';
import { curationStats } from '../core/stats/curation.ts';
import type { StudentStats } from '../core/stats/students.ts';
import { studentStats } from '../core/stats/students.ts';
import type { CliCommand } from './command.ts';
import { formatCurationStats } from './curationStats.ts';
import { DB_HELP, DB_OPTION, withDb } from './options.ts';

/** The counts as a small aligned table for people. */
export function formatCounts(counts: ProjectCounts): string {
  const rows: [string, string][] = [
    ['problems', String(counts.problems)],
    ['student answers', `${counts.studentAnswers} (${counts.mistakes} mistakes, ${counts.correct} correct)`],
    ['critiques', String(counts.outputs.critique)],
    ['rationales', String(counts.outputs.rationale)],
    ['ad-hoc answers', String(counts.outputs.adhoc)],
    ['peer reviews', String(counts.reviews)],
    ['curation events', String(counts.events)],
    ['teacher calls', String(counts.calls)],
  ];
  const lines = rows.map(([label, value]) => `${label.padEnd(16)} ${value}`);
  const teachers = Object.entries(counts.perTeacher);
  if (teachers.length > 0) {
    const width = Math.max(7, ...teachers.map(([name]) => name.length));
    lines.push('', `${'teacher'.padEnd(width)}  critiques  rationales  reviews given`);
    for (const [name, t] of teachers) {
      lines.push(`${name.padEnd(width)}  ${String(t.critiques).padStart(9)}  ${String(t.rationales).padStart(10)}  ${String(t.reviewsGiven).padStart(13)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Per student (and round): accuracy and mistakes per split, and how many of its mistakes have decisions. */
export function formatStudents(students: readonly StudentStats[]): string {
  if (students.length === 0) return '';
  const lines = ['', 'student (round)                         split                 accuracy   mistakes  with decisions'];
  for (const s of students) {
    const name = `${s.student} (${s.round}${s.trainedFrom ? `, from ${s.trainedFrom}` : ''})`;
    if (s.splits.length === 0) lines.push(`${name.padEnd(38)}  (no answers yet)`);
    for (const [i, sp] of s.splits.entries()) {
      lines.push(
        `${(i === 0 ? name : '').padEnd(38)}  ${`${sp.task}/${sp.split}`.padEnd(20)}  ${`${(sp.accuracy * 100).toFixed(1)} %`.padStart(8)}  ${String(sp.mistakes).padStart(9)}  ${String(sp.mistakesWithDecisions).padStart(14)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'count problems, answers, mistakes, outputs and reviews (per teacher)',
  help: `Usage: mapd stats [--json] [--db PATH]

Prints the project's counts: problems, student answers (mistakes and correct), teacher outputs
by kind, peer reviews, curation events, teacher calls, and per teacher; then what curation did
("curation" in JSON): per teacher peer-accepted, human-accepted, edited, rejected, mean peer
score, tokens and cost; human-vs-peer agreement and Cohen's kappa; each reviewer's agreement with
the human; the default export's answer consistency; median curation time per decision. Opens the
database read-only.

Options:
  --json           print the counts as one JSON object
${DB_HELP}

Example:
  mapd stats --json --db work/.mapd/curation.db
`,
  options: { ...DB_OPTION, json: { type: 'boolean' } },
  run(args, io) {
    const { counts, curation, students } = withDb(args, io, (db) => ({ counts: projectCounts(db), curation: curationStats(db), students: studentStats(db) }), {
      readonly: true,
    });
    if (args.values.json === true) io.data(`${JSON.stringify({ ...counts, curation, students }, null, 2)}\n`);
    else io.stdout(formatCounts(counts) + formatStudents(students) + formatCurationStats(curation));
    return Promise.resolve(0);
  },
};
