import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type OpenAI from 'openai';
import { Cancelled, UserError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import type { FinetuneJob } from '../store/finetuneJobs.ts';
import { FINISHED_STATUSES, findFinetuneJob, insertFinetuneJob, listFinetuneJobs, updateFinetuneJob } from '../store/finetuneJobs.ts';
import { upsertStudent } from '../store/students.ts';
import { endpointOf } from '../teachers/endpoint.ts';
import { openAiSdk } from '../teachers/openai.ts';
import { DEFAULT_MAX_RETRIES } from '../teachers/retryPolicy.ts';

/**
 * Fine-tuning through the provider's own engine (OpenAI's files and fine-tuning jobs API, or a
 * server speaking it): upload the chat export, start a job, watch it until it ends, and register
 * the fine-tuned model as a new student "trained from" the base on that export — ready for
 * `mapd compare`. Every step is written to the project before the next, so a run killed at any
 * point resumes where it was: an uploaded file is not uploaded again, a started job is watched,
 * not started again (a job the provider accepted before we could record it is found by its
 * training file), events already shown are not shown again.
 */

export interface FinetuneBase {
  /** The base student's name (its answers carry it). */
  name: string;
  provider: 'openai' | 'openai-compatible';
  model: string;
  baseUrl?: string;
}

export interface Hyperparameters {
  n_epochs?: number;
  batch_size?: number;
  learning_rate_multiplier?: number;
}

export interface FinetuneRequest {
  base: FinetuneBase;
  apiKey: string | undefined;
  /** The chat export (JSON Lines of {"messages"}). */
  trainingPath: string;
  /** The fine-tuned student's name. */
  newStudent: string;
  suffix?: string;
  hyperparameters?: Hyperparameters;
}

export type FinetuneEvent =
  | { kind: 'uploaded'; fileId: string; bytes: number }
  | { kind: 'started'; jobId: string; resumed: boolean }
  | { kind: 'status'; status: string }
  | { kind: 'message'; level: string; message: string }
  | { kind: 'registered'; student: string; model: string };

export interface FinetuneRun {
  signal?: AbortSignal;
  onEvent?: (event: FinetuneEvent) => void;
  /** Between status polls; the provider's jobs take minutes to hours. */
  pollMs?: number;
}

const DEFAULT_POLL_MS = 15_000;

function client(base: Pick<FinetuneBase, 'provider' | 'model' | 'baseUrl'>, apiKey: string | undefined): OpenAI {
  return openAiSdk(endpointOf(base), { timeoutMs: 120_000, maxRetries: DEFAULT_MAX_RETRIES }, apiKey);
}

function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** A provider error as one line (the SDK's message carries the status and the server's text). */
function providerError(error: unknown, doing: string): UserError {
  const message = error instanceof Error ? error.message : String(error);
  return new UserError(`${doing} failed: ${message}`, {
    next: 'Check the student endpoint and key; rerun to resume (nothing done so far is repeated)',
    cause: error,
  });
}

async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function stoppedWatching(job: FinetuneJob): Cancelled {
  return new Cancelled(
    `stopped watching fine-tuning job ${job.providerJobId ?? job.id}; the provider goes on with it. Run the same command again to resume watching, or mapd finetune --cancel to cancel the job`,
  );
}

/** Starts (or resumes) the fine-tuning of `base` on the export, and watches it to its end. */
export async function fineTune(db: Db, request: FinetuneRequest, run: FinetuneRun = {}): Promise<FinetuneJob> {
  if (!fs.existsSync(request.trainingPath))
    throw new UserError('no such file', { where: request.trainingPath, next: 'Export the training set first: mapd export --format chat --out FILE' });
  const sha = sha256File(request.trainingPath);
  let job = findFinetuneJob(db, sha, request.newStudent);
  if (job && (job.status === 'failed' || job.status === 'cancelled')) job = undefined; // start afresh
  job ??= insertFinetuneJob(db, {
    baseStudent: request.base.name,
    baseModel: request.base.model,
    baseUrl: request.base.baseUrl ?? null,
    trainingPath: path.resolve(request.trainingPath),
    trainingSha256: sha,
    suffix: request.suffix ?? null,
    hyperparameters: { ...request.hyperparameters },
    newStudent: request.newStudent,
  });
  return watch(db, job, request.apiKey, run, request.base.provider);
}

/** Watches an already started job (after a restart): `mapd finetune --resume`. */
export async function resumeFineTunes(
  db: Db,
  apiKeyFor: (job: FinetuneJob) => string | undefined,
  run: FinetuneRun = {},
  provider: FinetuneBase['provider'] = 'openai',
): Promise<FinetuneJob[]> {
  const done: FinetuneJob[] = [];
  for (const job of listFinetuneJobs(db, { unfinished: true })) done.push(await watch(db, job, apiKeyFor(job), run, provider));
  return done;
}

async function watch(db: Db, start: FinetuneJob, apiKey: string | undefined, run: FinetuneRun, provider: FinetuneBase['provider']): Promise<FinetuneJob> {
  let job = start;
  const sdk = client({ provider, model: job.baseModel, ...(job.baseUrl ? { baseUrl: job.baseUrl } : {}) }, apiKey);
  const emit = (event: FinetuneEvent): void => run.onEvent?.(event);
  if (job.status === 'succeeded') return register(db, job, provider, emit);

  if (!job.fileId) {
    if (run.signal?.aborted) throw stoppedWatching(job);
    try {
      const file = await sdk.files.create({ file: fs.createReadStream(job.trainingPath), purpose: 'fine-tune' }, { signal: run.signal ?? null });
      job = updateFinetuneJob(db, job.id, { fileId: file.id, status: 'validating_files' });
      emit({ kind: 'uploaded', fileId: file.id, bytes: file.bytes });
    } catch (error) {
      if (run.signal?.aborted) throw stoppedWatching(job);
      throw providerError(error, `uploading ${path.basename(job.trainingPath)}`);
    }
  }
  if (!job.providerJobId) {
    try {
      // Killed between the provider's answer and our write: the job exists; find it by its file.
      const existing = (await sdk.fineTuning.jobs.list({ limit: 100 })).data.find((j) => j.training_file === job.fileId);
      const created =
        existing ??
        (await sdk.fineTuning.jobs.create({
          model: job.baseModel,
          training_file: job.fileId as string,
          ...(job.suffix ? { suffix: job.suffix } : {}),
          ...(Object.keys(job.hyperparameters).length > 0
            ? { method: { type: 'supervised' as const, supervised: { hyperparameters: job.hyperparameters } } }
            : {}),
        }));
      job = updateFinetuneJob(db, job.id, { providerJobId: created.id, status: created.status });
      upsertStudentPending(db, job);
      emit({ kind: 'started', jobId: created.id, resumed: existing !== undefined });
    } catch (error) {
      throw providerError(error, 'starting the fine-tuning job');
    }
  } else emit({ kind: 'started', jobId: job.providerJobId, resumed: true });

  for (;;) {
    if (run.signal?.aborted) throw stoppedWatching(job);
    let status: OpenAI.FineTuning.FineTuningJob;
    let events: OpenAI.FineTuning.FineTuningJobEvent[];
    try {
      status = await sdk.fineTuning.jobs.retrieve(job.providerJobId as string);
      events = (await sdk.fineTuning.jobs.listEvents(job.providerJobId as string, { limit: 100 })).data;
    } catch (error) {
      if (run.signal?.aborted) throw stoppedWatching(job);
      throw providerError(error, `checking fine-tuning job ${job.providerJobId}`);
    }
    // Events come newest first; show the ones not shown before, oldest first.
    const fresh = [...events].sort((a, b) => a.created_at - b.created_at).slice(job.eventsSeen);
    for (const e of fresh) emit({ kind: 'message', level: e.level, message: e.message });
    if (status.status !== job.status) emit({ kind: 'status', status: status.status });
    job = updateFinetuneJob(db, job.id, {
      status: status.status,
      eventsSeen: job.eventsSeen + fresh.length,
      ...(status.fine_tuned_model ? { fineTunedModel: status.fine_tuned_model } : {}),
      ...(status.error?.message ? { error: status.error.message } : {}),
    });
    if (FINISHED_STATUSES.has(job.status)) break;
    await sleep(run.pollMs ?? DEFAULT_POLL_MS, run.signal);
  }
  if (job.status === 'failed')
    throw new UserError(`fine-tuning job ${job.providerJobId} failed${job.error ? `: ${job.error.replace(/[.\s]+$/, '')}` : ''}`, {
      next: 'Fix what the provider names (often the training file), then run the command again to start a new job',
    });
  if (job.status === 'cancelled')
    throw new UserError(`fine-tuning job ${job.providerJobId} was cancelled`, { next: 'Run the command again to start a new job' });
  return register(db, job, provider, emit);
}

/** While a job runs, the new student is known by name and origin, without a model yet. */
function upsertStudentPending(db: Db, job: FinetuneJob): void {
  upsertStudent(db, {
    name: job.newStudent,
    provider: null,
    model: null,
    baseUrl: job.baseUrl,
    trainedFrom: job.baseStudent,
    trainedOn: job.trainingPath,
    finetuneJob: job.providerJobId,
  });
}

function register(db: Db, job: FinetuneJob, provider: FinetuneBase['provider'], emit: (e: FinetuneEvent) => void): FinetuneJob {
  if (!job.fineTunedModel)
    throw new UserError(`fine-tuning job ${job.providerJobId} succeeded without naming its model`, { next: 'Look the job up in the provider console' });
  upsertStudent(db, {
    name: job.newStudent,
    provider,
    model: job.fineTunedModel,
    baseUrl: job.baseUrl,
    trainedFrom: job.baseStudent,
    trainedOn: job.trainingPath,
    finetuneJob: job.providerJobId,
  });
  emit({ kind: 'registered', student: job.newStudent, model: job.fineTunedModel });
  return job;
}

/** Cancels a job at the provider and records it. */
export async function cancelFineTune(
  db: Db,
  providerJobId: string,
  apiKey: string | undefined,
  provider: FinetuneBase['provider'] = 'openai',
): Promise<FinetuneJob> {
  const job = listFinetuneJobs(db).find((j) => j.providerJobId === providerJobId);
  if (!job) throw new UserError(`no fine-tuning job ${providerJobId} in this project`, { next: 'mapd finetune --list shows the jobs' });
  const sdk = client({ provider, model: job.baseModel, ...(job.baseUrl ? { baseUrl: job.baseUrl } : {}) }, apiKey);
  try {
    const cancelled = await sdk.fineTuning.jobs.cancel(providerJobId);
    return updateFinetuneJob(db, job.id, { status: cancelled.status });
  } catch (error) {
    throw providerError(error, `cancelling fine-tuning job ${providerJobId}`);
  }
}
