import type { Feature } from '../services.ts';
import { registerScriptable } from '../common/commands.ts';
import { importDecisionsArgs, importDecisionsCommand } from './importDecisionsCommand.ts';
import { syncDecisionsCommand } from './syncCommand.ts';

/**
 * Decisions brought back from an exported records file.
 *   mapd.importDecisions()                         dialog: a records file; summary, issues in the log
 *   mapd.importDecisions({ file, curator? })       -> ReimportResult, no dialogs; errors reject
 *   mapd.syncDecisions()                           the team's decision files: yours written, everyone's read; summary
 *   mapd.syncDecisions({})                         -> SyncResult, no message
 * Both work in an untrusted workspace: they read and write local files and the local project.
 */
export const decisionsFeature: Feature = (services) => [
  registerScriptable(services, 'mapd.importDecisions', 'import decisions', importDecisionsArgs, (args) => importDecisionsCommand(services, args)),
  registerScriptable(
    services,
    'mapd.syncDecisions',
    'sync decisions',
    () => ({}),
    (args) => syncDecisionsCommand(services, args === undefined),
  ),
];
