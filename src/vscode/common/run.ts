import * as vscode from 'vscode';
import { UserError, describeError, isUserError } from '../../core/errors.ts';
import { ImportCancelledError } from '../../core/import/runInWorker.ts';
import type { Db } from '../../core/store/db.ts';
import type { Services } from '../services.ts';
import { showError as showErrorMessage, showInfo } from '../common/notify.ts';

const SHOW_LOG = 'Show Log';

/** The user closed a picker or an input box: the action ends quietly. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

/** A picker's answer, or Cancelled when the user dismissed it. */
export function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Cancelled();
  return value;
}

/**
 * Runs a command's work and reports how it ended. Called from the UI (no arguments), an error is
 * shown once: a UserError as it is, anything else as an internal error with its stack in the log.
 * Called with arguments (scripts, tests, other extensions), the error is logged and rethrown so
 * the caller sees it; no dialog opens. A cancelled import is no error: the user is told, a
 * script gets the rejection.
 */
export async function runCommand<T>(services: Services, name: string, interactive: boolean, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Cancelled) {
      services.log.info(`${name}: cancelled`);
      return undefined;
    }
    if (error instanceof ImportCancelledError) {
      services.log.info(`${name}: ${error.message}`);
      if (!interactive) throw error;
      void showInfo(error.message);
      return undefined;
    }
    logError(services, name, error);
    if (!interactive) throw error;
    void showError(services, error);
    return undefined;
  }
}

export function logError(services: Services, name: string, error: unknown): void {
  if (isUserError(error)) services.log.error(`${name}: ${error.message}`);
  else services.log.error(`${name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}

/** Shows an error with a "Show Log" button, plus any extra actions; resolves to the chosen one. */
export async function showError(services: Services, error: unknown, ...actions: string[]): Promise<string | undefined> {
  const choice = await showErrorMessage(describeError(error), ...actions, SHOW_LOG);
  if (choice === SHOW_LOG) services.log.show();
  return choice;
}

/** The workspace folder the project lives in; a curation project needs one. */
export function requireFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new UserError('Open a folder first: a curation project lives in a workspace folder', {
      next: 'Use File > Open Folder…, then run the command again',
    });
  }
  return folder;
}

/** The project database, created when missing (an import into a fresh folder starts a project). */
export function projectDb(services: Services, create: boolean): Db {
  requireFolder();
  const db = services.db({ create });
  if (!db) {
    throw new UserError('there is no curation project in this workspace yet', {
      ...(services.dbPath() ? { where: services.dbPath() as string } : {}),
      next: 'Run "MAPD: New Curation Project" or import problems first',
    });
  }
  return db;
}
