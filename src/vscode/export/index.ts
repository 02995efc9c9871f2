import * as vscode from 'vscode';
import type { Feature } from '../features.ts';
import { runCommand } from '../project/run.ts';
import { exportArgs, exportCommand } from './exportCommand.ts';
import { importDecisionsArgs, importDecisionsCommand } from './importDecisionsCommand.ts';
import { registerStatsPanel } from './statsPanel.ts';

/**
 * Export and statistics.
 *   mapd.exportTrainingSet()                       dialogs: format, options, target; progress; summary
 *   mapd.exportTrainingSet({ format: "mapd"|"chat"|"records"|"all", out, includePeerAccepted?,
 *     allAccepted?, includeCorrect?, keepInconsistent?, system? })  -> ExportSummary, no dialogs;
 *     errors reject the returned promise. `out` is a file (a folder for "all"), relative to the workspace.
 *   mapd.importDecisions()                         dialog: a records file; summary, issues in the log
 *   mapd.importDecisions({ file, curator? })       -> ReimportResult, no dialogs; errors reject
 *   mapd.showStatistics()                          the statistics panel -> CurationStats it shows
 * All work in an untrusted workspace: they read the local project and write local files.
 */
export const exportFeature: Feature = (services) => {
  const stats = registerStatsPanel(services);
  return [
    ...stats.disposables,
    vscode.commands.registerCommand('mapd.exportTrainingSet', async (arg: unknown) => {
      let args;
      try {
        args = exportArgs(arg);
      } catch (error) {
        return runCommand(services, 'export', false, () => Promise.reject(error));
      }
      services.log.info(`export${args ? ' (scripted)' : ''}`);
      return runCommand(services, 'export', args === undefined, () => exportCommand(services, args));
    }),
    vscode.commands.registerCommand('mapd.importDecisions', async (arg: unknown) => {
      let args;
      try {
        args = importDecisionsArgs(arg);
      } catch (error) {
        return runCommand(services, 'import decisions', false, () => Promise.reject(error));
      }
      services.log.info(`import decisions${args ? ' (scripted)' : ''}`);
      return runCommand(services, 'import decisions', args === undefined, () => importDecisionsCommand(services, args));
    }),
    vscode.commands.registerCommand('mapd.showStatistics', () => runCommand(services, 'statistics', true, () => Promise.resolve(stats.show()))),
  ];
};
