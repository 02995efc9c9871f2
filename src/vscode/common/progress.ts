import type { ProgressLine } from './notify.ts';
import { withNotificationProgress } from './notify.ts';

export interface ProgressReport {
  report(line: ProgressLine): void;
}

/**
 * Runs long work under a cancellable progress notification. Its Cancel button, or the caller's
 * own signal (scripts and tests pass one), aborts the signal handed to the work; the work then
 * throws Cancelled, which runCommand treats as no error.
 */
export function withCancellableProgress<T>(
  title: string,
  work: (progress: ProgressReport, signal: AbortSignal) => Promise<T>,
  callerSignal?: AbortSignal,
): Thenable<T> {
  return withNotificationProgress({ title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    const cancelled = token.onCancellationRequested(abort);
    callerSignal?.addEventListener('abort', abort, { once: true });
    if (token.isCancellationRequested || callerSignal?.aborted) abort();
    try {
      return await work(progress, controller.signal);
    } finally {
      cancelled.dispose();
      callerSignal?.removeEventListener('abort', abort);
    }
  });
}

/** Reports "N of M <things>" and moves the bar by the share done since the last report. */
export function countReporter(progress: ProgressReport, things: string): (done: number, total: number) => void {
  let reported = 0;
  return (done, total) => {
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
    progress.report({ message: `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${things}`, increment: percent - reported });
    reported = percent;
  };
}
