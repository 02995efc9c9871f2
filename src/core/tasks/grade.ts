import type { Problem } from '../model.ts';
import { getTask } from './index.ts';
import type { TaskSpec } from './types.ts';

/** A text's final answer and its grade, named as the store keeps them on answers and outputs. */
export interface AnswerGrade {
  extractedAnswer: string | null;
  /** Whether the extracted answer matches gold; nothing extracted is wrong. */
  correct: boolean;
}

/** Grades a text with a task's own extraction and comparison, against a gold answer. */
export function gradeWith(task: TaskSpec, text: string, gold: string, problem?: { options?: string[] }): AnswerGrade {
  const extractedAnswer = task.extractAnswer(text, problem);
  return { extractedAnswer, correct: task.isCorrect(extractedAnswer, gold, problem) };
}

/**
 * Grades a text against its problem the way the problem's task grades a student: the one grading
 * behind the exam, collected rationales, the curation panel and the export.
 */
export function gradeAnswer(problem: Pick<Problem, 'task' | 'goldAnswer' | 'options'>, text: string): AnswerGrade {
  return gradeWith(getTask(problem.task), text, problem.goldAnswer, problem);
}
