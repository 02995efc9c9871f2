import type { Db } from './db.ts';

/**
 * Read queries behind the extension's problem tree: how many problems fall in each group and
 * one page of a group at a time, so a 10k-problem project opens without loading every row.
 *
 * A problem is a mistake when any student answered it wrongly, correct when it has answers and
 * all are right, unanswered when no student answered it yet.
 */
export type ProblemGroup = 'mistakes' | 'correct' | 'unanswered';
export const PROBLEM_GROUPS: readonly ProblemGroup[] = ['mistakes', 'correct', 'unanswered'];

export interface GroupCounts {
  mistakes: number;
  correct: number;
  unanswered: number;
}

/** One problem as a tree row: an excerpt of the question, never the whole text. */
export interface ProblemRowSummary {
  id: number;
  task: string;
  split: string;
  sourceId: string;
  questionExcerpt: string;
  goldAnswer: string;
  /** The shown student answer: the first wrong one for a mistake, else the first; null when unanswered or not extractable. */
  studentAnswer: string | null;
  /** Whether any student answered at all (distinguishes "no answer extracted" from "unanswered"). */
  answered: boolean;
}

// @student: the student whose answers count (null: every student's). The panel and the tree
// curate one chosen student's mistakes at a time (README, Glossary).
const OF_STUDENT = '(@student IS NULL OR a.student = @student)';
const WRONG = `EXISTS (SELECT 1 FROM student_answers a WHERE a.problem_id = p.id AND a.correct = 0 AND ${OF_STUDENT})`;
const ANSWERED = `EXISTS (SELECT 1 FROM student_answers a WHERE a.problem_id = p.id AND ${OF_STUDENT})`;

const GROUP_FILTER: Record<ProblemGroup, string> = {
  mistakes: WRONG,
  correct: `${ANSWERED} AND NOT ${WRONG}`,
  unanswered: `NOT ${ANSWERED}`,
};

/** Characters of the question kept in a tree row; the full text is read only for a tooltip. */
export const EXCERPT_CHARS = 160;

export function groupCounts(db: Db, student: string | null = null): GroupCounts {
  const problems = (db.prepare('SELECT COUNT(*) AS n FROM problems').get() as { n: number }).n;
  const byProblem = db
    .prepare(
      `SELECT COALESCE(SUM(all_correct = 0), 0) AS mistakes, COALESCE(SUM(all_correct = 1), 0) AS correct
      FROM (SELECT MIN(correct) AS all_correct FROM student_answers a WHERE ${OF_STUDENT} GROUP BY problem_id)`,
    )
    .get({ student }) as { mistakes: number; correct: number };
  return { mistakes: byProblem.mistakes, correct: byProblem.correct, unanswered: problems - byProblem.mistakes - byProblem.correct };
}

interface SummaryRow {
  id: number;
  task: string;
  split: string;
  source_id: string;
  excerpt: string;
  cut: number;
  gold_answer: string;
  student_answer: string | null;
  answered: number;
}

/** Problems of a group in id order, `limit` of them starting at `offset`. */
export function groupPage(db: Db, group: ProblemGroup, offset: number, limit: number, student: string | null = null): ProblemRowSummary[] {
  // The shown answer: a wrong one first (that is what makes it a mistake), then the oldest.
  const rows = db
    .prepare(
      `SELECT p.id, p.task, p.split, p.source_id, substr(p.question, 1, ${EXCERPT_CHARS * 2}) AS excerpt, length(p.question) > ${EXCERPT_CHARS * 2} AS cut, p.gold_answer,
        (SELECT a.extracted_answer FROM student_answers a WHERE a.problem_id = p.id AND ${OF_STUDENT} ORDER BY a.correct, a.id LIMIT 1) AS student_answer,
        ${ANSWERED} AS answered
      FROM problems p WHERE ${GROUP_FILTER[group]} ORDER BY p.id LIMIT @limit OFFSET @offset`,
    )
    .all({ limit, offset, student }) as SummaryRow[];
  return rows.map((row) => ({
    id: row.id,
    task: row.task,
    split: row.split,
    sourceId: row.source_id,
    questionExcerpt: excerpt(row.excerpt, row.cut === 1),
    goldAnswer: row.gold_answer,
    studentAnswer: row.student_answer,
    answered: row.answered === 1,
  }));
}

/** The group a problem is in and its 0-based position there, so a view can reveal it; undefined for an unknown id. */
export function problemPlace(db: Db, problemId: number, student: string | null = null): { group: ProblemGroup; index: number } | undefined {
  const row = db.prepare(`SELECT ${WRONG} AS wrong, ${ANSWERED} AS answered FROM problems p WHERE p.id = @problemId`).get({ problemId, student }) as
    { wrong: number; answered: number } | undefined;
  if (!row) return undefined;
  const group: ProblemGroup = row.wrong ? 'mistakes' : row.answered ? 'correct' : 'unanswered';
  const index = (
    db.prepare(`SELECT COUNT(*) AS n FROM problems p WHERE p.id < @problemId AND ${GROUP_FILTER[group]}`).get({ problemId, student }) as { n: number }
  ).n;
  return { group, index };
}

/** The full question of a problem (with its context, where the task has one), for a tooltip. */
export function problemQuestion(db: Db, problemId: number): { question: string; context: string | null } | undefined {
  return db.prepare('SELECT question, context FROM problems WHERE id = ?').get(problemId) as { question: string; context: string | null } | undefined;
}

/** Whitespace collapsed to one line, cut at EXCERPT_CHARS; an ellipsis marks a cut. */
function excerpt(text: string, cut: boolean): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length > EXCERPT_CHARS) return `${line.slice(0, EXCERPT_CHARS - 1).trimEnd()}…`;
  return cut ? `${line}…` : line;
}
