import * as vscode from 'vscode';
import { Cancelled, UserError, describeError, isCancelled, isUserError } from '../../core/errors.ts';
import type { Db } from '../../core/store/db.ts';
import type { Services } from '../services.ts';
import { showError as showErrorMessage } from './notify.ts';

const SHOW_LOG = 'Show Log';
const OPEN_SETTINGS = 'Open Settings';

/**
 * A UserError the user fixes in a setting (no teachers configured, no student endpoint): its
 * dialog opens that setting instead of offering the log, which would only repeat the message.
 */
export class SettingError extends UserError {
  readonly setting: string;

  constructor(what: string, setting: string, next: string) {
    super(what, { next });
    this.name = 'SettingError';
    this.setting = setting;
  }
}

/** A picker's answer; Cancelled when the user dismissed it. */
export function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Cancelled();
  return value;
}

/**
 * Runs a command's work and reports how it ended. Called from the UI, an error is shown once: a
 * UserError as it is, anything else as an internal error with its stack in the log. Called by a
 * script (tests, other extensions), the error is logged and rethrown so the caller sees it; no
 * dialog opens. Cancelled (a Cancel button, a dismissed picker, the caller's signal) is no error:
 * one log line, no dialog; a script gets the rejection.
 */
export async function runCommand<T>(services: Services, name: string, interactive: boolean, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (isCancelled(error)) {
      services.log.info(`${name}: ${error.message}`);
      if (!interactive) throw error;
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

/**
 * Shows an error plus any extra actions; resolves to the chosen one. The last button is "Open
 * Settings" for a SettingError (and opens it), "Show Log" for any other error.
 */
export async function showError(services: Services, error: unknown, ...actions: string[]): Promise<string | undefined> {
  const setting = error instanceof SettingError ? error.setting : undefined;
  const choice = await showErrorMessage(describeError(error), ...actions, setting ? OPEN_SETTINGS : SHOW_LOG);
  if (choice === SHOW_LOG) services.log.show();
  if (choice === OPEN_SETTINGS && setting) void vscode.commands.executeCommand('workbench.action.openSettings', setting);
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
