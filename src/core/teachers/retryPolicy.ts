import type { CallError, ChatAnswer } from './types.ts';

/**
 * Which failed teacher calls are tried again, and where. Three layers, outermost last:
 * 1. The SDK retries a request itself, `maxRetries` times (default SDK_RETRIES), honouring
 *    retry-after: timeouts, connection errors and the statuses of isRetryableStatus.
 * 2. The caller (createCaller in caller.ts) makes up to EXTRA_ATTEMPTS more attempts in the same
 *    run after a failure isRetryable accepts: one the SDK does not retry but a new attempt may
 *    fix (an empty answer, a truncated or malformed body), or one it gave up on. Each attempt is
 *    its own ledger row. A failure isFatalForTeacher accepts stops that teacher for the run.
 * 3. Rerunning the job retries whatever still failed: the ledger never sends an answered request
 *    again, so a rerun only sends what is missing.
 */
export const SDK_RETRIES = 3;
export const EXTRA_ATTEMPTS = 1;

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

/**
 * An answer with no text is a failure, recorded with the usage it cost, and retryable like
 * any other: models do return empty content now and then, and the next attempt usually answers.
 */
export function isEmptyAnswer(text: string): boolean {
  return text.trim() === '';
}

/** The ledger's reason for an empty answer: what the provider said about why it stopped. */
export function emptyAnswerReason(answer: Pick<ChatAnswer, 'finishReason' | 'requestId'>): string {
  return `empty answer (finish reason: ${answer.finishReason ?? 'none'}${answer.requestId ? `, request id ${answer.requestId}` : ''})`;
}
