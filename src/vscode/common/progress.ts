import { withNotificationProgress } from '../common/notify.ts';

export type OnProgress = (done: number, total: number) => void;

/**
 * Runs an import under a cancellable progress notification showing "N of M rows" as the worker
 * reports them. The notification's Cancel button (or the caller's own signal, for scripts and
 * tests) aborts the signal handed to the work.
 */
export async function withImportProgress<T>(title: string, work: (onProgress: OnProgress, signal: AbortSignal) => Promise<T>, callerSignal?: AbortSignal): Promise<T> {
  return withNotificationProgress({ title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancelled = token.onCancellationRequested(() => controller.abort());
    const abort = (): void => controller.abort();
    callerSignal?.addEventListener('abort', abort, { once: true });
    if (callerSignal?.aborted) controller.abort();
    let reported = 0;
    try {
      return await work((done, total) => {
        const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
        progress.report({ message: `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows`, increment: percent - reported });
        reported = percent;
      }, controller.signal);
    } finally {
      cancelled.dispose();
      callerSignal?.removeEventListener('abort', abort);
    }
  });
}
