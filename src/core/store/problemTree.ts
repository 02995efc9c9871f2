import type { Db } from './db.ts';
import { cachedStatement } from './db.ts';

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

/**
 * Each group's problem ids in id order (column `id`), `range` a condition on them (given the id
 * column's name), driven by an index so that a page or a count never reads a problem's row:
 * mistakes and correct from student_answers' indexes on (correct, problem_id) and (student,
 * correct, problem_id); unanswered from the narrow index on problems' ids, each id probed in
 * student_answers' (problem_id, student) index. A student answers a problem at most once.
 */
function groupIds(group: ProblemGroup, student: string | null, range: (column: string) => string = () => '1'): string {
  const r = range('problem_id');
  if (student === null) {
    switch (group) {
      case 'mistakes':
        return `SELECT DISTINCT problem_id AS id FROM student_answers INDEXED BY student_answers_wrong WHERE correct = 0 AND ${r} ORDER BY problem_id`;
      case 'correct':
        return `SELECT DISTINCT problem_id AS id FROM student_answers a INDEXED BY student_answers_wrong WHERE correct = 1 AND ${r}
          AND NOT EXISTS (SELECT 1 FROM student_answers w INDEXED BY student_answers_wrong WHERE w.correct = 0 AND w.problem_id = a.problem_id) ORDER BY problem_id`;
      case 'unanswered':
        return `SELECT p.id FROM problems p INDEXED BY problems_by_id WHERE ${range('p.id')}
          AND NOT EXISTS (SELECT 1 FROM student_answers a WHERE a.problem_id = p.id) ORDER BY p.id`;
    }
  }
  switch (group) {
    case 'mistakes':
    case 'correct':
      return `SELECT problem_id AS id FROM student_answers INDEXED BY student_answers_wrong_by_student
        WHERE student = @student AND correct = ${group === 'correct' ? 1 : 0} AND ${r} ORDER BY problem_id`;
    case 'unanswered':
      return `SELECT p.id FROM problems p INDEXED BY problems_by_id WHERE ${range('p.id')}
        AND NOT EXISTS (SELECT 1 FROM student_answers a WHERE a.problem_id = p.id AND a.student = @student) ORDER BY p.id`;
  }
}

/** Only the parameters a query names (better-sqlite3 refuses unused named ones). */
function params(student: string | null, extra: Record<string, number>): Record<string, string | number> {
  return student === null ? extra : { ...extra, student };
}

/** Characters of the question kept in a tree row; the full text is read only for a tooltip. */
export const EXCERPT_CHARS = 160;

/**
 * The groups' sizes from the answer tallies the store's triggers keep (migration 7), and the
 * problem count from the narrow index of ids: no answer is counted.
 */
export function groupCounts(db: Db, student: string | null = null): GroupCounts {
  const problems = cachedStatement(db, 'SELECT COUNT(*) FROM problems INDEXED BY problems_by_id').pluck().get() as number;
  const tally = (
    student === null
      ? cachedStatement(db, 'SELECT answered, mistakes FROM answer_tallies WHERE id = 1').get()
      : cachedStatement(db, 'SELECT answered, wrong AS mistakes FROM student_tallies WHERE student = ?').get(student)
  ) as { answered: number; mistakes: number } | undefined;
  const answered = tally?.answered ?? 0;
  const mistakes = tally?.mistakes ?? 0;
  return { mistakes, correct: answered - mistakes, unanswered: problems - answered };
}

/**
 * A key that changes whenever the groups' membership may have: any change of an answer (the
 * tallies' version) or of the problems (their count and last id). What the tree derives from the
 * groups (where each range starts) holds while the key does, across decisions and other writes.
 */
export function groupsVersion(db: Db): string {
  const row = cachedStatement(
    db,
    'SELECT (SELECT version FROM answer_tallies WHERE id = 1) AS version, COUNT(*) AS problems, MAX(id) AS last FROM problems INDEXED BY problems_by_id',
  ).get() as { version: number; problems: number; last: number | null };
  return `${row.version}:${row.problems}:${row.last ?? 0}`;
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

/** The tree's columns of the problems in `ids` (a query giving `id`), in id order. */
function summaries(db: Db, ids: string, bound: Record<string, string | number>): ProblemRowSummary[] {
  // The shown answer: a wrong one first (that is what makes it a mistake), then the oldest.
  const rows = cachedStatement(
    db,
    `SELECT p.id, p.task, p.split, p.source_id, substr(p.question, 1, ${EXCERPT_CHARS * 2}) AS excerpt, length(p.question) > ${EXCERPT_CHARS * 2} AS cut, p.gold_answer,
        (SELECT a.extracted_answer FROM student_answers a WHERE a.problem_id = p.id AND ${OF_STUDENT} ORDER BY a.correct, a.id LIMIT 1) AS student_answer,
        ${ANSWERED} AS answered
      FROM (${ids}) g JOIN problems p ON p.id = g.id ORDER BY p.id`,
  ).all({ student: null, ...bound }) as SummaryRow[];
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

/** Problems of a group in id order, `limit` of them starting at position `offset` (the offset skips index entries only). */
export function groupPage(db: Db, group: ProblemGroup, offset: number, limit: number, student: string | null = null): ProblemRowSummary[] {
  return summaries(db, `${groupIds(group, student)} LIMIT @limit OFFSET @offset`, params(student, { limit, offset }));
}

/** Problems of a group in id order from id `fromId` on, at most `limit` (keyset paging: no rows skipped at all). */
export function groupPageFrom(db: Db, group: ProblemGroup, fromId: number, limit: number, student: string | null = null): ProblemRowSummary[] {
  return summaries(db, `${groupIds(group, student, (id) => `${id} >= @fromId`)} LIMIT @limit`, params(student, { fromId, limit }));
}

/**
 * The first problem id of every `size` problems of a group, in order: where each range of the
 * tree starts, so a range's page is read by keyset (groupPageFrom). One index-only pass.
 */
export function pageStarts(db: Db, group: ProblemGroup, size: number, student: string | null = null): number[] {
  return cachedStatement(db, `SELECT id FROM (SELECT id, ROW_NUMBER() OVER () - 1 AS n FROM (${groupIds(group, student)})) WHERE n % @size = 0`)
    .pluck()
    .all(params(student, { size })) as number[];
}

/** The group a problem is in; undefined for an unknown id. */
export function problemGroup(db: Db, problemId: number, student: string | null = null): ProblemGroup | undefined {
  const row = cachedStatement(db, `SELECT ${WRONG} AS wrong, ${ANSWERED} AS answered FROM problems p WHERE p.id = @problemId`).get({ problemId, student }) as
    { wrong: number; answered: number } | undefined;
  if (!row) return undefined;
  return row.wrong ? 'mistakes' : row.answered ? 'correct' : 'unanswered';
}

/** How many problems of a group have an id from `fromId` up to, not including, `toId` (index entries counted, no row read). */
export function groupCountBetween(db: Db, group: ProblemGroup, fromId: number, toId: number, student: string | null = null): number {
  return cachedStatement(db, `SELECT COUNT(*) FROM (${groupIds(group, student, (id) => `${id} >= @fromId AND ${id} < @toId`)})`)
    .pluck()
    .get(params(student, { fromId, toId })) as number;
}

/**
 * The group a problem is in and its 0-based position there, so a view can reveal it; undefined
 * for an unknown id. Counting from the start of the group: a view that knows where its ranges
 * start counts from the nearest one instead (groupCountBetween).
 */
export function problemPlace(db: Db, problemId: number, student: string | null = null): { group: ProblemGroup; index: number } | undefined {
  const group = problemGroup(db, problemId, student);
  return group && { group, index: groupCountBetween(db, group, 0, problemId, student) };
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
