import type { PromptOverrides } from '../prompts.ts';
import { problemText, promptMessages } from '../prompts.ts';
import { insertOutput, outputsForProblem } from '../store/outputs.ts';
import type { Caller } from '../teachers/caller.ts';
import type { JobProgress } from './progress.ts';
import { recordFailure } from './progress.ts';
import type { Job, JobContext } from './runner.ts';
import { runItems, startJob } from './runner.ts';
import type { Mistake } from './scope.ts';

/**
 * Every teacher critiques every mistake, shown the gold answer as a hint. A critique slot
 * already filled (an import, a previous run) is not asked again; an answered request is served
 * from the ledger; so a resumed run only does what is missing.
 */
export function critiqueMessages(mistake: Mistake, prompts: PromptOverrides = {}) {
  return promptMessages('critique', { question: problemText(mistake.problem), student_answer: mistake.answer.rawOutput, gold_answer: mistake.problem.goldAnswer }, prompts);
}

export async function runCritiques(context: JobContext, teachers: readonly Caller[], mistakes: readonly Mistake[], prompts: PromptOverrides = {}, job?: Job): Promise<JobProgress> {
  const items = mistakes.flatMap((mistake) => teachers.map((teacher) => ({ mistake, teacher })));
  const running = job ?? startJob('critiques', items.length, context);
  const { db, signal } = context;
  return runItems(
    items,
    async ({ mistake, teacher }) => {
      const filled = outputsForProblem(db, mistake.problem.id, 'critique').some((o) => o.teacher === teacher.id && o.sample === 0 && o.studentAnswerId === mistake.answer.id);
      if (filled) {
        running.progress.existing++;
        return;
      }
      const outcome = await teacher.ask({ purpose: 'critique', messages: critiqueMessages(mistake, prompts) }, signal);
      if (!outcome.ok) {
        if (!outcome.aborted) recordFailure(running.progress, teacher.id, `problem ${mistake.problem.sourceId}`, outcome.reason);
        return;
      }
      insertOutput(db, { problemId: mistake.problem.id, kind: 'critique', teacher: teacher.id, studentAnswerId: mistake.answer.id, text: outcome.text, callId: outcome.callId, source: 'api' });
      running.progress.done++;
      if (outcome.cached) running.progress.cached++;
    },
    running,
    signal,
  );
}
