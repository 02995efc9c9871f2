import path from 'node:path';
import type { SyncResult } from '../../core/team/sync.ts';
import { describeSync, syncDecisions } from '../../core/team/sync.ts';
import type { Services } from '../services.ts';
import { projectDb, requireFolder } from '../common/run.ts';
import { showInfo, showWarning } from '../common/notify.ts';
import { withNotificationProgress } from '../common/notify.ts';

/**
 * Writes the local curator's new decisions to their own file under .mapd/decisions and reads every
 * curator's file into the team table (after a git pull: the others' decisions). One summary
 * message; bad lines are listed in the log by file:line, the rest is read.
 */
export async function syncDecisionsCommand(services: Services, interactive: boolean): Promise<SyncResult> {
  const folder = requireFolder();
  const db = projectDb(services, false);
  const dbFile = services.dbPath() as string;
  const curator = services.curator();
  const result = await withNotificationProgress({ title: 'MAPD: syncing decisions', cancellable: false }, (progress) => {
    progress.report({ message: `writing ${curator}'s decisions, reading the team's` });
    return Promise.resolve(syncDecisions(db, { dbFile, curator }));
  });
  services.dataChanged('command');
  const shown = (file: string): string => path.relative(folder.uri.fsPath, file) || file;
  const summary = describeSync(result, shown);
  services.log.info(`sync decisions: ${summary}`);
  for (const issue of result.bad) services.log.warn(`sync decisions: ${shown(issue.file)}:${issue.line}: ${issue.message}`);
  if (interactive) {
    if (result.bad.length > 0) {
      const choice = await showWarning(`${summary}. The log lists each bad line.`, 'Show Log');
      if (choice === 'Show Log') services.log.show();
    } else void showInfo(summary);
  }
  return result;
}
