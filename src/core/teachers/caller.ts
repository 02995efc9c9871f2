import type { Db } from '../store/db.ts';
import type { EndpointConfig } from './client.ts';
import type { CallPurpose, CallRow } from './ledger.ts';
import { beginCall, costOf, findAnswer, finishError, finishOk, ledgerRequest, requestKey } from './ledger.ts';
import type { Limiter } from './limiter.ts';
import { abortError, createLimiter } from './limiter.ts';
import { EXTRA_ATTEMPTS, emptyAnswerReason, isEmptyAnswer, isFatalForTeacher, isRetryable } from './retryPolicy.ts';
import type { ChatMessage, ChatRequest, TeacherClient } from './types.ts';
import { CallError } from './types.ts';

/**
 * A teacher (or the student) as jobs use it: one `ask` that goes through the ledger (answered
 * keys are never sent again; identical requests in flight share one call), the limiter, the
 * client, and back to the ledger with tokens, cost, latency or the failure's reason.
 */
export type CallOutcome =
  | { ok: true; callId: number; text: string; cached: boolean; tokensIn: number; tokensOut: number; cost: number }
  | { ok: false; callId: number | null; reason: string; aborted: boolean; fatal: boolean };

export interface Caller {
  readonly id: string;
  readonly config: EndpointConfig;
  ask(input: { purpose: CallPurpose; messages: ChatMessage[]; sample?: number }, signal?: AbortSignal): Promise<CallOutcome>;
  /** Set after a failure no retry will fix (refused key, unknown model): later asks fail at once. */
  readonly fatal: string | undefined;
  /** How many requests actually went out (not counting SDK retries). */
  readonly sent: number;
}

export interface CallerOptions {
  db: Db;
  config: EndpointConfig;
  client: TeacherClient;
  limiter?: Limiter;
  /**
   * Extra attempts, in the same run, after a failure the SDK does not retry but a new attempt
   * may fix (empty content, a truncated body). Each attempt is its own ledger row. Default and
   * rules: retryPolicy.ts.
   */
  extraAttempts?: number;
}

interface Attempt {
  outcome: CallOutcome;
  /** A failure a new attempt may fix. */
  retry: boolean;
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

export function createCaller(options: CallerOptions): Caller {
  const { db, config, client } = options;
  const limiter = options.limiter ?? createLimiter({ concurrency: config.concurrency, requestsPerMinute: config.requestsPerMinute });
  const extraAttempts = options.extraAttempts ?? EXTRA_ATTEMPTS;
  let fatal: string | undefined;
  let sent = 0;

  const attempt = async (key: string, request: ChatRequest, stored: Record<string, unknown>, purpose: CallPurpose, signal?: AbortSignal): Promise<Attempt> => {
    return limiter.run(async (): Promise<Attempt> => {
      if (signal?.aborted) throw abortError(signal);
      if (fatal) return { outcome: { ok: false, callId: null, reason: fatal, aborted: false, fatal: true }, retry: false };
      // Another process may have answered while this one waited in the queue.
      const answered = findAnswer(db, key);
      if (answered) return { outcome: cachedOutcome(answered), retry: false };
      const callId = beginCall(db, { key, endpoint: client.endpoint, teacher: config.id, purpose, request: stored });
      const started = performance.now();
      sent++;
      try {
        const answer = await client.complete(request, signal);
        const latencyMs = Math.round(performance.now() - started);
        const cost = costOf(answer.tokensIn, answer.tokensOut, config.price);
        if (isEmptyAnswer(answer.text)) {
          const reason = emptyAnswerReason(answer);
          finishError(db, callId, reason, latencyMs, { tokensIn: answer.tokensIn, tokensOut: answer.tokensOut, cost });
          // Retryable by retryPolicy.ts's empty-answer rule.
          return { outcome: { ok: false, callId, reason, aborted: false, fatal: false }, retry: true };
        }
        const answerId = finishOk(db, callId, { response: answer.text, tokensIn: answer.tokensIn, tokensOut: answer.tokensOut, cost, latencyMs });
        if (answerId !== callId) return { outcome: cachedOutcome(findAnswer(db, key) as CallRow), retry: false };
        return { outcome: { ok: true, callId, text: answer.text, cached: false, tokensIn: answer.tokensIn, tokensOut: answer.tokensOut, cost }, retry: false };
      } catch (error) {
        const latencyMs = Math.round(performance.now() - started);
        const failure = error instanceof CallError ? error : new CallError(String((error as Error)?.message ?? error));
        finishError(db, callId, failure.aborted ? 'cancelled' : failure.message, latencyMs);
        const isFatal = isFatalForTeacher(failure);
        if (isFatal) fatal = `${config.id}: ${failure.message}`;
        return { outcome: { ok: false, callId, reason: failure.message, aborted: failure.aborted, fatal: isFatal }, retry: isRetryable(failure) };
      }
    }, signal);
  };

  const askOnce = async (input: { purpose: CallPurpose; messages: ChatMessage[]; sample?: number }, signal?: AbortSignal): Promise<CallOutcome> => {
    const request = chatRequest(config, input.messages, input.sample ?? 0);
    const key = requestKey(client.endpoint, request);
    const answered = findAnswer(db, key);
    if (answered) return cachedOutcome(answered);
    const pending = inFlight(db);
    const shared = pending.get(key);
    if (shared) return shared;
    const stored = ledgerRequest(client.endpoint, request);
    const run = (async (): Promise<CallOutcome> => {
      let outcome: CallOutcome = { ok: false, callId: null, reason: 'not sent', aborted: false, fatal: false };
      for (let i = 0; i <= extraAttempts; i++) {
        let result: Attempt;
        try {
          result = await attempt(key, request, stored, input.purpose, signal);
        } catch (error) {
          const failure = error instanceof CallError ? error : new CallError(String(error));
          return { ok: false, callId: null, reason: failure.message, aborted: failure.aborted, fatal: false };
        }
        outcome = result.outcome;
        if (!result.retry || signal?.aborted) break;
      }
      return outcome;
    })();
    pending.set(key, run);
    try {
      return await run;
    } finally {
      pending.delete(key);
    }
  };

  return {
    id: config.id,
    config,
    ask: askOnce,
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
  return { messages, temperature: config.provider === 'anthropic' ? null : config.temperature, maxTokens: config.maxTokens, sample };
}

/** An answer the ledger already holds: nothing sent, nothing spent. */
export function cachedOutcome(row: CallRow): CallOutcome {
  return { ok: true, callId: row.id, text: row.response ?? '', cached: true, tokensIn: row.tokens_in ?? 0, tokensOut: row.tokens_out ?? 0, cost: row.cost ?? 0 };
}
