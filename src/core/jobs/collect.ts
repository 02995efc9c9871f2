import type { PromptOverrides } from '../prompts.ts';
import type { Db } from '../store/db.ts';
import { listProblems } from '../store/problems.ts';
import type { TaskName } from '../model.ts';
import { UserError } from '../errors.ts';
import type { Caller } from '../teachers/caller.ts';
import type { KeySource } from '../teachers/client.ts';
import type { ReviewConfig, StudentConfig, TeacherConfig } from '../teachers/config.ts';
import { closeInterruptedCalls } from '../teachers/ledger.ts';
import { runCritiques } from './critiques.ts';
import type { ExamResult } from './exam.ts';
import { runExam } from './exam.ts';
import type { JobProgress, ProgressListener } from './progress.ts';
import { runRationales } from './rationales.ts';
import { runReview } from './review.ts';
import type { JobContext } from './runner.ts';
import { openCallers } from './runner.ts';
import type { Mistake, MistakeScope } from './scope.ts';
import { mistakesInScope, problemsOf } from './scope.ts';

/**
 * The entry points the CLI and the extension share: collect (critiques, rationales, peer
 * review, in that order, over the mistakes in scope) and exam. Both are resumable (slots and
 * the ledger make a second run do only what is missing), cancellable and report progress.
 */
export type CollectJob = 'critiques' | 'rationales' | 'review';
export const COLLECT_JOBS: readonly CollectJob[] = ['critiques', 'rationales', 'review'];

export interface CollectOptions {
  teachers: readonly TeacherConfig[];
  keys: KeySource;
  jobs?: readonly CollectJob[];
  scope?: MistakeScope;
  review: ReviewConfig;
  prompts?: PromptOverrides;
  /** Overrides every teacher's concurrency (e.g. 1 to run the paper's way). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Extra same-run attempts after a failure the SDK does not retry (default: retryPolicy.ts). */
  extraAttempts?: number;
}

/** Each collect job over the mistakes in scope; each starts its own job and counts its own total. */
export const COLLECT_RUNNERS: Record<CollectJob, (context: JobContext, callers: readonly Caller[], mistakes: readonly Mistake[], options: CollectOptions) => Promise<JobProgress>> = {
  critiques: (context, callers, mistakes, options) => runCritiques(context, callers, mistakes, options.prompts),
  rationales: (context, callers, mistakes, options) => runRationales(context, callers, problemsOf(mistakes), options.prompts),
  review: (context, callers, mistakes, options) => runReview(context, callers, problemsOf(mistakes), options.review, options.prompts),
};

export function parseJobList(value: string | undefined, where: string): CollectJob[] {
  if (value === undefined || value.trim() === '') return [...COLLECT_JOBS];
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!COLLECT_JOBS.includes(name as CollectJob)) throw new UserError(`unknown job "${name}"`, { where, next: `Use any of ${COLLECT_JOBS.join(', ')}, comma-separated` });
  }
  return COLLECT_JOBS.filter((j) => names.includes(j));
}

export async function collect(db: Db, options: CollectOptions): Promise<JobProgress[]> {
  if (options.teachers.length === 0) throw new UserError('no teachers chosen', { next: 'Configure at least one teacher' });
  closeInterruptedCalls(db);
  const teachers = options.concurrency ? options.teachers.map((t) => ({ ...t, concurrency: options.concurrency as number })) : options.teachers;
  const callers = await openCallers(db, teachers, options.keys, { extraAttempts: options.extraAttempts });
  const context = { db, ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  const results: JobProgress[] = [];
  for (const name of options.jobs ?? COLLECT_JOBS) {
    if (options.signal?.aborted) break;
    // Re-read per job: critiques and rationales change what review has to do.
    results.push(await COLLECT_RUNNERS[name](context, callers, mistakesInScope(db, options.scope), options));
  }
  return results;
}

export interface ExamOptions {
  student: StudentConfig;
  keys: KeySource;
  task: TaskName;
  split: string;
  prompts?: PromptOverrides;
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export async function exam(db: Db, options: ExamOptions): Promise<ExamResult> {
  const problems = listProblems(db, { task: options.task, split: options.split });
  if (problems.length === 0) {
    throw new UserError(`no ${options.task} problems in split "${options.split}"`, { next: 'Import the split first (mapd import / "MAPD: Import Problems…"), or check --task and --split' });
  }
  closeInterruptedCalls(db);
  const student = options.concurrency ? { ...options.student, concurrency: options.concurrency } : options.student;
  const [caller] = await openCallers(db, [student], options.keys);
  const context = { db, ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  return runExam(context, caller as NonNullable<typeof caller>, problems, options.prompts);
}
