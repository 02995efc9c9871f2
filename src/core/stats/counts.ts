import type { Db } from '../store/db.ts';

export interface TeacherCounts {
  critiques: number;
  rationales: number;
  /** Peer reviews this teacher wrote about others' outputs. */
  reviewsGiven: number;
}

export interface ProjectCounts {
  problems: number;
  studentAnswers: number;
  mistakes: number;
  correct: number;
  outputs: { critique: number; rationale: number; adhoc: number };
  reviews: number;
  events: number;
  calls: number;
  perTeacher: Record<string, TeacherCounts>;
}

/** Row counts of a project, for `mapd stats` and status displays. Cheap: a few aggregate queries. */
export function projectCounts(db: Db): ProjectCounts {
  const count = (sql: string): number => (db.prepare(sql).pluck().get() as number | null) ?? 0;
  const answers = db.prepare('SELECT COUNT(*) AS total, COALESCE(SUM(correct), 0) AS correct FROM student_answers').get() as { total: number; correct: number };
  const outputs = { critique: 0, rationale: 0, adhoc: 0 };
  const perTeacher: Record<string, TeacherCounts> = {};
  const teacher = (name: string): TeacherCounts => (perTeacher[name] ??= { critiques: 0, rationales: 0, reviewsGiven: 0 });
  for (const row of db.prepare('SELECT teacher, kind, COUNT(*) AS n FROM teacher_outputs GROUP BY teacher, kind ORDER BY teacher').all() as {
    teacher: string;
    kind: keyof typeof outputs;
    n: number;
  }[]) {
    outputs[row.kind] += row.n;
    if (row.kind === 'critique') teacher(row.teacher).critiques += row.n;
    else if (row.kind === 'rationale') teacher(row.teacher).rationales += row.n;
  }
  for (const row of db.prepare('SELECT reviewer, COUNT(*) AS n FROM peer_reviews GROUP BY reviewer ORDER BY reviewer').all() as {
    reviewer: string;
    n: number;
  }[]) {
    teacher(row.reviewer).reviewsGiven += row.n;
  }
  return {
    problems: count('SELECT COUNT(*) FROM problems'),
    studentAnswers: answers.total,
    mistakes: answers.total - answers.correct,
    correct: answers.correct,
    outputs,
    reviews: count('SELECT COUNT(*) FROM peer_reviews'),
    events: count('SELECT COUNT(*) FROM curation_events'),
    calls: count('SELECT COUNT(*) FROM calls'),
    perTeacher: Object.fromEntries(Object.entries(perTeacher).sort(([a], [b]) => a.localeCompare(b))),
  };
}
