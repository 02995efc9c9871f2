import type { Db } from '../store/db.ts';
import { cachedStatement } from '../store/db.ts';
import { findProblemBySourceId } from '../store/problems.ts';
import { CURATED_KINDS } from './mistakeIndex.ts';
import { matchesScope } from './mistakeQueries.ts';
import { EMPTY_FILTER } from './view.ts';

/**
 * The chat tools' own questions to SQLite (agentQueries.ts), beside the panel's (mistakeQueries.ts):
 * a mistake by its dataset id, and the widest reviewer disagreement first. Each reads what one
 * answer needs, so a tool call on a 1M-problem project costs a query, not a copy of the project.
 */

/** The first mistake (in problem order) whose problem has this dataset id; undefined when none is a mistake. */
export function mistakeIdBySourceId(db: Db, student: string | null, sourceId: string): number | undefined {
  const scope = { student, filter: EMPTY_FILTER };
  return findProblemBySourceId(db, sourceId).find((p) => matchesScope(db, scope, p.id))?.id;
}

/**
 * A mistake's widest reviewer disagreement: over the outputs shown with it (every rationale, and
 * the critiques of its first wrong answer or of none), the largest spread of valid scores
 * (ranking.ts, aggregateScores: largest minus smallest; 0 with fewer than two, and with no output).
 */
const MAX_SPREAD = `COALESCE((SELECT MAX((SELECT MAX(r.score) - MIN(r.score) FROM peer_reviews r WHERE r.output_id = o.id AND r.score IS NOT NULL))
  FROM teacher_outputs o INDEXED BY teacher_outputs_by_problem
  WHERE o.problem_id = ids.value AND o.kind IN ${CURATED_KINDS}
    AND (o.kind = 'rationale' OR o.student_answer_id IS NULL OR o.student_answer_id = (
      SELECT MIN(a.id) FROM student_answers a WHERE a.problem_id = ids.value AND a.correct = 0 AND (@student IS NULL OR a.student = @student)))), 0)`;

/** Of these mistakes (problem ids), the `limit` with the widest disagreement, widest first, ties in problem order. */
export function widestDisagreementFirst(db: Db, student: string | null, problemIds: readonly number[], limit: number): number[] {
  return cachedStatement(db, `SELECT ids.value FROM json_each(@ids) ids ORDER BY ${MAX_SPREAD} DESC, ids.value LIMIT @limit`)
    .pluck()
    .all({ ids: JSON.stringify(problemIds), student, limit }) as number[];
}
