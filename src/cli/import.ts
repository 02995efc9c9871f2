import { describeSkipped, importProblemsFile } from '../core/import/index.ts';
import { taskSpec } from '../core/import/taskNames.ts';
import type { AnswerType, FieldMapping } from '../core/tasks/types.ts';
import { TASK_NAMES } from '../core/model.ts';
import type { CliCommand } from './command.ts';
import { DB_HELP, DB_OPTION, shownPath, singleFile, stringValue, usageError, withDb } from './options.ts';

const MAPPING_KEYS = ['question', 'answer', 'id', 'context', 'options', 'answerType', 'rationale'] as const;
const ANSWER_TYPES: readonly AnswerType[] = ['number', 'yesno', 'option', 'text'];

/** Parses --map "question=q,answer=a,id=uid" into a field mapping, or says what is wrong. */
export function parseMapping(text: string): FieldMapping | string {
  const mapping: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) return `--map expects key=field pairs separated by commas, found "${pair}"`;
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (!(MAPPING_KEYS as readonly string[]).includes(key)) return `--map: unknown key "${key}" (keys: ${MAPPING_KEYS.join(', ')})`;
    if (key === 'answerType' && !(ANSWER_TYPES as readonly string[]).includes(value)) return `--map: answerType must be one of ${ANSWER_TYPES.join(', ')}`;
    mapping[key] = value;
  }
  if (mapping.question === undefined || mapping.answer === undefined) return '--map needs at least question=FIELD and answer=FIELD';
  return mapping as unknown as FieldMapping;
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'import problems from a dataset file',
  help: `Usage: mapd import --task TASK [--split NAME] [--skip-bad] [--map KEY=FIELD,...] [--db PATH] FILE

Imports a dataset file's problems into the project, in one transaction. Importing the same file
again adds nothing.

Options:
  --task TASK      ${TASK_NAMES.join(' | ')}
  --split NAME     the split name (default: from the file name, e.g. train.json -> train)
  --skip-bad       leave out bad rows (reported with their line numbers) instead of importing nothing
  --map PAIRS      for --task jsonl: which fields hold what, as key=field pairs; keys:
                   ${MAPPING_KEYS.join(', ')}
${DB_HELP}

Examples:
  mapd import --task svamp ../data/svamp/chilled_split/train.json
  mapd import --task jsonl --map question=prompt,answer=target,id=uid mydata.jsonl
`,
  options: { ...DB_OPTION, task: { type: 'string' }, split: { type: 'string' }, 'skip-bad': { type: 'boolean' }, map: { type: 'string' } },
  allowPositionals: true,
  run(args, io) {
    const file = singleFile(args, io);
    if (!file) return Promise.resolve(usageError(io, 'import', 'give exactly one FILE'));
    const task = stringValue(args, 'task');
    if (!task) return Promise.resolve(usageError(io, 'import', `--task is required (${TASK_NAMES.join(', ')})`));
    const mapText = stringValue(args, 'map');
    const mapping = mapText === undefined ? undefined : parseMapping(mapText);
    if (typeof mapping === 'string') return Promise.resolve(usageError(io, 'import', mapping));
    const split = stringValue(args, 'split');
    taskSpec(task); // an unknown task is refused before a database is created for it
    const result = withDb(args, io, (db) =>
      importProblemsFile(db, file, {
        task,
        ...(split === undefined ? {} : { split }),
        skipBad: args.values['skip-bad'] === true,
        ...(mapping ? { mapping } : {}),
      }),
    );
    const already = result.existing > 0 ? ` (${result.existing} were already in the project)` : '';
    io.stdout(`imported ${result.inserted} problems (${result.task}/${result.split}) from ${shownPath(file, io)}${already}\n`);
    if (result.skipped.length > 0) io.stdout(`${describeSkipped(result.skipped)}\n`);
    return Promise.resolve(0);
  },
};
