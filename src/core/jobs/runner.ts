import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { Caller, CallerOptions, CallOutcome } from '../teachers/caller.ts';
import { createCaller } from '../teachers/caller.ts';
import type { EndpointConfig, KeySource } from '../teachers/client.ts';
import { createClient } from '../teachers/client.ts';
import { endpointOf } from '../teachers/endpoint.ts';
import { runTotals } from '../teachers/ledgerTotals.ts';
import type { JobName, JobProgress, ProgressListener } from './progress.ts';
import { addWarning, countAttempt, countOutcome, newProgress, recordFailure, settleFromLedger } from './progress.ts';

/**
 * The small runner under every job: all work items start at once and queue in their teacher's
 * limiter (so each teacher runs at its own concurrency and rate), progress is reported as items
 * finish, and an aborted signal empties the queues: no new request goes out after cancel.
 */
export interface JobContext {
  db: Db;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface Job {
  db: Db;
  progress: JobProgress;
  /** Sends the progress to the listener (coalesced to at most one per event-loop turn). */
  report(): void;
}

export function startJob(name: JobName, total: number, context: JobContext): Job {
  // Every call of the job carries this run id into the ledger: the summary sums those rows.
  const progress = newProgress(name, total, randomUUID());
  let scheduled = false;
  const report = (): void => {
    if (!context.onProgress || scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      context.onProgress?.(progress);
    });
  };
  return { db: context.db, progress, report };
}

/** Runs every item through work, all at once; resolves when all have settled. */
export async function runItems<T>(items: readonly T[], work: (item: T) => Promise<void>, job: Job, signal?: AbortSignal): Promise<JobProgress> {
  await Promise.all(
    items.map(async (item) => {
      if (signal?.aborted) return;
      await work(item);
      job.report();
    }),
  );
  if (signal?.aborted) job.progress.cancelled = true;
  settleFromLedger(job.progress, runTotals(job.db, [job.progress.runId]));
  job.report();
  return job.progress;
}

/**
 * One call of a job's item through the caller (so the ledger), and the only place a job's
 * figures learn of it: every attempt goes into the teacher's tally as the ledger recorded it
 * (under the job's run id); an answer is handed to `keep` and then counted as done (and as
 * cached when the ledger served it, truncated when cut at the token limit); a failure is
 * recorded with its cause under `item`, unless the job was cancelled. True when the answer was kept.
 */
export async function askAndKeep(
  job: Job,
  caller: Caller,
  input: Omit<Parameters<Caller['ask']>[0], 'runId' | 'onAttempt'>,
  item: string,
  signal: AbortSignal | undefined,
  keep: (answer: Extract<CallOutcome, { ok: true }>) => void,
): Promise<boolean> {
  const outcome = await caller.ask({ ...input, runId: job.progress.runId, onAttempt: (attempt) => countAttempt(job.progress, attempt) }, signal);
  countOutcome(job.progress, caller.id, outcome);
  if (!outcome.ok) {
    if (!outcome.aborted) recordFailure(job.progress, caller.id, item, outcome.reason);
    return false;
  }
  if (!outcome.cached && (outcome.tokensIn === null || outcome.tokensOut === null)) {
    const endpoint = endpointOf(caller.config);
    addWarning(job.progress, `${endpoint.baseUrl} (${endpoint.model}) answered without usage: its tokens and cost are unknown`);
  }
  keep(outcome);
  job.progress.done++;
  if (outcome.cached) job.progress.cached++;
  if (outcome.truncated) job.progress.truncated++;
  return true;
}

/** Callers for the chosen teachers (or the student); the jobs of one collect run share them. */
export async function openCallers(
  db: Db,
  configs: readonly EndpointConfig[],
  keys: KeySource,
  options: Pick<CallerOptions, 'emptyIsAnswer' | 'retryEmpty' | 'delayMs'> = {},
): Promise<Caller[]> {
  const callers: Caller[] = [];
  for (const config of configs) {
    const client = await createClient(config, keys, `teacher "${config.id}"`);
    callers.push(createCaller({ db, config, client, ...options }));
  }
  return callers;
}
