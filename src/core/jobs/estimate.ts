import type { Problem, TeacherOutput } from '../model.ts';
import type { PromptOverrides } from '../prompts.ts';
import { answersForProblem } from '../store/answers.ts';
import type { Db } from '../store/db.ts';
import { outputsForProblem, reviewsForOutput } from '../store/outputs.ts';
import { chatRequest } from '../teachers/caller.ts';
import type { EndpointConfig } from '../teachers/client.ts';
import type { ReviewConfig } from '../teachers/config.ts';
import { endpointOf } from '../teachers/endpoint.ts';
import type { CallPurpose } from '../teachers/ledger.ts';
import { costOf, findAnswer, requestKey } from '../teachers/ledger.ts';
import type { ChatMessage } from '../teachers/types.ts';
import type { CollectJob } from './collect.ts';
import { critiqueMessages } from './critiques.ts';
import { examMessages } from './exam.ts';
import { rationaleMessages } from './rationales.ts';
import { reviewMessages } from './review.ts';
import type { Mistake } from './scope.ts';
import { problemsOf } from './scope.ts';

/**
 * What a run would cost, worked out without sending anything: the calls each job would make
 * (a filled slot or an answer in the ledger costs none), with estimated tokens and cost per
 * teacher at its own price. How tokens are estimated is said in ESTIMATE_METHOD, which every
 * caller prints with the figures.
 */
export const ESTIMATE_METHOD =
  "input tokens ≈ prompt characters / 4 (+4 per message); output tokens = the teacher's mean for that kind of call in the ledger, else its maxTokens (an upper bound); reviews counted as if none were skipped, outputs not yet written as maxTokens long";

export interface EstimateLine {
  job: CollectJob | 'exam';
  teacher: string;
  calls: number;
  /** Requests the ledger already answered: not sent again. */
  fromLedger: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
}

export interface Estimate {
  method: string;
  lines: EstimateLine[];
  calls: number;
  cost: number;
}

const CHARS_PER_TOKEN = 4;
const TOKENS_PER_MESSAGE = 4;

export function estimateTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((n, m) => n + Math.ceil(m.content.length / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE, 0);
}

/** Mean output tokens per (teacher, purpose) of the answers in the ledger. */
function meanOutputs(db: Db): Map<string, number> {
  const rows = db
    .prepare(`SELECT teacher, purpose, AVG(tokens_out) AS mean FROM calls WHERE status = 'ok' AND tokens_out IS NOT NULL GROUP BY teacher, purpose`)
    .all() as { teacher: string | null; purpose: string | null; mean: number }[];
  return new Map(rows.map((r) => [`${r.teacher ?? ''}\u0000${r.purpose ?? ''}`, r.mean]));
}

interface Tally {
  line(job: EstimateLine['job'], config: EndpointConfig): EstimateLine;
  add(job: EstimateLine['job'], config: EndpointConfig, purpose: CallPurpose, messages: ChatMessage[]): void;
  result(): Estimate;
}

function estimator(db: Db): Tally {
  const lines = new Map<string, EstimateLine>();
  const means = meanOutputs(db);
  const line = (job: EstimateLine['job'], config: EndpointConfig): EstimateLine => {
    const id = `${job}\u0000${config.id}`;
    let l = lines.get(id);
    if (!l) lines.set(id, (l = { job, teacher: config.id, calls: 0, fromLedger: 0, tokensIn: 0, tokensOut: 0, cost: 0 }));
    return l;
  };
  return {
    line,
    add(job, config, purpose, messages) {
      const l = line(job, config);
      const request = chatRequest(config, messages, 0);
      if (findAnswer(db, requestKey(endpointOf(config), request), config.id)) {
        l.fromLedger++;
        return;
      }
      const tokensIn = estimateTokens(messages);
      const tokensOut = Math.round(means.get(`${config.id}\u0000${purpose}`) ?? config.maxTokens);
      l.calls++;
      l.tokensIn += tokensIn;
      l.tokensOut += tokensOut;
      l.cost += costOf(tokensIn, tokensOut, config.price) ?? 0;
    },
    result() {
      const all = [...lines.values()];
      return { method: ESTIMATE_METHOD, lines: all, calls: all.reduce((n, l) => n + l.calls, 0), cost: all.reduce((n, l) => n + l.cost, 0) };
    },
  };
}

export interface CollectEstimateInput {
  teachers: readonly EndpointConfig[];
  jobs: readonly CollectJob[];
  mistakes: readonly Mistake[];
  review: ReviewConfig;
  prompts?: PromptOverrides;
}

/** A placeholder for an output not written yet: as long as its teacher may write. */
function plannedOutput(problem: Problem, kind: 'critique' | 'rationale', teacher: EndpointConfig, studentAnswerId: number | null): TeacherOutput {
  return {
    id: 0,
    problemId: problem.id,
    kind,
    teacher: teacher.id,
    sample: 0,
    studentAnswerId,
    text: 'x'.repeat(teacher.maxTokens * CHARS_PER_TOKEN),
    extractedAnswer: null,
    correct: null,
    callId: null,
    source: 'estimate',
    createdAt: '',
    truncated: false,
  };
}

export function estimateCollect(db: Db, input: CollectEstimateInput): Estimate {
  const tally = estimator(db);
  const prompts = input.prompts ?? {};
  const problems = problemsOf(input.mistakes);
  // Outputs the review would see: those stored, plus those this run's earlier jobs would write.
  const outputs = new Map<number, TeacherOutput[]>(problems.map((p) => [p.id, outputsForProblem(db, p.id).filter((o) => o.kind !== 'adhoc')]));
  const has = (problem: Problem, kind: 'critique' | 'rationale', teacher: string, studentAnswerId: number | null): boolean =>
    (outputs.get(problem.id) ?? []).some((o) => o.kind === kind && o.teacher === teacher && o.sample === 0 && o.studentAnswerId === studentAnswerId);
  for (const job of input.jobs) {
    for (const teacher of input.teachers) tally.line(job, teacher);
    if (job === 'critiques') {
      for (const mistake of input.mistakes) {
        for (const teacher of input.teachers) {
          if (has(mistake.problem, 'critique', teacher.id, mistake.answer.id)) continue;
          tally.add(job, teacher, 'critique', critiqueMessages(mistake, prompts));
          outputs.get(mistake.problem.id)?.push(plannedOutput(mistake.problem, 'critique', teacher, mistake.answer.id));
        }
      }
    } else if (job === 'rationales') {
      for (const problem of problems) {
        for (const teacher of input.teachers) {
          if (has(problem, 'rationale', teacher.id, null)) continue;
          tally.add(job, teacher, 'rationale', rationaleMessages(problem, prompts));
          outputs.get(problem.id)?.push(plannedOutput(problem, 'rationale', teacher, null));
        }
      }
    } else {
      for (const problem of problems) {
        for (const output of outputs.get(problem.id) ?? []) {
          const reviewed = new Set(output.id === 0 ? [] : reviewsForOutput(db, output.id).map((r) => r.reviewer));
          const studentOutput =
            output.studentAnswerId === null ? null : (answersForProblem(db, problem.id).find((a) => a.id === output.studentAnswerId)?.rawOutput ?? null);
          for (const reviewer of input.teachers) {
            if (reviewer.id === output.teacher || reviewed.has(reviewer.id)) continue;
            tally.add(job, reviewer, 'review', reviewMessages(problem, output, studentOutput, input.review.scale, prompts));
          }
        }
      }
    }
  }
  return tally.result();
}

export function estimateExam(db: Db, student: EndpointConfig, problems: readonly Problem[], prompts: PromptOverrides = {}): Estimate {
  const tally = estimator(db);
  tally.line('exam', student);
  for (const problem of problems) {
    if (answersForProblem(db, problem.id).some((a) => a.student === student.id)) continue;
    tally.add('exam', student, 'exam', examMessages(problem, prompts));
  }
  return tally.result();
}

/** Above this many calls, the editor asks before a collect run, showing the estimate. */
export const CONFIRM_ABOVE_CALLS = 100;

/** The confirmation's text for a run of more than CONFIRM_ABOVE_CALLS calls; undefined when no confirmation is due. */
export function estimateConfirmation(estimate: Estimate): string | undefined {
  if (estimate.calls <= CONFIRM_ABOVE_CALLS) return undefined;
  const perTeacher = estimate.lines.filter((l) => l.calls > 0).map((l) => `${l.job} ${l.teacher}: ${l.calls} calls ≈ $${l.cost.toFixed(2)}`);
  return `MAPD: this run makes about ${estimate.calls} calls, ≈ $${estimate.cost.toFixed(2)} (${perTeacher.join('; ')}). Estimated: ${estimate.method}.`;
}

/** The estimate as lines for a terminal. */
export function describeEstimate(estimate: Estimate): string[] {
  const lines = [`estimate, nothing sent (${estimate.method}):`];
  for (const l of estimate.lines) {
    lines.push(
      `  ${l.job} ${l.teacher}: ${l.calls} calls${l.fromLedger ? ` (+${l.fromLedger} answered in the ledger)` : ''}, ≈ ${l.tokensIn} in + ${l.tokensOut} out tokens, ≈ $${l.cost.toFixed(4)}`,
    );
  }
  lines.push(`  total: ${estimate.calls} calls, ≈ $${estimate.cost.toFixed(4)}`);
  return lines;
}
