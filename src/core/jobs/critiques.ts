import type { PromptOverrides } from '../prompts.ts';
import { problemText, promptMessages } from '../prompts.ts';
import { insertOutput, outputsForProblem } from '../store/outputs.ts';
import type { Caller } from '../teachers/caller.ts';
import type { JobProgress } from './progress.ts';
import type { JobContext } from './runner.ts';
import { askAndKeep, runItems, startJob } from './runner.ts';
import type { Mistake } from './scope.ts';

/**
 * Every teacher critiques every mistake, shown the gold answer as a hint. A critique slot
 * already filled (an import, a previous run) is not asked again; an answered request is served
 * from the ledger; so a resumed run only does what is missing.
 */
export function critiqueMessages(mistake: Mistake, prompts: PromptOverrides = {}) {
  return promptMessages(
    'critique',
    { question: problemText(mistake.problem), student_answer: mistake.answer.rawOutput, gold_answer: mistake.problem.goldAnswer },
    prompts,
  );
}

export async function runCritiques(
  context: JobContext,
  teachers: readonly Caller[],
  mistakes: readonly Mistake[],
  prompts: PromptOverrides = {},
): Promise<JobProgress> {
  const items = mistakes.flatMap((mistake) => teachers.map((teacher) => ({ mistake, teacher })));
  const job = startJob('critiques', items.length, context);
  const { db, signal } = context;
  return runItems(
    items,
    async ({ mistake, teacher }) => {
      const filled = outputsForProblem(db, mistake.problem.id, 'critique').some(
        (o) => o.teacher === teacher.id && o.sample === 0 && o.studentAnswerId === mistake.answer.id,
      );
      if (filled) {
        job.progress.existing++;
        return;
      }
      await askAndKeep(
        job,
        teacher,
        { purpose: 'critique', messages: critiqueMessages(mistake, prompts) },
        `problem ${mistake.problem.sourceId}`,
        signal,
        (answer) =>
          insertOutput(db, {
            problemId: mistake.problem.id,
            kind: 'critique',
            teacher: teacher.id,
            studentAnswerId: mistake.answer.id,
            text: answer.text,
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
