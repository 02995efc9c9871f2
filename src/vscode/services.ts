import * as vscode from 'vscode';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { Db } from '../core/store/db.ts';
import { DEFAULT_DB_RELATIVE_PATH, openStore } from '../core/store/db.ts';

/**
 * What every feature of the extension shares: the log, the open project database and a signal
 * that its data changed (so the tree, the panel and the status views refresh together).
 */
/** Who wrote to the project: the curation panel, or a command (import, jobs, export, new project). */
export type DataOrigin = 'panel' | 'command';

export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  /** The workspace's project database path, or undefined without a workspace folder. */
  dbPath(): string | undefined;
  /** The open project database; opens (and creates, when create is set) on first use. */
  db(options?: { create?: boolean }): Db | undefined;
  /** Fires after any feature wrote to the project; origin names the writer, so it can skip its own writes. */
  onDidChangeData: vscode.Event<{ origin: DataOrigin }>;
  dataChanged(origin: DataOrigin): void;
  /** The problem the user is looking at (tree selection or curation panel), kept in sync both ways. */
  selectedProblem(): number | undefined;
  selectProblem(problemId: number | undefined, origin: 'tree' | 'panel' | 'command'): void;
  onDidSelectProblem: vscode.Event<{ problemId: number | undefined; origin: 'tree' | 'panel' | 'command' }>;
  curator(): string;
  /**
   * Whose mistakes the panel, the Problems view and the status bar show: one student's, or (null)
   * each problem's first wrong answer. Kept in the workspace state, so it survives a reload.
   */
  student(): string | null;
  setStudent(student: string | null): void;
  onDidChangeStudent: vscode.Event<string | null>;
}

/** A feature registers its commands, views and panels; extension.ts activates each in turn. */
export type Feature = (services: Services) => vscode.Disposable[];

const STUDENT_KEY = 'mapd.curatedStudent';

export function createServices(context: vscode.ExtensionContext): Services {
  const log = vscode.window.createOutputChannel('MAPD Curator', { log: true });
  const changed = new vscode.EventEmitter<{ origin: DataOrigin }>();
  const selected = new vscode.EventEmitter<{ problemId: number | undefined; origin: 'tree' | 'panel' | 'command' }>();
  const studentChanged = new vscode.EventEmitter<string | null>();
  let selectedProblem: number | undefined;
  let open: { path: string; db: Db } | undefined;

  const dbPath = (): string | undefined => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const configured = vscode.workspace.getConfiguration('mapd').get<string>('databasePath') || DEFAULT_DB_RELATIVE_PATH;
    return path.resolve(folder.uri.fsPath, configured);
  };

  const services: Services = {
    context,
    log,
    dbPath,
    db(options = {}) {
      const file = dbPath();
      if (!file) return undefined;
      if (open && open.path === file) return open.db;
      if (!options.create && !fs.existsSync(file)) return undefined;
      open?.db.close();
      open = { path: file, db: openStore(file) };
      log.info(`opened project database ${file}`);
      return open.db;
    },
    onDidChangeData: changed.event,
    dataChanged: (origin) => changed.fire({ origin }),
    selectedProblem: () => selectedProblem,
    selectProblem(problemId, origin) {
      if (problemId === selectedProblem) return;
      selectedProblem = problemId;
      selected.fire({ problemId, origin });
    },
    onDidSelectProblem: selected.event,
    curator: () => vscode.workspace.getConfiguration('mapd').get<string>('curator') || os.userInfo().username || 'curator',
    student: () => context.workspaceState.get<string | null>(STUDENT_KEY) ?? null,
    setStudent(student) {
      if (student === services.student()) return;
      void context.workspaceState.update(STUDENT_KEY, student);
      studentChanged.fire(student);
    },
    onDidChangeStudent: studentChanged.event,
  };

  context.subscriptions.push(log, changed, selected, studentChanged, {
    dispose: () => {
      open?.db.close();
      open = undefined;
    },
  });
  return services;
}
