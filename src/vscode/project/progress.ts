import * as vscode from 'vscode';

export type OnProgress = (done: number, total: number) => void;

/**
 * Runs an import under a progress notification. The core imports are synchronous (one SQLite
 * transaction), so they cannot be cancelled midway; the notification appears before the work
 * starts and shows the row count as the import reports it.
 */
export async function withImportProgress<T>(title: string, work: (onProgress: OnProgress) => T): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, async (progress) => {
    // Let the notification render before the synchronous work holds the extension host.
    await new Promise((resolve) => setTimeout(resolve, 0));
    let reported = 0;
    return work((done, total) => {
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      progress.report({ message: `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows`, increment: percent - reported });
      reported = percent;
    });
  });
}
