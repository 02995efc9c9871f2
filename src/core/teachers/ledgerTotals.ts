import type { Db } from '../store/db.ts';
import type { CallRow } from './ledger.ts';
import { isTruncated } from './ledger.ts';

/**
 * What a run cost and did, summed from the ledger rows it wrote (calls.run_id): every summary
 * (CLI, VS Code, the job's figures) is this sum, so none can disagree with the ledger. Every
 * attempt is a row: requests sent counts failed and retried attempts; tokens and cost include
 * billed failures (an empty answer), each at the price of the teacher that asked.
 */
export interface LedgerTally {
  /** Requests that went out: every attempt, answered, failed or cancelled. */
  sent: number;
  answered: number;
  /** Failed attempts (an item may fail several times before it is answered or given up). */
  failed: number;
  /** Answers cut at the token limit. */
  truncated: number;
  /** null when some answer came without usage (the server did not say). */
  tokensIn: number | null;
  tokensOut: number | null;
  /** Dollars; null ("unknown") when some answer came without usage. */
  cost: number | null;
  /** Answers (or billed failures) without usage. */
  unknownUsage: number;
  /** Failed attempts per cause, most frequent first. */
  causes: { reason: string; count: number }[];
}

export function emptyTally(): LedgerTally {
  return { sent: 0, answered: 0, failed: 0, truncated: 0, tokensIn: 0, tokensOut: 0, cost: 0, unknownUsage: 0, causes: [] };
}

/**
 * A failure's cause, for grouping: without request ids (older rows carry them in the text) or
 * "<teacher>: " prefixes, so one cause is one line however many items it hit.
 */
export function failureCause(reason: string, teacher?: string): string {
  let cause = reason
    .replace(/\s*\[request id [^\]]*\]/g, '')
    .replace(/,\s*request id [^),]*/g, '')
    .replace(/,?\s*"request_id"\s*:\s*"[^"]*"/g, '');
  if (teacher && cause.startsWith(`${teacher}: `)) cause = cause.slice(teacher.length + 2);
  return cause.trim();
}

/** The columns of a ledger row a tally reads. */
export type TalliedRow = Pick<CallRow, 'status' | 'error' | 'response' | 'tokens_in' | 'tokens_out' | 'cost' | 'finish_reason'>;

type Row = TalliedRow & Pick<CallRow, 'teacher'>;

/** Folds one ledger row into a tally (a row without a response cost nothing: no usage to know). */
export function addRow(t: LedgerTally, row: TalliedRow, teacher?: string): void {
  t.sent++;
  if (row.status === 'ok') t.answered++;
  if (row.status === 'error') {
    t.failed++;
    const reason = failureCause(row.error ?? 'unknown failure', teacher);
    const cause = t.causes.find((c) => c.reason === reason);
    if (cause) cause.count++;
    else t.causes.push({ reason, count: 1 });
    t.causes.sort((a, b) => b.count - a.count);
  }
  if (row.status === 'ok' && isTruncated(row.finish_reason)) t.truncated++;
  if (row.response === null) return;
  if (row.tokens_in === null || row.tokens_out === null) {
    t.unknownUsage++;
    t.tokensIn = null;
    t.tokensOut = null;
    t.cost = null;
    return;
  }
  if (t.tokensIn !== null && t.tokensOut !== null) {
    t.tokensIn += row.tokens_in;
    t.tokensOut += row.tokens_out;
  }
  // A row with counted tokens but no price (the editor's own models) leaves the cost unknown, not $0.
  if (t.cost !== null) t.cost = row.cost === null ? null : t.cost + row.cost;
}

/** Per teacher (the ledger's calls.teacher), the rows of the given runs. */
export function runTotals(db: Db, runIds: readonly string[]): Record<string, LedgerTally> {
  const out: Record<string, LedgerTally> = {};
  if (runIds.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT teacher, status, error, response, tokens_in, tokens_out, cost, finish_reason FROM calls WHERE run_id IN (${runIds.map(() => '?').join(', ')}) ORDER BY id`,
    )
    .all(...runIds) as Row[];
  for (const row of rows) {
    const teacher = row.teacher ?? '(none)';
    addRow((out[teacher] ??= emptyTally()), row, teacher);
  }
  return out;
}

/** The sum of several tallies (null stays null: one unknown makes the total unknown). */
export function sumTallies(tallies: readonly LedgerTally[]): LedgerTally {
  const total = emptyTally();
  for (const t of tallies) {
    total.sent += t.sent;
    total.answered += t.answered;
    total.failed += t.failed;
    total.truncated += t.truncated;
    total.unknownUsage += t.unknownUsage;
    total.tokensIn = total.tokensIn === null || t.tokensIn === null ? null : total.tokensIn + t.tokensIn;
    total.tokensOut = total.tokensOut === null || t.tokensOut === null ? null : total.tokensOut + t.tokensOut;
    total.cost = total.cost === null || t.cost === null ? null : total.cost + t.cost;
    for (const c of t.causes) {
      const mine = total.causes.find((x) => x.reason === c.reason);
      if (mine) mine.count += c.count;
      else total.causes.push({ ...c });
    }
  }
  total.causes.sort((a, b) => b.count - a.count);
  return total;
}

/** "$0.0123", or "unknown" when some answer came without usage. */
export function formatCost(cost: number | null): string {
  return cost === null ? 'cost unknown' : `$${cost.toFixed(4)}`;
}

export function formatTokens(tokensIn: number | null, tokensOut: number | null): string {
  return tokensIn === null || tokensOut === null ? 'tokens unknown' : `${tokensIn} in + ${tokensOut} out tokens`;
}
