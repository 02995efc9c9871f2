import { describeSkipped, importStudentAnswersFile } from '../core/import/index.ts';
import type { CliCommand } from './command.ts';
import { DB_HELP, DB_OPTION, shownPath, singleFile, stringValue, usageError, withDb } from './options.ts';

export const answersCommand: CliCommand = {
  name: 'answers',
  summary: "import and grade a student's answers (JSON Lines)",
  help: `Usage: mapd answers [--student NAME] [--task TASK] [--split NAME] [--skip-bad] [--db PATH] FILE

Imports a student's outputs and grades each against its problem's gold answer. FILE holds one
JSON object per line: {"id": problem id, "output": the student's text, optional "student",
"task", "split"}. The problems must be in the project already (mapd import).

Options:
  --student NAME   the student, for rows without "student" (default: student)
  --task TASK      look ids up in this task only (when an id occurs in several)
  --split NAME     look ids up in this split only
  --skip-bad       leave out bad rows (reported with their line numbers) instead of importing nothing
${DB_HELP}

Example:
  mapd answers --student llama-2-7b-chat --task svamp --split train answers.jsonl
`,
  options: { ...DB_OPTION, student: { type: 'string' }, task: { type: 'string' }, split: { type: 'string' }, 'skip-bad': { type: 'boolean' } },
  allowPositionals: true,
  run(args, io) {
    const file = singleFile(args, io);
    if (!file) return Promise.resolve(usageError(io, 'answers', 'give exactly one FILE'));
    const student = stringValue(args, 'student');
    const task = stringValue(args, 'task');
    const split = stringValue(args, 'split');
    const result = withDb(args, io, (db) =>
      importStudentAnswersFile(db, file, {
        ...(student === undefined ? {} : { student }),
        ...(task === undefined ? {} : { task }),
        ...(split === undefined ? {} : { split }),
        skipBad: args.values['skip-bad'] === true,
      }),
    );
    io.stdout(`imported ${result.imported} answers from ${shownPath(file, io)}: ${result.correct} correct, ${result.mistakes} mistakes\n`);
    if (result.skipped.length > 0) io.stdout(`${describeSkipped(result.skipped)}\n`);
    return Promise.resolve(0);
  },
};
