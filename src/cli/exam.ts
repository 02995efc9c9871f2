import { exam, examProblems } from '../core/jobs/collect.ts';
import { describeEstimate, estimateExam } from '../core/jobs/estimate.ts';
import { isTaskName } from '../core/tasks/index.ts';
import { envKeySource } from '../core/teachers/client.ts';
import { UserError } from '../core/errors.ts';
import { parseConcurrency } from './collect.ts';
import type { CliCommand } from './command.ts';
import {
  CONFIG_HELP,
  TRY_SMALL_HELP,
  cancelOnSigint,
  exitCode,
  parseLimit,
  parseSourceIds,
  progressPrinter,
  readConfig,
  runSummary,
  withDbAsync,
} from './jobOutput.ts';
import { DB_HELP, DB_OPTION, stringValue, withDb } from './options.ts';
import { requireRegisteredStudent } from '../core/eval/studentEndpoint.ts';

export const examCommand: CliCommand = {
  name: 'exam',
  summary: 'let the student endpoint answer a split; grade the answers and mark the mistakes',
  help: `Usage: mapd exam --config FILE --task TASK --split NAME [--student NAME] [--limit N] [--problems IDS] [--estimate] [--concurrency N] [--db PATH]

The student (the config's "student": an OpenAI-compatible endpoint such as vLLM, Ollama or
llama.cpp) answers every question of the split once; each answer is graded and stored; wrong
ones are the mistakes the teachers then critique. An empty or whitespace answer is an answer:
a mistake with nothing extracted. Resumable like collect; the summary is the ledger's sums
for this run. With --student, a
registered student (mapd students add, or one mapd finetune made) is examined at its own
endpoint, with the config student's other settings (key variable, token limit, concurrency).

Options:
${CONFIG_HELP}
  --task TASK      the problems' task (gsm8k, svamp, strategyqa, logiqa, …)
  --split NAME     the split to examine (e.g. train)
  --student NAME   a registered student instead of the config's
${TRY_SMALL_HELP}
  --concurrency N  requests in flight, overriding the config
${DB_HELP}

Example:
  mapd exam --config teachers.json --task svamp --split train
`,
  options: {
    ...DB_OPTION,
    config: { type: 'string' },
    task: { type: 'string' },
    split: { type: 'string' },
    student: { type: 'string' },
    concurrency: { type: 'string' },
    limit: { type: 'string' },
    problems: { type: 'string' },
    estimate: { type: 'boolean' },
  },
  async run(args, io) {
    const config = readConfig(args, io);
    const named = stringValue(args, 'student');
    if (named) config.student = withDb(args, io, (db) => requireRegisteredStudent(db, named, config.student), { readonly: true });
    if (!config.student)
      throw new UserError('the configuration has no "student"', {
        next: 'Add "student": {"model": …, "baseUrl": …} to the config file, or name a registered one with --student',
      });
    const task = stringValue(args, 'task');
    const split = stringValue(args, 'split');
    if (!task || !isTaskName(task))
      throw new UserError(task ? `unknown task "${task}"` : '--task is missing', {
        next: 'Give --task gsm8k, svamp, strategyqa, logiqa, commonsenseqa, arc or jsonl',
      });
    if (!split) throw new UserError('--split is missing', { next: 'Give the split to examine, e.g. --split train' });
    const concurrency = parseConcurrency(stringValue(args, 'concurrency'));
    const limit = parseLimit(stringValue(args, 'limit'));
    const sourceIds = parseSourceIds(stringValue(args, 'problems'));
    const scope = { ...(limit ? { limit } : {}), ...(sourceIds ? { sourceIds } : {}) };
    const student = config.student;
    if (args.values.estimate === true) {
      const estimate = withDb(args, io, (db) => estimateExam(db, student, examProblems(db, { task, split, scope }), config.prompts));
      io.stdout(`${describeEstimate(estimate).join('\n')}\n`);
      return 0;
    }
    const printer = progressPrinter(io);
    const cancel = cancelOnSigint();
    try {
      const result = await withDbAsync(args, io, (db) =>
        exam(db, {
          student,
          keys: envKeySource(io.env),
          task,
          split,
          scope,
          prompts: config.prompts,
          signal: cancel.signal,
          onProgress: printer.onProgress,
          ...(concurrency ? { concurrency } : {}),
        }),
      );
      printer.flush();
      io.stdout(`${runSummary([result])}  graded: ${result.correct} correct, ${result.wrong} mistakes\n`);
      return exitCode([result]);
    } finally {
      cancel.dispose();
    }
  },
};
