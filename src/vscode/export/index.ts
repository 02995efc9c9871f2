import type { Feature } from '../services.ts';
import { registerScriptable } from '../common/commands.ts';
import { exportArgs, exportCommand } from './exportCommand.ts';

/**
 * Export of the training set.
 *   mapd.exportTrainingSet()                       dialogs: format, options, target; progress; summary
 *   mapd.exportTrainingSet({ format: "all" or one of EXPORT_FORMATS, out, includePeerAccepted?,
 *     allAccepted?, includeCorrect?, keepInconsistent?, system? })  -> ExportSummary, no dialogs;
 *     errors reject the returned promise. `out` is a file (a folder for "all"), relative to the workspace.
 * It works in an untrusted workspace: it reads the local project and writes local files.
 */
export const exportFeature: Feature = (services) => [
  registerScriptable(services, 'mapd.exportTrainingSet', 'export', exportArgs, (args) => exportCommand(services, args)),
];
