import type { StudentAnswer } from '../model.ts';
import type { Db } from './db.ts';
import { cachedStatement, nowIso } from './db.ts';

interface AnswerRow {
  id: number;
  problem_id: number;
  student: string;
  raw_output: string;
  extracted_answer: string | null;
  correct: number;
  call_id: number | null;
}

export function answerFromRow(row: AnswerRow): StudentAnswer {
  return {
    id: row.id,
    problemId: row.problem_id,
    student: row.student,
    rawOutput: row.raw_output,
    extractedAnswer: row.extracted_answer,
    correct: row.correct === 1,
    callId: row.call_id,
  };
}

export type StudentAnswerInput = Omit<StudentAnswer, 'id' | 'callId'> & { callId?: number | null };

/**
 * Stores a student's answer to a problem (one per problem and student; a newer answer replaces
 * the older one). Callers that write many run it inside inTransaction.
 */
export function upsertStudentAnswer(db: Db, answer: StudentAnswerInput): number {
  const row = cachedStatement(
    db,
    `INSERT INTO student_answers (problem_id, student, raw_output, extracted_answer, correct, call_id, created_at)
      VALUES (@problemId, @student, @rawOutput, @extractedAnswer, @correct, @callId, @createdAt)
      ON CONFLICT (problem_id, student) DO UPDATE SET raw_output = excluded.raw_output,
        extracted_answer = excluded.extracted_answer, correct = excluded.correct, call_id = excluded.call_id
      RETURNING id`,
  ).get({
    problemId: answer.problemId,
    student: answer.student,
    rawOutput: answer.rawOutput,
    extractedAnswer: answer.extractedAnswer,
    correct: answer.correct ? 1 : 0,
    callId: answer.callId ?? null,
    createdAt: nowIso(),
  }) as { id: number };
  return row.id;
}

export function answersForProblem(db: Db, problemId: number): StudentAnswer[] {
  return (cachedStatement(db, 'SELECT * FROM student_answers WHERE problem_id = ? ORDER BY id').all(problemId) as AnswerRow[]).map(answerFromRow);
}

export function getStudentAnswer(db: Db, id: number): StudentAnswer | undefined {
  const row = cachedStatement(db, 'SELECT * FROM student_answers WHERE id = ?').get(id) as AnswerRow | undefined;
  return row && answerFromRow(row);
}

/** The student whose answer was stored last (the import dialog's default); undefined before any answer. */
export function lastStudent(db: Db): string | undefined {
  return (cachedStatement(db, 'SELECT student FROM student_answers ORDER BY id DESC LIMIT 1').get() as { student: string } | undefined)?.student;
}

/** Every wrong student answer (a mistake, README Glossary), in problem order: what the jobs work on. */
export function listMistakes(db: Db, student?: string): StudentAnswer[] {
  return (
    cachedStatement(db, 'SELECT * FROM student_answers WHERE correct = 0 AND (@student IS NULL OR student = @student) ORDER BY problem_id, id').all({
      student: student ?? null,
    }) as AnswerRow[]
  ).map(answerFromRow);
}

/**
 * Names of the students with at least one wrong answer: the ones whose mistakes can be curated. A
 * skip over mistake_state's student index, one seek per student (a DISTINCT read every wrong
 * answer: 0.7 s at 1M mistakes, on every panel open).
 */
export function studentsWithMistakes(db: Db): string[] {
  return cachedStatement(
    db,
    `WITH RECURSIVE s (name) AS (
      SELECT MIN(student) FROM mistake_state
      UNION ALL SELECT (SELECT MIN(student) FROM mistake_state WHERE student > s.name) FROM s WHERE s.name IS NOT NULL)
    SELECT name FROM s WHERE name IS NOT NULL ORDER BY name`,
  )
    .pluck()
    .all() as string[];
}
