import path from 'node:path';
import type { ExportFormatChoice, ExportSummary } from '../core/export/export.ts';
import { EXPORT_FORMATS, exportTargets, exportTrainingSet, exportedMistakes, projectName } from '../core/export/export.ts';
import { PAIR_SOURCES, parsePairSources } from '../core/export/preference.ts';
import { openStore } from '../core/store/db.ts';
import type { TeamRule } from '../core/team/settle.ts';
import { DEFAULT_TEAM_RULE, TEAM_RULES } from '../core/team/settle.ts';
import type { CliCommand, CliIo } from './command.ts';
import { DB_HELP, DB_OPTION, dbPath, shownPath, stringValue, usageError } from './options.ts';

const FORMATS: readonly ExportFormatChoice[] = [...EXPORT_FORMATS, 'all'];

/** The summary a person reads after an export: files, what is in them, what was left out and why. */
export function formatExportSummary(summary: ExportSummary, io: CliIo): string {
  const c = summary.counts;
  const lines = summary.files.map((f) => `wrote ${String(f.rows).padStart(6)} rows  ${shownPath(f.path, io)}`);
  lines.push(
    '',
    `mistakes          ${exportedMistakes(c)} of ${c.mistakeProblems} exported (${c.mistakesWithRationale} with a rationale example, ${c.mistakesWithFeedback} with a feedback example, ${c.mistakesWithBoth} with both)`,
    `examples          ${c.rationaleExamples} rationale, ${c.feedbackExamples} feedback (${c.fromHumanAccept} human-accepted, ${c.fromHumanEdit} edited, ${c.fromPeerOnly} committee-only)`,
    `left out          ${c.excludedInconsistent} rationales whose answer differs from gold, ${c.rejected} rejected, ${c.notTopRanked} not top-ranked, ${c.excludedEmpty} blank`,
  );
  if (summary.files.some((f) => f.format === 'preference')) {
    lines.push(
      `pairs             ${c.pairsFromRejections + c.pairsFromEdits} preference pairs (${c.pairsFromRejections} a human's pick over a rejected item, ${c.pairsFromEdits} a human edit over the teacher's text; ${c.pairsSkipped} left out as identical or blank)`,
    );
  }
  if (c.keptInconsistent > 0)
    lines.push(`flagged           ${c.keptInconsistent} kept rationales whose answer differs from gold (provenance.answer.consistent = false)`);
  if (c.correctProblemRationales > 0) lines.push(`correct problems  ${c.correctProblemRationales} rationale examples of problems the student got right`);
  if (c.rationaleExamples + c.feedbackExamples === 0)
    lines.push('', 'note: no example qualified; accept items in the curation panel, or pass --include-peer-accepted');
  return `${lines.join('\n')}\n`;
}

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write the curated training set (MAPD two-task, chat, or the curated records)',
  help: `Usage: mapd export --format ${FORMATS.join('|')} --out PATH [options] [--db PATH]

Writes the curated training set. Per curated mistake: a rationale example (question -> rationale)
and a feedback example (question + the student's wrong answer + the gold answer as a hint ->
feedback), the MAPD paper's two training tasks. Every row carries its provenance. Files are
written to a temporary file and renamed into place: an interrupted export leaves the previous
file as it was.

Formats:
  mapd               JSON Lines {"instruction", "input", "output", "task": "rationale"|"feedback",
                     "provenance"} (alpaca columns: LLaMA-Factory)
  prompt-completion  {"prompt": [messages], "completion": [assistant]}: TRL SFTTrainer as is
  chat               {"messages": [{"role", "content"}...]}: OpenAI fine-tuning, TRL SFTTrainer
  preference         {"prompt", "chosen", "rejected"} pairs from the human's decisions: TRL
                     DPOTrainer / ORPOTrainer (see --pairs)
  records            every curated output with its decision and provenance (re-importable)
  all                every format into the folder PATH, with a dataset card (README.md) that
                     Hugging Face datasets and the Hub read: load_dataset(PATH, "chat")
  prompt-completion, chat and preference keep their provenance line by line in
  <name>.provenance.jsonl, so the training file holds only what a trainer reads.

Options:
  --format F               mapd, chat, records or all (default all)
  --out PATH               the file (or, for all, the folder) to write
  --include-peer-accepted  also items the peer reviewers accepted and no human decided
  --all-accepted           every accepted item per mistake, not only the top-ranked one
  --include-correct        also rationales of problems the student answered correctly
  --keep-inconsistent      keep rationales whose answer differs from gold (flagged) instead of
                           leaving them out
  --include-truncated      also outputs cut at the teacher's max tokens (left out unless edited)
  --system TEXT            a system message for every conversational row
  --pairs LIST             preference pairs from: rejection (a human's pick over a rejected item
                           of the same slot), edit (a human edit over the teacher's text); default
                           ${PAIR_SOURCES.join(',')}
  --team-rule RULE         after \`mapd sync\` brought in the team's decisions: how an item no
                           adjudicator settled is settled: majority (more than half of the curators
                           who decided it; the default), unanimous (two or more, all the same),
                           mine (this database's own decisions). See docs/export.md
${DB_HELP}

Example:
  mapd export --format all --out training/ --db work/.mapd/curation.db
`,
  options: {
    ...DB_OPTION,
    format: { type: 'string' },
    out: { type: 'string' },
    'include-peer-accepted': { type: 'boolean' },
    'all-accepted': { type: 'boolean' },
    'include-correct': { type: 'boolean' },
    'keep-inconsistent': { type: 'boolean' },
    'include-truncated': { type: 'boolean' },
    system: { type: 'string' },
    pairs: { type: 'string' },
    'team-rule': { type: 'string' },
  },
  async run(args, io) {
    const format = (stringValue(args, 'format') ?? 'all') as ExportFormatChoice;
    if (!FORMATS.includes(format)) return usageError(io, 'export', `unknown format "${format}" (use ${FORMATS.join(', ')})`);
    const out = stringValue(args, 'out');
    if (!out) return usageError(io, 'export', 'give --out PATH');
    const system = stringValue(args, 'system');
    const pairs = parsePairSources(stringValue(args, 'pairs') ?? PAIR_SOURCES.join(','));
    if (pairs.unknown.length > 0) return usageError(io, 'export', `unknown pair source "${pairs.unknown[0]}" (use ${PAIR_SOURCES.join(', ')})`);
    const teamRule = (stringValue(args, 'team-rule') ?? DEFAULT_TEAM_RULE) as TeamRule;
    if (!TEAM_RULES.includes(teamRule)) return usageError(io, 'export', `unknown team rule "${teamRule}" (use ${TEAM_RULES.join(', ')})`);
    const file = dbPath(args, io);
    const db = openStore(file, { readonly: true });
    try {
      const summary = await exportTrainingSet(db, exportTargets(format, path.resolve(io.cwd, out)), {
        includePeerAccepted: args.values['include-peer-accepted'] === true,
        allAccepted: args.values['all-accepted'] === true,
        includeCorrect: args.values['include-correct'] === true,
        keepInconsistent: args.values['keep-inconsistent'] === true,
        includeTruncated: args.values['include-truncated'] === true,
        pairs: [...pairs.sources],
        card: { project: projectName(file) },
        teamRule,
        ...(system === undefined ? {} : { system }),
      });
      io.stdout(formatExportSummary(summary, io));
      return 0;
    } finally {
      db.close();
    }
  },
};
