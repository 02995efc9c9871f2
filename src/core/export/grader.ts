import { gradeAnswer } from '../tasks/grade.ts';
import type { AnswerGrader } from './answerCheck.ts';

/** The task's own extraction and comparison: what grading on import and in the panel use too. */
export const defaultGrader: AnswerGrader = (problem, text) => {
  const { extractedAnswer, correct } = gradeAnswer(problem, text);
  return { extracted: extractedAnswer, consistent: correct };
};
