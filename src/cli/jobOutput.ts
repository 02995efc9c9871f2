import path from 'node:path';
import type { JobProgress } from '../core/jobs/progress.ts';
import { describeProgress, totals } from '../core/jobs/progress.ts';
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

export function summaryLines(p: Readonly<JobProgress>): string[] {
  const t = totals(p as JobProgress);
  const lines = [
    `${p.job}: ${p.total} to do; ${p.done} answered (${p.cached} from the ledger), ${p.existing} already there, ${p.skipped} skipped, ${p.failed} failed${p.cancelled ? '; cancelled' : ''}`,
  ];
  for (const [teacher, x] of Object.entries(p.perTeacher).sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`  ${teacher}: ${x.sent} requests, ${x.cached} cached, ${x.failed} failed, ${x.tokensIn} in + ${x.tokensOut} out tokens, $${x.cost.toFixed(4)}`);
  }
  lines.push(`  total: ${t.sent} requests, ${t.tokensIn + t.tokensOut} tokens, $${t.cost.toFixed(4)}`);
  lines.push(...failureLines(p));
  return lines;
}

/**
 * The failures grouped by teacher and reason, so a dead endpoint reads as one line, not one
 * per mistake. A teacher whose listed failures all share one reason is credited with all of its
 * failures.
 */
function failureLines(p: Readonly<JobProgress>): string[] {
  const groups = new Map<string, { teacher: string; reason: string; items: string[] }>();
  for (const f of p.failures) {
    // A teacher stopped by a fatal failure repeats it as "<teacher>: <reason>".
    const reason = f.reason.startsWith(`${f.teacher}: `) ? f.reason.slice(f.teacher.length + 2) : f.reason;
    const key = `${f.teacher}\u0000${reason}`;
    const group = groups.get(key) ?? { teacher: f.teacher, reason, items: [] };
    group.items.push(f.item);
    groups.set(key, group);
  }
  const lines: string[] = [];
  let listed = 0;
  for (const g of groups.values()) {
    const onlyCause = [...groups.values()].filter((other) => other.teacher === g.teacher).length === 1;
    const count = onlyCause ? Math.max(g.items.length, p.perTeacher[g.teacher]?.failed ?? 0) : g.items.length;
    listed += count;
    const what = count === 1 ? (g.items[0] as string) : `${count} items (${g.items.slice(0, 3).join(', ')}${count > 3 ? ', …' : ''})`;
    lines.push(`  failed: ${g.teacher} ${what}: ${g.reason}`);
  }
  if (p.failed > listed) lines.push(`  … ${p.failed - listed} more failures; the calls that went out have their reasons in the ledger (calls table)`);
  if (p.failed > 0) lines.push('  run again to retry the failed items: answered requests are never sent again');
  return lines;
}

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
