import type { Db } from '../store/db.ts';
import { cachedStatement } from '../store/db.ts';

/**
 * What names a critique or rationale in any project, never a database id: the problem's (task,
 * split, source id); the output's kind, teacher and sample; for a critique, the student whose
 * answer it critiques (null for rationales, and for critiques imported without an answer).
 * Records files (`import-decisions`) and the team's decision files both name outputs this way.
 */
export interface OutputIdentity {
  task: string;
  split: string;
  sourceId: string;
  kind: 'critique' | 'rationale';
  teacher: string;
  sample: number;
  student: string | null;
}

/** The output an identity names here, or why none is found (the sentence for a report). */
export type Resolution = { outputId: number } | { missing: string };

/** "svamp/test #chal-1, rationale by gpt": how a report names an output. */
export function describeIdentity(identity: OutputIdentity): string {
  return `${identity.task}/${identity.split} #${identity.sourceId}, ${identity.kind} by ${identity.teacher}`;
}

/**
 * Finds the output an identity names in this project. The student only tells apart outputs that
 * share every other part (critiques of two students' answers); zero or several matches are
 * reported, never guessed.
 */
export function resolveIdentity(db: Db, identity: OutputIdentity): Resolution {
  const problem = cachedStatement(db, 'SELECT id FROM problems WHERE task = ? AND split = ? AND source_id = ?').get(
    identity.task,
    identity.split,
    identity.sourceId,
  ) as { id: number } | undefined;
  if (!problem) return { missing: `no problem ${identity.task}/${identity.split} #${identity.sourceId} in this project` };
  let candidates = cachedStatement(
    db,
    'SELECT id, student_answer_id FROM teacher_outputs WHERE problem_id = ? AND kind = ? AND teacher = ? AND sample = ?',
  ).all(problem.id, identity.kind, identity.teacher, identity.sample) as { id: number; student_answer_id: number | null }[];
  if (candidates.length > 1 && identity.student !== null) {
    const answer = cachedStatement(db, 'SELECT id FROM student_answers WHERE problem_id = ? AND student = ?').get(problem.id, identity.student) as
      { id: number } | undefined;
    candidates = candidates.filter((c) => c.student_answer_id === (answer?.id ?? -1));
  }
  if (candidates.length === 1) return { outputId: (candidates[0] as { id: number }).id };
  const where = describeIdentity(identity);
  return { missing: candidates.length === 0 ? `no ${where} in this project` : `${where} is ambiguous here (${candidates.length} outputs)` };
}

/** The identity of one of this project's critiques or rationales; undefined for an ad-hoc answer or an unknown id. */
export function identityOf(db: Db, outputId: number): OutputIdentity | undefined {
  const row = cachedStatement(
    db,
    `SELECT p.task, p.split, p.source_id, o.kind, o.teacher, o.sample, a.student
      FROM teacher_outputs o JOIN problems p ON p.id = o.problem_id LEFT JOIN student_answers a ON a.id = o.student_answer_id
      WHERE o.id = ? AND o.kind <> 'adhoc'`,
  ).get(outputId) as
    { task: string; split: string; source_id: string; kind: 'critique' | 'rationale'; teacher: string; sample: number; student: string | null } | undefined;
  if (!row) return undefined;
  return { task: row.task, split: row.split, sourceId: row.source_id, kind: row.kind, teacher: row.teacher, sample: row.sample, student: row.student };
}
