import type { CuratedKind, Problem } from '../model.ts';
import type { Db } from '../store/db.ts';
import { cachedStatement } from '../store/db.ts';
import { UserError } from '../errors.ts';
import { aggregateScores, compareVerdicts } from '../ranking.ts';
import type { PeerVerdict } from '../ranking.ts';
import { gradeAnswer, rationaleAnswer } from '../tasks/grade.ts';
import type { MistakeFilter } from './view.ts';
import { CURATED_KINDS } from './mistakeIndex.ts';
import { wrongStepMarks } from './stepMarks.ts';
import { CURATORS_DISAGREE_ON_O } from '../team/adjudicationView.ts';
import { ASSIGNED_TO_ME } from '../team/assignment.ts';
import type { MistakeOrder } from './view.ts';
import { ORDER_COLUMNS, refreshOrderKeys } from './orderKeys.ts';

/**
 * The curation panel's questions to SQLite (issue 11): which mistakes match a filter, in problem
 * order, and the counts, as indexed queries over the store rather than over a copy of the project
 * in memory. Every rule here is the SQL form of one the in-memory index applies (filters.ts,
 * items.ts, mistakeIndex.ts); test/unit/curation/storeQueries.test.ts holds them equal.
 *
 * `m` is a mistake: a row of mistake_state (migration 9 -> 10), one per wrong student answer (its
 * id is the answer's), with whether it is its problem's first mistake (README, Glossary) and
 * whether it is settled, kept exact by triggers. Filters read the per-output state (output_state:
 * decision and edit in force, peer-score mean) instead of folding events and reviews per output.
 */

/** Whose mistakes these are (null: each problem's first wrong answer) and which of them are shown. */
export interface MistakeScope {
  student: string | null;
  filter: MistakeFilter;
}

export type { MistakeOrder } from './view.ts';

/**
 * Mistakes in an order other than problem order: `m` read through that order's index on the keys
 * (orderKeys.ts), refreshed first (keys written by any connection since are recomputed), so the
 * ORDER BY is the index's own order and no sort of the whole list.
 */
function ordered(db: Db, order: Exclude<MistakeOrder, 'problem'>): { from: string; column: string } {
  refreshOrderKeys(db);
  const { column, index } = ORDER_COLUMNS[order];
  return { from: `mistake_order_keys k INDEXED BY ${index} CROSS JOIN mistake_state m ON m.id = k.answer_id`, column: `k.${column}` };
}

/** The mistakes in scope, as conditions on `m`: one student's wrong answers, or each problem's first wrong answer. */
function firstMistake(student: string | null): string {
  return student === null ? 'm.first = 1' : 'm.student = @student';
}

/** Mistake m's student output (the answer row m stands for). */
const RAW_OUTPUT = '(SELECT a.raw_output FROM student_answers a WHERE a.id = m.id)';

/**
 * The outputs the panel shows with mistake m (mistakeIndex.ts, shownWithMistake), as their derived
 * state (output_state: decision, edit and peer score in force), as `FROM … WHERE`: one range of
 * the table, which is clustered by problem. (It has no index on teacher: on teacher_outputs the
 * planner drove a teacher condition from one and read every output of that teacher per mistake.)
 */
const SHOWN_STATE = `FROM output_state s WHERE s.problem_id = m.problem_id
  AND (s.kind = 'rationale' OR s.student_answer_id IS NULL OR s.student_answer_id = m.id)`;
/** The same outputs' own rows (teacher_outputs o, by the problem's index), for conditions on their columns (the team's tables name o.id). */
const SHOWN = `FROM teacher_outputs o INDEXED BY teacher_outputs_by_problem WHERE o.problem_id = m.problem_id AND o.kind IN ${CURATED_KINDS}
  AND (o.kind = 'rationale' OR o.student_answer_id IS NULL OR o.student_answer_id = m.id)`;
/** The text of the edit in force on output state s (null: not edited). */
const EDITED_TEXT = '(SELECT e.text FROM curation_events e WHERE e.id = s.edit_event_id)';

/** Not settled (items.ts, mistakeSettled): read from mistake_state, which the triggers keep exact. */
export const UNSETTLED = 'm.settled = 0';

/**
 * The user's search as an FTS5 query: plain words are quoted one by one (every word must occur in
 * one text, punctuation is no syntax); a query with a double quote is taken as FTS5 syntax.
 * Null when there is nothing to search for; '' when nothing searchable was typed (matches nothing).
 */
export function ftsQuery(search: string): string | null {
  const trimmed = search.trim();
  if (trimmed === '') return null;
  if (trimmed.includes('"')) return trimmed;
  return trimmed
    .split(/\s+/)
    .filter((term) => /[\p{L}\p{N}]/u.test(term))
    .map((term) => `"${term}"`)
    .join(' ');
}

/** Mistake ids whose question, student output or shown teacher text matches @search. */
const SEARCH_CANDIDATES = `(SELECT rowid FROM problems_fts WHERE problems_fts MATCH @search
  UNION SELECT a.problem_id FROM answers_fts f JOIN student_answers a ON a.id = f.rowid WHERE answers_fts MATCH @search
  UNION SELECT t.problem_id FROM outputs_fts f JOIN teacher_outputs t ON t.id = f.rowid WHERE outputs_fts MATCH @search
  UNION SELECT t.problem_id FROM edits_fts f JOIN curation_events ce ON ce.id = f.rowid JOIN teacher_outputs t ON t.id = ce.output_id WHERE edits_fts MATCH @search)`;
const SEARCH_MATCH = `(m.problem_id IN (SELECT rowid FROM problems_fts WHERE problems_fts MATCH @search)
  OR m.id IN (SELECT rowid FROM answers_fts WHERE answers_fts MATCH @search)
  OR EXISTS (SELECT 1 ${SHOWN_STATE} AND s.output_id IN (SELECT rowid FROM outputs_fts WHERE outputs_fts MATCH @search))
  OR EXISTS (SELECT 1 ${SHOWN_STATE} AND s.edit_event_id IN (SELECT rowid FROM edits_fts WHERE edits_fts MATCH @search)))`;

/** A status filter on decisions: the mistakes with a shown output in that state, driven from the few decided outputs. */
const withDecided = (decision: string, condition: string): string =>
  `m.problem_id IN (SELECT problem_id FROM output_state WHERE decision ${decision}) AND EXISTS (SELECT 1 ${SHOWN_STATE} AND ${condition})`;

interface Compiled {
  where: string;
  params: Record<string, string | number>;
}

/**
 * The filter as conditions on `m` (filters.ts, compileFilter), with only the parameters it uses.
 * Indexed conditions first; the JS ones (task grading, the step checker) last, so SQLite calls
 * them only for the mistakes the others leave.
 */
function compile(scope: MistakeScope): Compiled {
  const { student, filter } = scope;
  const params: Record<string, string | number> = {};
  const conditions = [firstMistake(student)];
  if (student !== null) params.student = student;
  const search = ftsQuery(filter.search);
  if (search === '') conditions.push('0');
  else if (search !== null) {
    params.search = search;
    conditions.push(`m.problem_id IN ${SEARCH_CANDIDATES}`, SEARCH_MATCH);
  }
  if (filter.status === 'undecided') conditions.push(UNSETTLED);
  else if (filter.status === 'accepted') conditions.push(withDecided("= 'accept'", "s.decision = 'accept' AND s.edit_event_id IS NULL"));
  else if (filter.status === 'edited') conditions.push(withDecided('IS NOT NULL AND edit_event_id IS NOT NULL', 's.edit_event_id IS NOT NULL'));
  else if (filter.status === 'rejected') conditions.push(withDecided("= 'reject'", "s.decision = 'reject'"));
  if (filter.teacher !== null) {
    params.teacher = filter.teacher;
    conditions.push(`EXISTS (SELECT 1 ${SHOWN_STATE} AND s.teacher = @teacher)`);
  }
  if (filter.scoreMin !== null || filter.scoreMax !== null) {
    // One mean per output: no valid score gives NULL, which no range holds.
    params.scoreMin = filter.scoreMin ?? -Number.MAX_VALUE;
    params.scoreMax = filter.scoreMax ?? Number.MAX_VALUE;
    conditions.push(`EXISTS (SELECT 1 ${SHOWN_STATE} AND s.peer_mean BETWEEN @scoreMin AND @scoreMax)`);
  }
  // The task's own grading of the student output (JS, mistakeIndex.ts): computed per mistake only while this filter is on.
  if (filter.status === 'gradedCorrect')
    conditions.push(`EXISTS (SELECT 1 FROM problems p WHERE p.id = m.problem_id AND mapd_graded_correct(p.task, p.gold_answer, p.options, ${RAW_OUTPUT}))`);
  if (filter.mismatchOnly) {
    // The answer check is the task's own grading (JS): only rationales without a stored grade, or edited, reach it.
    conditions.push(
      `EXISTS (SELECT 1 ${SHOWN_STATE} AND s.kind = 'rationale' AND (SELECT mapd_misses_gold(p.task, p.gold_answer, p.options, o.text, o.extracted_answer, o.correct, ${EDITED_TEXT})
        FROM teacher_outputs o JOIN problems p ON p.id = o.problem_id WHERE o.id = s.output_id))`,
    );
  }
  if (filter.wrongStepOnly) {
    // The step checker (stepMarks.ts, JS) on the item's current text; a critique's quotes of the student's own wrong steps do not count.
    conditions.push(
      `EXISTS (SELECT 1 ${SHOWN_STATE} AND (SELECT mapd_has_wrong_step(s.kind, COALESCE(${EDITED_TEXT}, o.text), ${RAW_OUTPUT}) FROM teacher_outputs o WHERE o.id = s.output_id))`,
    );
  }
  if (filter.truncatedOnly) conditions.push(`EXISTS (SELECT 1 ${SHOWN} AND o.truncated = 1)`);
  // The adjudication view (issue 16): an item the team's curators decided differently (team tables).
  if (filter.curatorsDisagree) conditions.push(`EXISTS (SELECT 1 ${SHOWN} AND ${CURATORS_DISAGREE_ON_O})`);
  if (filter.myQueue) conditions.push(ASSIGNED_TO_ME);
  return { where: conditions.join('\n  AND '), params };
}

type GradedProblem = Pick<Problem, 'task' | 'goldAnswer' | 'options'>;

/** A problem's grading columns (task, gold_answer, options JSON) as grade.ts takes them. */
function gradedProblem(task: unknown, gold: unknown, options: unknown): GradedProblem {
  const problem: GradedProblem = { task: task as Problem['task'], goldAnswer: gold as string };
  if (options !== null) problem.options = JSON.parse(options as string) as string[];
  return problem;
}

/** Whether a rationale's current text (the edit, else the teacher's) misses the gold answer (items.ts, answerMismatch). */
function missesGold(problem: GradedProblem, output: { text: string; extracted: string | null; correct: number | null }, edited: string | null): boolean {
  return !rationaleAnswer(
    problem,
    { text: output.text, extractedAnswer: output.extracted, correct: output.correct === null ? null : output.correct === 1 },
    edited,
  ).reachesGold;
}

const withFunctions = new WeakSet<Db>();

/** Registers the JS functions the queries call (once per connection). */
function prepared(db: Db): Db {
  if (withFunctions.has(db)) return db;
  db.function('mapd_misses_gold', { deterministic: true }, (task, gold, options, text, extracted, correct, edited) =>
    missesGold(
      gradedProblem(task, gold, options),
      { text: text as string, extracted: extracted as string | null, correct: correct as number | null },
      edited as string | null,
    )
      ? 1
      : 0,
  );
  db.function('mapd_graded_correct', { deterministic: true }, (task, gold, options, rawOutput) =>
    gradeAnswer(gradedProblem(task, gold, options), rawOutput as string).correct ? 1 : 0,
  );
  db.function('mapd_has_wrong_step', { deterministic: true }, (kind, text, studentOutput) =>
    wrongStepMarks(text as string, kind === 'critique' ? wrongStepMarks(studentOutput as string) : []).length > 0 ? 1 : 0,
  );
  withFunctions.add(db);
  return db;
}

/** Runs a query, turning an FTS5 syntax error in the user's search into a clear message. */
function run<T>(scope: MistakeScope, query: () => T): T {
  try {
    return query();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/fts5|unterminated string|no such column/i.test(message) && scope.filter.search.trim() !== '') {
      throw new UserError(`the search ${JSON.stringify(scope.filter.search)} is not valid search syntax (${message})`, {
        next: 'Type plain words, or put a phrase in balanced double quotes',
        cause: error,
      });
    }
    throw error;
  }
}

/** The matching mistakes' problem ids, in the order: the one structure the session keeps (ints, no texts). */
export function matchingIds(db: Db, scope: MistakeScope, order: MistakeOrder = 'problem'): number[] {
  return matchingInOrder(db, scope, order).ids;
}

/** The matching mistakes' problem ids in the order, with each one's sort key (null in problem order: the id is its key). */
export function matchingInOrder(db: Db, scope: MistakeScope, order: MistakeOrder): { ids: number[]; keys: number[] | null } {
  const { where, params } = compile(scope);
  if (order === 'problem') {
    const ids = run(
      scope,
      () => cachedStatement(prepared(db), `SELECT m.problem_id FROM mistake_state m WHERE ${where} ORDER BY m.problem_id`).pluck().all(params) as number[],
    );
    return { ids, keys: null };
  }
  const { from, column } = ordered(db, order);
  // Streamed into two flat arrays: no row object per mistake held at once (1M mistakes).
  const ids: number[] = [];
  const keys: number[] = [];
  run(scope, () => {
    const sql = `SELECT m.problem_id, ${column} FROM ${from} WHERE ${where} ORDER BY ${column}, k.problem_id`;
    for (const [id, key] of cachedStatement(prepared(db), sql).raw().iterate(params) as IterableIterator<[number, number]>) {
      ids.push(id);
      keys.push(key);
    }
  });
  return { ids, keys };
}

/** A mistake's sort key in the order (problem order: its id); undefined when the problem is no mistake of the scope's student. */
export function orderKeyOf(db: Db, scope: MistakeScope, order: MistakeOrder, problemId: number): number | undefined {
  if (order === 'problem') return problemId;
  const { from, column } = ordered(db, order);
  const params: Record<string, string | number> = { problemId };
  if (scope.student !== null) params.student = scope.student;
  return cachedStatement(db, `SELECT ${column} FROM ${from} WHERE m.problem_id = @problemId AND ${firstMistake(scope.student)}`)
    .pluck()
    .get(params) as number | undefined;
}

/** Whether one problem's mistake matches (after a decision on it): the same query, for one id. */
export function matchesScope(db: Db, scope: MistakeScope, problemId: number): boolean {
  const { where, params } = compile(scope);
  const sql = `SELECT 1 FROM mistake_state m WHERE m.problem_id = @problemId AND ${where} LIMIT 1`;
  return run(scope, () => cachedStatement(prepared(db), sql).get({ ...params, problemId }) !== undefined);
}

/** The next matching mistake that is not settled after `from` in the order, wrapping around (filters.ts, nextUndecidedId). */
export function nextUnsettled(db: Db, scope: MistakeScope, from: number | null, order: MistakeOrder = 'problem'): number | null {
  if (order !== 'problem') return nextUnsettledInOrder(db, scope, from, order);
  const { where, params } = compile(scope);
  const sql = (range: string) => `SELECT m.problem_id FROM mistake_state m WHERE ${range} AND ${where} AND ${UNSETTLED} ORDER BY m.problem_id LIMIT 1`;
  const after = run(
    scope,
    () =>
      cachedStatement(prepared(db), sql('m.problem_id > @from'))
        .pluck()
        .get({ ...params, from: from ?? 0 }) as number | undefined,
  );
  if (after !== undefined || from === null) return after ?? null;
  const before = run(
    scope,
    () =>
      cachedStatement(prepared(db), sql('m.problem_id < @from'))
        .pluck()
        .get({ ...params, from }) as number | undefined,
  );
  return before ?? null;
}

/** nextUnsettled in a keyed order: after (key, id) of `from` along the order's index, then from the start. */
function nextUnsettledInOrder(db: Db, scope: MistakeScope, from: number | null, order: Exclude<MistakeOrder, 'problem'>): number | null {
  const { where, params } = compile(scope);
  const key = from === null ? undefined : orderKeyOf(db, scope, order, from);
  const { from: source, column } = ordered(db, order);
  const sql = (range: string) => `SELECT m.problem_id FROM ${source} WHERE ${range} AND ${where} AND ${UNSETTLED} ORDER BY ${column}, k.problem_id LIMIT 1`;
  const first = (range: string, extra: Record<string, number>): number | null =>
    (run(scope, () =>
      cachedStatement(prepared(db), sql(range))
        .pluck()
        .get({ ...params, ...extra }),
    ) as number | undefined) ?? null;
  // A `from` that is no mistake of the scope has no place in the order: start from the first.
  if (from === null || key === undefined) return first('1', {});
  return first(`(${column}, k.problem_id) > (@key, @from)`, { key, from }) ?? first(`(${column}, k.problem_id) < (@key, @from)`, { key, from });
}

/**
 * The matching mistake just after (or before) `from` in problem order, without listing them all:
 * what the panel shows and links to before its list of ids is filled. Null: none that way.
 */
export function adjacentMatch(db: Db, scope: MistakeScope, from: number | null, direction: 'next' | 'previous'): number | null {
  if (from === null && direction === 'previous') return null;
  const { where, params } = compile(scope);
  const sql =
    direction === 'next'
      ? `SELECT m.problem_id FROM mistake_state m WHERE m.problem_id > @from AND ${where} ORDER BY m.problem_id LIMIT 1`
      : `SELECT m.problem_id FROM mistake_state m WHERE m.problem_id < @from AND ${where} ORDER BY m.problem_id DESC LIMIT 1`;
  const id = run(
    scope,
    () =>
      cachedStatement(prepared(db), sql)
        .pluck()
        .get({ ...params, from: from ?? 0 }) as number | undefined,
  );
  return id ?? null;
}

/** Up to `limit` matching mistakes after problem `after`, in problem order: one page of the deferred listing. */
export function matchingIdsAfter(db: Db, scope: MistakeScope, after: number, limit: number): number[] {
  const { where, params } = compile(scope);
  const sql = `SELECT m.problem_id FROM mistake_state m WHERE m.problem_id > @after AND ${where} ORDER BY m.problem_id LIMIT @limit`;
  return run(
    scope,
    () =>
      cachedStatement(prepared(db), sql)
        .pluck()
        .all({ ...params, after, limit }) as number[],
  );
}

/** How many mistakes match; with `before`, how many of them come before that problem in problem order (its position). */
export function matchingCount(db: Db, scope: MistakeScope, before: number | null = null): number {
  const { where, params } = compile(scope);
  const sql = `SELECT COUNT(*) FROM mistake_state m WHERE ${before === null ? '' : 'm.problem_id < @before AND '}${where}`;
  return run(
    scope,
    () =>
      cachedStatement(prepared(db), sql)
        .pluck()
        .get(before === null ? params : { ...params, before }) as number,
  );
}

/** Mistakes of the student (or first mistakes): "M" of "N of M mistakes settled". */
export function mistakeTotal(db: Db, student: string | null): number {
  return mistakeTotals(db, student).mistakes;
}

/** The scope's mistakes and how many are settled: one row of mistake_totals, which the store's triggers keep. */
export function mistakeTotals(db: Db, student: string | null): { mistakes: number; settled: number } {
  const row = cachedStatement(db, 'SELECT mistakes, settled FROM mistake_totals WHERE scope = ?').get(student === null ? '' : `student:${student}`) as
    { mistakes: number; settled: number } | undefined;
  return row ?? { mistakes: 0, settled: 0 };
}

/**
 * Teachers of the curated outputs of problems with a wrong answer (of the student), sorted: the
 * teacher filter's choices. The distinct teachers come from a skip over teacher_outputs_by_teacher
 * (one seek per teacher, not a scan of the outputs); each is then checked with one EXISTS.
 */
export function mistakeTeachers(db: Db, student: string | null): string[] {
  const teachers = cachedStatement(
    db,
    `WITH RECURSIVE t (name) AS (
      SELECT MIN(teacher) FROM teacher_outputs
      UNION ALL SELECT (SELECT MIN(teacher) FROM teacher_outputs WHERE teacher > t.name) FROM t WHERE t.name IS NOT NULL)
    SELECT t.name FROM t WHERE t.name IS NOT NULL AND EXISTS (SELECT 1 FROM teacher_outputs o WHERE o.teacher = t.name AND o.kind IN ${CURATED_KINDS}
      AND EXISTS (SELECT 1 FROM student_answers a WHERE a.problem_id = o.problem_id AND a.correct = 0 ${student === null ? '' : 'AND a.student = @student'}))`,
  )
    .pluck()
    .all(student === null ? {} : { student }) as string[];
  return teachers.sort((a, b) => a.localeCompare(b));
}

export interface BulkTarget {
  problemId: number;
  outputId: number;
}

interface RankRow {
  problem_id: number;
  output_id: number;
  teacher: string;
  sample: number;
  scores: string;
  task: string;
  gold_answer: string;
  options: string | null;
  text: string;
  extracted_answer: string | null;
  correct: number | null;
}

/**
 * The bulk action's targets (decisions.ts, bulkCandidates), streamed from the store: for each
 * mistake with no decision in force on that kind, its top-ranked output of the kind when the peers
 * accepted it and agree (at least two valid scores, spread ≤ 1). Ranked per mistake as items.ts does.
 */
export function bulkTargets(db: Db, student: string | null, kind: CuratedKind): BulkTarget[] {
  const params: Record<string, string> = { kind };
  if (student !== null) params.student = student;
  const rows = cachedStatement(
    db,
    `SELECT m.problem_id, o.id AS output_id, o.teacher, o.sample,
      (SELECT json_group_array(r.score) FROM peer_reviews r WHERE r.output_id = o.id) AS scores,
      p.task, p.gold_answer, p.options, o.text, o.extracted_answer, o.correct
    FROM mistake_state m JOIN problems p ON p.id = m.problem_id JOIN teacher_outputs o ON o.problem_id = m.problem_id AND o.kind = @kind
      AND (o.kind = 'rationale' OR o.student_answer_id IS NULL OR o.student_answer_id = m.id)
    WHERE ${firstMistake(student)} AND NOT EXISTS (SELECT 1 ${SHOWN_STATE} AND s.kind = @kind AND s.decision IS NOT NULL)
    ORDER BY m.problem_id`,
  ).iterate(params) as IterableIterator<RankRow>;
  const targets: BulkTarget[] = [];
  let problemId: number | null = null;
  let top: { row: RankRow; verdict: PeerVerdict; misses: number | null } | null = null;
  // On equal verdicts a rationale that reaches gold ranks first (items.ts): graded only on a tie.
  const misses = (entry: { row: RankRow; misses: number | null }): number => {
    if (kind !== 'rationale') return 0;
    const { row } = entry;
    entry.misses ??= missesGold(
      gradedProblem(row.task, row.gold_answer, row.options),
      { text: row.text, extracted: row.extracted_answer, correct: row.correct },
      null,
    )
      ? 1
      : 0;
    return entry.misses;
  };
  const flush = (): void => {
    if (top && top.verdict.accepted && top.verdict.validScores >= 2 && top.verdict.spread <= 1)
      targets.push({ problemId: top.row.problem_id, outputId: top.row.output_id });
  };
  for (const row of rows) {
    if (row.problem_id !== problemId) {
      flush();
      problemId = row.problem_id;
      top = null;
    }
    const entry = { row, verdict: aggregateScores(JSON.parse(row.scores) as (number | null)[]), misses: null };
    const better =
      top === null ||
      (compareVerdicts(entry.verdict, top.verdict) ||
        misses(entry) - misses(top) ||
        row.teacher.localeCompare(top.row.teacher) ||
        row.sample - top.row.sample ||
        row.output_id - top.row.output_id) < 0;
    if (better) top = entry;
  }
  flush();
  return targets;
}
