import type { Db } from '../store/db.ts';
import { ACTIVE_DECISIONS } from '../store/events.ts';
import { listStudents } from '../store/students.ts';
import type { Interval } from '../eval/statistics.ts';
import { wilsonInterval } from '../eval/statistics.ts';

/**
 * Per student and round: how it did on each split it answered, how many of its mistakes have a
 * decision in force on their critiques, and where it came from. A round is a student: the base
 * student is round 0, a student trained from it round 1, and so on along "trained from".
 */
export interface StudentSplitStats {
  task: string;
  split: string;
  answers: number;
  correct: number;
  accuracy: number;
  /** Wilson 95 % interval of the accuracy. */
  interval: Interval | null;
  mistakes: number;
  /** Mistakes with a decision in force on at least one of their critiques. */
  mistakesWithDecisions: number;
}

export interface StudentStats {
  student: string;
  round: number;
  trainedFrom: string | null;
  trainedOn: string | null;
  model: string | null;
  splits: StudentSplitStats[];
}

interface SplitRow {
  student: string;
  task: string;
  split: string;
  answers: number;
  correct: number;
  decided: number;
}

export function studentStats(db: Db): StudentStats[] {
  const rows = db
    .prepare(
      `WITH decided_answers AS (
         SELECT DISTINCT o.student_answer_id AS id FROM teacher_outputs o
          WHERE o.student_answer_id IS NOT NULL AND o.id IN (SELECT output_id FROM (${ACTIVE_DECISIONS})))
       SELECT a.student, p.task, p.split, COUNT(*) AS answers, SUM(a.correct) AS correct,
              SUM(a.correct = 0 AND a.id IN (SELECT id FROM decided_answers)) AS decided
         FROM student_answers a JOIN problems p ON p.id = a.problem_id
        GROUP BY a.student, p.task, p.split ORDER BY a.student, p.task, p.split`,
    )
    .all() as SplitRow[];
  const students = listStudents(db);
  const byName = new Map(students.map((s) => [s.name, s]));
  const round = (name: string, seen = new Set<string>()): number => {
    const from = byName.get(name)?.trainedFrom;
    if (!from || seen.has(from)) return 0;
    seen.add(name);
    return 1 + round(from, seen);
  };
  return students.map((s) => ({
    student: s.name,
    round: round(s.name),
    trainedFrom: s.trainedFrom,
    trainedOn: s.trainedOn,
    model: s.model,
    splits: rows
      .filter((r) => r.student === s.name)
      .map((r) => ({
        task: r.task,
        split: r.split,
        answers: r.answers,
        correct: r.correct,
        accuracy: r.answers > 0 ? r.correct / r.answers : 0,
        interval: wilsonInterval(r.correct, r.answers),
        mistakes: r.answers - r.correct,
        mistakesWithDecisions: r.decided,
      })),
  }));
}
