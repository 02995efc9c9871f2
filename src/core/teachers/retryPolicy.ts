import type { CallError, ChatRequest } from './types.ts';

/**
 * Which failed teacher calls are tried again, where, and how often. `maxRetries: N` (a teacher's
 * or the student's setting, default DEFAULT_MAX_RETRIES) means at most N + 1 HTTP attempts per
 * call, counting every layer:
 * 1. The SDKs retry nothing of a chat call (client.ts gives them SDK_CHAT_RETRIES = 0): a retry
 *    the SDK made would be an attempt the ledger never sees.
 * 2. The caller (createCaller in caller.ts) makes the attempts: one ledger row each, up to
 *    attemptsPerCall(maxRetries), waiting retryDelayMs between them (the server's retry-after
 *    when it sent one). It tries again after a failure isRetryable accepts; an empty answer only
 *    when the request is sampled (emptyAnswerRetryable). A failure isFatalForTeacher accepts
 *    stops that teacher for the run.
 * 3. Rerunning the job retries whatever still failed: the ledger never sends an answered request
 *    again, nor a deterministic request that answered empty (unless asked: --retry-empty).
 * Housekeeping calls that are not chat calls (the batch path's upload, create and poll; the
 * fine-tuning jobs API) are left to the SDK, maxRetries (or DEFAULT_MAX_RETRIES) times each; what a
 * batch answers goes through the same empty-answer rule.
 */
export const DEFAULT_MAX_RETRIES = 3;
export const SDK_CHAT_RETRIES = 0;

export function attemptsPerCall(maxRetries: number): number {
  return Math.max(0, Math.floor(maxRetries)) + 1;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
const MAX_RETRY_AFTER_MS = 60_000;

/** The wait before attempt `attempt + 1`: the server's retry-after, else exponential backoff with jitter. */
export function retryDelayMs(attempt: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  if (retryAfterMs !== null && retryAfterMs >= 0) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  const backoff = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
  return Math.round(backoff * (0.75 + random() * 0.25));
}

/** Request timeout, conflict, rate limit and server errors: a later attempt may get an answer. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Connection failures where nothing listens (refused, unknown host): they will not heal mid-run. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function isUnreachableCode(code: string | undefined): boolean {
  return code !== undefined && UNREACHABLE_CODES.has(code);
}

/**
 * What toCallError records as CallError.retryable for an SDK failure: no status (a timeout, a
 * dropped or truncated response) or a retryable status, unless the endpoint is unreachable.
 */
export function sdkFailureRetryable(status: number | null, unreachable: boolean): boolean {
  return !unreachable && (status === null || isRetryableStatus(status));
}

/** An error that no later attempt will fix for this teacher: refused key, unknown model, no endpoint. */
export function isFatalForTeacher(error: CallError): boolean {
  return error.unreachable || error.status === 401 || error.status === 403 || error.status === 404;
}

/** Whether the caller makes another attempt in this run (if it has one left). */
export function isRetryable(error: CallError): boolean {
  return error.retryable && !error.aborted && !isFatalForTeacher(error);
}

/** An answer with no text but whitespace. The student's is an answer (a mistake); a teacher's is a failure. */
export function isEmptyAnswer(text: string): boolean {
  return text.trim() === '';
}

/**
 * A sampled request (temperature above 0, or the provider's default, which samples) may answer
 * differently next time, so an empty answer is tried again in the run; a greedy one answers the
 * same empty text again, so it is tried neither in the run nor on a rerun, unless the user asks
 * (retryEmpty: one more attempt per rerun).
 */
export function isSampled(request: Pick<ChatRequest, 'temperature'>): boolean {
  return request.temperature === null || request.temperature > 0;
}

export function emptyAnswerRetryable(request: Pick<ChatRequest, 'temperature'>, retryEmpty: boolean): boolean {
  return retryEmpty || isSampled(request);
}

/** The ledger's reason for an empty answer: what the provider said about why it stopped (request ids go in their own column). */
export const EMPTY_ANSWER = 'empty answer';

export function emptyAnswerReason(finishReason: string | null): string {
  return `${EMPTY_ANSWER} (finish reason: ${finishReason ?? 'none'})`;
}
