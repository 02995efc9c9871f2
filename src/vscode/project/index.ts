import * as vscode from 'vscode';
import type { Feature } from '../services.ts';
import { numberArg, registerScriptable, scriptedArgs } from '../common/commands.ts';
import { importAnswers, importAnswersArgs, importOutputs, importOutputsArgs, importProblems, importProblemsArgs } from './importCommands.ts';
import { newProject, updateProjectContext } from './newProject.ts';
import { registerProblemView } from './problemView.ts';
import { registerStatusBar } from './statusBar.ts';

/**
 * The project feature: create a project, fill it from files, and see its problems.
 *
 * Every command runs with dialogs when called from the UI, and without any when given an
 * argument object (scripts, tests; see common/commands.ts); then errors reject the returned promise:
 *   mapd.newProject({})                                               -> string, the database path
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
    registerScriptable(
      services,
      'mapd.newProject',
      'new project',
      () => ({}),
      (args) => newProject(services, args === undefined),
    ),
    registerScriptable(services, 'mapd.importProblems', 'import problems', importProblemsArgs, (args) => importProblems(services, args)),
    registerScriptable(services, 'mapd.importAnswers', 'import answers', importAnswersArgs, (args) => importAnswers(services, args)),
    registerScriptable(services, 'mapd.importOutputs', 'import outputs', importOutputsArgs, (args) => importOutputs(services, args)),
    vscode.commands.registerCommand('mapd.refresh', () => {
      services.log.info('refresh');
      updateProjectContext(services);
      services.dataChanged('command');
    }),
    vscode.commands.registerCommand('mapd.showLog', () => services.log.show()),
    vscode.commands.registerCommand('mapd._test.treeSnapshot', (arg: unknown) => {
      return view.snapshot(numberArg(scriptedArgs(arg) ?? {}, 'children') ?? 3);
    }),
  ];
};
