import type { Problem, TeacherOutput } from '../model.ts';

/** Whether a rationale's final answer reaches the gold answer. */
export interface AnswerCheck {
  extracted: string | null;
  /** True when the extracted answer matches gold. */
  consistent: boolean;
}

/** Extracts and grades the final answer of a text for a problem (the task's own extraction). */
export type AnswerGrader = (problem: Problem, text: string) => AnswerCheck;

/**
 * The answer check of a rationale as it would be exported: an edited text is re-extracted (the
 * human may have changed the answer); an unedited one keeps the grade stored at import or
 * collection, and is graded now only when it never was.
 */
export function checkRationale(problem: Problem, output: TeacherOutput, editedText: string | null, grade: AnswerGrader): AnswerCheck {
  if (editedText !== null) return grade(problem, editedText);
  if (output.correct !== null) return { extracted: output.extractedAnswer, consistent: output.correct };
  return grade(problem, output.text);
}
