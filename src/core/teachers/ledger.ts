import { createHash } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { cachedStatement, nowIso } from '../store/db.ts';
import type { ChatRequest, Endpoint } from './types.ts';

/**
 * The call ledger (the store's calls table) is the cache, the resume mechanism and the cost
 * report in one. A request is keyed by its content: endpoint identity (endpoint.ts: provider,
 * normalised base URL, model), messages, temperature, max tokens and sample index; never a key.
 * A key with an 'ok' row is never sent again; every failure is one more row with its reason.
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
  return createHash('sha256').update(canonicalJson(ledgerRequest(endpoint, request))).digest('hex');
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
}

export function findAnswer(db: Db, key: string): CallRow | undefined {
  return cachedStatement(db, "SELECT * FROM calls WHERE request_key = ? AND status = 'ok'").get(key) as CallRow | undefined;
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
}

/** Records that a request is about to be sent; the row stays 'pending' until it is answered or fails. */
export function beginCall(db: Db, call: BeginCall): number {
  const row = cachedStatement(db, `INSERT INTO calls (request_key, provider, model, teacher, purpose, request, status, batch_id, created_at)
      VALUES (@key, @provider, @model, @teacher, @purpose, @request, 'pending', @batchId, @createdAt) RETURNING id`)
    .get({
      key: call.key,
      provider: call.endpoint.provider,
      model: call.endpoint.model,
      teacher: call.teacher,
      purpose: call.purpose,
      request: JSON.stringify(call.request),
      batchId: call.batchId ?? null,
      createdAt: nowIso(),
    }) as { id: number };
  return row.id;
}

export interface CallSuccess {
  response: string;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  latencyMs: number;
}

/**
 * Marks a call answered. When another process answered the same key first (the unique index
 * allows one 'ok' per key), this row becomes an error naming the duplicate and the first
 * answer's id is returned: callers always link the one answer that counts.
 */
export function finishOk(db: Db, id: number, result: CallSuccess): number {
  try {
    cachedStatement(db, `UPDATE calls SET status = 'ok', response = @response, error = NULL, tokens_in = @tokensIn, tokens_out = @tokensOut,
        cost = @cost, latency_ms = @latencyMs, finished_at = @finishedAt WHERE id = @id`)
      .run({ id, ...result, finishedAt: nowIso() });
    return id;
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
    const row = getCall(db, id) as CallRow;
    const first = findAnswer(db, row.request_key) as CallRow;
    finishError(db, id, `duplicate answer: call ${first.id} answered this request first`, result.latencyMs, result);
    return first.id;
  }
}

export function finishError(db: Db, id: number, reason: string, latencyMs: number, usage?: { tokensIn: number; tokensOut: number; cost: number }): void {
  cachedStatement(db, `UPDATE calls SET status = 'error', error = @reason, latency_ms = @latencyMs, tokens_in = @tokensIn, tokens_out = @tokensOut,
      cost = @cost, finished_at = @finishedAt WHERE id = @id`)
    .run({ id, reason, latencyMs, tokensIn: usage?.tokensIn ?? null, tokensOut: usage?.tokensOut ?? null, cost: usage?.cost ?? null, finishedAt: nowIso() });
}

/**
 * Pending rows left by a process that died mid-call. They are marked as errors ("interrupted")
 * so the report stays true; the keys are simply sent again. Only rows older than `olderThanMs`
 * are touched, so a second process running at the same time keeps its own.
 */
export function closeInterruptedCalls(db: Db, olderThanMs = 0): number {
  const cutoff = new Date(Date.now() - olderThanMs).toISOString();
  return cachedStatement(db, `UPDATE calls SET status = 'error', error = 'interrupted: the process ended before an answer arrived', finished_at = @now
      WHERE status = 'pending' AND batch_id IS NULL AND created_at <= @cutoff`)
    .run({ cutoff, now: nowIso() }).changes;
}

export function costOf(tokensIn: number, tokensOut: number, price: { input: number; output: number }): number {
  return (tokensIn * price.input + tokensOut * price.output) / 1_000_000;
}

export function callsForKey(db: Db, key: string): CallRow[] {
  return cachedStatement(db, 'SELECT * FROM calls WHERE request_key = ? ORDER BY id').all(key) as CallRow[];
}
