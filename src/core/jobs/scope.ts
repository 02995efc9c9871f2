import type { Problem, StudentAnswer } from '../model.ts';
import { listMistakes } from '../store/answers.ts';
import type { Db } from '../store/db.ts';
import { getProblem } from '../store/problems.ts';

/** Which mistakes a job works on: all of them, one student's, or those of chosen problems. */
export interface MistakeScope {
  student?: string;
  problemIds?: readonly number[];
}

export interface Mistake {
  answer: StudentAnswer;
  problem: Problem;
}

export function mistakesInScope(db: Db, scope: MistakeScope = {}): Mistake[] {
  const wanted = scope.problemIds ? new Set(scope.problemIds) : undefined;
  const problems = new Map<number, Problem>();
  const out: Mistake[] = [];
  for (const answer of listMistakes(db, scope.student)) {
    if (wanted && !wanted.has(answer.problemId)) continue;
    let problem = problems.get(answer.problemId);
    if (!problem) {
      problem = getProblem(db, answer.problemId) as Problem;
      problems.set(answer.problemId, problem);
    }
    out.push({ answer, problem });
  }
  return out;
}

/** The distinct problems of some mistakes, in order. */
export function problemsOf(mistakes: readonly Mistake[]): Problem[] {
  const seen = new Map<number, Problem>();
  for (const m of mistakes) if (!seen.has(m.problem.id)) seen.set(m.problem.id, m.problem);
  return [...seen.values()];
}
