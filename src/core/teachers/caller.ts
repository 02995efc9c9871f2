import type { Db } from '../store/db.ts';
import type { EndpointConfig } from './client.ts';
import type { CallPurpose, CallResponse, CallRow } from './ledger.ts';
import { beginCall, costOf, findAnswer, findEmptyAnswer, finishError, finishOk, isTruncated, ledgerRequest, requestKey } from './ledger.ts';
import type { TalliedRow } from './ledgerTotals.ts';
import type { Limiter } from './limiter.ts';
import { abortError, createLimiter } from './limiter.ts';
import {
  attemptsPerCall,
  emptyAnswerReason,
  emptyAnswerRetryable,
  isEmptyAnswer,
  isFatalForTeacher,
  isRetryable,
  isSampled,
  retryDelayMs,
} from './retryPolicy.ts';
import type { ChatMessage, ChatRequest, OnText, TeacherClient } from './types.ts';
import { CallError } from './types.ts';

/**
 * A teacher (or the student) as jobs use it: one `ask` that goes through the ledger (an answered
 * (key, teacher) is never sent again; identical requests of one teacher in flight share one
 * call), the limiter, the client, and back to the ledger: one row per attempt, with tokens,
 * cost, latency, finish reason, or the failure's reason. How often and when it tries again is
 * retryPolicy.ts.
 */
export type CallOutcome =
  | {
      ok: true;
      callId: number;
      text: string;
      cached: boolean;
      tokensIn: number | null;
      tokensOut: number | null;
      cost: number | null;
      finishReason: string | null;
      /** Cut at the token limit (finish reason length / max_tokens). */
      truncated: boolean;
    }
  | { ok: false; callId: number | null; reason: string; aborted: boolean; fatal: boolean };

/** One attempt as the ledger recorded it: what a job's live figures add up. */
export interface AttemptRecord extends TalliedRow {
  teacher: string;
}

export interface AskInput {
  purpose: CallPurpose;
  messages: ChatMessage[];
  sample?: number;
  /** The job run the attempts belong to (the ledger's run_id). */
  runId?: string;
  /** Told of every attempt the call makes, as recorded. */
  onAttempt?: (attempt: AttemptRecord) => void;
  /** Stream the answer: told of the text so far as it arrives (clients that cannot stream answer whole). */
  onText?: OnText;
}

export interface Caller {
  readonly id: string;
  readonly config: EndpointConfig;
  ask(input: AskInput, signal?: AbortSignal): Promise<CallOutcome>;
  /** Set after a failure no retry will fix (refused key, unknown model): later asks fail at once. */
  readonly fatal: string | undefined;
  /** How many HTTP attempts went out. */
  readonly sent: number;
}

export interface CallerOptions {
  db: Db;
  config: EndpointConfig;
  client: TeacherClient;
  limiter?: Limiter;
  /** The student: an empty or whitespace output is its answer (a mistake), not a failure. */
  emptyIsAnswer?: boolean;
  /** Ask again a deterministic request that answered empty (default: only sampled ones). */
  retryEmpty?: boolean;
  /** Waits between attempts (tests shorten them). Default: retryPolicy.ts's retryDelayMs. */
  delayMs?: (attempt: number, retryAfterMs: number | null) => number;
}

interface Attempt {
  outcome: CallOutcome;
  /** A failure a new attempt may fix. */
  retry: boolean;
  retryAfterMs: number | null;
}

const inFlightByDb = new WeakMap<Db, Map<string, Promise<CallOutcome>>>();

function inFlight(db: Db): Map<string, Promise<CallOutcome>> {
  let map = inFlightByDb.get(db);
  if (!map) {
    map = new Map();
    inFlightByDb.set(db, map);
  }
  return map;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createCaller(options: CallerOptions): Caller {
  const { db, config, client } = options;
  const limiter = options.limiter ?? createLimiter({ concurrency: config.concurrency, requestsPerMinute: config.requestsPerMinute });
  const attempts = attemptsPerCall(config.maxRetries);
  const delayMs = options.delayMs ?? retryDelayMs;
  let fatal: string | undefined;
  let sent = 0;

  const attempt = async (key: string, request: ChatRequest, stored: Record<string, unknown>, input: AskInput, signal?: AbortSignal): Promise<Attempt> => {
    return limiter.run(async (): Promise<Attempt> => {
      if (signal?.aborted) throw abortError(signal);
      if (fatal) return { outcome: { ok: false, callId: null, reason: fatal, aborted: false, fatal: true }, retry: false, retryAfterMs: null };
      // Another process may have answered while this one waited in the queue.
      const answered = findAnswer(db, key, config.id);
      if (answered) return { outcome: cachedOutcome(answered), retry: false, retryAfterMs: null };
      const callId = beginCall(db, {
        key,
        endpoint: client.endpoint,
        teacher: config.id,
        purpose: input.purpose,
        request: stored,
        ...(input.runId ? { runId: input.runId } : {}),
      });
      const started = performance.now();
      sent++;
      const report = (record: Omit<AttemptRecord, 'teacher'>): void => input.onAttempt?.({ teacher: config.id, ...record });
      try {
        const answer = input.onText && client.stream ? await client.stream(request, signal, input.onText) : await client.complete(request, signal);
        const latencyMs = Math.round(performance.now() - started);
        const response: CallResponse = {
          response: answer.text,
          tokensIn: answer.tokensIn,
          tokensOut: answer.tokensOut,
          cost: config.unpriced ? null : costOf(answer.tokensIn, answer.tokensOut, config.price),
          finishReason: answer.finishReason,
          requestId: answer.requestId,
        };
        const record = {
          response: answer.text,
          tokens_in: response.tokensIn,
          tokens_out: response.tokensOut,
          cost: response.cost,
          finish_reason: response.finishReason,
        };
        if (isEmptyAnswer(answer.text) && !options.emptyIsAnswer) {
          const reason = emptyAnswerReason(answer.finishReason);
          // Billed: kept with its usage, a failure all the same.
          finishError(db, callId, reason, latencyMs, response);
          report({ status: 'error', error: reason, ...record });
          // In the run only a sampled request is asked again: a greedy one would answer the same.
          return { outcome: { ok: false, callId, reason, aborted: false, fatal: false }, retry: isSampled(request), retryAfterMs: null };
        }
        const answerId = finishOk(db, callId, { ...response, latencyMs });
        if (answerId !== callId) {
          report({ status: 'error', error: 'duplicate answer', ...record });
          return { outcome: cachedOutcome(findAnswer(db, key, config.id) as CallRow), retry: false, retryAfterMs: null };
        }
        report({ status: 'ok', error: null, ...record });
        const outcome: CallOutcome = {
          ok: true,
          callId,
          text: answer.text,
          cached: false,
          tokensIn: response.tokensIn,
          tokensOut: response.tokensOut,
          cost: response.cost,
          finishReason: answer.finishReason,
          truncated: isTruncated(answer.finishReason),
        };
        return { outcome, retry: false, retryAfterMs: null };
      } catch (error) {
        const latencyMs = Math.round(performance.now() - started);
        const failure = error instanceof CallError ? error : new CallError(String((error as Error)?.message ?? error));
        const reason = failure.aborted ? 'cancelled' : failure.message;
        finishError(db, callId, reason, latencyMs, { requestId: failure.requestId });
        report({ status: 'error', error: reason, response: null, tokens_in: null, tokens_out: null, cost: null, finish_reason: null });
        const isFatal = isFatalForTeacher(failure);
        if (isFatal) fatal = `${config.id}: ${failure.message}`;
        return {
          outcome: { ok: false, callId, reason: failure.message, aborted: failure.aborted, fatal: isFatal },
          retry: isRetryable(failure),
          retryAfterMs: failure.retryAfterMs,
        };
      }
    }, signal);
  };

  const ask = async (input: AskInput, signal?: AbortSignal): Promise<CallOutcome> => {
    const request = chatRequest(config, input.messages, input.sample ?? 0);
    const key = requestKey(client.endpoint, request);
    const answered = findAnswer(db, key, config.id);
    if (answered) return cachedOutcome(answered);
    // A deterministic request that answered empty answers empty again: not bought twice.
    if (!options.emptyIsAnswer && !emptyAnswerRetryable(request, options.retryEmpty ?? false)) {
      const empty = findEmptyAnswer(db, key, config.id);
      if (empty)
        return {
          ok: false,
          callId: empty.id,
          reason: `${emptyAnswerReason(empty.finish_reason)}; not asked again (greedy request; --retry-empty asks again)`,
          aborted: false,
          fatal: false,
        };
    }
    // In-flight sharing stays within one teacher: another teacher's call is another voice.
    const flightKey = `${config.id}\u0000${key}`;
    const pending = inFlight(db);
    const shared = pending.get(flightKey);
    if (shared) return shared;
    const stored = ledgerRequest(client.endpoint, request);
    const run = (async (): Promise<CallOutcome> => {
      let outcome: CallOutcome = { ok: false, callId: null, reason: 'not sent', aborted: false, fatal: false };
      try {
        for (let i = 1; i <= attempts; i++) {
          const result = await attempt(key, request, stored, input, signal);
          outcome = result.outcome;
          if (!result.retry || i === attempts) break;
          await sleep(delayMs(i, result.retryAfterMs), signal);
        }
      } catch (error) {
        const failure = error instanceof CallError ? error : new CallError(String(error));
        if (failure.aborted) return { ok: false, callId: outcome.callId, reason: failure.message, aborted: true, fatal: false };
        return { ok: false, callId: null, reason: failure.message, aborted: failure.aborted, fatal: false };
      }
      return outcome;
    })();
    pending.set(flightKey, run);
    try {
      return await run;
    } finally {
      pending.delete(flightKey);
    }
  };

  return {
    id: config.id,
    config,
    ask,
    get fatal() {
      return fatal;
    },
    get sent() {
      return sent;
    },
  };
}

/** The request a teacher is sent (and the ledger keys): online and batch alike. */
export function chatRequest(config: EndpointConfig, messages: ChatMessage[], sample: number): ChatRequest {
  // Anthropic's current API takes no sampling parameters: none is sent, the key records null.
  // Anthropic's current API and the editor's models (vscode.lm) take no temperature: the key says null.
  return {
    messages,
    temperature: config.provider === 'anthropic' || config.provider === 'vscode-lm' ? null : config.temperature,
    maxTokens: config.maxTokens,
    sample,
  };
}

/** An answer the ledger already holds: nothing sent, nothing spent. */
export function cachedOutcome(row: CallRow): CallOutcome {
  return {
    ok: true,
    callId: row.id,
    text: row.response ?? '',
    cached: true,
    tokensIn: row.tokens_in,
    tokensOut: row.tokens_out,
    cost: row.cost,
    finishReason: row.finish_reason,
    truncated: isTruncated(row.finish_reason),
  };
}
