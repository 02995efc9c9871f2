import { toFile } from 'openai';
import type { Db } from '../store/db.ts';
import { cachedStatement, inTransaction, nowIso } from '../store/db.ts';
import { anthropicAnswer, anthropicBody, anthropicSdk } from './anthropic.ts';
import type { Caller } from './caller.ts';
import { cachedOutcome, chatRequest } from './caller.ts';
import type { KeySource } from './client.ts';
import type { TeacherConfig } from './config.ts';
import { endpointOf } from './endpoint.ts';
import type { CallPurpose } from './ledger.ts';
import { beginCall, costOf, findAnswer, findEmptyAnswer, finishError, finishOk, ledgerRequest, requestKey } from './ledger.ts';
import type { OpenAiCompletion } from './openai.ts';
import { openAiAnswer, openAiBody, openAiSdk } from './openai.ts';
import { emptyAnswerReason, emptyAnswerRetryable, isEmptyAnswer } from './retryPolicy.ts';
import { toCallError } from './sdkErrors.ts';
import type { ChatRequest, Endpoint } from './types.ts';

/**
 * Bulk runs at half price: OpenAI's Batch API and Anthropic's Message Batches. A job is first
 * run against a planning caller that records the requests it would send (answered keys are
 * served from the ledger as usual); those are submitted as one batch per teacher, each request
 * a 'pending' ledger row carrying the batch id, its custom_id the ledger key. Polling folds the
 * results into the ledger; the batches table remembers open batches, so polling resumes after
 * a restart. Then the job runs again and finds every answer in the ledger.
 */
export const BATCH_DISCOUNT = 0.5;

export interface PlannedRequest {
  teacher: string;
  purpose: CallPurpose;
  key: string;
  request: ChatRequest;
  endpoint: Endpoint;
  /** The job run that planned it: its ledger row carries it, so the job's summary counts it. */
  runId?: string;
}

/** Keys of this teacher already waiting in an open batch: not planned again. */
function keysInOpenBatches(db: Db, teacher: string): Set<string> {
  const rows = cachedStatement(db, 'SELECT request_keys FROM batches WHERE finished_at IS NULL AND teacher = ?').all(teacher) as { request_keys: string }[];
  return new Set(rows.flatMap((r) => JSON.parse(r.request_keys) as string[]));
}

/**
 * A Caller that sends nothing: answered keys come from the ledger, anything else is recorded
 * for a batch and reported as not done (aborted, so jobs do not count it as a failure).
 */
export function planningCaller(db: Db, config: TeacherConfig, planned: PlannedRequest[], options: { retryEmpty?: boolean } = {}): Caller {
  const endpoint = endpointOf(config);
  const open = keysInOpenBatches(db, config.id);
  const seen = new Set<string>();
  return {
    id: config.id,
    config,
    fatal: undefined,
    sent: 0,
    async ask(input) {
      const request = chatRequest(config, input.messages, input.sample ?? 0);
      const key = requestKey(endpoint, request);
      const answered = findAnswer(db, key, config.id);
      if (answered) return cachedOutcome(answered);
      const empty = emptyAnswerRetryable(request, options.retryEmpty ?? false) ? undefined : findEmptyAnswer(db, key, config.id);
      if (empty)
        return {
          ok: false,
          callId: empty.id,
          reason: `${emptyAnswerReason(empty.finish_reason)}; not asked again (greedy request; --retry-empty asks again)`,
          aborted: false,
          fatal: false,
        };
      if (!open.has(key) && !seen.has(key)) {
        seen.add(key);
        planned.push({ teacher: config.id, purpose: input.purpose, key, request, endpoint, ...(input.runId ? { runId: input.runId } : {}) });
      }
      return { ok: false, callId: null, reason: 'planned for a batch', aborted: true, fatal: false };
    },
  };
}

/** Submits one teacher's planned requests as one batch; returns the batch id. */
export async function submitBatch(db: Db, config: TeacherConfig, keys: KeySource, planned: readonly PlannedRequest[]): Promise<string> {
  const apiKey = await keys(config);
  const endpoint = endpointOf(config);
  let batchId: string;
  try {
    if (config.provider === 'anthropic') {
      const batch = await anthropicSdk(endpoint, config, apiKey).messages.batches.create({
        requests: planned.map((p) => ({ custom_id: p.key, params: anthropicBody(endpoint, p.request) })),
      });
      batchId = batch.id;
    } else {
      const client = openAiSdk(endpoint, config, apiKey);
      const jsonl = planned
        .map((p) => JSON.stringify({ custom_id: p.key, method: 'POST', url: '/v1/chat/completions', body: openAiBody(endpoint, p.request) }))
        .join('\n');
      const file = await client.files.create({ file: await toFile(Buffer.from(jsonl, 'utf8'), 'mapd-batch.jsonl'), purpose: 'batch' });
      const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      batchId = batch.id;
    }
  } catch (error) {
    throw toCallError(error, [apiKey]);
  }
  inTransaction(db, () => {
    cachedStatement(db, `INSERT INTO batches (id, provider, teacher, status, request_keys, submitted_at) VALUES (?, ?, ?, 'submitted', ?, ?)`).run(
      batchId,
      config.provider,
      config.id,
      JSON.stringify(planned.map((p) => p.key)),
      nowIso(),
    );
    for (const p of planned)
      beginCall(db, {
        key: p.key,
        endpoint: p.endpoint,
        teacher: config.id,
        purpose: p.purpose,
        request: ledgerRequest(p.endpoint, p.request),
        batchId,
        ...(p.runId ? { runId: p.runId } : {}),
      });
  });
  return batchId;
}

interface BatchRow {
  id: string;
  provider: string;
  teacher: string;
  status: string;
  request_keys: string;
  submitted_at: string;
}

export interface PollResult {
  open: number;
  finished: number;
  answered: number;
  failed: number;
}

interface ResultLine {
  key: string;
  text?: string;
  tokensIn?: number | null;
  tokensOut?: number | null;
  finishReason?: string | null;
  error?: string;
}

/**
 * Checks every open batch once; a finished one has its results folded into the ledger (half
 * price) and its requests that got no answer marked failed. Safe to call after a restart.
 */
export async function pollBatches(db: Db, teachers: readonly TeacherConfig[], keys: KeySource): Promise<PollResult> {
  const rows = cachedStatement(db, 'SELECT * FROM batches WHERE finished_at IS NULL ORDER BY submitted_at').all() as BatchRow[];
  const result: PollResult = { open: 0, finished: 0, answered: 0, failed: 0 };
  for (const row of rows) {
    const config = teachers.find((t) => t.id === row.teacher);
    if (!config) {
      result.open++;
      continue;
    }
    const apiKey = await keys(config);
    const endpoint = endpointOf(config);
    let lines: ResultLine[] | undefined;
    let status: string;
    try {
      if (config.provider === 'anthropic') {
        const client = anthropicSdk(endpoint, config, apiKey);
        const batch = await client.messages.batches.retrieve(row.id);
        status = batch.processing_status;
        if (status === 'ended') {
          lines = [];
          for await (const item of await client.messages.batches.results(row.id)) {
            if (item.result.type === 'succeeded') lines.push({ key: item.custom_id, ...anthropicAnswer(item.result.message, null) });
            else lines.push({ key: item.custom_id, error: `batch result ${item.result.type}` });
          }
        }
      } else {
        const client = openAiSdk(endpoint, config, apiKey);
        const batch = await client.batches.retrieve(row.id);
        status = batch.status;
        if (['completed', 'failed', 'expired', 'cancelled'].includes(status)) {
          lines = [];
          if (batch.output_file_id) {
            const text = await (await client.files.content(batch.output_file_id)).text();
            for (const line of text.split('\n').filter((l) => l.trim())) {
              const item = JSON.parse(line) as {
                custom_id: string;
                response?: { status_code: number; body: OpenAiCompletion };
                error?: { message?: string } | null;
              };
              const body = item.response?.body;
              if (item.response?.status_code === 200 && body) lines.push({ key: item.custom_id, ...openAiAnswer(body, null) });
              else lines.push({ key: item.custom_id, error: item.error?.message ?? `status ${item.response?.status_code ?? 'none'}` });
            }
          }
        }
      }
    } catch (error) {
      throw toCallError(error, [apiKey]);
    }
    if (!lines) {
      cachedStatement(db, 'UPDATE batches SET status = ?, checked_at = ? WHERE id = ?').run(status, nowIso(), row.id);
      result.open++;
      continue;
    }
    const found = lines;
    inTransaction(db, () => {
      const pending = new Map(
        (
          cachedStatement(db, "SELECT id, request_key FROM calls WHERE batch_id = ? AND status = 'pending'").all(row.id) as {
            id: number;
            request_key: string;
          }[]
        ).map((c) => [c.request_key, c.id]),
      );
      const latencyMs = Date.now() - Date.parse(row.submitted_at);
      for (const line of found) {
        const callId = pending.get(line.key);
        if (callId === undefined) continue;
        pending.delete(line.key);
        if (line.error !== undefined || line.text === undefined) {
          finishError(db, callId, `batch ${row.id}: ${line.error ?? 'no answer'}`, latencyMs);
          result.failed++;
          continue;
        }
        const tokensIn = line.tokensIn ?? null;
        const tokensOut = line.tokensOut ?? null;
        const full = costOf(tokensIn, tokensOut, config.price);
        const response = {
          response: line.text,
          tokensIn,
          tokensOut,
          cost: full === null ? null : full * BATCH_DISCOUNT,
          finishReason: line.finishReason ?? null,
          requestId: null,
        };
        if (isEmptyAnswer(line.text)) {
          // Billed like any answer; a failure all the same (retryPolicy.ts: empty answers).
          finishError(db, callId, emptyAnswerReason(response.finishReason), latencyMs, response);
          result.failed++;
          continue;
        }
        finishOk(db, callId, { ...response, latencyMs });
        result.answered++;
      }
      for (const callId of pending.values()) {
        finishError(db, callId, `batch ${row.id} ended (${status}) without an answer for this request`, latencyMs);
        result.failed++;
      }
      cachedStatement(db, 'UPDATE batches SET status = ?, checked_at = ?, finished_at = ? WHERE id = ?').run(status, nowIso(), nowIso(), row.id);
    });
    result.finished++;
  }
  return result;
}

/** Groups planned requests per teacher and submits each group; returns the batch ids. */
export async function submitPlanned(db: Db, teachers: readonly TeacherConfig[], keys: KeySource, planned: readonly PlannedRequest[]): Promise<string[]> {
  const ids: string[] = [];
  for (const teacher of teachers) {
    const mine = planned.filter((p) => p.teacher === teacher.id);
    if (mine.length > 0) ids.push(await submitBatch(db, teacher, keys, mine));
  }
  return ids;
}
