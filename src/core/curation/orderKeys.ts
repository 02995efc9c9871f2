import type { CuratedKind, Problem } from '../model.ts';
import type { Db } from '../store/db.ts';
import { cachedStatement, inTransaction } from '../store/db.ts';
import { aggregateScores, PAPER_RULE } from '../ranking.ts';
import { rationaleAnswer } from '../tasks/grade.ts';
import { getTask } from '../tasks/index.ts';
import type { MistakeOrder } from './view.ts';
import { CURATED_KINDS } from './mistakeIndex.ts';
import { wrongStepMarks } from './stepMarks.ts';

/**
 * The queue's order keys (issue 12): one row per mistake (a wrong student answer) in
 * mistake_order_keys, a column per order, each indexed with the problem id so every order is an
 * ORDER BY over an index (migration 8 -> 9). The keys are computed here in JS (the grading and the step
 * checker are JS) from the teachers' original texts and the peer reviews only — never from
 * decisions or edits — so the queue does not reshuffle under the curator while they work.
 *
 * Triggers put a problem in mistake_order_stale whenever its answers, its outputs or their reviews
 * are written, by any connection (the CLI, an import, another window); refreshOrderKeys recomputes
 * the keys of its mistakes before an ordered query reads them.
 */

/** Each order but problem order: its sort column (ascending; ties by problem id) and that column's index. */
export const ORDER_COLUMNS: Record<Exclude<MistakeOrder, 'problem'>, { column: string; index: string }> = {
  disagreement: { column: 'by_disagreement', index: 'mistake_order_by_disagreement' },
  threshold: { column: 'by_threshold', index: 'mistake_order_by_threshold' },
  answers: { column: 'by_answers', index: 'mistake_order_by_answers' },
  wrongSteps: { column: 'by_wrong_steps', index: 'mistake_order_by_wrong_steps' },
};

/** The sort value of a mistake with no key of that kind (no output with two valid scores, none scored): after every real key. */
export const NO_KEY = 1e9;

/** One shown output as the keys read it: its original text, stored grade and peer scores. */
export interface KeyedOutput {
  kind: CuratedKind;
  text: string;
  extractedAnswer: string | null;
  correct: boolean | null;
  scores: (number | null)[];
}

/** A mistake's keys, as the orders mean them (natural values; null: no such key). */
export interface OrderKeys {
  /** Largest peer-score spread (max − min valid score) among outputs with ≥ 2 valid scores. */
  spread: number | null;
  /** Smallest |mean valid score − the paper rule's threshold| among outputs with ≥ 1 valid score. */
  thresholdDistance: number | null;
  /** Distinct final answers the rationales reach (as the task extracts and compares them); no answer is none. */
  answers: number;
  /** Outputs whose text has a wrong arithmetic step (the wrong-step filter's rule). */
  wrongSteps: number;
}

type GradedProblem = Pick<Problem, 'task' | 'goldAnswer' | 'options'>;

/** The keys of one mistake from its problem, its student's output and the outputs shown with it. */
export function orderKeys(problem: GradedProblem, studentOutput: string, outputs: readonly KeyedOutput[]): OrderKeys {
  let spread: number | null = null;
  let thresholdDistance: number | null = null;
  let wrongSteps = 0;
  let studentMarks: ReturnType<typeof wrongStepMarks> | undefined;
  const answers: string[] = [];
  const task = getTask(problem.task);
  for (const output of outputs) {
    const verdict = aggregateScores(output.scores, PAPER_RULE);
    if (verdict.validScores >= 2) spread = Math.max(spread ?? 0, verdict.spread);
    if (verdict.score !== null) thresholdDistance = Math.min(thresholdDistance ?? Infinity, Math.abs(verdict.score - PAPER_RULE.threshold));
    // A critique's quotes of the student's own wrong steps do not count (mistakeQueries.ts, mapd_has_wrong_step).
    const quoted = output.kind === 'critique' ? (studentMarks ??= wrongStepMarks(studentOutput)) : [];
    if (wrongStepMarks(output.text, quoted).length > 0) wrongSteps++;
    if (output.kind === 'rationale') {
      const { extracted } = rationaleAnswer(problem, output, null);
      if (extracted !== null && !answers.some((seen) => task.isCorrect(extracted, seen, problem))) answers.push(extracted);
    }
  }
  return { spread, thresholdDistance, answers: answers.length, wrongSteps };
}

/** The stored sort values: every column ascends in the order's direction, missing keys last. */
export function sortValues(keys: OrderKeys): Record<Exclude<MistakeOrder, 'problem'>, number> {
  return {
    disagreement: keys.spread === null ? NO_KEY : -keys.spread,
    threshold: keys.thresholdDistance ?? NO_KEY,
    answers: -keys.answers,
    wrongSteps: -keys.wrongSteps,
  };
}

interface MistakeRow {
  id: number;
  raw_output: string;
  task: string;
  gold_answer: string;
  options: string | null;
}

interface OutputRow {
  kind: CuratedKind;
  text: string;
  extracted_answer: string | null;
  correct: number | null;
  scores: string;
}

/** Problems recomputed per transaction: short write locks, so a decision from another window waits little. */
const BATCH = 2000;
/** Stale problems up to one batch are refreshed on the spot before an ordered query; more go to a worker (orderFill.ts). */
export const SYNC_REFRESH_LIMIT = BATCH;

/** How many problems wait for their mistakes' keys (after the migration: every one of an existing project). */
export function staleOrderKeys(db: Db): number {
  return cachedStatement(db, 'SELECT COUNT(*) FROM mistake_order_stale').pluck().get() as number;
}

/** Whether more problems are stale than a synchronous refresh takes (a bounded count: at most one batch and one read). */
export function manyStaleOrderKeys(db: Db): boolean {
  return (
    (cachedStatement(db, 'SELECT COUNT(*) FROM (SELECT 1 FROM mistake_order_stale LIMIT @over)')
      .pluck()
      .get({ over: BATCH + 1 }) as number) > BATCH
  );
}

/**
 * Recomputes the keys of the mistakes of every problem marked stale, in batches of one transaction
 * each; a no-op (one indexed read) when nothing is stale. onProgress hears (done, total) problems
 * after each batch; the count of problems done is returned.
 */
export function refreshOrderKeys(db: Db, onProgress?: (done: number, total: number) => void): number {
  if (cachedStatement(db, 'SELECT 1 FROM mistake_order_stale LIMIT 1').get() === undefined) return 0;
  const total = staleOrderKeys(db);
  const take = cachedStatement(db, 'SELECT problem_id FROM mistake_order_stale ORDER BY problem_id LIMIT @limit').pluck();
  const mistakes = cachedStatement(
    db,
    'SELECT a.id, a.raw_output, p.task, p.gold_answer, p.options FROM student_answers a JOIN problems p ON p.id = a.problem_id WHERE a.problem_id = ? AND a.correct = 0',
  );
  // The outputs the panel shows with the mistake (mistakeQueries.ts, SHOWN), with their scores.
  const shown = cachedStatement(
    db,
    `SELECT o.kind, o.text, o.extracted_answer, o.correct, (SELECT json_group_array(r.score) FROM peer_reviews r WHERE r.output_id = o.id) AS scores
    FROM teacher_outputs o WHERE o.problem_id = @problemId AND o.kind IN ${CURATED_KINDS}
      AND (o.kind = 'rationale' OR o.student_answer_id IS NULL OR o.student_answer_id = @answerId)`,
  );
  const write = cachedStatement(
    db,
    `INSERT OR REPLACE INTO mistake_order_keys (answer_id, problem_id, by_disagreement, by_threshold, by_answers, by_wrong_steps)
    VALUES (@answerId, @problemId, @disagreement, @threshold, @answers, @wrongSteps)`,
  );
  // Keys of answers no longer wrong (regraded, moved): the problem's rows not written this time.
  const dropOthers = cachedStatement(
    db,
    'DELETE FROM mistake_order_keys WHERE problem_id = @problemId AND answer_id NOT IN (SELECT value FROM json_each(@kept))',
  );
  const done = cachedStatement(db, 'DELETE FROM mistake_order_stale WHERE problem_id = ?');
  let count = 0;
  for (;;) {
    const batch = inTransaction(db, () => {
      const ids = take.all({ limit: BATCH }) as number[];
      for (const problemId of ids) {
        const rows = mistakes.all(problemId) as MistakeRow[];
        for (const row of rows) {
          const problem: GradedProblem = { task: row.task as Problem['task'], goldAnswer: row.gold_answer };
          if (row.options !== null) problem.options = JSON.parse(row.options) as string[];
          const outputs = (shown.all({ problemId, answerId: row.id }) as OutputRow[]).map((o) => ({
            kind: o.kind,
            text: o.text,
            extractedAnswer: o.extracted_answer,
            correct: o.correct === null ? null : o.correct === 1,
            scores: JSON.parse(o.scores) as (number | null)[],
          }));
          write.run({ answerId: row.id, problemId, ...sortValues(orderKeys(problem, row.raw_output, outputs)) });
        }
        dropOthers.run({ problemId, kept: JSON.stringify(rows.map((r) => r.id)) });
        done.run(problemId);
      }
      return ids.length;
    });
    count += batch;
    if (batch > 0) onProgress?.(Math.min(count, total), Math.max(count, total));
    if (batch < BATCH) return count;
  }
}
