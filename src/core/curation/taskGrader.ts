import { getTask } from '../tasks/index.ts';
import type { Grader } from './grading.ts';

/** Grades a rationale the way the task grades a student: its extractor, its comparison. */
export const taskGrader: Grader = (problem, text) => {
  const task = getTask(problem.task);
  const options = problem.options ? { options: problem.options } : undefined;
  const extracted = task.extractAnswer(text, options);
  return { extracted, reachesGold: task.isCorrect(extracted, problem.goldAnswer, options) };
};
