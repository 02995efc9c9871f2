import readline from 'node:readline';
import { UserError, fileLine } from '../core/errors.ts';
import { describeJsonType } from '../core/io/textFile.ts';
import { TASK_NAMES } from '../core/model.ts';
import { taskSpec } from '../core/import/taskNames.ts';
import { gradeWith } from '../core/tasks/grade.ts';
import type { TaskSpec } from '../core/tasks/types.ts';
import type { CliCommand } from './command.ts';
import { stringValue, usageError } from './options.ts';

interface ExtractRequest {
  output: string;
  gold: string;
  options?: string[];
}

/** One stdin line as a request, or a UserError naming stdin:line. */
export function parseExtractLine(text: string, line: number): ExtractRequest {
  const where = fileLine('stdin', line);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`not valid JSON (${((error as Error).message.split('\n')[0] ?? '').slice(0, 120)})`, {
      where,
      next: 'Send one {"output", "gold"} object per line',
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UserError(`expected a JSON object, found ${describeJsonType(value)}`, { where, next: 'Send one {"output", "gold"} object per line' });
  const record = value as Record<string, unknown>;
  if (typeof record.output !== 'string') throw new UserError(`field "output" should be a string, found ${describeJsonType(record.output)}`, { where });
  const gold = typeof record.gold === 'number' && Number.isFinite(record.gold) ? String(record.gold) : record.gold;
  if (typeof gold !== 'string' || gold.trim() === '')
    throw new UserError(`field "gold" should be a non-empty string or a number, found ${describeJsonType(record.gold)}`, { where });
  const options = record.options;
  if (options !== undefined && options !== null && (!Array.isArray(options) || !options.every((o) => typeof o === 'string'))) {
    throw new UserError(`field "options" should be an array of strings, found ${describeJsonType(options)}`, { where });
  }
  return { output: record.output, gold, ...(Array.isArray(options) ? { options: options as string[] } : {}) };
}

export function extractOne(spec: TaskSpec, request: ExtractRequest): { extracted: string | null; correct: boolean } {
  const problem = request.options ? { options: request.options } : {};
  const { extractedAnswer, correct } = gradeWith(spec, request.output, request.gold, problem);
  return { extracted: extractedAnswer, correct };
}

export const extractCommand: CliCommand = {
  name: 'extract',
  summary: 'extract and grade final answers (JSON Lines on stdin -> stdout)',
  help: `Usage: mapd extract --task TASK < requests.jsonl

Reads JSON Lines {"output": model text, "gold": gold answer, optional "options": [...]} on stdin
and writes {"extracted": answer or null, "correct": true|false} per line on stdout, as each line
arrives. A bad line stops with its line number (exit 1). Needs no project database.

Options:
  --task TASK      ${TASK_NAMES.join(' | ')}

Example:
  echo '{"output":"So she has 18 eggs. The answer is 18.","gold":"18"}' | mapd extract --task gsm8k
`,
  options: { task: { type: 'string' }, db: { type: 'string' } },
  async run(args, io) {
    const task = stringValue(args, 'task');
    if (!task) return usageError(io, 'extract', `--task is required (${TASK_NAMES.join(', ')})`);
    const spec = taskSpec(task);
    const lines = readline.createInterface({ input: io.stdin, crlfDelay: Infinity });
    let line = 0;
    for await (const raw of lines) {
      line++;
      const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (text.trim() === '') continue;
      io.data(`${JSON.stringify(extractOne(spec, parseExtractLine(text, line)))}\n`);
    }
    return 0;
  },
};
