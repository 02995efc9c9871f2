import { gradeAnswer } from '../tasks/grade.ts';
import type { Grader } from './grading.ts';

/** Grades a rationale the way the task grades a student: its extractor, its comparison. */
export const taskGrader: Grader = (problem, text) => {
  const { extractedAnswer, correct } = gradeAnswer(problem, text);
  return { extracted: extractedAnswer, reachesGold: correct };
};
