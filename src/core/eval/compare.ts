import { UserError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { cachedStatement } from '../store/db.ts';
import { getStudent } from '../store/students.ts';
import type { Interval } from './statistics.ts';
import { mcnemarExact, wilsonInterval } from './statistics.ts';

/**
 * Did the curated set help? Two students' graded answers on one split, paired by problem:
 * accuracy of each with a Wilson 95 % interval, McNemar's exact test on the problems where they
 * differ, and which problems flipped. Only problems both answered count (a comparison of two
 * students on different problems says nothing about either); the others are counted apart.
 */

export interface StudentAccuracy {
  student: string;
  correct: number;
  accuracy: number | null;
  interval: Interval | null;
}

export interface Flip {
  problemId: number;
  sourceId: string;
  task: string;
}

export interface PairedComparison {
  /** Problems both students answered. */
  paired: number;
  a: StudentAccuracy;
  b: StudentAccuracy;
  bothCorrect: number;
  bothWrong: number;
  /** A wrong, B right: what B gained. */
  wrongToRight: Flip[];
  /** A right, B wrong: what B lost. */
  rightToWrong: Flip[];
  /** McNemar's exact two-sided p on the flips; 1 when nothing flipped. */
  pValue: number;
}

export interface Comparison extends PairedComparison {
  students: [string, string];
  split: string;
  task: string | null;
  /** Answered by one student only, left out of the pairing. */
  onlyA: number;
  onlyB: number;
  /** The same per task when the split mixes tasks (one entry when it does not). */
  byTask: (PairedComparison & { task: string })[];
}

interface PairRow {
  problem_id: number;
  source_id: string;
  task: string;
  a: number | null;
  b: number | null;
}

export interface CompareRequest {
  students: [string, string];
  split: string;
  task?: string;
}

function accuracy(student: string, correct: number, paired: number): StudentAccuracy {
  return { student, correct, accuracy: paired > 0 ? correct / paired : null, interval: wilsonInterval(correct, paired) };
}

function pairUp(students: [string, string], rows: readonly PairRow[]): PairedComparison {
  let aCorrect = 0;
  let bCorrect = 0;
  let bothCorrect = 0;
  let bothWrong = 0;
  const wrongToRight: Flip[] = [];
  const rightToWrong: Flip[] = [];
  for (const row of rows) {
    const a = row.a === 1;
    const b = row.b === 1;
    if (a) aCorrect++;
    if (b) bCorrect++;
    if (a && b) bothCorrect++;
    else if (!a && !b) bothWrong++;
    else (a ? rightToWrong : wrongToRight).push({ problemId: row.problem_id, sourceId: row.source_id, task: row.task });
  }
  return {
    paired: rows.length,
    a: accuracy(students[0], aCorrect, rows.length),
    b: accuracy(students[1], bCorrect, rows.length),
    bothCorrect,
    bothWrong,
    wrongToRight,
    rightToWrong,
    pValue: mcnemarExact(wrongToRight.length, rightToWrong.length),
  };
}

/** Names of the students with answers, and on which splits (for messages that say what is there). */
export function answeredSplits(db: Db, student: string): string[] {
  return (
    cachedStatement(
      db,
      `SELECT DISTINCT p.task || '/' || p.split AS split FROM student_answers s JOIN problems p ON p.id = s.problem_id WHERE s.student = ? ORDER BY 1`,
    ).all(student) as { split: string }[]
  ).map((r) => r.split);
}

export function compareStudents(db: Db, request: CompareRequest): Comparison {
  const [nameA, nameB] = request.students;
  if (nameA === nameB) throw new UserError(`both students are "${nameA}"`, { next: 'Name two different students: --students BASE,TUNED' });
  for (const student of request.students) {
    const splits = answeredSplits(db, student);
    const here = splits.filter((s) => s.endsWith(`/${request.split}`) && (request.task === undefined || s.startsWith(`${request.task}/`)));
    if (here.length === 0) {
      const registered = getStudent(db, student);
      if (registered?.model) {
        throw new UserError(`student "${student}" has no answers on the ${request.task ? `${request.task}/` : ''}${request.split} split yet`, {
          next: `It has an endpoint (${registered.model}): add --exam --config FILE to examine it first, or run mapd exam --student ${student}`,
        });
      }
      throw new UserError(`student "${student}" has no answers on the ${request.task ? `${request.task}/` : ''}${request.split} split`, {
        next:
          splits.length > 0
            ? `It has answers on ${splits.join(', ')}. Run mapd exam for it on this split, or import its answers (mapd answers --student ${student})`
            : `Run mapd exam for it, or import its answers (mapd answers --student ${student} FILE)`,
      });
    }
  }
  const rows = cachedStatement(
    db,
    `SELECT p.id AS problem_id, p.source_id, p.task,
            (SELECT correct FROM student_answers WHERE problem_id = p.id AND student = @a) AS a,
            (SELECT correct FROM student_answers WHERE problem_id = p.id AND student = @b) AS b
       FROM problems p
      WHERE p.split = @split AND (@task IS NULL OR p.task = @task)
        AND EXISTS (SELECT 1 FROM student_answers WHERE problem_id = p.id AND student IN (@a, @b))
      ORDER BY p.id`,
  ).all({ a: nameA, b: nameB, split: request.split, task: request.task ?? null }) as PairRow[];
  const paired = rows.filter((r) => r.a !== null && r.b !== null);
  const tasks = [...new Set(paired.map((r) => r.task))];
  return {
    students: request.students,
    split: request.split,
    task: request.task ?? null,
    ...pairUp(request.students, paired),
    onlyA: rows.filter((r) => r.a !== null && r.b === null).length,
    onlyB: rows.filter((r) => r.a === null && r.b !== null).length,
    byTask: tasks.map((task) => ({
      task,
      ...pairUp(
        request.students,
        paired.filter((r) => r.task === task),
      ),
    })),
  };
}
