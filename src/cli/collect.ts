import { collectByBatch } from '../core/jobs/batchCollect.ts';
import { collect, parseJobList } from '../core/jobs/collect.ts';
import { envKeySource } from '../core/teachers/client.ts';
import { selectTeachers } from '../core/teachers/config.ts';
import { UserError } from '../core/errors.ts';
import type { CliCommand } from './command.ts';
import { describeEstimate, estimateCollect } from '../core/jobs/estimate.ts';
import { checkScope } from '../core/jobs/collect.ts';
import { mistakesInScope } from '../core/jobs/scope.ts';
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

export const collectCommand: CliCommand = {
  name: 'collect',
  summary: 'ask the teachers for critiques, rationales and peer reviews of the mistakes',
  help: `Usage: mapd collect --config FILE [--jobs critiques,rationales,review] [--teachers a,b] [--student NAME] [--limit N] [--problems IDS] [--estimate] [--concurrency N] [--db PATH]

Every chosen teacher critiques every student mistake (with the gold answer as a hint), answers
it step by step (graded), and scores the others' critiques and rationales (1-5). Resumable: a
request already answered is never sent again, so a second run does only what is missing.
Progress goes to stderr, the summary to stdout: per teacher the requests sent (every attempt,
failed ones included), answered, from the ledger, failed by cause, tokens and cost (billed
failures included), all summed from the ledger rows of this run.
Exit code 0 when everything is done, 4 when some calls failed (run again to retry), 130 on Ctrl-C.

Options:
${CONFIG_HELP}
  --jobs LIST      which jobs, in this order: critiques,rationales,review (default all)
  --teachers LIST  teacher ids from the config (default all)
  --student NAME   only this student's mistakes (default every student)
${TRY_SMALL_HELP}
  --retry-empty    ask again greedy (temperature 0) requests that answered empty before
  --concurrency N  requests in flight per teacher, overriding the config
  --batch          use the providers' batch APIs (half price, may take hours); polls every
                   --poll-seconds (default 60); a rerun resumes polling the open batches
${DB_HELP}

Example:
  OPENAI_API_KEY=… mapd collect --config teachers.json --jobs critiques,review --teachers gpt,claude
`,
  options: {
    ...DB_OPTION,
    config: { type: 'string' },
    jobs: { type: 'string' },
    teachers: { type: 'string' },
    student: { type: 'string' },
    concurrency: { type: 'string' },
    batch: { type: 'boolean' },
    'poll-seconds': { type: 'string' },
    limit: { type: 'string' },
    problems: { type: 'string' },
    estimate: { type: 'boolean' },
    'retry-empty': { type: 'boolean' },
  },
  async run(args, io) {
    const config = readConfig(args, io);
    const jobs = parseJobList(stringValue(args, 'jobs'), '--jobs');
    const ids = stringValue(args, 'teachers')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const teachers = selectTeachers(config, ids, '--teachers');
    const concurrency = parseConcurrency(stringValue(args, 'concurrency'));
    const student = stringValue(args, 'student');
    const limit = parseLimit(stringValue(args, 'limit'));
    const sourceIds = parseSourceIds(stringValue(args, 'problems'));
    const scope = { ...(student ? { student } : {}), ...(limit ? { limit } : {}), ...(sourceIds ? { sourceIds } : {}) };
    if (args.values.estimate === true) {
      const estimate = withDb(args, io, (db) => {
        checkScope(db, scope);
        return estimateCollect(db, { teachers, jobs, mistakes: mistakesInScope(db, scope), review: config.review, prompts: config.prompts });
      });
      io.stdout(`${describeEstimate(estimate).join('\n')}\n`);
      return 0;
    }
    const printer = progressPrinter(io);
    const cancel = cancelOnSigint();
    try {
      const batch = args.values.batch === true;
      const pollSeconds = Number(stringValue(args, 'poll-seconds') ?? '60');
      if (!Number.isFinite(pollSeconds) || pollSeconds <= 0)
        throw new UserError('--poll-seconds must be a positive number', { next: 'Give e.g. --poll-seconds 60' });
      const run = batch
        ? (db: Parameters<typeof collect>[0], o: Parameters<typeof collect>[1]) =>
            collectByBatch(db, {
              ...o,
              pollIntervalMs: pollSeconds * 1000,
              onBatch: (e) =>
                io.stderr(
                  e.kind === 'submitted'
                    ? `submitted ${e.requests} requests in batches ${e.ids.join(', ')}\n`
                    : `batches: ${e.result.open} open, ${e.result.finished} finished (${e.result.answered} answered, ${e.result.failed} failed)\n`,
                ),
            })
        : collect;
      const results = await withDbAsync(args, io, (db) =>
        run(db, {
          teachers,
          keys: envKeySource(io.env),
          jobs,
          review: config.review,
          prompts: config.prompts,
          signal: cancel.signal,
          onProgress: printer.onProgress,
          retryEmpty: args.values['retry-empty'] === true,
          scope,
          ...(concurrency ? { concurrency } : {}),
        }),
      );
      printer.flush();
      io.stdout(runSummary(results));
      return exitCode(results);
    } finally {
      cancel.dispose();
    }
  },
};

export function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new UserError(`--concurrency ${value} is not a whole number from 1 to 256`, { next: 'Give e.g. --concurrency 8' });
  return n;
}
