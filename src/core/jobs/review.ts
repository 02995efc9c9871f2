import type { Problem, TeacherOutput } from '../model.ts';
import type { PromptOverrides } from '../prompts.ts';
import { problemText, promptMessages } from '../prompts.ts';
import type { AcceptanceRule } from '../ranking.ts';
import { parseReviewScore, verdictCanChange } from '../ranking.ts';
import { getStudentAnswer } from '../store/answers.ts';
import { insertReview, outputsForProblem, reviewsForOutput } from '../store/outputs.ts';
import type { Caller } from '../teachers/caller.ts';
import type { ReviewConfig } from '../teachers/config.ts';
import type { JobProgress } from './progress.ts';
import type { JobContext } from './runner.ts';
import { askAndKeep, runItems, startJob } from './runner.ts';

/**
 * Peer review: every critique and every rationale of the problems in scope is scored by every
 * *other* teacher (the reviewer sees the gold answer). Reviews of one output run one after the
 * other, so that, when skipUndecidable is on, a review whose score cannot change the verdict
 * is skipped (and counted). An unparseable score is stored as null with the raw text.
 */
export function reviewMessages(problem: Problem, output: TeacherOutput, studentOutput: string | null, scale: { min: number; max: number }, prompts: PromptOverrides = {}) {
  const common = { question: problemText(problem), gold_answer: problem.goldAnswer, scale_min: String(scale.min), scale_max: String(scale.max) };
  return output.kind === 'critique'
    ? promptMessages('reviewCritique', { ...common, student_answer: studentOutput ?? '(not recorded)', critique: output.text }, prompts)
    : promptMessages('reviewRationale', { ...common, rationale: output.text }, prompts);
}

export function ruleOf(review: ReviewConfig): AcceptanceRule {
  return { aggregation: review.aggregation, threshold: review.threshold, scale: review.scale };
}

export async function runReview(context: JobContext, teachers: readonly Caller[], problems: readonly Problem[], review: ReviewConfig, prompts: PromptOverrides = {}): Promise<JobProgress> {
  const { db, signal } = context;
  const outputs = problems.flatMap((problem) => outputsForProblem(db, problem.id).filter((o) => o.kind !== 'adhoc').map((output) => ({ problem, output })));
  // Every output is reviewed by every teacher but its author.
  const total = outputs.reduce((n, { output }) => n + teachers.filter((t) => t.id !== output.teacher).length, 0);
  const job = startJob('review', total, context);
  const rule = ruleOf(review);
  const reviewersOf = (output: TeacherOutput): Caller[] => teachers.filter((t) => t.id !== output.teacher).sort((a, b) => (a.id < b.id ? -1 : 1));
  return runItems(
    outputs,
    async ({ problem, output }) => {
      const reviewers = reviewersOf(output);
      const studentOutput = output.studentAnswerId === null ? null : (getStudentAnswer(db, output.studentAnswerId)?.rawOutput ?? null);
      for (let i = 0; i < reviewers.length; i++) {
        if (signal?.aborted) return;
        const reviewer = reviewers[i] as Caller;
        const existing = reviewsForOutput(db, output.id);
        if (existing.some((r) => r.reviewer === reviewer.id)) {
          job.progress.existing++;
          continue;
        }
        if (review.skipUndecidable) {
          const pending = reviewers.slice(i).filter((r) => !existing.some((e) => e.reviewer === r.id)).length;
          if (!verdictCanChange(existing.map((r) => r.score), pending, rule)) {
            job.progress.skipped += reviewers.length - i;
            return;
          }
        }
        const kept = await askAndKeep(job, reviewer, { purpose: 'review', messages: reviewMessages(problem, output, studentOutput, review.scale, prompts) }, `review of output ${output.id}`, signal, (answer) =>
          insertReview(db, { outputId: output.id, reviewer: reviewer.id, rawText: answer.text, score: parseReviewScore(answer.text, review.scale), callId: answer.callId }),
        );
        if (kept) job.report();
      }
    },
    job,
    signal,
  );
}
