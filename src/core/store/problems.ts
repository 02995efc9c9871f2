import type { Problem, ProblemInput, TaskName } from '../model.ts';
import type { Db } from './db.ts';
import { cachedStatement, inTransaction, nowIso } from './db.ts';

/** A row of the problems table, as SQLite returns it. */
export interface ProblemRow {
  id: number;
  task: string;
  split: string;
  source_id: string;
  question: string;
  context: string | null;
  options: string | null;
  gold_answer: string;
  gold_rationale: string | null;
  source_file: string | null;
  source_line: number | null;
}

export function problemFromRow(row: ProblemRow): Problem {
  const problem: Problem = {
    id: row.id,
    task: row.task as TaskName,
    split: row.split,
    sourceId: row.source_id,
    question: row.question,
    goldAnswer: row.gold_answer,
  };
  if (row.context !== null) problem.context = row.context;
  if (row.options !== null) problem.options = JSON.parse(row.options) as string[];
  if (row.gold_rationale !== null) problem.goldRationale = row.gold_rationale;
  if (row.source_file !== null) problem.sourceFile = row.source_file;
  if (row.source_line !== null) problem.sourceLine = row.source_line;
  return problem;
}

export interface InsertProblemsResult {
  inserted: number;
  /** Problems already in the project (same task, split and source id), left as they were. */
  existing: number;
}

/** Inserts parsed problems in one transaction; re-importing the same file changes nothing. */
export function insertProblems(db: Db, task: TaskName, split: string, sourceFile: string | undefined, problems: readonly ProblemInput[]): InsertProblemsResult {
  const insert = cachedStatement(
    db,
    `
    INSERT INTO problems (task, split, source_id, question, context, options, gold_answer, gold_rationale, source_file, source_line, created_at)
    VALUES (@task, @split, @sourceId, @question, @context, @options, @goldAnswer, @goldRationale, @sourceFile, @sourceLine, @createdAt)
    ON CONFLICT (task, split, source_id) DO NOTHING`,
  );
  return inTransaction(db, () => {
    const createdAt = nowIso();
    let inserted = 0;
    for (const p of problems) {
      const info = insert.run({
        task,
        split,
        sourceId: p.sourceId,
        question: p.question,
        context: p.context ?? null,
        options: p.options ? JSON.stringify(p.options) : null,
        goldAnswer: p.goldAnswer,
        goldRationale: p.goldRationale ?? null,
        sourceFile: sourceFile ?? null,
        sourceLine: p.sourceLine ?? null,
        createdAt,
      });
      inserted += info.changes;
    }
    return { inserted, existing: problems.length - inserted };
  });
}

export function getProblem(db: Db, id: number): Problem | undefined {
  const row = cachedStatement(db, 'SELECT * FROM problems WHERE id = ?').get(id) as ProblemRow | undefined;
  return row && problemFromRow(row);
}

export function findProblemBySourceId(db: Db, sourceId: string, task?: TaskName, split?: string): Problem[] {
  const rows = cachedStatement(
    db,
    `SELECT * FROM problems WHERE source_id = @sourceId
      AND (@task IS NULL OR task = @task) AND (@split IS NULL OR split = @split) ORDER BY id`,
  ).all({ sourceId, task: task ?? null, split: split ?? null }) as ProblemRow[];
  return rows.map(problemFromRow);
}

export function listProblems(db: Db, filter: { task?: TaskName; split?: string } = {}): Problem[] {
  const rows = cachedStatement(db, 'SELECT * FROM problems WHERE (@task IS NULL OR task = @task) AND (@split IS NULL OR split = @split) ORDER BY id').all({
    task: filter.task ?? null,
    split: filter.split ?? null,
  }) as ProblemRow[];
  return rows.map(problemFromRow);
}

/** The (task, split) pairs in the project with their problem counts. */
export function listSplits(db: Db): { task: TaskName; split: string; problems: number }[] {
  return cachedStatement(db, 'SELECT task, split, COUNT(*) AS problems FROM problems GROUP BY task, split ORDER BY task, split').all() as {
    task: TaskName;
    split: string;
    problems: number;
  }[];
}
