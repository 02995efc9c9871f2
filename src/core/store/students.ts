import type { Db } from './db.ts';
import { cachedStatement, nowIso } from './db.ts';

/**
 * Students: a name (the one their answers carry), an optional endpoint, and what they were
 * trained from — the base student and the export it was fine-tuned on. A student known only
 * from its answers has no row; `listStudents` shows those too.
 */
export interface Student {
  name: string;
  provider: 'openai' | 'openai-compatible' | null;
  model: string | null;
  baseUrl: string | null;
  trainedFrom: string | null;
  trainedOn: string | null;
  finetuneJob: string | null;
  /** Answers stored for it, across splits. */
  answers: number;
}

interface StudentRow {
  name: string;
  provider: Student['provider'];
  model: string | null;
  base_url: string | null;
  trained_from: string | null;
  trained_on: string | null;
  finetune_job: string | null;
  answers: number;
}

export type StudentInput = Omit<Student, 'answers' | 'finetuneJob'> & { finetuneJob?: string | null };

/** Adds or updates a student (by name). */
export function upsertStudent(db: Db, student: StudentInput): void {
  cachedStatement(
    db,
    `INSERT INTO students (name, provider, model, base_url, trained_from, trained_on, finetune_job, created_at)
      VALUES (@name, @provider, @model, @baseUrl, @trainedFrom, @trainedOn, @finetuneJob, @createdAt)
      ON CONFLICT (name) DO UPDATE SET provider = excluded.provider, model = excluded.model, base_url = excluded.base_url,
        trained_from = excluded.trained_from, trained_on = excluded.trained_on, finetune_job = COALESCE(excluded.finetune_job, students.finetune_job)`,
  ).run({
    ...student,
    finetuneJob: student.finetuneJob ?? null,
    createdAt: nowIso(),
  });
}

/** Every student: the registered ones and those known only from their answers, by name. */
export function listStudents(db: Db): Student[] {
  const rows = cachedStatement(
    db,
    `WITH named AS (SELECT name FROM students UNION SELECT DISTINCT student FROM student_answers)
      SELECT n.name, s.provider, s.model, s.base_url, s.trained_from, s.trained_on, s.finetune_job,
             (SELECT COUNT(*) FROM student_answers a WHERE a.student = n.name) AS answers
        FROM named n LEFT JOIN students s ON s.name = n.name ORDER BY n.name`,
  ).all() as StudentRow[];
  return rows.map((r) => ({
    name: r.name,
    provider: r.provider,
    model: r.model,
    baseUrl: r.base_url,
    trainedFrom: r.trained_from,
    trainedOn: r.trained_on,
    finetuneJob: r.finetune_job,
    answers: r.answers,
  }));
}

export function getStudent(db: Db, name: string): Student | undefined {
  const row = cachedStatement(
    db,
    `SELECT s.*, (SELECT COUNT(*) FROM student_answers a WHERE a.student = s.name) AS answers FROM students s WHERE s.name = ?`,
  ).get(name) as StudentRow | undefined;
  if (row)
    return {
      name: row.name,
      provider: row.provider,
      model: row.model,
      baseUrl: row.base_url,
      trainedFrom: row.trained_from,
      trainedOn: row.trained_on,
      finetuneJob: row.finetune_job,
      answers: row.answers,
    };
  return listStudents(db).find((s) => s.name === name);
}
