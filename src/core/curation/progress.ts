import type { CuratedKind, Decision } from '../model.ts';
import type { Db } from '../store/db.ts';
import { allCurationStates, decidedOutputCount } from '../store/events.ts';
import { mistakeSettled } from './items.ts';
import { mistakeTotals } from './mistakeQueries.ts';
import { CURATED_KINDS, FIRST_MISTAKES_SQL, shownWithMistake } from './mistakeIndex.ts';

/**
 * How far curation has come, counted in the glossary's words (README, Glossary) and with the
 * panel's own rules (which outputs a mistake shows, when it is settled), without building the
 * panel's index: no texts, no grading. The status bar and the Problems view read it.
 */

/** One mistake's state, for a row of the Problems view. */
export interface MistakeProgress {
  settled: boolean;
  /** Outputs the panel shows for the mistake, and how many of them have a decision in force. */
  outputs: number;
  decidedOutputs: number;
}

/** The project's state, for the status bar: "10 of 387 mistakes settled · 27 outputs decided". */
export interface CurationProgress {
  /** Mistakes the panel lists: one per mistake problem. */
  mistakes: number;
  settled: number;
  /** Teacher outputs with a decision in force, of any mistake (or none). */
  decidedOutputs: number;
}

interface ShownRow {
  problem_id: number;
  answer_id: number;
  output_id: number | null;
  kind: CuratedKind | null;
  student_answer_id: number | null;
}

/** Progress of the given mistake problems (every one when problemIds is omitted); problems that are not mistakes are absent. */
export function mistakeProgress(db: Db, problemIds?: readonly number[], student: string | null = null): Map<number, MistakeProgress> {
  const only = problemIds === undefined ? '' : 'WHERE first.problem_id IN (SELECT value FROM json_each(@ids))';
  const rows = db
    .prepare(
      `SELECT first.problem_id, first.id AS answer_id, o.id AS output_id, o.kind, o.student_answer_id
      FROM (${FIRST_MISTAKES_SQL}) first
      LEFT JOIN teacher_outputs o ON o.problem_id = first.problem_id AND o.kind IN ${CURATED_KINDS}
      ${only} ORDER BY first.problem_id, o.id`,
    )
    .all(problemIds === undefined ? { student } : { ids: JSON.stringify(problemIds), student }) as ShownRow[];
  const states = allCurationStates(db);
  const byProblem = new Map<number, { critiques: { decision: Decision }[]; rationales: { decision: Decision }[] }>();
  for (const row of rows) {
    let entry = byProblem.get(row.problem_id);
    if (!entry) byProblem.set(row.problem_id, (entry = { critiques: [], rationales: [] }));
    if (row.output_id === null || row.kind === null || !shownWithMistake({ kind: row.kind, student_answer_id: row.student_answer_id }, row.answer_id)) continue;
    const item = { decision: states.get(row.output_id)?.decision ?? 'undecided' };
    (row.kind === 'critique' ? entry.critiques : entry.rationales).push(item);
  }
  const progress = new Map<number, MistakeProgress>();
  for (const [problemId, { critiques, rationales }] of byProblem) {
    const items = [...critiques, ...rationales];
    progress.set(problemId, {
      settled: mistakeSettled(critiques, rationales),
      outputs: items.length,
      decidedOutputs: items.filter((i) => i.decision !== 'undecided').length,
    });
  }
  return progress;
}

/** A mistake's curation in the glossary's words, for its Problems row: "✓ settled", "3 of 6 decided", or nothing before the first decision. */
export function progressMark(progress: MistakeProgress | undefined): string | undefined {
  if (!progress || progress.decidedOutputs === 0) return undefined;
  return progress.settled ? '✓ settled' : `${progress.decidedOutputs} of ${progress.outputs} decided`;
}

const int = (n: number): string => n.toLocaleString('en-US');

/** "10 of 387 mistakes settled · 27 outputs decided": the status bar's words, which the panel's "10 of 387 mistakes settled" shares. */
export function progressLine(progress: CurationProgress): string {
  const { mistakes, settled, decidedOutputs } = progress;
  return `${int(settled)} of ${int(mistakes)} mistake${mistakes === 1 ? '' : 's'} settled · ${int(decidedOutputs)} output${decidedOutputs === 1 ? '' : 's'} decided`;
}

/** The status bar's figures: the scope's row of mistake_totals (kept by the store's triggers), whatever the project's size. */
export function curationProgress(db: Db, student: string | null = null): CurationProgress {
  const { mistakes, settled } = mistakeTotals(db, student);
  return { mistakes, settled, decidedOutputs: decidedOutputCount(db) };
}

/** Settled mistakes alone (the panel counts its mistakes itself). */
export function settledMistakes(db: Db, student: string | null = null): number {
  return mistakeTotals(db, student).settled;
}
