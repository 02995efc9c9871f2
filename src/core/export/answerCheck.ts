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

// ---------------------------------------------------------------------------------------------
// A small stand-in grader until the task modules (src/core/tasks) offer extraction: numbers for
// math word problems, yes/no for StrategyQA, an option letter for multiple choice.

const NUMBER = /-?\$?\d[\d,]*(?:\.\d+)?/g;

function lastNumber(text: string): string | null {
  const marked = /(?:answer is|answer:|####)\s*\**\s*(-?\$?\d[\d,]*(?:\.\d+)?)/i.exec(text);
  const raw = marked?.[1] ?? [...text.matchAll(NUMBER)].pop()?.[0];
  if (raw === undefined) return null;
  return raw.replace(/[$,]/g, '');
}

function sameNumber(a: string, b: string): boolean {
  const x = Number(a.replace(/[$,]/g, ''));
  const y = Number(b.replace(/[$,]/g, ''));
  return Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) < 1e-6;
}

function yesNo(text: string): string | null {
  const match = /\b(true|false|yes|no)\b/i.exec(text);
  if (!match?.[1]) return null;
  const word = match[1].toLowerCase();
  return word === 'true' || word === 'yes' ? 'true' : 'false';
}

function optionLetter(text: string): string | null {
  const match = /(?:answer is|answer:|option)\s*\(?([A-E])\b/i.exec(text) ?? /\(([A-E])\)/.exec(text);
  return match?.[1]?.toUpperCase() ?? null;
}

export const fallbackGrader: AnswerGrader = (problem, text) => {
  if (problem.task === 'strategyqa') {
    const extracted = yesNo(text);
    const gold = yesNo(problem.goldAnswer);
    return { extracted, consistent: extracted !== null && extracted === gold };
  }
  if (problem.options && problem.options.length > 0) {
    const extracted = optionLetter(text);
    return { extracted, consistent: extracted !== null && extracted === problem.goldAnswer.trim().toUpperCase() };
  }
  const extracted = lastNumber(text);
  return { extracted, consistent: extracted !== null && sameNumber(extracted, problem.goldAnswer) };
};
