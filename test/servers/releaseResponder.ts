import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { ChatInput, Responder } from './fakeServer.ts';

/**
 * Answers with the paper's real teacher texts (read at run time from ../shared/data/mapd_release,
 * never copied): a critique request gets that teacher's feedback for the question, a rationale
 * request its rationale, a review a score in one of the ways reviewers write them. The teacher
 * is chosen by the model name (gpt…, gemini…, mistral/mixtral…).
 */
interface ReleaseRow {
  feedback: Record<string, string>;
  rationale: Record<string, string>;
}

const normalise = (text: string): string => text.replace(/\s+/g, ' ').trim();

function teacherOf(model: string): 'gpt' | 'gemini' | 'mistral' {
  if (/gemini/i.test(model)) return 'gemini';
  if (/mistral|mixtral|claude/i.test(model)) return 'mistral';
  return 'gpt';
}

const SCORE_STYLES: readonly ((n: number) => string)[] = [
  (n) => `The steps are checked against the gold answer. Score: ${n}`,
  (n) => `Mostly sound, with small gaps. [${n}]`,
  (n) => `Weighing accuracy and clarity, I would give it a ${n}.`,
  (n) => `**Rating:** ${n} out of 5`,
];

export function releaseResponder(feedbackFile: string, rationaleFile: string): Responder {
  const feedback = JSON.parse(fs.readFileSync(feedbackFile, 'utf8')) as Record<string, unknown>[];
  const rationale = JSON.parse(fs.readFileSync(rationaleFile, 'utf8')) as Record<string, unknown>[];
  const byQuestion = new Map<string, ReleaseRow>();
  for (const [i, f] of feedback.entries()) {
    const r = rationale[i] ?? {};
    const row: ReleaseRow = { feedback: {}, rationale: {} };
    for (const t of ['gpt', 'gemini', 'mistral']) {
      row.feedback[t] = String(f[`${t}_feedback`] ?? '');
      const rat = r[`${t}_rationale`];
      row.rationale[t] = Array.isArray(rat) ? String(rat[0]) : '';
    }
    byQuestion.set(normalise(String(f.question)), row);
  }
  return (input: ChatInput): string => {
    const user = input.messages
      .filter((m) => m.role === 'user')
      .map((m) => m.content)
      .join('\n');
    const question = /Question:\n([\s\S]*?)\n\n/.exec(user)?.[1];
    const row = question ? byQuestion.get(normalise(question)) : undefined;
    const teacher = teacherOf(input.model);
    if (/Score: N/.test(user)) {
      const digest = createHash('sha256')
        .update(input.model + user)
        .digest();
      const score = [5, 4, 4, 3, 5, 2, 1, 4][(digest[0] as number) % 8] as number;
      return (SCORE_STYLES[(digest[1] as number) % SCORE_STYLES.length] as (n: number) => string)(score);
    }
    if (/Hint: the correct answer is/.test(user)) return row?.feedback[teacher] || `Check the arithmetic again (${teacher}).`;
    return row?.rationale[teacher] || `Step by step (${teacher}). The answer is 0.`;
  };
}
