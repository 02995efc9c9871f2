/**
 * One client interface over every teacher and student endpoint. A request is plain data (it is
 * also what the ledger hashes and stores), so nothing in it may ever hold a secret.
 */
/** `vscode-lm`: a chat model the editor offers (vscode.lm), reachable from the extension only. */
export type Provider = 'openai' | 'anthropic' | 'openai-compatible' | 'vscode-lm';
export const PROVIDERS: readonly Provider[] = ['openai', 'anthropic', 'openai-compatible', 'vscode-lm'];

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** null: the provider's default (Anthropic's current API takes no sampling parameters). */
  temperature: number | null;
  maxTokens: number;
  /**
   * Which of n samples this is. Samples are separate calls (Anthropic has no n), so each has
   * its own ledger key and can be resumed on its own.
   */
  sample: number;
}

export interface ChatAnswer {
  text: string;
  /** null when the server sent no usage: unknown, never 0. */
  tokensIn: number | null;
  tokensOut: number | null;
  finishReason: string | null;
  /** The provider's request id, kept for support tickets. */
  requestId: string | null;
}

/** Where a client sends its requests: part of a request's identity, never its key. */
export interface Endpoint {
  provider: Provider;
  model: string;
  /** Normalised base URL (the provider's default when none is configured). */
  baseUrl: string;
}

/** The answer so far, each time more of it arrives. */
export type OnText = (textSoFar: string) => void;

export interface TeacherClient {
  readonly endpoint: Endpoint;
  complete(request: ChatRequest, signal?: AbortSignal): Promise<ChatAnswer>;
  /** The same call, streamed: onText sees the text as it grows; the result is the whole answer, as complete's. */
  stream?(request: ChatRequest, signal: AbortSignal | undefined, onText: OnText): Promise<ChatAnswer>;
}

/**
 * A failed call, with a reason fit for the ledger and a user: status code and message, secrets
 * scrubbed. `retryable` says whether a later attempt may succeed (rate limit, 5xx, network); what
 * is retried, and how often, is decided in retryPolicy.ts.
 */
export class CallError extends Error {
  readonly status: number | null;
  readonly retryable: boolean;
  readonly aborted: boolean;
  /** Nothing listens at the endpoint (refused, unknown host): no later call will fare better. */
  readonly unreachable: boolean;
  /** What the server asked us to wait before another attempt (retry-after), when it said. */
  readonly retryAfterMs: number | null;
  /** The provider's request id, for the ledger's own column (never part of the reason). */
  readonly requestId: string | null;

  constructor(
    message: string,
    options: {
      status?: number | null;
      retryable?: boolean;
      aborted?: boolean;
      unreachable?: boolean;
      retryAfterMs?: number | null;
      requestId?: string | null;
    } = {},
  ) {
    super(message);
    this.name = 'CallError';
    this.status = options.status ?? null;
    this.retryable = options.retryable ?? false;
    this.aborted = options.aborted ?? false;
    this.unreachable = options.unreachable ?? false;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.requestId = options.requestId ?? null;
  }
}
