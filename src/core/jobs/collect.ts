import type { PromptOverrides } from '../prompts.ts';
import type { Db } from '../store/db.ts';
import { listProblems } from '../store/problems.ts';
import type { Problem, TaskName } from '../model.ts';
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
import { limitProblems, missingSourceIds, mistakesInScope, problemsOf } from './scope.ts';

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
  /** Ask again greedy requests that answered empty (retryPolicy.ts). */
  retryEmpty?: boolean;
}

/** Each collect job over the mistakes in scope; each starts its own job and counts its own total. */
export const COLLECT_RUNNERS: Record<
  CollectJob,
  (context: JobContext, callers: readonly Caller[], mistakes: readonly Mistake[], options: CollectOptions) => Promise<JobProgress>
> = {
  critiques: (context, callers, mistakes, options) => runCritiques(context, callers, mistakes, options.prompts),
  rationales: (context, callers, mistakes, options) => runRationales(context, callers, problemsOf(mistakes), options.prompts),
  review: (context, callers, mistakes, options) => runReview(context, callers, problemsOf(mistakes), options.review, options.prompts),
};

export function parseJobList(value: string | undefined, where: string): CollectJob[] {
  if (value === undefined || value.trim() === '') return [...COLLECT_JOBS];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!COLLECT_JOBS.includes(name as CollectJob))
      throw new UserError(`unknown job "${name}"`, { where, next: `Use any of ${COLLECT_JOBS.join(', ')}, comma-separated` });
  }
  return COLLECT_JOBS.filter((j) => names.includes(j));
}

export async function collect(db: Db, options: CollectOptions): Promise<JobProgress[]> {
  if (options.teachers.length === 0) throw new UserError('no teachers chosen', { next: 'Configure at least one teacher' });
  closeInterruptedCalls(db);
  const teachers = options.concurrency ? options.teachers.map((t) => ({ ...t, concurrency: options.concurrency as number })) : options.teachers;
  checkScope(db, options.scope);
  const callers = await openCallers(db, teachers, options.keys, { retryEmpty: options.retryEmpty ?? false });
  const context = { db, ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  const results: JobProgress[] = [];
  for (const name of options.jobs ?? COLLECT_JOBS) {
    if (options.signal?.aborted) break;
    // Re-read per job: critiques and rationales change what review has to do.
    results.push(await COLLECT_RUNNERS[name](context, callers, mistakesInScope(db, options.scope), options));
  }
  return results;
}

/** `--problems` naming a problem with no mistake in scope is a mistake of the user's: said before anything is sent. */
export function checkScope(db: Db, scope: MistakeScope | undefined): void {
  if (!scope?.sourceIds) return;
  const missing = missingSourceIds(scope.sourceIds, problemsOf(mistakesInScope(db, { ...scope, limit: undefined })));
  if (missing.length > 0)
    throw new UserError(`no student mistake on ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`, {
      where: '--problems',
      next: 'Give source ids of problems the student got wrong (mapd stats lists the splits)',
    });
}

export interface ExamOptions {
  student: StudentConfig;
  keys: KeySource;
  task: TaskName;
  split: string;
  /** Only these problems (source ids) and/or the first N. */
  scope?: Pick<MistakeScope, 'sourceIds' | 'limit'>;
  prompts?: PromptOverrides;
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/** The exam's problems: the split, narrowed by --problems and --limit. */
export function examProblems(db: Db, options: Pick<ExamOptions, 'task' | 'split' | 'scope'>): Problem[] {
  const all = listProblems(db, { task: options.task, split: options.split });
  if (all.length === 0) {
    throw new UserError(`no ${options.task} problems in split "${options.split}"`, {
      next: 'Import the split first (mapd import / "MAPD: Import Problems…"), or check --task and --split',
    });
  }
  const missing = missingSourceIds(options.scope?.sourceIds, all);
  if (missing.length > 0)
    throw new UserError(`no problem ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''} in ${options.task}/${options.split}`, {
      where: '--problems',
      next: 'Give source ids of the split',
    });
  return limitProblems(all, options.scope ?? {});
}

export async function exam(db: Db, options: ExamOptions): Promise<ExamResult> {
  const problems = examProblems(db, options);
  closeInterruptedCalls(db);
  const student = options.concurrency ? { ...options.student, concurrency: options.concurrency } : options.student;
  // The student's empty output is its answer: a mistake with nothing extracted (docs/formats.md).
  const [caller] = await openCallers(db, [student], options.keys, { emptyIsAnswer: true });
  const context = { db, ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  return runExam(context, caller as NonNullable<typeof caller>, problems, options.prompts);
}
