import { isUnreachableCode, sdkFailureRetryable } from './retryPolicy.ts';
import { scrubSecrets } from './secrets.ts';
import type { ChatAnswer, ChatRequest, Endpoint, OnText, TeacherClient } from './types.ts';
import { CallError } from './types.ts';

/**
 * Turns whatever an SDK threw into a CallError with a reason for the ledger: status code,
 * the server's message, the request id; secrets scrubbed. Both SDKs share the error shape
 * (status, error body, headers, requestID), so one mapping serves both. Whether the failure is
 * retryable or fatal is decided in retryPolicy.ts.
 */
interface SdkErrorShape {
  name?: string;
  message?: string;
  status?: number;
  requestID?: string | null;
  cause?: unknown;
  headers?: { get?(name: string): string | null } | null;
  /** The error body: OpenAI's {message, …}, Anthropic's {type, error: {type, message}, request_id}. */
  error?: { message?: unknown; error?: { message?: unknown } } | null;
}

/** The server's own words, without the body's JSON (whose request_id would make every failure unique). */
function bodyMessage(e: SdkErrorShape): string | undefined {
  const inner = e.error?.error?.message ?? e.error?.message;
  return typeof inner === 'string' && inner.trim() !== '' ? inner : undefined;
}

/** retry-after-ms, else retry-after in seconds or as a date; null when the server did not say. */
function retryAfterOf(headers: SdkErrorShape['headers']): number | null {
  const get = (name: string): string | null => (typeof headers?.get === 'function' ? headers.get(name) : null);
  const ms = Number(get('retry-after-ms'));
  if (get('retry-after-ms') !== null && Number.isFinite(ms)) return ms;
  const raw = get('retry-after');
  if (raw === null) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

export function toCallError(error: unknown, secrets: readonly (string | undefined)[], signal?: AbortSignal): CallError {
  if (error instanceof CallError) return error;
  const e = (error ?? {}) as SdkErrorShape;
  // The SDKs' error classes leave `name` as "Error"; their class name tells them apart (the
  // bundles keep class names: esbuild keepNames).
  const className = (error as { constructor?: { name?: string } } | null)?.constructor?.name ?? '';
  const name = e.name && e.name !== 'Error' ? e.name : className;
  if (signal?.aborted || name === 'APIUserAbortError' || name === 'AbortError') {
    return new CallError('cancelled', { aborted: true });
  }
  const status = typeof e.status === 'number' ? e.status : null;
  let message = (status !== null ? bodyMessage(e) : undefined) ?? e.message ?? String(error);
  let unreachable = false;
  if (name === 'APIConnectionTimeoutError') message = `timed out (${message})`;
  else if (name === 'APIConnectionError') {
    const cause = e.cause as { message?: string; code?: string; cause?: { code?: string; message?: string } } | undefined;
    const detail = cause?.cause?.code ?? cause?.code ?? cause?.cause?.message ?? cause?.message;
    message = detail ? `connection failed (${detail})` : `connection failed (${message})`;
    // The SDK has already retried; a refused connection or an unknown host will not heal mid-run.
    unreachable = isUnreachableCode(detail);
  } else if (status === null && /terminated|Unexpected end|JSON/i.test(message)) {
    message = `malformed or truncated response (${message})`;
  }
  // The request id goes to its own ledger column: in the reason it would make every failure a cause of its own.
  const reason = scrubSecrets(status !== null && !message.startsWith(String(status)) ? `${status} ${message}` : message, secrets);
  return new CallError(reason, {
    status,
    retryable: sdkFailureRetryable(status, unreachable),
    unreachable,
    retryAfterMs: retryAfterOf(e.headers),
    requestId: e.requestID ?? null,
  });
}

/** A TeacherClient over one SDK call: whatever the call throws becomes a CallError, the key scrubbed. */
export function sdkTeacherClient(
  endpoint: Endpoint,
  apiKey: string | undefined,
  send: (request: ChatRequest, signal?: AbortSignal) => Promise<ChatAnswer>,
  stream?: (request: ChatRequest, signal: AbortSignal | undefined, onText: OnText) => Promise<ChatAnswer>,
): TeacherClient {
  return {
    endpoint,
    async complete(request, signal) {
      try {
        return await send(request, signal);
      } catch (error) {
        throw toCallError(error, [apiKey], signal);
      }
    },
    ...(stream
      ? {
          async stream(request: ChatRequest, signal: AbortSignal | undefined, onText: OnText) {
            try {
              return await stream(request, signal, onText);
            } catch (error) {
              throw toCallError(error, [apiKey], signal);
            }
          },
        }
      : {}),
  };
}
