import * as vscode from 'vscode';
import path from 'node:path';
import type { ExportFormatChoice, ExportOptions, ExportSummary } from '../../core/export/export.ts';
import { EXPORT_FORMATS, exportTargets, exportTrainingSet, exportedMistakes } from '../../core/export/export.ts';
import type { Services } from '../services.ts';
import type { CommandArgs } from '../common/commands.ts';
import { booleanArg, oneOfArg, stringArg } from '../common/commands.ts';
import type { TeamRule } from '../../core/team/settle.ts';
import { DEFAULT_TEAM_RULE, TEAM_RULES } from '../../core/team/settle.ts';
import { showInfo } from '../common/notify.ts';
import { countReporter, withCancellableProgress } from '../common/progress.ts';
import { projectDb, required, requireFolder } from '../common/run.ts';

/** The argument object that runs the export without dialogs (scripts, tests). */
export interface ExportArgs extends Omit<ExportOptions, 'rule' | 'grade'> {
  format: ExportFormatChoice;
  /** A file, or for "all" a folder; relative paths are taken from the workspace folder. */
  out: string;
}

const FORMATS: readonly ExportFormatChoice[] = [...EXPORT_FORMATS, 'all'];
const FLAGS = ['includePeerAccepted', 'allAccepted', 'includeCorrect', 'keepInconsistent', 'includeTruncated'] as const;

/** A scripted call's arguments, checked. */
export function exportArgs(args: CommandArgs): ExportArgs {
  const chosen: ExportArgs = { format: oneOfArg(args, 'format', FORMATS), out: stringArg(args, 'out', { required: true, expected: 'a file or folder path' }) };
  for (const flag of FLAGS) if (booleanArg(args, flag)) chosen[flag] = true;
  const system = stringArg(args, 'system', { empty: true });
  if (system !== undefined) chosen.system = system;
  if (args.teamRule !== undefined && args.teamRule !== null) chosen.teamRule = oneOfArg(args, 'teamRule', TEAM_RULES);
  return chosen;
}

const FORMAT_PICKS: (vscode.QuickPickItem & { format: ExportFormatChoice })[] = [
  {
    label: 'Dataset folder (every format + dataset card)',
    description: 'into a folder',
    detail: 'All the files below and a README.md that Hugging Face datasets and the Hub read: load_dataset(folder, "prompt_completion").',
    format: 'all',
  },
  {
    label: 'MAPD two-task (JSON Lines)',
    description: 'instruction / input / output + task',
    detail: 'Per mistake a rationale and a feedback example, with provenance; the alpaca columns LLaMA-Factory reads.',
    format: 'mapd',
  },
  {
    label: 'Prompt / completion (JSON Lines)',
    description: '{"prompt": [...], "completion": [...]}',
    detail: "TRL's conversational prompt/completion: SFTTrainer trains on it as is; provenance in a .provenance.jsonl beside it.",
    format: 'prompt-completion',
  },
  {
    label: 'Chat (JSON Lines)',
    description: '{"messages": [...]}',
    detail: 'For OpenAI fine-tuning and TRL SFTTrainer as is; provenance goes to a .provenance.jsonl beside it.',
    format: 'chat',
  },
  {
    label: 'Preference pairs (JSON Lines)',
    description: '{"prompt", "chosen", "rejected"}',
    detail: "The human's picks over rejected items and edits over the teachers' texts, for TRL's DPOTrainer / ORPOTrainer.",
    format: 'preference',
  },
  {
    label: 'Curated records (JSON Lines)',
    description: 'every decision with provenance',
    detail: 'Re-importable: the decisions themselves.',
    format: 'records',
  },
];

const OPTION_PICKS: (vscode.QuickPickItem & { flag: (typeof FLAGS)[number] })[] = [
  {
    label: 'Include peer-accepted items',
    detail: 'Also items the reviewers accepted and no human decided (a human rejection always wins).',
    flag: 'includePeerAccepted',
  },
  { label: 'Every accepted item per mistake', detail: 'Not only the top-ranked accepted rationale and critique.', flag: 'allAccepted' },
  { label: 'Include problems the student got right', detail: 'Their accepted rationales become rationale examples too.', flag: 'includeCorrect' },
  { label: 'Keep rationales whose answer differs from gold', detail: 'Flagged in provenance instead of left out.', flag: 'keepInconsistent' },
  { label: 'Include outputs cut at max tokens', detail: 'Truncated teacher answers a human did not edit are left out otherwise.', flag: 'includeTruncated' },
];

async function askArgs(): Promise<ExportArgs> {
  const folder = requireFolder();
  const format = required(await vscode.window.showQuickPick(FORMAT_PICKS, { title: 'Export Training Set (1/3): format', ignoreFocusOut: true })).format;
  const picked = required(
    await vscode.window.showQuickPick(OPTION_PICKS, {
      title: 'Export Training Set (2/3): options (none = human-accepted and edited, top-ranked, answer-consistent)',
      canPickMany: true,
      ignoreFocusOut: true,
    }),
  );
  const args: ExportArgs = { format, out: '' };
  for (const pick of picked) args[pick.flag] = true;
  const defaultUri = vscode.Uri.joinPath(folder.uri, 'training', format === 'all' ? '' : `${format}.jsonl`);
  if (format === 'all') {
    const chosen = required(
      await vscode.window.showOpenDialog({
        title: 'Export Training Set (3/3): folder for the dataset',
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        defaultUri: folder.uri,
        openLabel: 'Export Here',
      }),
    );
    args.out = required(chosen[0]).fsPath;
  } else {
    args.out = required(
      await vscode.window.showSaveDialog({ title: 'Export Training Set (3/3): file', defaultUri, filters: { 'JSON Lines': ['jsonl'] }, saveLabel: 'Export' }),
    ).fsPath;
  }
  return args;
}

export function summaryMessage(summary: ExportSummary): string {
  const c = summary.counts;
  const mistakes = exportedMistakes(c);
  const parts = [`Exported ${c.rationaleExamples} rationale and ${c.feedbackExamples} feedback examples from ${mistakes} mistake${mistakes === 1 ? '' : 's'}`];
  if (c.correctProblemRationales > 0) parts.push(`${c.correctProblemRationales} of the rationales from problems the student got right`);
  if (summary.files.some((f) => f.format === 'records')) parts.push(`${c.records} curated records`);
  const left = [`${c.excludedInconsistent} rationales left out because their answer differs from gold`];
  if (c.keptInconsistent > 0) left.push(`${c.keptInconsistent} kept and flagged although their answer differs`);
  if (c.rejected > 0) left.push(`${c.rejected} rejected`);
  if (summary.files.some((f) => f.format === 'preference'))
    parts.push(`${c.pairsFromRejections + c.pairsFromEdits} preference pairs (${c.pairsFromRejections} over rejected items, ${c.pairsFromEdits} edits)`);
  return `${parts.join('; ')}. ${left.join(', ')}.`;
}

/**
 * "MAPD: Export Training Set…": format, options and target from dialogs, or all from an argument
 * object; a cancellable progress notification; the summary with the counts. Returns the summary.
 */
export async function exportCommand(services: Services, args: ExportArgs | undefined): Promise<ExportSummary> {
  const interactive = args === undefined;
  const db = projectDb(services, false);
  const chosen = args ?? (await askArgs());
  const out = path.resolve(requireFolder().uri.fsPath, chosen.out);
  const { format, out: _out, ...options } = chosen;
  // With synced team decisions, the setting says how unadjudicated items are settled (a script may pass teamRule).
  options.teamRule ??= vscode.workspace.getConfiguration('mapd').get<TeamRule>('teamRule') ?? DEFAULT_TEAM_RULE;
  const summary = await withCancellableProgress('MAPD: exporting the training set', (progress, signal) =>
    exportTrainingSet(
      db,
      exportTargets(format, out),
      { ...options, card: { project: path.basename(requireFolder().uri.fsPath) } },
      { signal, onProgress: countReporter(progress, 'problems') },
    ),
  );
  const message = summaryMessage(summary);
  services.log.info(`export (${format}) to ${out}: ${message}`);
  if (interactive) {
    const first = summary.files[0];
    void showInfo(message, 'Open File').then((choice) => {
      if (choice === 'Open File' && first) void vscode.window.showTextDocument(vscode.Uri.file(first.path), { preview: true });
    });
  }
  return summary;
}
