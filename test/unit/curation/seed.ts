import path from 'node:path';
import type { Db } from '../../../src/core/store/db.ts';
import { openStore, inTransaction } from '../../../src/core/store/db.ts';
import { insertProblems, listProblems } from '../../../src/core/store/problems.ts';
import { upsertStudentAnswer } from '../../../src/core/store/answers.ts';
import { insertOutput, insertReview } from '../../../src/core/store/outputs.ts';
import { tempDir } from '../helpers.ts';

export const TEACHERS = ['gemini', 'gpt', 'mixtral'] as const;

export interface SeedSpec {
  /** Per teacher: its critique's two peer scores and its rationale's answer and two peer scores. */
  critiqueScores?: Record<string, [number | null, number | null]>;
  rationaleScores?: Record<string, [number | null, number | null]>;
  rationaleAnswers?: Record<string, string>;
}

/**
 * A project of `count` arithmetic problems "What is i + i?"; problems with an odd index are
 * answered correctly by the student, the rest wrongly (mistakes); each mistake has a critique and a
 * rationale from every teacher, each reviewed by the two other teachers.
 */
export function seedProject(t: { after: (fn: () => void) => void }, count: number, spec: (i: number) => SeedSpec = () => ({})): { db: Db; file: string } {
  const file = path.join(tempDir(t), 'curation.db');
  const db = openStore(file);
  t.after(() => db.close());
  insertProblems(
    db,
    'svamp',
    'train',
    'synthetic.json',
    Array.from({ length: count }, (_, i) => ({ sourceId: `p${i}`, question: `What is ${i} + ${i}? (item ${i})`, goldAnswer: String(2 * i) })),
  );
  const problems = listProblems(db);
  inTransaction(db, () => {
    problems.forEach((problem, i) => {
      const wrong = i % 2 === 0;
      const answerId = upsertStudentAnswer(db, {
        problemId: problem.id,
        student: 'llama',
        rawOutput: wrong ? `I think ${i} + ${i} = ${2 * i + 1}.` : `${2 * i}`,
        extractedAnswer: wrong ? String(2 * i + 1) : String(2 * i),
        correct: !wrong,
      });
      if (!wrong) return;
      const s = spec(i);
      for (const teacher of TEACHERS) {
        const reviewers = TEACHERS.filter((r) => r !== teacher);
        const critique = insertOutput(db, {
          problemId: problem.id,
          kind: 'critique',
          teacher,
          studentAnswerId: answerId,
          text: `${teacher} says: you added one too many in item ${i}.`,
          source: 'test',
        });
        const answer = s.rationaleAnswers?.[teacher] ?? String(2 * i);
        const rationale = insertOutput(db, {
          problemId: problem.id,
          kind: 'rationale',
          teacher,
          text: `${teacher}: ${i} + ${i} = ${answer}. The answer is ${answer}.`,
          source: 'test',
        });
        const cs = s.critiqueScores?.[teacher] ?? [4, 4];
        const rs = s.rationaleScores?.[teacher] ?? [4, 4];
        reviewers.forEach((reviewer, r) => {
          insertReview(db, { outputId: critique.id, reviewer, rawText: `Review by ${reviewer}: [${cs[r] ?? '?'}]`, score: cs[r] ?? null });
          insertReview(db, { outputId: rationale.id, reviewer, rawText: `Review by ${reviewer}: [${rs[r] ?? '?'}]`, score: rs[r] ?? null });
        });
      }
    });
  });
  return { db, file };
}
