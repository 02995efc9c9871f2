import type { Db } from '../../../src/core/store/db.ts';
import { inTransaction } from '../../../src/core/store/db.ts';
import { insertProblems } from '../../../src/core/store/problems.ts';
import { upsertStudentAnswer } from '../../../src/core/store/answers.ts';
import { insertOutput, insertReview } from '../../../src/core/store/outputs.ts';
import { recordDecision } from '../../../src/core/store/events.ts';

export const SYNTHETIC_TEACHERS = ['teacher-a', 'teacher-b', 'teacher-c'];

/**
 * A synthetic curated project: `problems` math mistakes, each with three teachers' critiques and
 * rationales (every rationale reviewed by the two others), and four human decisions per problem
 * (accept a critique, edit another, accept a rationale, reject another): 4 × problems curated items.
 * `padding` characters of filler make texts as long as real ones.
 */
export function seedSynthetic(db: Db, problems: number, padding = 400): { curatedItems: number } {
  const filler = 'Let us reason about the quantities carefully. '.repeat(Math.ceil(padding / 46)).slice(0, padding);
  inTransaction(db, () => {
    insertProblems(
      db,
      'gsm8k',
      'train',
      'synthetic',
      Array.from({ length: problems }, (_, i) => ({
        sourceId: `syn-${i}`,
        question: `A shop has ${i + 3} boxes with ${(i % 7) + 2} apples each. How many apples are there? ${filler.slice(0, 80)}`,
        goldAnswer: String((i + 3) * ((i % 7) + 2)),
      })),
    );
    const rows = db.prepare("SELECT id, gold_answer FROM problems WHERE split = 'train' AND source_file = 'synthetic' ORDER BY id").all() as {
      id: number;
      gold_answer: string;
    }[];
    rows.forEach((problem, i) => {
      const answerId = upsertStudentAnswer(db, {
        problemId: problem.id,
        student: 'student',
        rawOutput: `${filler}\nThe answer is ${i}.`,
        extractedAnswer: String(i),
        correct: false,
      });
      const critiques: number[] = [];
      const rationales: number[] = [];
      SYNTHETIC_TEACHERS.forEach((teacher, t) => {
        critiques.push(
          insertOutput(db, {
            problemId: problem.id,
            kind: 'critique',
            teacher,
            studentAnswerId: answerId,
            text: `${filler}\nThe student multiplied wrongly (${teacher}).`,
            source: 'synthetic',
          }).id,
        );
        const consistent = (i + t) % 5 !== 0;
        const answer = consistent ? problem.gold_answer : '-1';
        const rationale = insertOutput(db, {
          problemId: problem.id,
          kind: 'rationale',
          teacher,
          text: `${filler}\nThe answer is ${answer}.`,
          extractedAnswer: answer,
          correct: consistent,
          source: 'synthetic',
        }).id;
        rationales.push(rationale);
        SYNTHETIC_TEACHERS.forEach((reviewer, r) => {
          if (reviewer !== teacher)
            insertReview(db, { outputId: rationale, reviewer, rawText: `Score: ${((i + t + r) % 5) + 1}`, score: ((i + t + r) % 5) + 1 });
        });
      });
      recordDecision(db, { outputId: critiques[i % 3] as number, action: 'accept', curator: 'synthetic' });
      recordDecision(db, { outputId: critiques[(i + 1) % 3] as number, action: 'edit', text: `Edited.\n${filler}`, curator: 'synthetic' });
      recordDecision(db, { outputId: rationales[i % 3] as number, action: 'accept', curator: 'synthetic' });
      recordDecision(db, { outputId: rationales[(i + 1) % 3] as number, action: 'reject', curator: 'synthetic' });
    });
  });
  return { curatedItems: problems * 4 };
}
