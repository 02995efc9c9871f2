import { getTask } from '../tasks/index.ts';
import type { AnswerGrader } from './answerCheck.ts';

/** The task's own extraction and comparison: what grading on import and in the panel use too. */
export const defaultGrader: AnswerGrader = (problem, text) => {
  const task = getTask(problem.task);
  const extracted = task.extractAnswer(text, problem);
  return { extracted, consistent: task.isCorrect(extracted, problem.goldAnswer, problem) };
};
