import type { Problem } from '../model.ts';
import type { PromptOverrides } from '../prompts.ts';
import { problemText, promptMessages } from '../prompts.ts';
import { answersForProblem, upsertStudentAnswer } from '../store/answers.ts';
import { gradeAnswer } from '../tasks/grade.ts';
import type { Caller } from '../teachers/caller.ts';
import type { JobProgress } from './progress.ts';
import { recordFailure } from './progress.ts';
import type { Job, JobContext } from './runner.ts';
import { runItems, startJob } from './runner.ts';

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

export async function runExam(context: JobContext, student: Caller, problems: readonly Problem[], prompts: PromptOverrides = {}, running?: Job): Promise<ExamResult> {
  const { db, signal } = context;
  const job = running ?? startJob('exam', problems.length, context);
  let correct = 0;
  let wrong = 0;
  const progress = await runItems(
    problems,
    async (problem) => {
      if (answersForProblem(db, problem.id).some((a) => a.student === student.id)) {
        job.progress.existing++;
        return;
      }
      const outcome = await student.ask({ purpose: 'exam', messages: examMessages(problem, prompts) }, signal);
      if (!outcome.ok) {
        if (!outcome.aborted) recordFailure(job.progress, student.id, `problem ${problem.sourceId}`, outcome.reason);
        return;
      }
      const graded = gradeAnswer(problem, outcome.text);
      upsertStudentAnswer(db, { problemId: problem.id, student: student.id, rawOutput: outcome.text, ...graded, callId: outcome.callId });
      if (graded.correct) correct++;
      else wrong++;
      job.progress.done++;
      if (outcome.cached) job.progress.cached++;
    },
    job,
    signal,
  );
  return { ...progress, correct, wrong };
}
