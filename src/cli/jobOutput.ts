import path from 'node:path';
import type { JobProgress } from '../core/jobs/progress.ts';
import { describeProgress, totals } from '../core/jobs/progress.ts';
import { formatCost, formatTokens } from '../core/teachers/ledgerTotals.ts';
import type { Db } from '../core/store/db.ts';
import { openStore } from '../core/store/db.ts';
import type { MapdConfig } from '../core/teachers/config.ts';
import { loadConfigFile } from '../core/teachers/config.ts';
import { UserError } from '../core/errors.ts';
import type { CliIo, ParsedCommandArgs } from './command.ts';
import { dbPath, stringValue } from './options.ts';

/** What collect, exam and ask share: the config file, the database, progress and summaries. */
export const CONFIG_HELP = '  --config FILE    teachers/student configuration (JSON or JSONC; keys come from the environment variables it names)';

export function readConfig(args: ParsedCommandArgs, io: CliIo): MapdConfig {
  const file = stringValue(args, 'config');
  if (!file) throw new UserError('--config is missing', { next: 'Give the teachers configuration file, e.g. --config teachers.json' });
  return loadConfigFile(path.resolve(io.cwd, file));
}

export async function withDbAsync<T>(args: ParsedCommandArgs, io: CliIo, work: (db: Db) => Promise<T>): Promise<T> {
  const db = openStore(dbPath(args, io));
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

/** Progress lines on stderr, at most one per interval (and always the last). */
export function progressPrinter(io: CliIo, intervalMs = 1000): { onProgress: (p: Readonly<JobProgress>) => void; flush: () => void } {
  let last = 0;
  let latest: Readonly<JobProgress> | undefined;
  let printedLatest = true;
  return {
    onProgress: (p) => {
      latest = p;
      printedLatest = false;
      const now = Date.now();
      if (now - last >= intervalMs) {
        last = now;
        printedLatest = true;
        io.stderr(`${describeProgress(p)}\n`);
      }
    },
    flush: () => {
      if (latest && !printedLatest) io.stderr(`${describeProgress(latest)}\n`);
      printedLatest = true;
    },
  };
}

/** Failed-attempt causes listed per teacher; the rest are counted. */
const MAX_CAUSES = 5;

/**
 * A job's summary. The per-teacher figures are the sums of the job's ledger rows (the job settles
 * them from the ledger when it ends): requests sent counts every attempt, failed ones included;
 * tokens and cost include billed failures. Failed items are grouped by cause, one line each.
 */
export function summaryLines(p: Readonly<JobProgress>): string[] {
  const t = totals(p);
  const lines = [
    `${p.job}: ${p.total} to do; ${p.done} answered (${p.cached} from the ledger${p.truncated ? `, ${p.truncated} truncated at max tokens` : ''}), ${p.existing} already there, ${p.skipped} skipped, ${p.failed} failed${p.heldBack ? `, ${p.heldBack} held back behind a failed review` : ''}${p.cancelled ? '; cancelled' : ''}`,
  ];
  for (const [teacher, x] of Object.entries(p.perTeacher).sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(
      `  ${teacher}: ${x.sent} requests sent (${x.answered} answered, ${x.failed} failed), ${x.cached} from the ledger, ${formatTokens(x.tokensIn, x.tokensOut)}, ${formatCost(x.cost)}`,
    );
    for (const c of x.causes.slice(0, MAX_CAUSES)) lines.push(`    ${c.count} × ${c.reason}`);
    if (x.causes.length > MAX_CAUSES) lines.push(`    … ${x.causes.length - MAX_CAUSES} more causes (the ledger's calls table has them all)`);
  }
  lines.push(`  total: ${t.sent} requests sent, ${formatTokens(t.tokensIn, t.tokensOut)}, ${formatCost(t.cost)}`);
  lines.push(...failureLines(p));
  return lines;
}

/** The failed items grouped by teacher and cause, so a dead endpoint reads as one line, not one per mistake. */
function failureLines(p: Readonly<JobProgress>): string[] {
  const lines = p.failures.map(
    (g) =>
      `  failed: ${g.teacher} ${g.count === 1 ? (g.items[0] as string) : `${g.count} items (${g.items.join(', ')}${g.count > g.items.length ? ', …' : ''})`}: ${g.reason}`,
  );
  if (p.failed > 0 || p.heldBack > 0) lines.push('  run again to retry the failed items: answered requests are never sent again');
  return lines;
}

/** The warnings of every job, once each (one per endpoint that sent no usage). */
export function warningLines(results: readonly Readonly<JobProgress>[]): string[] {
  return [...new Set(results.flatMap((r) => r.warnings))].map((w) => `warning: ${w}`);
}

/** Every job's summary, then the warnings once. */
export function runSummary(results: readonly Readonly<JobProgress>[]): string {
  return `${[...results.flatMap(summaryLines), ...warningLines(results)].join('\n')}\n`;
}

/** --limit N: a whole number of at least 1. */
export function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--limit ${value} is not a whole number of at least 1`, { next: 'Give e.g. --limit 10' });
  return n;
}

/** --problems ID,…: source ids. */
export function parseSourceIds(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new UserError('--problems names no problem', { next: 'Give source ids, e.g. --problems chal-1,chal-2' });
  return ids;
}

export const TRY_SMALL_HELP = `  --limit N        only the first N items (mistakes for collect, problems for exam): try small first
  --problems LIST  only these problems, by source id (comma-separated)
  --estimate       print the calls each job would make, with estimated tokens and cost per
                   teacher, and send nothing`;

/** Ctrl-C cancels the job (no new request goes out) instead of killing the process mid-write. */
export function cancelOnSigint(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.removeListener('SIGINT', onSigint) };
}

/** 0 all done, 4 finished with failures (run again to retry), 130 cancelled. */
export function exitCode(results: readonly Readonly<JobProgress>[]): number {
  if (results.some((r) => r.cancelled)) return 130;
  return results.some((r) => r.failed > 0) ? 4 : 0;
}
