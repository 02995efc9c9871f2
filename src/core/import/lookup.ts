import type { Problem, StudentAnswer, TaskName } from '../model.ts';
import { answerFromRow } from '../store/answers.ts';
import type { Db } from '../store/db.ts';
import { findProblemBySourceId } from '../store/problems.ts';

/** Finds the one problem a data row means by its source id; the error says why there is not one. */
export type ProblemMatch = { problem: Problem } | { error: string; next: string };

/** Row-by-row lookup for imports (the store prepares its statement once per connection). */
export function problemLookup(db: Db): (sourceId: string, task?: TaskName, split?: string) => ProblemMatch {
  return (sourceId, task, split) => {
    const rows = findProblemBySourceId(db, sourceId, task, split);
    const scope = [task, split].filter((s) => s !== undefined).join('/');
    if (rows.length === 0) {
      return {
        error: `no problem with id "${sourceId}"${scope ? ` in ${scope}` : ''} in this project`,
        next: 'Import the problems first (mapd import), or check the id and --task/--split',
      };
    }
    if (rows.length > 1) {
      const places = rows.map((p) => `${p.task}/${p.split}`).join(', ');
      return { error: `id "${sourceId}" is ambiguous: it names problems in ${places}`, next: 'Give "task" and "split" in the row, or --task/--split' };
    }
    return { problem: rows[0] as Problem };
  };
}

/** A problem's student answers, by student, with the statement prepared once. */
export function answerLookup(db: Db): {
  byStudent: (problemId: number, student: string) => StudentAnswer | undefined;
  wrong: (problemId: number) => StudentAnswer[];
} {
  const byStudent = db.prepare('SELECT * FROM student_answers WHERE problem_id = ? AND student = ?');
  const wrong = db.prepare('SELECT * FROM student_answers WHERE problem_id = ? AND correct = 0 ORDER BY id');
  return {
    byStudent: (problemId, student) => {
      const row = byStudent.get(problemId, student) as Parameters<typeof answerFromRow>[0] | undefined;
      return row && answerFromRow(row);
    },
    wrong: (problemId) => (wrong.all(problemId) as Parameters<typeof answerFromRow>[0][]).map(answerFromRow),
  };
}
