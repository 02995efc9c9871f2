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

/**
 * What the answer-key warning shows for a rationale: the answer its text reaches and whether
 * that is the gold answer. The curation panel (its "answer ≠ gold" warning and the mismatch
 * filter) and the export (which leaves such rationales out) both read it from rationaleAnswer.
 */
export interface Grade {
  extracted: string | null;
  reachesGold: boolean;
}

/**
 * The answer check of a rationale, the one rule behind the panel and the export: an edited text
 * is graded now (the curator may have changed the answer); the teacher's own text keeps the grade
 * stored when it was imported or collected, and is graded now only when it never was.
 */
export function rationaleAnswer(
  problem: Pick<Problem, 'task' | 'goldAnswer' | 'options'>,
  output: { text: string; extractedAnswer: string | null; correct: boolean | null },
  editedText: string | null,
): Grade {
  if (editedText === null && output.correct !== null) return { extracted: output.extractedAnswer, reachesGold: output.correct };
  const { extractedAnswer, correct } = gradeAnswer(problem, editedText ?? output.text);
  return { extracted: extractedAnswer, reachesGold: correct };
}
