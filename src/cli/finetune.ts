import fs from 'node:fs';
import path from 'node:path';
import { UserError, isCancelled } from '../core/errors.ts';
import type { FinetuneEvent, Hyperparameters } from '../core/finetune/finetune.ts';
import { cancelFineTune, fineTune, resumeFineTunes } from '../core/finetune/finetune.ts';
import { listFinetuneJobs } from '../core/store/finetuneJobs.ts';
import type { CliCommand, CliIo } from './command.ts';
import { CONFIG_HELP, cancelOnSigint, readConfig, withDbAsync } from './jobOutput.ts';
import { DB_HELP, DB_OPTION, stringValue, usageError, withDb } from './options.ts';

function describeEvent(event: FinetuneEvent): string {
  switch (event.kind) {
    case 'uploaded':
      return `uploaded the training file (${event.bytes} bytes) as ${event.fileId}`;
    case 'started':
      return event.resumed ? `watching fine-tuning job ${event.jobId}` : `started fine-tuning job ${event.jobId}`;
    case 'status':
      return `status: ${event.status}`;
    case 'message':
      return `  ${event.level}: ${event.message}`;
    case 'registered':
      return `registered student ${event.student} (model ${event.model})`;
  }
}

function positiveNumber(args: Parameters<CliCommand['run']>[0], name: string, integer: boolean): number | undefined {
  const text = stringValue(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new UserError(`"${text}" is not a positive ${integer ? 'whole ' : ''}number`, { where: `--${name}` });
  return value;
}

export const finetuneCommand: CliCommand = {
  name: 'finetune',
  summary: "fine-tune the student on the chat export through its provider's fine-tuning API; register the result",
  help: `Usage: mapd finetune --config FILE --export FILE|DIR --name NEW [options] [--db PATH]
       mapd finetune --config FILE --resume | --cancel JOB_ID | --list

For students served by OpenAI (or a server with the same files and fine-tuning API): uploads the
chat export (a dataset folder's chat.jsonl), starts a fine-tuning job of the config's student
model, shows its progress until it ends, and registers the fine-tuned model as student NEW,
"trained from" the base student and that export — then mapd exam and mapd compare measure it.
The job id is stored at once: Ctrl-C stops watching (the job goes on), and the same command, or
--resume, picks it up again; nothing is uploaded or started twice. For students trained on your
own GPUs, see docs/training.md and mapd students add.

Options:
${CONFIG_HELP}
  --export FILE|DIR   the chat export (a folder export's chat.jsonl is taken from the folder)
  --name NEW          the fine-tuned student's name, e.g. llama2-7b-mapd-r1
  --base NAME         the base student's name (default: the config student's id)
  --suffix S          the provider's model-name suffix
  --epochs N          hyper-parameters; the provider's defaults when not given
  --batch-size N
  --lr-multiplier X
  --poll-seconds N    between status checks (default 15)
  --resume            watch every unfinished job of the project
  --cancel JOB_ID     cancel a job at the provider
  --list              the project's fine-tuning jobs
${DB_HELP}

Example:
  mapd finetune --config mapd.json --export export/ --name gpt-4o-mini-mapd-r1 --suffix mapd-r1
`,
  options: {
    ...DB_OPTION,
    config: { type: 'string' },
    export: { type: 'string' },
    name: { type: 'string' },
    base: { type: 'string' },
    suffix: { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    'lr-multiplier': { type: 'string' },
    'poll-seconds': { type: 'string' },
    resume: { type: 'boolean' },
    cancel: { type: 'string' },
    list: { type: 'boolean' },
  },
  async run(args, io: CliIo) {
    if (args.values.list === true) {
      const jobs = withDb(args, io, (db) => listFinetuneJobs(db), { readonly: true });
      if (jobs.length === 0) io.stdout('no fine-tuning jobs in this project\n');
      for (const j of jobs)
        io.stdout(
          `${j.providerJobId ?? '(not started)'}  ${j.status}  ${j.baseStudent} -> ${j.newStudent}${j.fineTunedModel ? ` (${j.fineTunedModel})` : ''}${j.error ? `: ${j.error}` : ''}\n`,
        );
      return 0;
    }
    const config = readConfig(args, io);
    const student = config.student;
    if (!student) throw new UserError('the configuration has no "student"', { next: 'Add "student": {"provider": "openai", "model": …} to the config file' });
    const apiKey = student.apiKeyEnv ? io.env[student.apiKeyEnv]?.trim() || undefined : undefined;
    if (student.provider === 'openai' && !apiKey)
      throw new UserError(`no key for the student: the environment variable ${student.apiKeyEnv ?? '(none named)'} is not set`, {
        next: 'Set "apiKeyEnv" in the config and export that variable',
      });
    const pollSeconds = positiveNumber(args, 'poll-seconds', false);
    const onEvent = (e: FinetuneEvent): void => io.stderr(`${describeEvent(e)}\n`);
    const cancel = cancelOnSigint();
    const run = { signal: cancel.signal, onEvent, ...(pollSeconds ? { pollMs: pollSeconds * 1000 } : {}) };
    try {
      const cancelId = stringValue(args, 'cancel');
      if (cancelId) {
        const job = await withDbAsync(args, io, (db) => cancelFineTune(db, cancelId, apiKey, student.provider));
        io.stdout(`fine-tuning job ${cancelId}: ${job.status}\n`);
        return 0;
      }
      if (args.values.resume === true) {
        const jobs = await withDbAsync(args, io, (db) => resumeFineTunes(db, () => apiKey, run, student.provider));
        io.stdout(
          jobs.length === 0
            ? 'no unfinished fine-tuning job\n'
            : jobs.map((j) => `${j.providerJobId}: ${j.status}, student ${j.newStudent} (${j.fineTunedModel})\n`).join(''),
        );
        return 0;
      }
      const exportArg = stringValue(args, 'export');
      const name = stringValue(args, 'name');
      if (!exportArg || !name) return usageError(io, 'finetune', 'give --export FILE|DIR and --name NEW');
      let trainingPath = path.resolve(io.cwd, exportArg);
      if (fs.existsSync(trainingPath) && fs.statSync(trainingPath).isDirectory()) trainingPath = path.join(trainingPath, 'chat.jsonl');
      const hyperparameters: Hyperparameters = {};
      const epochs = positiveNumber(args, 'epochs', true);
      const batch = positiveNumber(args, 'batch-size', true);
      const lr = positiveNumber(args, 'lr-multiplier', false);
      if (epochs) hyperparameters.n_epochs = epochs;
      if (batch) hyperparameters.batch_size = batch;
      if (lr) hyperparameters.learning_rate_multiplier = lr;
      const suffix = stringValue(args, 'suffix');
      const job = await withDbAsync(args, io, (db) =>
        fineTune(
          db,
          {
            base: {
              name: stringValue(args, 'base') ?? student.id,
              provider: student.provider,
              model: student.model,
              ...(student.baseUrl ? { baseUrl: student.baseUrl } : {}),
            },
            apiKey,
            trainingPath,
            newStudent: name,
            hyperparameters,
            ...(suffix ? { suffix } : {}),
          },
          run,
        ),
      );
      io.stdout(
        `fine-tuned ${job.baseModel} into ${job.fineTunedModel}: student ${job.newStudent}, trained from ${job.baseStudent} on ${path.relative(io.cwd, job.trainingPath) || job.trainingPath}\n`,
      );
      return 0;
    } catch (error) {
      // Ctrl-C: the job goes on at the provider; the error says how to pick it up again.
      if (isCancelled(error)) {
        io.stderr(`mapd finetune: ${error.message}\n`);
        return 130;
      }
      throw error;
    } finally {
      cancel.dispose();
    }
  },
};
