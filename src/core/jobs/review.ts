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
 * *other* teacher (the reviewer sees the gold answer). Each output's reviewers are asked in one
 * fixed order (by id), one after the other. When skipUndecidable is on, the decision to skip the
 * rest is taken only from a complete prefix of that order: a failed review holds back that
 * output's later reviewers until it succeeds (a rerun). So the same inputs and the same answers
 * give the same stored reviews, whatever failed when. An unparseable score is stored as null
 * with the raw text.
 */
export function reviewMessages(
  problem: Problem,
  output: TeacherOutput,
  studentOutput: string | null,
  scale: { min: number; max: number },
  prompts: PromptOverrides = {},
) {
  const common = { question: problemText(problem), gold_answer: problem.goldAnswer, scale_min: String(scale.min), scale_max: String(scale.max) };
  return output.kind === 'critique'
    ? promptMessages('reviewCritique', { ...common, student_answer: studentOutput ?? '(not recorded)', critique: output.text }, prompts)
    : promptMessages('reviewRationale', { ...common, rationale: output.text }, prompts);
}

export function ruleOf(review: ReviewConfig): AcceptanceRule {
  return { aggregation: review.aggregation, threshold: review.threshold, scale: review.scale };
}

export async function runReview(
  context: JobContext,
  teachers: readonly Caller[],
  problems: readonly Problem[],
  review: ReviewConfig,
  prompts: PromptOverrides = {},
): Promise<JobProgress> {
  const { db, signal } = context;
  const outputs = problems.flatMap((problem) =>
    outputsForProblem(db, problem.id)
      .filter((o) => o.kind !== 'adhoc')
      .map((output) => ({ problem, output })),
  );
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
      const stored = new Map(reviewsForOutput(db, output.id).map((r) => [r.reviewer, r]));
      // Scores of the reviewers before i, every one of them present: the prefix the skip decision reads.
      const prefix: (number | null)[] = [];
      for (let i = 0; i < reviewers.length; i++) {
        if (signal?.aborted) return;
        const reviewer = reviewers[i] as Caller;
        const have = stored.get(reviewer.id);
        if (have) {
          job.progress.existing++;
          prefix.push(have.score);
          continue;
        }
        if (review.skipUndecidable && !verdictCanChange(prefix, reviewers.length - i, rule)) {
          // Reviews already stored further on (an import) stay and count as existing, not skipped.
          const later = reviewers.slice(i);
          job.progress.skipped += later.filter((r) => !stored.has(r.id)).length;
          job.progress.existing += later.filter((r) => stored.has(r.id)).length;
          return;
        }
        let score: number | null = null;
        const kept = await askAndKeep(
          job,
          reviewer,
          { purpose: 'review', messages: reviewMessages(problem, output, studentOutput, review.scale, prompts) },
          `review of output ${output.id}`,
          signal,
          (answer) => {
            score = parseReviewScore(answer.text, review.scale);
            insertReview(db, { outputId: output.id, reviewer: reviewer.id, rawText: answer.text, score, callId: answer.callId });
          },
        );
        if (!kept) {
          // The order holds: later reviewers wait for this one (existing ones still count as existing).
          if (signal?.aborted) return;
          const later = reviewers.slice(i + 1);
          job.progress.heldBack += later.filter((r) => !stored.has(r.id)).length;
          job.progress.existing += later.filter((r) => stored.has(r.id)).length;
          return;
        }
        prefix.push(score);
        job.report();
      }
    },
    job,
    signal,
  );
}
