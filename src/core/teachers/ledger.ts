import { createHash } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { cachedStatement, nowIso } from '../store/db.ts';
import type { ChatRequest, Endpoint } from './types.ts';

/**
 * The call ledger (the store's calls table) is the cache, the resume mechanism and the cost
 * report in one. A request's identity is its content key and the teacher that asks it: the key
 * hashes endpoint identity (endpoint.ts: provider, normalised base URL, model), messages,
 * temperature, max tokens and sample index (never a key); two configured teachers on one model
 * are two voices, each with its own answer. A (key, teacher) with an 'ok' row is never sent
 * again; every attempt is one row, with its finish reason, request id, tokens and cost (billed
 * failures included) and the run that sent it, so summaries are sums over a run's rows.
 */
export type CallPurpose = 'exam' | 'critique' | 'rationale' | 'review' | 'adhoc';

/** JSON with object keys sorted at every level, so equal content hashes equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What the ledger stores of a request (and hashes into its key): content only, no secret. */
export function ledgerRequest(endpoint: Endpoint, request: ChatRequest): Record<string, unknown> {
  return {
    provider: endpoint.provider,
    baseUrl: endpoint.baseUrl,
    model: endpoint.model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    temperature: request.temperature,
    maxTokens: request.maxTokens,
    sample: request.sample,
  };
}

export function requestKey(endpoint: Endpoint, request: ChatRequest): string {
  return createHash('sha256')
    .update(canonicalJson(ledgerRequest(endpoint, request)))
    .digest('hex');
}

export interface CallRow {
  id: number;
  request_key: string;
  provider: string;
  model: string;
  teacher: string | null;
  purpose: string | null;
  request: string;
  response: string | null;
  status: 'pending' | 'ok' | 'error';
  error: string | null;
  tokens_in: number | null;
  tokens_out: number | null;
  cost: number | null;
  latency_ms: number | null;
  batch_id: string | null;
  created_at: string;
  finished_at: string | null;
  finish_reason: string | null;
  request_id: string | null;
  run_id: string | null;
}

/** The finish reasons of an answer cut at its token limit (OpenAI-style, Anthropic). */
export const TRUNCATED_FINISH_REASONS: readonly string[] = ['length', 'max_tokens'];

export function isTruncated(finishReason: string | null | undefined): boolean {
  return finishReason !== null && finishReason !== undefined && TRUNCATED_FINISH_REASONS.includes(finishReason);
}

export function findAnswer(db: Db, key: string, teacher: string): CallRow | undefined {
  return cachedStatement(db, "SELECT * FROM calls WHERE request_key = ? AND COALESCE(teacher, '') = ? AND status = 'ok'").get(key, teacher) as
    CallRow | undefined;
}

/** An empty answer this teacher already paid for under this key, if any. */
export function findEmptyAnswer(db: Db, key: string, teacher: string): CallRow | undefined {
  return cachedStatement(
    db,
    "SELECT * FROM calls WHERE request_key = ? AND COALESCE(teacher, '') = ? AND status = 'error' AND error LIKE 'empty answer%' ORDER BY id DESC LIMIT 1",
  ).get(key, teacher) as CallRow | undefined;
}

export function getCall(db: Db, id: number): CallRow | undefined {
  return cachedStatement(db, 'SELECT * FROM calls WHERE id = ?').get(id) as CallRow | undefined;
}

export interface BeginCall {
  key: string;
  endpoint: Endpoint;
  teacher: string;
  purpose: CallPurpose;
  request: Record<string, unknown>;
  batchId?: string;
  /** The job run this call belongs to: its summary sums the run's rows. */
  runId?: string;
}

/** Records that a request is about to be sent; the row stays 'pending' until it is answered or fails. */
export function beginCall(db: Db, call: BeginCall): number {
  const row = cachedStatement(
    db,
    `INSERT INTO calls (request_key, provider, model, teacher, purpose, request, status, batch_id, run_id, created_at)
      VALUES (@key, @provider, @model, @teacher, @purpose, @request, 'pending', @batchId, @runId, @createdAt) RETURNING id`,
  ).get({
    key: call.key,
    provider: call.endpoint.provider,
    model: call.endpoint.model,
    teacher: call.teacher,
    purpose: call.purpose,
    request: JSON.stringify(call.request),
    batchId: call.batchId ?? null,
    runId: call.runId ?? null,
    createdAt: nowIso(),
  }) as { id: number };
  return row.id;
}

/** What a server answered: also kept for an answer recorded as a failure (empty), which is billed. */
export interface CallResponse {
  response: string;
  /** null: the server sent no usage. */
  tokensIn: number | null;
  tokensOut: number | null;
  cost: number | null;
  finishReason: string | null;
  requestId: string | null;
}

export interface CallSuccess extends CallResponse {
  latencyMs: number;
}

/**
 * Marks a call answered. When another process answered the same key first (the unique index
 * allows one 'ok' per key), this row becomes an error naming the duplicate and the first
 * answer's id is returned: callers always link the one answer that counts.
 */
export function finishOk(db: Db, id: number, result: CallSuccess): number {
  try {
    cachedStatement(
      db,
      `UPDATE calls SET status = 'ok', response = @response, error = NULL, tokens_in = @tokensIn, tokens_out = @tokensOut,
        cost = @cost, latency_ms = @latencyMs, finish_reason = @finishReason, request_id = @requestId, finished_at = @finishedAt WHERE id = @id`,
    ).run({ id, ...result, finishedAt: nowIso() });
    return id;
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
    const row = getCall(db, id) as CallRow;
    const first = findAnswer(db, row.request_key, row.teacher ?? '') as CallRow;
    finishError(db, id, `duplicate answer: call ${first.id} answered this request first`, result.latencyMs, result);
    return first.id;
  }
}

/**
 * Marks a call failed. `answered` is what the server sent when it answered but the answer does
 * not count (empty): its text, finish reason and billed usage are kept.
 */
export function finishError(db: Db, id: number, reason: string, latencyMs: number, answered?: Partial<CallResponse>): void {
  cachedStatement(
    db,
    `UPDATE calls SET status = 'error', error = @reason, latency_ms = @latencyMs, response = @response, tokens_in = @tokensIn, tokens_out = @tokensOut,
      cost = @cost, finish_reason = @finishReason, request_id = @requestId, finished_at = @finishedAt WHERE id = @id`,
  ).run({
    id,
    reason,
    latencyMs,
    response: answered?.response ?? null,
    tokensIn: answered?.tokensIn ?? null,
    tokensOut: answered?.tokensOut ?? null,
    cost: answered?.cost ?? null,
    finishReason: answered?.finishReason ?? null,
    requestId: answered?.requestId ?? null,
    finishedAt: nowIso(),
  });
}

/**
 * Pending rows left by a process that died mid-call. They are marked as errors ("interrupted")
 * so the report stays true; the keys are simply sent again. Only rows older than `olderThanMs`
 * are touched, so a second process running at the same time keeps its own.
 */
export function closeInterruptedCalls(db: Db, olderThanMs = 0): number {
  const cutoff = new Date(Date.now() - olderThanMs).toISOString();
  return cachedStatement(
    db,
    `UPDATE calls SET status = 'error', error = 'interrupted: the process ended before an answer arrived', finished_at = @now
      WHERE status = 'pending' AND batch_id IS NULL AND created_at <= @cutoff`,
  ).run({ cutoff, now: nowIso() }).changes;
}

/** Dollars at the teacher's price; null when the tokens are unknown. */
export function costOf(tokensIn: number | null, tokensOut: number | null, price: { input: number; output: number }): number | null {
  if (tokensIn === null || tokensOut === null) return null;
  return (tokensIn * price.input + tokensOut * price.output) / 1_000_000;
}

export function callsForKey(db: Db, key: string): CallRow[] {
  return cachedStatement(db, 'SELECT * FROM calls WHERE request_key = ? ORDER BY id').all(key) as CallRow[];
}
