import type { Db } from '../../../src/core/store/db.ts';
import { inTransaction } from '../../../src/core/store/db.ts';
import { recordDecision } from '../../../src/core/store/events.ts';

/** The release's teachers as the importer names them. */
export const TEACHERS = [
  { key: 'gpt', name: 'gpt-3.5-turbo' },
  { key: 'gemini', name: 'gemini-1.0-pro' },
  { key: 'mistral', name: 'mixtral-8x7b-instruct' },
] as const;

/**
 * A scripted, deterministic set of decisions over a project seeded from the SVAMP release. For
 * the i-th problem (by id, from 0):
 *   critiques:  i%4=0 accept gpt's · i%4=1 edit gemini's · i%4=2 reject all three · i%4=3 nothing
 *   rationales: i%3=0 accept all three · i%3=1 accept mistral's, reject gpt's ·
 *               i%3=2 edit gpt's: to end in the gold answer when i is even, in a wrong one when odd
 * 387 problems: critiques 97 accepted, 97 edited, 291 rejected; rationales 387 + 129 accepted,
 * 129 rejected, 129 edited (65 consistent, 64 not).
 */
export const CURATOR = 'alice';
export const WRONG_ANSWER = '123456789';

export function applyScript(db: Db): void {
  const problems = db.prepare("SELECT id, gold_answer FROM problems WHERE task = 'svamp' ORDER BY id").all() as { id: number; gold_answer: string }[];
  const outputOf = db.prepare('SELECT id, text FROM teacher_outputs WHERE problem_id = ? AND kind = ? AND teacher = ?');
  const name = (key: string): string => (TEACHERS.find((t) => t.key === key) as { name: string }).name;
  const out = (problemId: number, kind: string, key: string) => outputOf.get(problemId, kind, name(key)) as { id: number; text: string };
  inTransaction(db, () => {
    problems.forEach((problem, i) => {
      const decide = (kind: string, key: string, action: 'accept' | 'reject' | 'edit', text?: string) =>
        recordDecision(db, { outputId: out(problem.id, kind, key).id, action, curator: CURATOR, ...(text === undefined ? {} : { text }) });
      if (i % 4 === 0) decide('critique', 'gpt', 'accept');
      else if (i % 4 === 1) decide('critique', 'gemini', 'edit', `Curator's note: check each step.\n${out(problem.id, 'critique', 'gemini').text}`);
      else if (i % 4 === 2) for (const t of TEACHERS) decide('critique', t.key, 'reject');
      if (i % 3 === 0) for (const t of TEACHERS) decide('rationale', t.key, 'accept');
      else if (i % 3 === 1) {
        decide('rationale', 'mistral', 'accept');
        decide('rationale', 'gpt', 'reject');
      } else {
        const answer = i % 2 === 0 ? problem.gold_answer : WRONG_ANSWER;
        decide('rationale', 'gpt', 'edit', `Work through the quantities one at a time.\nThe answer is ${answer}.`);
      }
    });
  });
}
