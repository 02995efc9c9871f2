import * as vscode from 'vscode';
import fs from 'node:fs';
import path from 'node:path';
import type { Services } from '../services.ts';
import { projectDb, requireFolder } from '../common/run.ts';
import { showInfo } from '../common/notify.ts';
import { ensureGitignore } from '../../core/team/sync.ts';

/** The context key the welcome view and menus read: is there a project database here? */
export const HAS_PROJECT = 'mapd.hasProject';

export function updateProjectContext(services: Services): void {
  const file = services.dbPath();
  void vscode.commands.executeCommand('setContext', HAS_PROJECT, file !== undefined && fs.existsSync(file));
}

/**
 * mapd.newProject() -> the database path. Creates .mapd/curation.db (or the configured path) in
 * the first workspace folder, with a .gitignore beside it that keeps the database out of git; an
 * existing project is left as it is.
 */
export async function newProject(services: Services, interactive: boolean): Promise<string> {
  const folder = requireFolder();
  const file = services.dbPath() as string;
  const relative = path.relative(folder.uri.fsPath, file);
  const existed = fs.existsSync(file);
  projectDb(services, true);
  updateProjectContext(services);
  if (existed) {
    services.log.info(`new project: a project already exists at ${file}`);
    if (interactive) {
      const show = 'Show Problems';
      const choice = await showInfo(`This workspace already has a curation project (${relative}).`, show);
      if (choice === show) await vscode.commands.executeCommand('mapd.problems.focus');
    }
    return file;
  }
  // The database is each curator's own; a team shares .mapd/decisions through git (README, Several curators).
  ensureGitignore(file);
  services.log.info(`new project: created ${file}`);
  services.dataChanged('command');
  if (interactive) {
    const next = 'Import Problems…';
    void showInfo(`Created a curation project in ${relative}.`, next).then((choice) => {
      if (choice === next) void vscode.commands.executeCommand('mapd.importProblems');
    });
  }
  return file;
}
