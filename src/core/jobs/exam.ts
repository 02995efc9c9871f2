import type { Problem } from '../model.ts';
import type { PromptOverrides } from '../prompts.ts';
import { problemText, promptMessages } from '../prompts.ts';
import { answersForProblem, upsertStudentAnswer } from '../store/answers.ts';
import { gradeAnswer } from '../tasks/grade.ts';
import type { Caller } from '../teachers/caller.ts';
import type { JobProgress } from './progress.ts';
import type { JobContext } from './runner.ts';
import { askAndKeep, runItems, startJob } from './runner.ts';

/**
 * The exam: the student endpoint answers every question of a split once; each answer is graded
 * with the task's extraction (none extracted = wrong) and stored; wrong answers are the mistakes.
 */
export function examMessages(problem: Problem, prompts: PromptOverrides = {}) {
  return promptMessages('exam', { question: problemText(problem) }, prompts);
}

export interface ExamResult extends JobProgress {
  correct: number;
  wrong: number;
}

export async function runExam(context: JobContext, student: Caller, problems: readonly Problem[], prompts: PromptOverrides = {}): Promise<ExamResult> {
  const { db, signal } = context;
  const job = startJob('exam', problems.length, context);
  let correct = 0;
  let wrong = 0;
  const progress = await runItems(
    problems,
    async (problem) => {
      if (answersForProblem(db, problem.id).some((a) => a.student === student.id)) {
        job.progress.existing++;
        return;
      }
      await askAndKeep(job, student, { purpose: 'exam', messages: examMessages(problem, prompts) }, `problem ${problem.sourceId}`, signal, (answer) => {
        const graded = gradeAnswer(problem, answer.text);
        upsertStudentAnswer(db, { problemId: problem.id, student: student.id, rawOutput: answer.text, ...graded, callId: answer.callId });
        if (graded.correct) correct++;
        else wrong++;
      });
    },
    job,
    signal,
  );
  return { ...progress, correct, wrong };
}
