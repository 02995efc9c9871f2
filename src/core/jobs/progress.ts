import type { AttemptRecord, CallOutcome } from '../teachers/caller.ts';
import type { LedgerTally } from '../teachers/ledgerTotals.ts';
import { addRow, emptyTally, failureCause, sumTallies } from '../teachers/ledgerTotals.ts';

/**
 * What a running job reports: counts done/total, and per teacher what its calls did. While the
 * job runs, each attempt is added as the ledger recorded it; when it ends, the per-teacher
 * figures are replaced by the sums of the run's ledger rows (ledgerTotals.ts), so the summary is
 * the ledger's. The same object is the job's final summary.
 */
export type JobName = 'exam' | 'critiques' | 'rationales' | 'review';

export interface TeacherTally extends LedgerTally {
  /** Answers served from the ledger without a request (no row: nothing was sent). */
  cached: number;
}

/** Items that failed for one cause (request ids kept out), with a few of them named. */
export interface FailureGroup {
  teacher: string;
  reason: string;
  count: number;
  items: string[];
}

export interface JobProgress {
  job: JobName;
  /** The ledger's run_id of this job's calls. */
  runId: string;
  total: number;
  done: number;
  /** Work whose slot was already filled (imported, or a previous run): no call at all. */
  existing: number;
  /** Answers served from the ledger without a request. */
  cached: number;
  failed: number;
  /** Reviews skipped because they could not change the verdict. */
  skipped: number;
  /** Reviews not asked yet because an earlier reviewer of the same output failed (run again). */
  heldBack: number;
  /** Answers kept although cut at the token limit (marked truncated). */
  truncated: number;
  cancelled: boolean;
  perTeacher: Record<string, TeacherTally>;
  /** The failed items, grouped by teacher and cause. */
  failures: FailureGroup[];
  /** One line per endpoint that answered without usage, and the like. */
  warnings: string[];
}

export type ProgressListener = (progress: Readonly<JobProgress>) => void;

const NAMED_ITEMS = 3;

export function newProgress(job: JobName, total: number, runId: string): JobProgress {
  return {
    job,
    runId,
    total,
    done: 0,
    existing: 0,
    cached: 0,
    failed: 0,
    skipped: 0,
    heldBack: 0,
    truncated: 0,
    cancelled: false,
    perTeacher: {},
    failures: [],
    warnings: [],
  };
}

export function tally(progress: JobProgress, teacher: string): TeacherTally {
  let t = progress.perTeacher[teacher];
  if (!t) {
    t = { ...emptyTally(), cached: 0 };
    progress.perTeacher[teacher] = t;
  }
  return t;
}

/** Folds one attempt, as the ledger recorded it, into the live figures. */
export function countAttempt(progress: JobProgress, attempt: AttemptRecord): void {
  addRow(tally(progress, attempt.teacher), attempt, attempt.teacher);
}

/** Folds a call's outcome into the figures no ledger row holds: answers served from the ledger. */
export function countOutcome(progress: JobProgress, teacher: string, o: CallOutcome): void {
  const t = tally(progress, teacher);
  if (o.ok && o.cached) t.cached++;
}

/** Replaces the live per-teacher figures by the ledger's sums for the run (cached counts stay). */
export function settleFromLedger(progress: JobProgress, ledger: Record<string, LedgerTally>): void {
  const cached = Object.fromEntries(Object.entries(progress.perTeacher).map(([teacher, t]) => [teacher, t.cached]));
  const perTeacher: Record<string, TeacherTally> = {};
  for (const teacher of new Set([...Object.keys(cached), ...Object.keys(ledger)])) {
    perTeacher[teacher] = { ...(ledger[teacher] ?? emptyTally()), cached: cached[teacher] ?? 0 };
  }
  progress.perTeacher = perTeacher;
}

export function recordFailure(progress: JobProgress, teacher: string, item: string, reason: string): void {
  progress.failed++;
  const cause = failureCause(reason, teacher);
  let group = progress.failures.find((g) => g.teacher === teacher && g.reason === cause);
  if (!group) {
    group = { teacher, reason: cause, count: 0, items: [] };
    progress.failures.push(group);
  }
  group.count++;
  if (group.items.length < NAMED_ITEMS) group.items.push(item);
}

export function addWarning(progress: JobProgress, warning: string): void {
  if (!progress.warnings.includes(warning)) progress.warnings.push(warning);
}

export function totals(progress: Readonly<JobProgress>): TeacherTally {
  const all = Object.values(progress.perTeacher);
  return { ...sumTallies(all), cached: all.reduce((n, t) => n + t.cached, 0) };
}

/** Items finished one way or another (the share of the total a progress bar shows). */
export function settled(p: Readonly<JobProgress>): number {
  return p.done + p.existing + p.failed + p.skipped + p.heldBack;
}

/** One line a terminal or a notification shows while a job runs. */
export function describeProgress(p: Readonly<JobProgress>): string {
  const t = totals(p);
  const parts = [`${p.job}: ${settled(p)}/${p.total}`, `${t.sent} requests sent`];
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.skipped) parts.push(`${p.skipped} skipped`);
  if (p.heldBack) parts.push(`${p.heldBack} held back`);
  parts.push(
    t.tokensIn === null || t.tokensOut === null ? 'tokens unknown' : `${t.tokensIn + t.tokensOut} tokens`,
    t.cost === null ? 'cost unknown' : `$${t.cost.toFixed(4)}`,
  );
  return parts.join(', ');
}
