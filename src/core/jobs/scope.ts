import type { Problem, StudentAnswer } from '../model.ts';
import { listMistakes } from '../store/answers.ts';
import type { Db } from '../store/db.ts';
import { getProblem } from '../store/problems.ts';

/** Which mistakes a job works on: all of them, one student's, or those of chosen problems; at most `limit`. */
export interface MistakeScope {
  student?: string;
  problemIds?: readonly number[];
  /** Problems by source id (`--problems chal-1,chal-2`). */
  sourceIds?: readonly string[];
  /** The first N mistakes in scope (`--limit N`): try a job small first. */
  limit?: number;
}

export interface Mistake {
  answer: StudentAnswer;
  problem: Problem;
}

export function mistakesInScope(db: Db, scope: MistakeScope = {}): Mistake[] {
  const wanted = scope.problemIds ? new Set(scope.problemIds) : undefined;
  const wantedSources = scope.sourceIds ? new Set(scope.sourceIds) : undefined;
  const problems = new Map<number, Problem>();
  const out: Mistake[] = [];
  for (const answer of listMistakes(db, scope.student)) {
    if (scope.limit !== undefined && out.length >= scope.limit) break;
    if (wanted && !wanted.has(answer.problemId)) continue;
    let problem = problems.get(answer.problemId);
    if (!problem) {
      problem = getProblem(db, answer.problemId) as Problem;
      problems.set(answer.problemId, problem);
    }
    if (wantedSources && !wantedSources.has(problem.sourceId)) continue;
    out.push({ answer, problem });
  }
  return out;
}

/** Problems chosen by source id and/or the first `limit` of them, for the exam. */
export function limitProblems(problems: readonly Problem[], scope: Pick<MistakeScope, 'sourceIds' | 'limit'>): Problem[] {
  const wanted = scope.sourceIds ? new Set(scope.sourceIds) : undefined;
  const chosen = wanted ? problems.filter((p) => wanted.has(p.sourceId)) : [...problems];
  return scope.limit === undefined ? chosen : chosen.slice(0, scope.limit);
}

/** Source ids asked for that name nothing in scope: said, not silently dropped. */
export function missingSourceIds(asked: readonly string[] | undefined, found: readonly { sourceId: string }[]): string[] {
  if (!asked) return [];
  const have = new Set(found.map((p) => p.sourceId));
  return asked.filter((id) => !have.has(id));
}

/** The distinct problems of some mistakes, in order. */
export function problemsOf(mistakes: readonly Mistake[]): Problem[] {
  const seen = new Map<number, Problem>();
  for (const m of mistakes) if (!seen.has(m.problem.id)) seen.set(m.problem.id, m.problem);
  return [...seen.values()];
}
