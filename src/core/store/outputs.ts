import type { OutputKind, PeerReview, TeacherOutput } from '../model.ts';
import type { Db } from './db.ts';
import { cachedStatement, nowIso } from './db.ts';

/** A row of the teacher_outputs table, as SQLite returns it. */
export interface OutputRow {
  id: number;
  problem_id: number;
  kind: string;
  teacher: string;
  sample: number;
  student_answer_id: number | null;
  text: string;
  extracted_answer: string | null;
  correct: number | null;
  call_id: number | null;
  source: string;
  created_at: string;
  truncated: number;
}

export function outputFromRow(row: OutputRow): TeacherOutput {
  return {
    id: row.id,
    problemId: row.problem_id,
    kind: row.kind as OutputKind,
    teacher: row.teacher,
    sample: row.sample,
    studentAnswerId: row.student_answer_id,
    text: row.text,
    extractedAnswer: row.extracted_answer,
    correct: row.correct === null ? null : row.correct === 1,
    callId: row.call_id,
    source: row.source,
    createdAt: row.created_at,
    truncated: row.truncated === 1,
  };
}

export interface TeacherOutputInput {
  problemId: number;
  kind: OutputKind;
  teacher: string;
  sample?: number;
  studentAnswerId?: number | null;
  text: string;
  extractedAnswer?: string | null;
  correct?: boolean | null;
  callId?: number | null;
  source: string;
  /** Cut at the teacher's token limit (the call's finish reason). */
  truncated?: boolean;
}

/**
 * Stores a teacher output. Critiques and rationales have one slot per (problem, kind, teacher,
 * sample, critiqued answer): storing into a filled slot keeps the first output and returns its
 * id, so a resumed job or a re-import never duplicates. Ad-hoc outputs always append.
 */
export function insertOutput(db: Db, output: TeacherOutputInput): { id: number; created: boolean } {
  const params = {
    problemId: output.problemId,
    kind: output.kind,
    teacher: output.teacher,
    sample: output.sample ?? 0,
    studentAnswerId: output.studentAnswerId ?? null,
    text: output.text,
    extractedAnswer: output.extractedAnswer ?? null,
    correct: output.correct === undefined || output.correct === null ? null : output.correct ? 1 : 0,
    callId: output.callId ?? null,
    source: output.source,
    truncated: output.truncated ? 1 : 0,
    createdAt: nowIso(),
  };
  const inserted = cachedStatement(
    db,
    `INSERT INTO teacher_outputs (problem_id, kind, teacher, sample, student_answer_id, text, extracted_answer, correct, call_id, source, truncated, created_at)
      VALUES (@problemId, @kind, @teacher, @sample, @studentAnswerId, @text, @extractedAnswer, @correct, @callId, @source, @truncated, @createdAt)
      ON CONFLICT DO NOTHING RETURNING id`,
  ).get(params) as { id: number } | undefined;
  if (inserted) return { id: inserted.id, created: true };
  const existing = cachedStatement(
    db,
    `SELECT id FROM teacher_outputs WHERE problem_id = @problemId AND kind = @kind AND teacher = @teacher
      AND sample = @sample AND COALESCE(student_answer_id, 0) = COALESCE(@studentAnswerId, 0) AND kind <> 'adhoc'`,
  ).get(params) as { id: number };
  return { id: existing.id, created: false };
}

export function getOutput(db: Db, id: number): TeacherOutput | undefined {
  const row = cachedStatement(db, 'SELECT * FROM teacher_outputs WHERE id = ?').get(id) as OutputRow | undefined;
  return row && outputFromRow(row);
}

export function outputsForProblem(db: Db, problemId: number, kind?: OutputKind): TeacherOutput[] {
  return (
    cachedStatement(
      db,
      'SELECT * FROM teacher_outputs WHERE problem_id = @problemId AND (@kind IS NULL OR kind = @kind) ORDER BY kind, teacher, sample, id',
    ).all({
      problemId,
      kind: kind ?? null,
    }) as OutputRow[]
  ).map(outputFromRow);
}

interface ReviewRow {
  id: number;
  output_id: number;
  reviewer: string;
  raw_text: string | null;
  score: number | null;
  call_id: number | null;
}

function reviewFromRow(row: ReviewRow): PeerReview {
  return { id: row.id, outputId: row.output_id, reviewer: row.reviewer, rawText: row.raw_text, score: row.score, callId: row.call_id };
}

/** Stores a reviewer's verdict on an output; a reviewer reviews an output once (the first stays). */
export function insertReview(db: Db, review: Omit<PeerReview, 'id' | 'callId'> & { callId?: number | null }): { id: number; created: boolean } {
  const params = { ...review, callId: review.callId ?? null, createdAt: nowIso() };
  const inserted = cachedStatement(
    db,
    `INSERT INTO peer_reviews (output_id, reviewer, raw_text, score, call_id, created_at)
      VALUES (@outputId, @reviewer, @rawText, @score, @callId, @createdAt) ON CONFLICT DO NOTHING RETURNING id`,
  ).get(params) as { id: number } | undefined;
  if (inserted) return { id: inserted.id, created: true };
  const existing = cachedStatement(db, 'SELECT id FROM peer_reviews WHERE output_id = ? AND reviewer = ?').get(review.outputId, review.reviewer) as {
    id: number;
  };
  return { id: existing.id, created: false };
}

export function reviewsForOutput(db: Db, outputId: number): PeerReview[] {
  return (cachedStatement(db, 'SELECT * FROM peer_reviews WHERE output_id = ? ORDER BY reviewer').all(outputId) as ReviewRow[]).map(reviewFromRow);
}

export function reviewsForProblem(db: Db, problemId: number): PeerReview[] {
  return (
    cachedStatement(
      db,
      'SELECT r.* FROM peer_reviews r JOIN teacher_outputs o ON o.id = r.output_id WHERE o.problem_id = ? ORDER BY r.output_id, r.reviewer',
    ).all(problemId) as ReviewRow[]
  ).map(reviewFromRow);
}
