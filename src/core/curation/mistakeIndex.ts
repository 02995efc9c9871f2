import type { CuratedKind, CurationState, Problem } from '../model.ts';
import type { Db } from '../store/db.ts';
import type { OutputRow } from '../store/outputs.ts';
import type { ProblemRow } from '../store/problems.ts';
import { problemFromRow } from '../store/problems.ts';
import { allCurationStates } from '../store/events.ts';
import type { StudentView } from './view.ts';
import type { OutputFacts, RankedItem } from './items.ts';
import { mistakeSettled, rankItems } from './items.ts';
import { lowerBound } from './sortedIds.ts';
import { gradeAnswer } from '../tasks/grade.ts';

/**
 * The in-memory index of every mistake in a project: enough to filter, count, rank and navigate
 * 10k mistakes without touching the database per key press. It is built with a handful of bulk
 * queries and kept current one mistake at a time as decisions are made.
 *
 * One entry per mistake problem (README, Glossary): the panel shows its first wrong answer (the
 * first mistake), the critiques of that answer and every rationale of the problem.
 */
export interface MistakeSummary {
  problemId: number;
  answerId: number;
  problem: Problem;
  student: StudentView;
  critiques: RankedItem[];
  rationales: RankedItem[];
  /** Every kind it has is settled (items.ts, mistakeSettled). */
  settled: boolean;
  /** Lower-cased question, ids, answers and every output text: what text search looks in. */
  searchText: string;
}

export interface CurationIndex {
  /** Problem ids of every mistake, ascending: the panel's order. */
  order: number[];
  byProblem: Map<number, MistakeSummary>;
  problemOfOutput: Map<number, number>;
  teachers: string[];
  settledCount: number;
  /** Whose mistakes these are: one student's, or (null) each problem's first wrong answer. */
  student: string | null;
}

/** A mistake's first wrong answer joined with its problem's columns (p.*). */
interface MistakeRow extends ProblemRow {
  answer_id: number;
  student_name: string;
  raw_output: string;
  student_extracted: string | null;
}

/** The columns OUTPUTS_SQL reads; its WHERE keeps only the curated kinds. */
type FactsRow = Omit<OutputRow, 'kind' | 'call_id' | 'source' | 'created_at'> & { kind: CuratedKind };

/**
 * The mistake the panel shows for each mistake problem (problem_id, id): the chosen student's
 * wrong answer (@student), or with no student chosen the problem's first wrong answer.
 */
export const FIRST_MISTAKES_SQL =
  'SELECT problem_id, MIN(id) AS id FROM student_answers WHERE correct = 0 AND (@student IS NULL OR student = @student) GROUP BY problem_id';

/** FIRST_MISTAKES_SQL with `extra` conditions inside the grouping (so a problem id range uses the index). */
function mistakesSql(extra: string): string {
  return `
  SELECT a.id AS answer_id, a.student AS student_name, a.raw_output, a.extracted_answer AS student_extracted, p.*
  FROM (SELECT problem_id, MIN(id) AS id FROM student_answers WHERE correct = 0 AND (@student IS NULL OR student = @student) ${extra} GROUP BY problem_id) first
  JOIN student_answers a ON a.id = first.id
  JOIN problems p ON p.id = first.problem_id`;
}

const MISTAKES_SQL = mistakesSql('');

/** The kinds a human curates, as an SQL list (CuratedKind). */
export const CURATED_KINDS = "('critique', 'rationale')";

const OUTPUTS_SQL = `SELECT id, problem_id, kind, teacher, sample, student_answer_id, text, extracted_answer, correct, truncated
  FROM teacher_outputs WHERE kind IN ${CURATED_KINDS}`;

/**
 * Whether an output of a mistake problem is one the panel shows for its first mistake: every
 * rationale, and the critiques of that wrong answer (or of none in particular). Critiques of
 * another student's wrong answer are not shown (README, Glossary).
 */
export function shownWithMistake(output: { kind: CuratedKind; student_answer_id: number | null }, answerId: number): boolean {
  return output.kind === 'rationale' || output.student_answer_id === null || output.student_answer_id === answerId;
}

const REVIEWS_SQL = 'SELECT r.output_id, r.score FROM peer_reviews r';

interface Loaded {
  mistakes: MistakeRow[];
  outputs: FactsRow[];
  reviews: { output_id: number; score: number | null }[];
  states: Map<number, CurationState>;
}

function loadAll(db: Db, student: string | null): Loaded {
  return db.transaction(() => ({
    mistakes: db.prepare(`${MISTAKES_SQL} ORDER BY p.id`).all({ student }) as MistakeRow[],
    outputs: db.prepare(`${OUTPUTS_SQL} ORDER BY problem_id, id`).all() as FactsRow[],
    reviews: db.prepare(`${REVIEWS_SQL} ORDER BY r.output_id, r.reviewer`).all() as Loaded['reviews'],
    states: allCurationStates(db),
  }))();
}

function loadOne(db: Db, problemId: number, student: string | null): Loaded {
  return db.transaction(() => ({
    mistakes: db.prepare(mistakesSql('AND problem_id = @problemId')).all({ problemId, student }) as MistakeRow[],
    outputs: db.prepare(`${OUTPUTS_SQL} AND problem_id = ? ORDER BY id`).all(problemId) as FactsRow[],
    reviews: db
      .prepare(`${REVIEWS_SQL} JOIN teacher_outputs o ON o.id = r.output_id WHERE o.problem_id = ? ORDER BY r.output_id, r.reviewer`)
      .all(problemId) as Loaded['reviews'],
    states: allCurationStates(db, problemId),
  }))();
}

function summarize(loaded: Loaded): MistakeSummary[] {
  const scores = new Map<number, (number | null)[]>();
  for (const review of loaded.reviews) {
    const list = scores.get(review.output_id);
    if (list) list.push(review.score);
    else scores.set(review.output_id, [review.score]);
  }
  const outputsByProblem = new Map<number, FactsRow[]>();
  for (const output of loaded.outputs) {
    const list = outputsByProblem.get(output.problem_id);
    if (list) list.push(output);
    else outputsByProblem.set(output.problem_id, [output]);
  }
  return loaded.mistakes.map((row) => {
    const problem = problemFromRow(row);
    const critiques: OutputFacts[] = [];
    const rationales: OutputFacts[] = [];
    for (const output of outputsByProblem.get(problem.id) ?? []) {
      if (!shownWithMistake(output, row.answer_id)) continue;
      const facts: OutputFacts = {
        outputId: output.id,
        kind: output.kind,
        teacher: output.teacher,
        sample: output.sample,
        text: output.text,
        extractedAnswer: output.extracted_answer,
        correct: output.correct === null ? null : output.correct === 1,
        scores: scores.get(output.id) ?? [],
        truncated: output.truncated === 1,
      };
      (output.kind === 'critique' ? critiques : rationales).push(facts);
    }
    const rankedCritiques = rankItems(problem, critiques, loaded.states);
    const rankedRationales = rankItems(problem, rationales, loaded.states);
    const texts = [problem.question, problem.context ?? '', ...(problem.options ?? []), problem.sourceId, problem.goldAnswer, row.raw_output];
    for (const item of [...rankedCritiques, ...rankedRationales]) texts.push(item.facts.text, item.editedText ?? '', item.facts.teacher);
    return {
      problemId: problem.id,
      answerId: row.answer_id,
      problem,
      // Graded again by the task: data imported with its own labels can call a correct answer wrong.
      student: {
        name: row.student_name,
        rawOutput: row.raw_output,
        extractedAnswer: row.student_extracted,
        gradedCorrect: gradeAnswer(problem, row.raw_output).correct,
      },
      critiques: rankedCritiques,
      rationales: rankedRationales,
      settled: mistakeSettled(rankedCritiques, rankedRationales),
      searchText: texts.join('\n').toLowerCase(),
    };
  });
}

export function buildIndex(db: Db, student: string | null = null): CurationIndex {
  const summaries = summarize(loadAll(db, student));
  const index: CurationIndex = { order: [], byProblem: new Map(), problemOfOutput: new Map(), teachers: [], settledCount: 0, student };
  const teachers = new Set<string>();
  for (const summary of summaries) {
    index.order.push(summary.problemId);
    index.byProblem.set(summary.problemId, summary);
    if (summary.settled) index.settledCount++;
    for (const item of [...summary.critiques, ...summary.rationales]) {
      index.problemOfOutput.set(item.facts.outputId, summary.problemId);
      teachers.add(item.facts.teacher);
    }
  }
  index.teachers = [...teachers].sort((a, b) => a.localeCompare(b));
  return index;
}

/**
 * One mistake read from the store with its outputs ranked and graded (three small queries): what
 * the store-backed session computes for the mistakes it shows, never for all. Undefined when the
 * problem is not a mistake (for this student).
 */
export function loadMistake(db: Db, problemId: number, student: string | null): MistakeSummary | undefined {
  return summarize(loadOne(db, problemId, student))[0];
}

/** Re-reads one mistake after a decision on it (three small queries); false when it is no longer a mistake. */
export function refreshMistake(db: Db, index: CurationIndex, problemId: number): boolean {
  const before = index.byProblem.get(problemId);
  const after = loadMistake(db, problemId, index.student);
  if (before?.settled) index.settledCount--;
  if (!after) {
    if (before) {
      index.byProblem.delete(problemId);
      index.order.splice(index.order.indexOf(problemId), 1);
    }
    return false;
  }
  if (!before) index.order.splice(lowerBound(index.order, problemId), 0, problemId);
  index.byProblem.set(problemId, after);
  if (after.settled) index.settledCount++;
  for (const item of [...after.critiques, ...after.rationales]) {
    index.problemOfOutput.set(item.facts.outputId, problemId);
    if (!index.teachers.includes(item.facts.teacher)) index.teachers = [...index.teachers, item.facts.teacher].sort((a, b) => a.localeCompare(b));
  }
  return true;
}

/** Re-reads the whole project into an existing index (after an import, a bulk action on many mistakes, another student chosen). */
export function rebuildIndex(db: Db, index: CurationIndex, student: string | null = index.student): void {
  Object.assign(index, buildIndex(db, student));
}
