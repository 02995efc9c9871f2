import * as vscode from 'vscode';
import path from 'node:path';
import { describeError } from '../../core/errors.ts';
import type { CurationStats } from '../../core/stats/curation.ts';
import { curationStats } from '../../core/stats/curation.ts';
import { studentStats } from '../../core/stats/students.ts';
import type { StatsHostMessage } from '../../protocol/stats.ts';
import { STATS_VIEW_TYPE, parseStatsWebviewMessage } from '../../protocol/stats.ts';
import type { Services } from '../services.ts';
import { hostWebview } from '../webviewHost.ts';
import { STATS_PAGE } from '../webviewHtml.ts';

export interface StatsPanel {
  /** Opens (or reveals) the panel and sends fresh statistics; returns what it sent, undefined without a project. */
  show(): CurationStats | undefined;
  disposables: vscode.Disposable[];
}

/**
 * "MAPD: Show Statistics": one webview panel per window, redrawn when it asks (ready, refresh)
 * and, debounced, whenever any feature changes the project's data.
 */
export function registerStatsPanel(services: Services): StatsPanel {
  const { context } = services;
  let panel: vscode.WebviewPanel | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const compute = (): { message: StatsHostMessage; stats?: CurationStats } => {
    try {
      const db = services.db();
      if (!db)
        return {
          message: {
            type: 'empty',
            message: 'No curation project in this workspace. Run "MAPD: New Curation Project", then import problems, answers and teacher outputs.',
          },
        };
      const started = Date.now();
      const stats = curationStats(db);
      services.log.info(`statistics computed in ${Date.now() - started} ms`);
      return {
        message: {
          type: 'stats',
          stats,
          students: studentStats(db),
          project: path.basename(path.dirname(path.dirname(services.dbPath() ?? ''))) || 'project',
          at: new Date().toISOString(),
        },
        stats,
      };
    } catch (error) {
      services.log.error(`statistics: ${describeError(error)}`);
      return { message: { type: 'error', message: describeError(error) } };
    }
  };

  const send = (): CurationStats | undefined => {
    if (!panel) return undefined;
    const { message, stats } = compute();
    void panel.webview.postMessage(message);
    return stats;
  };

  const attach = (target: vscode.WebviewPanel): void => {
    hostWebview(target, context.extensionUri, STATS_PAGE);
    panel = target;
    const received = target.webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseStatsWebviewMessage(raw);
      if (!message) {
        services.log.warn('statistics panel: ignored a malformed message');
        return;
      }
      if (message.type === 'export') void vscode.commands.executeCommand('mapd.exportTrainingSet');
      else send();
    });
    target.onDidDispose(() => {
      received.dispose();
      if (panel === target) panel = undefined;
    });
  };

  const disposables: vscode.Disposable[] = [
    vscode.window.registerWebviewPanelSerializer(STATS_VIEW_TYPE, { deserializeWebviewPanel: async (restored: vscode.WebviewPanel) => attach(restored) }),
    services.onDidChangeData(() => {
      if (!panel) return;
      clearTimeout(timer);
      timer = setTimeout(send, 500);
    }),
    { dispose: () => clearTimeout(timer) },
  ];

  return {
    disposables,
    show() {
      if (panel) panel.reveal(undefined, false);
      else attach(vscode.window.createWebviewPanel(STATS_VIEW_TYPE, 'MAPD Statistics', vscode.ViewColumn.Active, { retainContextWhenHidden: false }));
      // The webview also asks on its ready message; this answer serves callers that want the figures now.
      return compute().stats;
    },
  };
}
