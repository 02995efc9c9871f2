import * as vscode from 'vscode';
import type { Feature } from '../features.ts';
import { scriptedArgs } from './args.ts';
import { importAnswers, importOutputs, importProblems } from './importCommands.ts';
import { newProject, updateProjectContext } from './newProject.ts';
import { registerProblemView } from './problemView.ts';
import { runCommand } from './run.ts';
import { registerStatusBar } from './statusBar.ts';

/**
 * The project feature: create a project, fill it from files, and see its problems.
 *
 * Every command runs with dialogs when called from the UI, and without any when given an
 * argument object (scripts, tests); then errors reject the returned promise:
 *   mapd.newProject()                                                 -> string, the database path
 *   mapd.importProblems({ file, task?, split?, skipBad?, mapping? })  -> ImportProblemsResult
 *     task defaults to the one guessed from the file; split to the one the task infers;
 *     mapping (task "jsonl") e.g. { question: "q", answer: "a", id?: "uid", context?, options? }
 *   mapd.importAnswers({ file, student?, task?, split?, skipBad? })   -> ImportAnswersResult
 *   mapd.importOutputs({ file, skipBad? })                             -> ImportOutputsResult
 *   Imports run in a worker thread under a cancellable notification; a script or test may pass
 *   "signal" (an AbortSignal) to cancel likewise: the promise then rejects with "Import
 *   cancelled; nothing was imported" and the project is as it was.
 *   mapd.refresh(), mapd.showLog()
 *   mapd._test.treeSnapshot({ children?: number })                    -> TreeSnapshot (for the integration suite)
 * All of them work in an untrusted workspace: they read local files and write the local project.
 */
export const projectFeature: Feature = (services) => {
  const view = registerProblemView(services);
  updateProjectContext(services);

  const command = <T>(id: string, name: string, work: (args: ReturnType<typeof scriptedArgs>, interactive: boolean) => Promise<T>): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (arg: unknown) => {
      let args: ReturnType<typeof scriptedArgs>;
      try {
        args = scriptedArgs(arg);
      } catch (error) {
        return runCommand(services, name, false, () => Promise.reject(error));
      }
      const interactive = args === undefined && !isScriptCall(arg);
      services.log.info(`${name}${interactive ? '' : ' (scripted)'}`);
      return runCommand(services, name, interactive, () => work(args, interactive));
    });

  return [
    ...view.disposables,
    ...registerStatusBar(services),
    services.onDidChangeData(() => updateProjectContext(services)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('mapd.databasePath')) {
        updateProjectContext(services);
        services.dataChanged('command');
      }
    }),
    command('mapd.newProject', 'new project', (_args, interactive) => newProject(services, interactive)),
    command('mapd.importProblems', 'import problems', (args) => importProblems(services, args)),
    command('mapd.importAnswers', 'import answers', (args) => importAnswers(services, args)),
    command('mapd.importOutputs', 'import outputs', (args) => importOutputs(services, args)),
    vscode.commands.registerCommand('mapd.refresh', () => {
      services.log.info('refresh');
      updateProjectContext(services);
      services.dataChanged('command');
    }),
    vscode.commands.registerCommand('mapd.showLog', () => services.log.show()),
    vscode.commands.registerCommand('mapd._test.treeSnapshot', (arg: unknown) => {
      const limit = typeof arg === 'object' && arg !== null && typeof (arg as { children?: unknown }).children === 'number' ? (arg as { children: number }).children : 3;
      return view.snapshot(limit);
    }),
  ];
};

/** newProject has no file argument; an explicit empty object marks a call from a script. */
function isScriptCall(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && !Array.isArray(arg) && Object.keys(arg).length === 0;
}
