import * as vscode from 'vscode';
import { decidedOutputCount, groupCounts } from '../../core/store/problemTree.ts';
import type { Services } from '../services.ts';

/** "MAPD: N mistakes · M decided", shown while the workspace has a project; a click opens the Problems view. */
export function registerStatusBar(services: Services): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('mapd.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'MAPD Curator';
  item.command = 'mapd.problems.focus';

  const update = (): void => {
    try {
      const db = services.db();
      if (!db) {
        item.hide();
        return;
      }
      const mistakes = groupCounts(db).mistakes;
      const decided = decidedOutputCount(db);
      item.text = `$(checklist) MAPD: ${mistakes.toLocaleString('en-US')} mistake${mistakes === 1 ? '' : 's'} · ${decided.toLocaleString('en-US')} decided`;
      item.tooltip = 'Problems the student got wrong, and teacher outputs with a human decision. Click to show the Problems view.';
      item.show();
    } catch {
      // The Problems view reports why the project cannot be read.
      item.hide();
    }
  };
  update();
  return [item, services.onDidChangeData(update)];
}
