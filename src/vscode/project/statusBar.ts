import * as vscode from 'vscode';
import { curationProgress, progressLine } from '../../core/curation/progress.ts';
import type { Services } from '../services.ts';

/** Where curation stands, shown while the workspace has a project; a click opens the Problems view. */
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
      const student = services.student();
      item.text = `$(checklist) MAPD: ${student ? `${student}: ` : ''}${progressLine(curationProgress(db, student))}`;
      item.tooltip =
        'Mistakes: one per problem a student got wrong, as the curation panel lists them. Settled: every kind (critiques, rationales) has an accepted output, or all are rejected. ' +
        'Outputs decided: teacher outputs with an accept, edit or reject in force. Click to show the Problems view.';
      item.show();
    } catch {
      // The Problems view reports why the project cannot be read.
      item.hide();
    }
  };
  update();
  return [item, services.onDidChangeData(update), services.onDidChangeStudent(update)];
}
