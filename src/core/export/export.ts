import path from 'node:path';
import { Cancelled, UserError } from '../errors.ts';
import type { CurationState } from '../model.ts';
import type { Db } from '../store/db.ts';
import type { AtomicFile } from './atomicFile.ts';
import { openAtomicFile } from './atomicFile.ts';
import { bundleCount, problemBundles } from './bundles.ts';
import { writeDatasetCard } from './card.ts';
import type { PairCounts, PairSource } from './preference.ts';
import { PAIR_SOURCES, preferencePairs } from './preference.ts';
import { assistant, chatRow, curationRecord, mapdRow, promptCompletionRow, promptMessages, provenanceOf, trainingTask } from './rows.ts';
import type { ExportFormat } from './schema.ts';
import { FILE_SCHEMAS, exportLine, hasSidecar, sidecarPath } from './schema.ts';
import type { BundleSelection, SelectionOptions } from './select.ts';
import { selectBundle, selectionOptions } from './select.ts';
import type { TeamRule } from '../team/settle.ts';
import { settledStates } from '../team/settle.ts';

export type { ExportFormat } from './schema.ts';
/** In the order a folder export lists them. */
export const EXPORT_FORMATS = Object.keys(FILE_SCHEMAS) as readonly ExportFormat[];
export type ExportFormatChoice = ExportFormat | 'all';
/** A written file: a format's own, or the provenance sidecar beside one. */
export type ExportFileKind = ExportFormat | `${ExportFormat}-provenance`;

/** The file each chosen format goes to. */
export type ExportTargets = Partial<Record<ExportFormat, string>>;

export interface ExportOptions extends Partial<SelectionOptions> {
  /** A system message for every conversational row (chat, prompt/completion, preference); none by default. */
  system?: string;
  /** Write the provenance of chat, prompt/completion and preference rows to `<name>.provenance.jsonl` (line-aligned). Default true. */
  chatProvenance?: boolean;
  /** Which preference pairs to write: a human's pick over a rejected item of the slot, a human edit over the teacher's text. Default both. */
  pairs?: readonly PairSource[];
  /** For a folder export ("all"): the dataset card's description of where the data came from. */
  card?: { project: string };
  /** With synced team decisions: how an item no adjudicator settled is settled (default majority; docs/export.md). */
  teamRule?: TeamRule;
}

/** The bundles' decision states: the team's settled ones when the team's decisions were synced, else the local log's. */
function decisionStates(db: Db, options: ExportOptions): { states?: Map<number, CurationState> } {
  const states = settledStates(db, options.teamRule);
  return states ? { states } : {};
}

export interface ExportRun {
  /** Called after each page of problems with problems done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting stops the export and leaves every target as it was. */
  signal?: AbortSignal;
}

/** What the exported set holds and what was left out, with the reason. */
export interface ExportCounts {
  /** Problems with critiques or rationales. */
  problems: number;
  mistakeProblems: number;
  /** Wrong student answers (a problem answered wrongly by two students is two mistakes). */
  mistakes: number;
  correctProblems: number;
  unansweredProblems: number;
  rationaleExamples: number;
  feedbackExamples: number;
  /** Of the mistake problems: with a rationale example; with a feedback example; with both. */
  mistakesWithRationale: number;
  mistakesWithFeedback: number;
  mistakesWithBoth: number;
  /** Rationale examples of problems the student got right (includeCorrect). */
  correctProblemRationales: number;
  /** Accepted rationales left out because their answer differs from gold. */
  excludedInconsistent: number;
  /** Rationales exported although their answer differs from gold (keepInconsistent), flagged. */
  keptInconsistent: number;
  excludedEmpty: number;
  notTopRanked: number;
  rejected: number;
  /** Exported examples by how they got in. */
  fromHumanAccept: number;
  fromHumanEdit: number;
  fromPeerOnly: number;
  /** Lines of the records file: every output with a human decision or in the training set. */
  records: number;
  /** Preference pairs by source, and pairs left out because both sides read the same (or one is blank). */
  pairsFromRejections: number;
  pairsFromEdits: number;
  pairsSkipped: number;
}

export interface ExportSummary {
  files: { format: ExportFileKind; path: string; rows: number }[];
  counts: ExportCounts;
}

export function emptyCounts(): ExportCounts {
  return {
    problems: 0,
    mistakeProblems: 0,
    mistakes: 0,
    correctProblems: 0,
    unansweredProblems: 0,
    rationaleExamples: 0,
    feedbackExamples: 0,
    mistakesWithRationale: 0,
    mistakesWithFeedback: 0,
    mistakesWithBoth: 0,
    correctProblemRationales: 0,
    excludedInconsistent: 0,
    keptInconsistent: 0,
    excludedEmpty: 0,
    notTopRanked: 0,
    rejected: 0,
    fromHumanAccept: 0,
    fromHumanEdit: 0,
    fromPeerOnly: 0,
    records: 0,
    pairsFromRejections: 0,
    pairsFromEdits: 0,
    pairsSkipped: 0,
  };
}

/** Mistake problems with at least one exported example (README, Glossary: the panel's "mistakes"). */
export function exportedMistakes(counts: ExportCounts): number {
  return counts.mistakesWithRationale + counts.mistakesWithFeedback - counts.mistakesWithBoth;
}

/** Adds one problem's selection to the counts. */
export function tally(counts: ExportCounts, selection: BundleSelection): void {
  counts.problems++;
  if (selection.role === 'mistake') {
    counts.mistakeProblems++;
    counts.mistakes += selection.wrongAnswers.length;
  } else if (selection.role === 'correct') counts.correctProblems++;
  else counts.unansweredProblems++;
  let rationales = 0;
  let feedback = 0;
  for (const item of selection.items) {
    if (item.human !== 'undecided' || item.selected) counts.records++;
    if (item.exclusion === 'answer-inconsistent') counts.excludedInconsistent++;
    else if (item.exclusion === 'empty-text') counts.excludedEmpty++;
    else if (item.exclusion === 'not-top-ranked') counts.notTopRanked++;
    else if (item.exclusion === 'rejected') counts.rejected++;
    if (!item.selected) continue;
    if (trainingTask(item) === 'rationale') {
      rationales++;
      if (item.answer && !item.answer.reachesGold) counts.keptInconsistent++;
    } else feedback++;
    if (item.human === 'accepted') counts.fromHumanAccept++;
    else if (item.human === 'edited') counts.fromHumanEdit++;
    else counts.fromPeerOnly++;
  }
  counts.rationaleExamples += rationales;
  counts.feedbackExamples += feedback;
  if (selection.role === 'mistake') {
    if (rationales > 0) counts.mistakesWithRationale++;
    if (feedback > 0) counts.mistakesWithFeedback++;
    if (rationales > 0 && feedback > 0) counts.mistakesWithBoth++;
  } else counts.correctProblemRationales += rationales;
}

/** The files of a format choice: a file path for one format; for "all", a folder holding each. */
export function exportTargets(choice: ExportFormatChoice, out: string): ExportTargets {
  if (choice === 'all') return Object.fromEntries(EXPORT_FORMATS.map((f) => [f, path.join(out, FILE_SCHEMAS[f].file)]));
  return { [choice]: out };
}

/** The name a dataset card gives the project: its folder for `<folder>/.mapd/curation.db`, else the file's name. */
export function projectName(dbFile: string): string {
  const resolved = path.resolve(dbFile);
  const dir = path.dirname(resolved);
  return path.basename(dir) === '.mapd' ? path.basename(path.dirname(dir)) : path.basename(resolved, path.extname(resolved));
}

/** Where the provenance of a chat (or prompt/completion, preference) file goes. */
export const chatProvenancePath = sidecarPath;

/** The folder export's targets, when these are exactly they: the dataset card goes beside them. */
function datasetFolder(targets: ExportTargets): string | undefined {
  const folder = targets.mapd === undefined ? undefined : path.dirname(path.resolve(targets.mapd));
  if (folder === undefined) return undefined;
  const all = exportTargets('all', folder);
  return EXPORT_FORMATS.every((f) => targets[f] !== undefined && path.resolve(targets[f] as string) === path.resolve(all[f] as string)) ? folder : undefined;
}

/** Every problem's selection under the options, with no file written (statistics, previews). */
export function* selections(db: Db, options: ExportOptions = {}): Generator<BundleSelection> {
  const selection = selectionOptions(options);
  for (const bundle of problemBundles(db, { rule: selection.rule, ...decisionStates(db, options) })) yield selectBundle(bundle, selection);
}

export function countSelection(db: Db, options: ExportOptions = {}): ExportCounts {
  const counts = emptyCounts();
  for (const selection of selections(db, options)) tally(counts, selection);
  return counts;
}

/**
 * Writes the curated training set in the chosen formats in one pass over the project, page by
 * page, each file streamed to a temporary file and renamed into place only when every file is
 * complete. On any error or abort every target keeps its previous content.
 */
export async function exportTrainingSet(db: Db, targets: ExportTargets, options: ExportOptions = {}, run: ExportRun = {}): Promise<ExportSummary> {
  const formats = EXPORT_FORMATS.filter((f) => targets[f] !== undefined);
  if (formats.length === 0) throw new UserError('no export format chosen', { next: 'Choose mapd, chat, records or all' });
  const chosen = new Set(Object.values(targets).map((p) => path.resolve(p)));
  if (chosen.size !== formats.length) throw new UserError('two formats would write the same file', { next: 'Give each format its own path' });

  const selectionOpts = selectionOptions(options);
  const pairSources = new Set(options.pairs ?? PAIR_SOURCES);
  const files: { format: ExportFileKind; file: AtomicFile }[] = [];
  const fileOf = (format: ExportFileKind): AtomicFile | undefined => files.find((f) => f.format === format)?.file;
  let card: AtomicFile | undefined;
  try {
    for (const format of formats) {
      files.push({ format, file: openAtomicFile(targets[format] as string) });
      if (hasSidecar(format) && (options.chatProvenance ?? true))
        files.push({ format: `${format}-provenance`, file: openAtomicFile(sidecarPath(targets[format] as string)) });
    }
    const mapd = fileOf('mapd');
    const chat = fileOf('chat');
    const promptCompletion = fileOf('prompt-completion');
    const preference = fileOf('preference');
    const records = fileOf('records');
    /** A row and, line-aligned, its provenance. */
    const writeWithSidecar = (format: ExportFormat, file: AtomicFile, row: unknown, side: Record<string, unknown>): void => {
      file.writeLine(exportLine(row));
      fileOf(`${format}-provenance`)?.writeLine(exportLine({ line: file.lines, ...side }));
    };

    const counts = emptyCounts();
    const pairCounts: PairCounts = { fromRejections: 0, fromEdits: 0, skipped: 0 };
    const total = bundleCount(db);
    let done = 0;
    for (const bundle of problemBundles(db, { rule: selectionOpts.rule, ...decisionStates(db, options) })) {
      const selection = selectBundle(bundle, selectionOpts);
      tally(counts, selection);
      for (const item of selection.items) {
        const inRecords = item.human !== 'undecided' || item.selected;
        if (!item.selected && !(records && inRecords)) continue;
        const provenance = provenanceOf(selection, item);
        if (item.selected) {
          const task = trainingTask(item);
          mapd?.writeLine(exportLine(mapdRow(selection, item, provenance)));
          if (chat) writeWithSidecar('chat', chat, chatRow(selection, item, options.system), { task, provenance });
          if (promptCompletion)
            writeWithSidecar('prompt-completion', promptCompletion, promptCompletionRow(selection, item, options.system), { task, provenance });
        }
        if (records && inRecords) records.writeLine(exportLine(curationRecord(selection, item, provenance)));
      }
      for (const pair of preferencePairs(selection, pairSources, pairCounts)) {
        const row = {
          prompt: promptMessages(selection, pair.chosen, options.system),
          chosen: assistant(pair.chosenText),
          rejected: assistant(pair.rejectedText),
        };
        if (preference)
          writeWithSidecar('preference', preference, row, {
            task: pair.task,
            pair: pair.source,
            chosen: provenanceOf(selection, pair.chosen),
            rejected: provenanceOf(selection, pair.rejected),
          });
      }
      done++;
      if (done % 250 === 0 || done === total) {
        run.onProgress?.(done, total);
        // Let the host breathe (progress, cancellation) between pages.
        await new Promise((resolve) => setImmediate(resolve));
        if (run.signal?.aborted) throw new Cancelled('export cancelled. The previous files were left as they were');
      }
    }
    if (run.signal?.aborted) throw new Cancelled('export cancelled. The previous files were left as they were');
    counts.pairsFromRejections = pairCounts.fromRejections;
    counts.pairsFromEdits = pairCounts.fromEdits;
    counts.pairsSkipped = pairCounts.skipped;
    const written = files.map(({ format, file }) => ({ format, path: file.target, rows: file.lines }));
    const folder = datasetFolder(targets);
    if (folder !== undefined) {
      card = openAtomicFile(path.join(folder, 'README.md'));
      writeDatasetCard(card, {
        folder,
        files: written,
        counts,
        options: { ...selectionOpts, pairs: [...pairSources], ...(options.system === undefined ? {} : { system: options.system }) },
        project: options.card?.project,
      });
    }
    for (const { file } of files) file.commit();
    card?.commit();
    return { files: written, counts };
  } catch (error) {
    for (const { file } of files) file.abort();
    card?.abort();
    throw error;
  }
}
