import type { CallOutcome } from '../teachers/caller.ts';

/**
 * What a running job reports: counts done/total, and per teacher the calls, tokens and cost so
 * far (cached answers cost nothing). The same object is the job's final summary.
 */
export type JobName = 'exam' | 'critiques' | 'rationales' | 'review';

export interface TeacherTally {
  sent: number;
  cached: number;
  failed: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
}

export interface JobProgress {
  job: JobName;
  total: number;
  done: number;
  /** Work whose slot was already filled (imported, or a previous run): no call at all. */
  existing: number;
  /** Answers served from the ledger without a request. */
  cached: number;
  failed: number;
  /** Reviews skipped because they could not change the verdict. */
  skipped: number;
  cancelled: boolean;
  perTeacher: Record<string, TeacherTally>;
  /** The first failures, each with its reason (the ledger has them all). */
  failures: { teacher: string; item: string; reason: string }[];
}

export type ProgressListener = (progress: Readonly<JobProgress>) => void;

const MAX_LISTED_FAILURES = 20;

export function newProgress(job: JobName, total: number): JobProgress {
  return { job, total, done: 0, existing: 0, cached: 0, failed: 0, skipped: 0, cancelled: false, perTeacher: {}, failures: [] };
}

function tally(progress: JobProgress, teacher: string): TeacherTally {
  let t = progress.perTeacher[teacher];
  if (!t) {
    t = { sent: 0, cached: 0, failed: 0, tokensIn: 0, tokensOut: 0, cost: 0 };
    progress.perTeacher[teacher] = t;
  }
  return t;
}

/** Folds one call's outcome into the per-teacher figures. */
export function countCall(progress: JobProgress, teacher: string, o: CallOutcome): void {
  const t = tally(progress, teacher);
  if (o.ok && o.cached) t.cached++;
  else if (o.ok) {
    t.sent++;
    t.tokensIn += o.tokensIn;
    t.tokensOut += o.tokensOut;
    t.cost += o.cost;
  } else if (!o.aborted) t.failed++;
}

export function recordFailure(progress: JobProgress, teacher: string, item: string, reason: string): void {
  progress.failed++;
  if (progress.failures.length < MAX_LISTED_FAILURES) progress.failures.push({ teacher, item, reason });
}

export function totals(progress: JobProgress): { tokensIn: number; tokensOut: number; cost: number; sent: number } {
  const all = Object.values(progress.perTeacher);
  return {
    sent: all.reduce((n, t) => n + t.sent, 0),
    tokensIn: all.reduce((n, t) => n + t.tokensIn, 0),
    tokensOut: all.reduce((n, t) => n + t.tokensOut, 0),
    cost: all.reduce((n, t) => n + t.cost, 0),
  };
}

/** One line a terminal or a notification shows while a job runs. */
export function describeProgress(p: Readonly<JobProgress>): string {
  const t = totals(p as JobProgress);
  const parts = [`${p.job}: ${p.done + p.existing + p.failed + p.skipped}/${p.total}`];
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.skipped) parts.push(`${p.skipped} skipped`);
  parts.push(`${t.tokensIn + t.tokensOut} tokens`, `$${t.cost.toFixed(4)}`);
  return parts.join(', ');
}
