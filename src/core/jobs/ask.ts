import { Cancelled, UserError } from '../errors.ts';
import type { Problem, StudentAnswer } from '../model.ts';
import type { PromptOverrides } from '../prompts.ts';
import { problemText } from '../prompts.ts';
import { answersForProblem } from '../store/answers.ts';
import type { Db } from '../store/db.ts';
import { insertOutput } from '../store/outputs.ts';
import { gradeAnswer } from '../tasks/grade.ts';
import type { KeySource } from '../teachers/client.ts';
import type { TeacherConfig } from '../teachers/config.ts';
import { critiqueMessages } from './critiques.ts';
import { rationaleMessages } from './rationales.ts';
import { openCallers } from './runner.ts';

/**
 * One question to one teacher (the palette's "Ask Teacher…" and `mapd ask`): a critique of a
 * mistake, a rationale for a problem or a free text, or a free prompt. The call goes through
 * the ledger like any other. On request the answer is kept: as the teacher's critique or
 * rationale when that slot is free, else as an ad-hoc output of the problem.
 */
export type AskKind = 'critique' | 'rationale' | 'free';
export const ASK_KINDS: readonly AskKind[] = ['critique', 'rationale', 'free'];

export interface AskOptions {
  teacher: TeacherConfig;
  keys: KeySource;
  kind: AskKind;
  problem?: Problem;
  /** Free text: the question (rationale) or the prompt (free). */
  text?: string;
  /** Which student's wrong answer a critique is about (default: the first wrong one). */
  student?: string;
  keep?: boolean;
  prompts?: PromptOverrides;
  signal?: AbortSignal;
  /** Streams the answer: told of the text so far as it arrives (a cached answer is not streamed). */
  onText?: (textSoFar: string) => void;
}

export interface AskResult {
  text: string;
  callId: number;
  cached: boolean;
  tokensIn: number | null;
  tokensOut: number | null;
  cost: number | null;
  truncated: boolean;
  kept?: { outputId: number; kind: 'critique' | 'rationale' | 'adhoc' };
}

function wrongAnswer(db: Db, problem: Problem, student: string | undefined): StudentAnswer {
  const answers = answersForProblem(db, problem.id).filter((a) => !a.correct && (student === undefined || a.student === student));
  const first = answers[0];
  if (!first)
    throw new UserError(`problem ${problem.sourceId} has no wrong student answer${student ? ` from "${student}"` : ''} to critique`, {
      next: 'Choose a mistake, or ask for a rationale instead',
    });
  return first;
}

export async function askTeacher(db: Db, options: AskOptions): Promise<AskResult> {
  const { kind, problem, text } = options;
  const prompts = options.prompts ?? {};
  let messages: { role: 'system' | 'user'; content: string }[];
  let answer: StudentAnswer | undefined;
  if (kind === 'critique') {
    if (!problem)
      throw new UserError('a critique needs a problem (a student mistake)', { next: 'Choose a problem (--problem), or ask for a rationale or a free prompt' });
    answer = wrongAnswer(db, problem, options.student);
    messages = critiqueMessages({ problem, answer }, prompts);
  } else if (kind === 'rationale') {
    const subject = problem ?? (text ? { question: text } : undefined);
    if (!subject) throw new UserError('a rationale needs a problem or a question text', { next: 'Give --problem or --text' });
    messages = rationaleMessages(subject as Problem, prompts);
  } else {
    if (!text || text.trim() === '') throw new UserError('a free prompt needs its text', { next: 'Give --text "…"' });
    messages = [{ role: 'user', content: problem ? `${problemText(problem)}\n\n${text}` : text }];
  }
  const [caller] = await openCallers(db, [options.teacher], options.keys);
  const outcome = await (caller as NonNullable<typeof caller>).ask(
    { purpose: kind === 'free' ? 'adhoc' : kind, messages, ...(options.onText ? { onText: options.onText } : {}) },
    options.signal,
  );
  if (!outcome.ok) {
    if (outcome.aborted) throw new Cancelled('cancelled. Ask again when ready');
    const endpoint = options.teacher.baseUrl ? ` at ${options.teacher.baseUrl}` : '';
    throw new UserError(`teacher "${options.teacher.id}"${endpoint} did not answer: ${outcome.reason}`, {
      next: 'The failure is in the call ledger; check the endpoint, the key and the model name, then ask again',
    });
  }
  const result: AskResult = {
    text: outcome.text,
    callId: outcome.callId,
    cached: outcome.cached,
    tokensIn: outcome.tokensIn,
    tokensOut: outcome.tokensOut,
    cost: outcome.cost,
    truncated: outcome.truncated,
  };
  if (options.keep) {
    if (!problem) throw new UserError('only an answer about a problem can be kept', { next: 'Ask about a problem of the project to keep the answer' });
    const base = {
      problemId: problem.id,
      teacher: options.teacher.id,
      text: outcome.text,
      callId: outcome.callId,
      truncated: outcome.truncated,
      source: 'ask',
    };
    if (kind === 'critique' && answer) {
      const stored = insertOutput(db, { ...base, kind: 'critique', studentAnswerId: answer.id });
      result.kept = stored.created
        ? { outputId: stored.id, kind: 'critique' }
        : { outputId: insertOutput(db, { ...base, kind: 'adhoc', studentAnswerId: answer.id }).id, kind: 'adhoc' };
    } else if (kind === 'rationale') {
      const stored = insertOutput(db, { ...base, kind: 'rationale', ...gradeAnswer(problem, outcome.text) });
      result.kept = stored.created ? { outputId: stored.id, kind: 'rationale' } : { outputId: insertOutput(db, { ...base, kind: 'adhoc' }).id, kind: 'adhoc' };
    } else {
      result.kept = { outputId: insertOutput(db, { ...base, kind: 'adhoc' }).id, kind: 'adhoc' };
    }
  }
  return result;
}
