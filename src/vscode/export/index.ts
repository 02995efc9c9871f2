import * as vscode from 'vscode';
import type { Feature } from '../features.ts';
import type { Services } from '../services.ts';
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
/**
 * A command that asks through dialogs when run from the UI, and runs on its argument object
 * without any when scripted; a malformed argument rejects the call with a message naming it.
 */
function scriptableCommand<A, R>(services: Services, id: string, name: string, parseArgs: (arg: unknown) => A | undefined, work: (args: A | undefined) => Promise<R>): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (arg: unknown) => {
    let args: A | undefined;
    try {
      args = parseArgs(arg);
    } catch (error) {
      return runCommand(services, name, false, () => Promise.reject(error));
    }
    services.log.info(`${name}${args ? ' (scripted)' : ''}`);
    return runCommand(services, name, args === undefined, () => work(args));
  });
}

export const exportFeature: Feature = (services) => {
  const stats = registerStatsPanel(services);
  return [
    ...stats.disposables,
    scriptableCommand(services, 'mapd.exportTrainingSet', 'export', exportArgs, (args) => exportCommand(services, args)),
    scriptableCommand(services, 'mapd.importDecisions', 'import decisions', importDecisionsArgs, (args) => importDecisionsCommand(services, args)),
    vscode.commands.registerCommand('mapd.showStatistics', () => runCommand(services, 'statistics', true, () => Promise.resolve(stats.show()))),
  ];
};
