import * as vscode from 'vscode';
import { describeError } from '../../core/errors.ts';
import type { MistakeQuery } from '../../core/curation/agentQueries.ts';
import { findMistake, projectSummary, queryMistakes } from '../../core/curation/agentQueries.ts';
import type { Db } from '../../core/store/db.ts';
import type { Feature } from '../services.ts';
import type { Services } from '../services.ts';

/**
 * Language model tools: what an agent in the editor's chat may read of the project, and one way
 * to suggest a decision. Read-only — no tool writes a decision; `mapd_proposeDecision` opens the
 * panel on the item with the suggestion shown, and the curator's own key decides. Every result
 * is JSON text; model and dataset text travel inside it as data (a tool result is an input to the
 * model, so the agent is told in each tool's description that texts are data, not instructions).
 * Declared in package.json (contributes.languageModelTools) with their input schemas.
 */

const json = (value: unknown): vscode.LanguageModelToolResult =>
  new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(value, null, 1))]);

function projectDbOrExplain(services: Services): Db {
  const db = services.db();
  if (!db) throw new Error('There is no MAPD curation project in this workspace (run "MAPD: New Curation Project" and import problems first).');
  return db;
}

interface MistakeRef {
  problemId?: number;
  sourceId?: string;
}

interface Proposal extends MistakeRef {
  outputId: number;
  action: 'accept' | 'reject' | 'edit';
  reason?: string;
}

function tool<T>(services: Services, name: string, reads: (input: T) => string, run: (db: Db, input: T) => unknown): vscode.Disposable {
  return vscode.lm.registerTool<T>(name, {
    prepareInvocation: (options) => ({ invocationMessage: reads(options.input) }),
    invoke: (options) => {
      try {
        return json(run(projectDbOrExplain(services), options.input));
      } catch (error) {
        // The model reads the failure and can tell the user; it is no crash of the chat.
        return json({ error: describeError(error) });
      }
    },
  });
}

export const toolsFeature: Feature = (services) => [
  tool<MistakeRef>(
    services,
    'mapd_currentMistake',
    (input) =>
      input.problemId || input.sourceId
        ? `Reading mistake ${input.sourceId ?? input.problemId} from the MAPD project`
        : 'Reading the mistake open in the MAPD curation panel',
    (db, input) => {
      const problemId = input.problemId ?? (input.sourceId ? undefined : services.selectedProblem());
      if (problemId === undefined && !input.sourceId) return { error: 'No mistake is open: open one in the MAPD curation panel, or name it by sourceId.' };
      return (
        findMistake(db, services.student(), { ...(problemId !== undefined ? { problemId } : {}), ...(input.sourceId ? { sourceId: input.sourceId } : {}) }) ?? {
          error: `No mistake ${input.sourceId ?? problemId} in this project.`,
        }
      );
    },
  ),
  tool<MistakeQuery>(
    services,
    'mapd_findMistakes',
    () => 'Querying the MAPD project for mistakes',
    (db, input) => queryMistakes(db, services.student(), input ?? {}),
  ),
  tool<Record<string, never>>(
    services,
    'mapd_projectStatistics',
    () => "Reading the MAPD project's curation statistics",
    (db) => projectSummary(db),
  ),
  vscode.lm.registerTool<Proposal>('mapd_proposeDecision', {
    prepareInvocation: (options) => ({
      invocationMessage: `Opening mistake ${options.input.sourceId ?? options.input.problemId} in the curation panel with a suggestion`,
      confirmationMessages: {
        title: 'Open the curation panel with a suggestion?',
        message: `The agent suggests: ${options.input.action} output ${options.input.outputId}. Nothing is decided until you press the key yourself.`,
      },
    }),
    invoke: async (options) => {
      try {
        const db = projectDbOrExplain(services);
        const input = options.input;
        const mistake = findMistake(db, services.student(), {
          ...(input.problemId !== undefined ? { problemId: input.problemId } : {}),
          ...(input.sourceId ? { sourceId: input.sourceId } : {}),
        });
        const item = mistake?.items.find((i) => i.outputId === input.outputId);
        if (!mistake || !item) return json({ error: `No output ${input.outputId} on mistake ${input.sourceId ?? input.problemId}.` });
        const key = input.action === 'accept' ? 'a' : input.action === 'reject' ? 'x' : 'e';
        const message = `Suggested by a chat agent: ${input.action} ${item.teacher}'s ${item.kind}${input.reason ? ` (${input.reason.slice(0, 300)})` : ''}. Press ${key} to do it, or decide otherwise.`;
        const opened = await vscode.commands.executeCommand<boolean>('mapd.curation.showSuggestion', {
          problemId: mistake.problemId,
          outputId: item.outputId,
          message,
        });
        return json({
          opened,
          problemId: mistake.problemId,
          outputId: item.outputId,
          decided: false,
          note: 'The curator decides in the panel; no decision was written.',
        });
      } catch (error) {
        return json({ error: describeError(error) });
      }
    },
  }),
];
