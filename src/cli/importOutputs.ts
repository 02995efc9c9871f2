import { describeSkipped, importTeacherOutputsFile } from '../core/import/index.ts';
import type { CliCommand } from './command.ts';
import { DB_HELP, DB_OPTION, shownPath, singleFile, usageError, withDb } from './options.ts';

export const importOutputsCommand: CliCommand = {
  name: 'import-outputs',
  summary: 'import teacher critiques, rationales and peer reviews',
  help: `Usage: mapd import-outputs [--skip-bad] [--db PATH] FILE

Imports teacher outputs with their peer reviews, in one transaction; importing a file again adds
nothing. Two formats, told apart by content (docs/formats.md):
  - generic JSON Lines: {"id", "kind": "critique"|"rationale", "teacher", "text", optional "task",
    "split", "student", "sample", "reviews": [{"reviewer", "score", "text"}]}
  - the MAPD paper's released files (<student>_<dataset>_<false|feedback|rationale>_round0.json):
    problems, the student's wrong answers, three teachers' feedback and peer-scored rationales.

Options:
  --skip-bad       leave out bad rows (reported with their line numbers) instead of importing nothing
${DB_HELP}

Examples:
  mapd import-outputs ../data/mapd_release/Llama-2-7b-chat-hf_svamp_feedback_round0.json
  mapd import-outputs critiques.jsonl
`,
  options: { ...DB_OPTION, 'skip-bad': { type: 'boolean' } },
  allowPositionals: true,
  run(args, io) {
    const file = singleFile(args, io);
    if (!file) return Promise.resolve(usageError(io, 'import-outputs', 'give exactly one FILE'));
    const result = withDb(args, io, (db) => importTeacherOutputsFile(db, file, { skipBad: args.values['skip-bad'] === true }));
    const parts = [`${result.outputs} teacher outputs`, `${result.reviews} peer reviews`];
    if (result.format === 'mapd-release') parts.unshift(`${result.problems} problems`, `${result.answers} student answers`);
    io.stdout(`imported ${parts.join(', ')} from ${shownPath(file, io)} (${result.format} format)\n`);
    for (const note of result.notes) io.stdout(`note: ${note}\n`);
    if (result.skipped.length > 0) io.stdout(`${describeSkipped(result.skipped)}\n`);
    return Promise.resolve(0);
  },
};
