import type { Feature } from '../services.ts';
import { registerScriptable } from '../common/commands.ts';
import { importDecisionsArgs, importDecisionsCommand } from './importDecisionsCommand.ts';

/**
 * Decisions brought back from an exported records file.
 *   mapd.importDecisions()                         dialog: a records file; summary, issues in the log
 *   mapd.importDecisions({ file, curator? })       -> ReimportResult, no dialogs; errors reject
 * It works in an untrusted workspace: it reads a local file and writes the local project.
 */
export const decisionsFeature: Feature = (services) => [
  registerScriptable(services, 'mapd.importDecisions', 'import decisions', importDecisionsArgs, (args) => importDecisionsCommand(services, args)),
];
