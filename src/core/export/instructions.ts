import type { Problem, TaskName } from '../model.ts';
import { problemText } from '../prompts.ts';

/**
 * The prompts of the exported training examples, in one place. They follow the paper's training
 * recipe (its train_rationale / train_feedback prompts): the rationale task sees the question
 * alone; the feedback task sees the question, the student's wrong answer and the gold answer as a
 * hint. Wording is ours; the structure is the paper's, so a student trained on our export is
 * trained on the same two tasks.
 */

const RATIONALE_INSTRUCTION: Record<TaskName, string> = {
  gsm8k: "Answer the following question. Let's think step by step.",
  svamp: "Answer the following question. Let's think step by step.",
  strategyqa: 'Answer the following question. Let\'s think step by step. First answer "true" or "false", then explain how you reached that conclusion.',
  logiqa: 'Answer the following question based on the given context, query and options. Explain your reasoning, then name the correct option.',
  commonsenseqa: "Answer the following multiple-choice question. Let's think step by step, then name the correct option.",
  arc: "Answer the following multiple-choice question. Let's think step by step, then name the correct option.",
  jsonl: "Answer the following question. Let's think step by step.",
};

export const FEEDBACK_INSTRUCTION =
  "Imagine you are a teacher. You are given one student's incorrect answer to a question, and the correct answer as a hint. Point out the mistakes in the student's answer.";

export function rationaleInstruction(task: TaskName): string {
  return RATIONALE_INSTRUCTION[task];
}

/** What the feedback input shows for a student output that is blank (the release has some). */
export const NO_STUDENT_ANSWER = '(no answer)';

/**
 * The feedback task's input: question, the student's wrong answer, the gold answer as a hint. The
 * question is rendered as the teachers saw it (problemText), like the rationale task's input.
 */
export function feedbackInput(problem: Pick<Problem, 'question' | 'context' | 'options' | 'goldAnswer'>, studentOutput: string): string {
  const answer = studentOutput.trim() || NO_STUDENT_ANSWER;
  return `Question: ${problemText(problem)}\nStudent's Answer: ${answer}\nHint: The correct answer should be ${problem.goldAnswer}.`;
}

/** One chat user turn from an instruction and its input, the way alpaca templates join them. */
export function chatUserContent(instruction: string, input: string): string {
  return input ? `${instruction}\n\n${input}` : instruction;
}
