import { CallError } from './types.ts';

/**
 * Per-teacher concurrency and requests-per-minute. Requests start no closer together than
 * 60 s / rpm, and at most `concurrency` run at once. Waiting callers leave the queue as soon as
 * their signal aborts, so a cancelled job sends nothing more.
 */
export interface Limiter {
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly active: number;
  readonly queued: number;
}

export interface LimiterOptions {
  concurrency: number;
  /** 0 = no rate limit. */
  requestsPerMinute: number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export function abortError(signal: AbortSignal | undefined): CallError {
  const reason: unknown = signal?.reason;
  // A caller may abort with a reason of its own ("superseded"); the default DOMException says nothing new.
  return new CallError(typeof reason === 'string' && reason ? `cancelled: ${reason}` : 'cancelled', { aborted: true });
}

export function createLimiter(options: LimiterOptions): Limiter {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const spacingMs = options.requestsPerMinute > 0 ? 60_000 / options.requestsPerMinute : 0;
  let active = 0;
  let nextStart = 0;
  const queue: Waiter[] = [];
  let timer: NodeJS.Timeout | undefined;

  const pump = (): void => {
    if (timer) return;
    while (active < concurrency && queue.length > 0) {
      const now = Date.now();
      if (spacingMs > 0 && now < nextStart) {
        timer = setTimeout(() => {
          timer = undefined;
          pump();
        }, nextStart - now);
        return;
      }
      const waiter = queue.shift() as Waiter;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      active++;
      nextStart = Math.max(now, nextStart) + spacingMs;
      waiter.resolve();
    }
  };

  const acquire = (signal: AbortSignal | undefined): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          reject(abortError(signal));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      queue.push(waiter);
      pump();
    });

  return {
    async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      await acquire(signal);
      try {
        return await fn();
      } finally {
        active--;
        pump();
      }
    },
    get active() {
      return active;
    },
    get queued() {
      return queue.length;
    },
  };
}
