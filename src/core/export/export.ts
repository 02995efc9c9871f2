import path from 'node:path';
import { UserError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import type { AtomicFile } from './atomicFile.ts';
import { openAtomicFile } from './atomicFile.ts';
import { bundleCount, problemBundles } from './bundles.ts';
import { chatRow, curationRecord, mapdRow, provenanceOf, trainingTask } from './rows.ts';
import type { BundleSelection, SelectionOptions } from './select.ts';
import { selectBundle, selectionOptions } from './select.ts';

export type ExportFormat = 'mapd' | 'chat' | 'records';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['mapd', 'chat', 'records'];
export type ExportFormatChoice = ExportFormat | 'all';

/** The file each chosen format goes to. */
export type ExportTargets = Partial<Record<ExportFormat, string>>;

export interface ExportOptions extends Partial<SelectionOptions> {
  /** A system message for every chat row; none by default. */
  system?: string;
  /** Write the chat rows' provenance to `<chat>.provenance.jsonl` (line-aligned). Default true. */
  chatProvenance?: boolean;
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
}

export interface ExportSummary {
  files: { format: ExportFormat | 'chat-provenance'; path: string; rows: number }[];
  counts: ExportCounts;
}

export function emptyCounts(): ExportCounts {
  return {
    problems: 0, mistakeProblems: 0, mistakes: 0, correctProblems: 0, unansweredProblems: 0,
    rationaleExamples: 0, feedbackExamples: 0, mistakesWithRationale: 0, mistakesWithFeedback: 0, mistakesWithBoth: 0,
    correctProblemRationales: 0, excludedInconsistent: 0, keptInconsistent: 0, excludedEmpty: 0, notTopRanked: 0, rejected: 0,
    fromHumanAccept: 0, fromHumanEdit: 0, fromPeerOnly: 0, records: 0,
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
  if (choice === 'all') return { mapd: path.join(out, 'mapd.jsonl'), chat: path.join(out, 'chat.jsonl'), records: path.join(out, 'records.jsonl') };
  return { [choice]: out };
}

export function chatProvenancePath(chatPath: string): string {
  return chatPath.endsWith('.jsonl') ? `${chatPath.slice(0, -'.jsonl'.length)}.provenance.jsonl` : `${chatPath}.provenance.jsonl`;
}

/** Every problem's selection under the options, with no file written (statistics, previews). */
export function* selections(db: Db, options: ExportOptions = {}): Generator<BundleSelection> {
  const selection = selectionOptions(options);
  for (const bundle of problemBundles(db, { rule: selection.rule })) yield selectBundle(bundle, selection);
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
  const files: { format: ExportFormat | 'chat-provenance'; file: AtomicFile }[] = [];
  const fileOf = (format: ExportFormat | 'chat-provenance'): AtomicFile | undefined => files.find((f) => f.format === format)?.file;
  try {
    for (const format of formats) files.push({ format, file: openAtomicFile(targets[format] as string) });
    if (targets.chat !== undefined && (options.chatProvenance ?? true)) {
      files.push({ format: 'chat-provenance', file: openAtomicFile(chatProvenancePath(targets.chat)) });
    }
    const mapd = fileOf('mapd');
    const chat = fileOf('chat');
    const chatProv = fileOf('chat-provenance');
    const records = fileOf('records');

    const counts = emptyCounts();
    const total = bundleCount(db);
    let done = 0;
    for (const bundle of problemBundles(db, { rule: selectionOpts.rule })) {
      const selection = selectBundle(bundle, selectionOpts);
      tally(counts, selection);
      for (const item of selection.items) {
        const inRecords = item.human !== 'undecided' || item.selected;
        if (!item.selected && !(records && inRecords)) continue;
        const provenance = provenanceOf(selection, item);
        if (item.selected) {
          mapd?.writeLine(JSON.stringify(mapdRow(selection, item, provenance)));
          if (chat) {
            chat.writeLine(JSON.stringify(chatRow(selection, item, options.system)));
            chatProv?.writeLine(JSON.stringify({ line: chat.lines, task: trainingTask(item), provenance }));
          }
        }
        if (records && inRecords) records.writeLine(JSON.stringify(curationRecord(selection, item, provenance)));
      }
      done++;
      if (done % 250 === 0 || done === total) {
        run.onProgress?.(done, total);
        // Let the host breathe (progress, cancellation) between pages.
        await new Promise((resolve) => setImmediate(resolve));
        if (run.signal?.aborted) throw new UserError('export cancelled', { next: 'The previous files were left as they were' });
      }
    }
    if (run.signal?.aborted) throw new UserError('export cancelled', { next: 'The previous files were left as they were' });
    for (const { file } of files) file.commit();
    return { files: files.map(({ format, file }) => ({ format, path: file.target, rows: file.lines })), counts };
  } catch (error) {
    for (const { file } of files) file.abort();
    throw error;
  }
}
