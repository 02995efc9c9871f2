import type { Problem } from '../model.ts';
import type { PromptOverrides } from '../prompts.ts';
import { problemText, promptMessages } from '../prompts.ts';
import { insertOutput, outputsForProblem } from '../store/outputs.ts';
import { gradeAnswer } from '../tasks/grade.ts';
import type { Caller } from '../teachers/caller.ts';
import type { JobProgress } from './progress.ts';
import type { JobContext } from './runner.ts';
import { askAndKeep, runItems, startJob } from './runner.ts';

/** Every teacher answers every mistake's question step by step, without the hint; the answer is graded. */
export function rationaleMessages(problem: Problem, prompts: PromptOverrides = {}) {
  return promptMessages('rationale', { question: problemText(problem) }, prompts);
}

export async function runRationales(
  context: JobContext,
  teachers: readonly Caller[],
  problems: readonly Problem[],
  prompts: PromptOverrides = {},
): Promise<JobProgress> {
  const items = problems.flatMap((problem) => teachers.map((teacher) => ({ problem, teacher })));
  const job = startJob('rationales', items.length, context);
  const { db, signal } = context;
  return runItems(
    items,
    async ({ problem, teacher }) => {
      const filled = outputsForProblem(db, problem.id, 'rationale').some((o) => o.teacher === teacher.id && o.sample === 0 && o.studentAnswerId === null);
      if (filled) {
        job.progress.existing++;
        return;
      }
      await askAndKeep(job, teacher, { purpose: 'rationale', messages: rationaleMessages(problem, prompts) }, `problem ${problem.sourceId}`, signal, (answer) =>
        insertOutput(db, {
          problemId: problem.id,
          kind: 'rationale',
          teacher: teacher.id,
          text: answer.text,
          ...gradeAnswer(problem, answer.text),
          callId: answer.callId,
          truncated: answer.truncated,
          source: 'api',
        }),
      );
    },
    job,
    signal,
  );
}
