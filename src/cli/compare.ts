import type { Comparison, Flip, PairedComparison, StudentAccuracy } from '../core/eval/compare.ts';
import { answeredSplits, compareStudents } from '../core/eval/compare.ts';
import { registeredStudentConfig } from '../core/eval/studentEndpoint.ts';
import { exam } from '../core/jobs/collect.ts';
import type { JobProgress } from '../core/jobs/progress.ts';
import type { TaskName } from '../core/model.ts';
import type { Db } from '../core/store/db.ts';
import { listSplits } from '../core/store/problems.ts';
import { envKeySource } from '../core/teachers/client.ts';
import type { CliCommand, CliIo, ParsedCommandArgs } from './command.ts';
import { CONFIG_HELP, cancelOnSigint, exitCode, progressPrinter, readConfig, summaryLines, withDbAsync } from './jobOutput.ts';
import { DB_HELP, DB_OPTION, stringValue, usageError, withDb } from './options.ts';

const SHOWN_FLIPS = 10;

function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)} %`;
}

function accuracyLine(s: StudentAccuracy, width: number, paired: number): string {
  const ci = s.interval ? `95 % CI ${percent(s.interval.low)} – ${percent(s.interval.high)}` : '';
  return `  ${s.student.padEnd(width)}  ${percent(s.accuracy).padStart(7)}  (${s.correct} of ${paired})  ${ci}`;
}

/** p with enough digits to read, and what it means at the usual 5 % level. */
export function describeP(p: number): string {
  const shown = p < 0.0001 ? p.toExponential(2) : p.toPrecision(3);
  return `p = ${shown} (${p < 0.05 ? 'a difference this large is unlikely to be chance, at the 5 % level' : 'not significant at the 5 % level'})`;
}

function flipList(flips: readonly Flip[]): string {
  const shown = flips
    .slice(0, SHOWN_FLIPS)
    .map((f) => f.sourceId)
    .join(', ');
  return flips.length > SHOWN_FLIPS ? `${shown}, … (${flips.length - SHOWN_FLIPS} more; --json lists all)` : shown || '—';
}

function block(c: PairedComparison, width: number): string[] {
  return [
    accuracyLine(c.a, width, c.paired),
    accuracyLine(c.b, width, c.paired),
    `  flips: ${c.wrongToRight.length} wrong → right, ${c.rightToWrong.length} right → wrong (both right ${c.bothCorrect}, both wrong ${c.bothWrong})`,
    `  McNemar's exact test: ${describeP(c.pValue)}`,
  ];
}

export function formatComparison(c: Comparison): string {
  const width = Math.max(...c.students.map((s) => s.length));
  const lines = [`${c.students[0]} vs ${c.students[1]} on ${c.task ? `${c.task}/` : ''}${c.split}: ${c.paired} problems both answered`, ...block(c, width)];
  lines.push(`  wrong → right: ${flipList(c.wrongToRight)}`, `  right → wrong: ${flipList(c.rightToWrong)}`);
  if (c.onlyA + c.onlyB > 0) lines.push(`  left out: ${c.onlyA} answered by ${c.students[0]} only, ${c.onlyB} by ${c.students[1]} only`);
  if (c.byTask.length > 1) for (const t of c.byTask) lines.push('', `${t.task}: ${t.paired} problems`, ...block(t, width));
  return `${lines.join('\n')}\n`;
}

/**
 * --exam: a student with no answers on the split but a registered endpoint is examined first,
 * on every task the split holds. The flag is the consent to spend; without it compare only says
 * what is missing.
 */
async function examMissing(args: ParsedCommandArgs, io: CliIo, students: readonly string[], split: string, task: string | undefined): Promise<number> {
  const config = readConfig(args, io);
  const printer = progressPrinter(io);
  const cancel = cancelOnSigint();
  const results: JobProgress[] = [];
  try {
    await withDbAsync(args, io, async (db: Db) => {
      for (const student of students) {
        if (answeredSplits(db, student).some((s) => s.endsWith(`/${split}`) && (task === undefined || s.startsWith(`${task}/`)))) continue;
        const endpoint = registeredStudentConfig(db, student, config.student);
        if (!endpoint) continue; // compare says what is missing
        for (const s of listSplits(db).filter((x) => x.split === split && (task === undefined || x.task === task))) {
          io.stderr(`examining ${student} on ${s.task}/${split}: ${s.problems} problems\n`);
          const result = await exam(db, {
            student: endpoint,
            keys: envKeySource(io.env),
            task: s.task as TaskName,
            split,
            prompts: config.prompts,
            signal: cancel.signal,
            onProgress: printer.onProgress,
          });
          printer.flush();
          io.stderr(`${summaryLines(result).join('\n')}\n`);
          results.push(result);
        }
      }
    });
  } finally {
    cancel.dispose();
  }
  return exitCode(results);
}

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: "compare two students' accuracy on a split: Wilson intervals, McNemar's exact test, flips",
  help: `Usage: mapd compare --students A,B --split NAME [--task TASK] [--json] [--db PATH]

Pairs the two students' graded answers by problem on the split and prints each one's accuracy
with a 95 % Wilson interval, the problems that flipped (wrong -> right, right -> wrong) and
McNemar's exact test on those flips: did B (say, the student fine-tuned on the curated export)
really do better than A (the base student), or is the difference chance? Only problems both
answered are compared; the rest are counted.

Options:
  --students A,B   the two students, as named on their answers (A first: the baseline)
  --split NAME     the split to compare on (e.g. test)
  --task TASK      only this task's problems of the split (default: every task, with a
                   breakdown per task when the split mixes them)
  --json           the comparison as one JSON object (every flipped problem listed)
  --exam           first examine a student that has no answers on the split but a registered
                   endpoint (mapd students add, mapd finetune), with --config's student settings
${CONFIG_HELP}
${DB_HELP}

Example:
  mapd compare --students llama2-7b,llama2-7b-mapd-r1 --split test
`,
  options: {
    ...DB_OPTION,
    students: { type: 'string' },
    split: { type: 'string' },
    task: { type: 'string' },
    json: { type: 'boolean' },
    exam: { type: 'boolean' },
    config: { type: 'string' },
  },
  async run(args, io) {
    const students = (stringValue(args, 'students') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (students.length !== 2) return usageError(io, 'compare', 'give two students: --students A,B');
    const split = stringValue(args, 'split');
    if (!split) return usageError(io, 'compare', 'give --split NAME');
    const task = stringValue(args, 'task');
    if (args.values.exam === true) {
      const code = await examMissing(args, io, students, split, task);
      if (code !== 0) return code;
    }
    const comparison = withDb(args, io, (db) => compareStudents(db, { students: students as [string, string], split, ...(task ? { task } : {}) }), {
      readonly: true,
    });
    if (args.values.json === true) io.data(`${JSON.stringify(comparison, null, 2)}\n`);
    else io.stdout(formatComparison(comparison));
    return 0;
  },
};
