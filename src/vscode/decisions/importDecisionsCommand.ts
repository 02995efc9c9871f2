import * as vscode from 'vscode';
import path from 'node:path';
import { UserError } from '../../core/errors.ts';
import type { ReimportResult } from '../../core/decisions/reimport.ts';
import { describeReimport, reimportRecords } from '../../core/decisions/reimport.ts';
import type { Services } from '../services.ts';
import type { CommandArgs } from '../common/commands.ts';
import { stringArg } from '../common/commands.ts';
import { projectDb, required, requireFolder } from '../common/run.ts';
import { showInfo, showWarning } from '../common/notify.ts';

/** The argument object that runs the re-import without dialogs (scripts, tests). */
export interface ImportDecisionsArgs {
  /** A records file (`mapd export --format records`); relative paths are taken from the workspace folder. */
  file: string;
  /** Whom the new events name; by default the curator each record names. */
  curator?: string;
}

/** A scripted call's arguments, checked. */
export function importDecisionsArgs(args: CommandArgs): ImportDecisionsArgs {
  const curator = stringArg(args, 'curator');
  return { file: stringArg(args, 'file', { required: true, expected: 'a file path' }), ...(curator ? { curator } : {}) };
}

async function askArgs(): Promise<ImportDecisionsArgs> {
  const folder = requireFolder();
  const picked = required(
    await vscode.window.showOpenDialog({
      title: 'Import Decisions: a records file written by Export Training Set',
      defaultUri: folder.uri,
      canSelectMany: false,
      filters: { 'Curated records (JSON Lines)': ['jsonl'], 'All files': ['*'] },
      openLabel: 'Import Decisions',
    }),
  );
  const file = picked[0];
  if (!file) throw new UserError('no records file was chosen', { next: 'Run Import Decisions again and pick a records file' });
  return { file: file.fsPath };
}

/**
 * Re-applies an exported records file's decisions to the open project, as one bulk action (one
 * undo in the panel takes them all back). Records not in this project, and conflicts, are listed
 * in the log, line by line; the notification says how many and offers the log.
 */
export async function importDecisionsCommand(services: Services, scripted: ImportDecisionsArgs | undefined): Promise<ReimportResult> {
  const args = scripted ?? (await askArgs());
  const folder = requireFolder();
  const file = path.resolve(folder.uri.fsPath, args.file);
  const db = projectDb(services, false);
  // Synchronous and quick (one read of the file, one transaction): no progress to show.
  const result = reimportRecords(db, file, args.curator ? { curator: args.curator } : {});
  if (result.applied > 0) services.dataChanged('command');
  const summary = describeReimport(result, path.relative(folder.uri.fsPath, file) || file);
  services.log.info(`import decisions: ${summary}`);
  const issues = [...result.missing, ...result.conflicts];
  for (const issue of issues) services.log.warn(`import decisions: line ${issue.line}: ${issue.message}`);
  if (!scripted) {
    if (issues.length > 0) {
      const choice = await showWarning(`${summary}. The log lists them by line.`, 'Show Log');
      if (choice === 'Show Log') services.log.show();
    } else {
      void showInfo(summary);
    }
  }
  return result;
}
