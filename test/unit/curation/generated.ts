import path from 'node:path';
import type { Db } from '../../../src/core/store/db.ts';
import { openStore, inTransaction } from '../../../src/core/store/db.ts';
import { insertProblems, listProblems } from '../../../src/core/store/problems.ts';
import { upsertStudentAnswer } from '../../../src/core/store/answers.ts';
import { insertOutput, insertReview } from '../../../src/core/store/outputs.ts';
import { recordDecision, undoLastDecision } from '../../../src/core/store/events.ts';
import { tempDir } from '../helpers.ts';
import { seededRandom as random } from '../../servers/random.ts';

/**
 * A generated project for property-style tests against brute force (storeQueries.test.ts,
 * agentQueries.test.ts, orders.test.ts): `problems` problems, two students answering some of them (some wrongly),
 * critiques and rationales of three teachers with peer scores (some missing or invalid), and
 * decisions, edits and undos, all drawn from `seed`.
 */
export const WORDS = 'apple banana cherry delta echo fox golf hotel india juliet kilo lima'.split(' ');
export const TEACHERS = ['gemini', 'gpt', 'Mixtral'];
export const STUDENTS = ['llama', 'qwen'];

/** `open`: how the project's file is opened (default openStore; a test opens it at an older schema). */
export function generate(t: { after: (fn: () => void) => void }, seed: number, problems = 60, open: (file: string) => Db = openStore): Db {
  const rand = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const db = open(path.join(tempDir(t), 'curation.db'));
  t.after(() => db.close());
  insertProblems(
    db,
    'svamp',
    'train',
    'gen.json',
    Array.from({ length: problems }, (_, i) => ({
      sourceId: `g${i}`,
      question: `${words(4)}: what is ${i} + 1?`,
      goldAnswer: String(i + 1),
    })),
  );
  inTransaction(db, () => {
    for (const problem of listProblems(db)) {
      const answers: number[] = [];
      for (const student of STUDENTS) {
        if (rand() < 0.3) continue;
        const wrong = rand() < 0.6;
        // Some answers imported as wrong reach gold all the same (the gradedCorrect filter).
        const said = wrong && rand() < 0.8 ? '0' : problem.goldAnswer;
        answers.push(
          upsertStudentAnswer(db, {
            problemId: problem.id,
            student,
            rawOutput: `${words(3)} so ${said}`,
            extractedAnswer: wrong ? '0' : problem.goldAnswer,
            correct: !wrong,
          }),
        );
      }
      for (const teacher of TEACHERS) {
        if (rand() < 0.2) continue;
        const outputs: number[] = [];
        for (const answerId of answers)
          if (rand() < 0.7)
            outputs.push(
              insertOutput(db, {
                problemId: problem.id,
                kind: 'critique',
                teacher,
                studentAnswerId: answerId,
                text: `${teacher} critique ${words(5)}${rand() < 0.2 ? ': 3 + 4 = 8' : ''}`,
                source: 'gen',
                // Some outputs stopped at the teacher's token limit (the truncated filter).
                truncated: rand() < 0.1,
              }).id,
            );
        if (rand() < 0.15)
          outputs.push(
            insertOutput(db, { problemId: problem.id, kind: 'critique', teacher, studentAnswerId: null, text: `general ${words(3)}`, source: 'gen' }).id,
          );
        const answer = rand() < 0.7 ? problem.goldAnswer : '7';
        const stored = rand();
        outputs.push(
          insertOutput(db, {
            problemId: problem.id,
            kind: 'rationale',
            teacher,
            sample: 0,
            text: `${words(6)}${rand() < 0.25 ? ', so 40 x 2 = 70' : ''}. The answer is ${answer}.`,
            source: 'gen',
            truncated: rand() < 0.1,
            // Some rationales carry the import's grade, some are graded on the fly (grade.ts, rationaleAnswer).
            ...(stored < 0.5 ? { extractedAnswer: answer, correct: answer === problem.goldAnswer } : {}),
          }).id,
        );
        for (const outputId of outputs) {
          for (const reviewer of TEACHERS.filter((r) => r !== teacher)) {
            if (rand() < 0.2) continue;
            const score = rand() < 0.1 ? null : 1 + Math.floor(rand() * 5);
            insertReview(db, { outputId, reviewer, rawText: `[${score}]`, score });
          }
        }
      }
    }
    const outputIds = db.prepare("SELECT id FROM teacher_outputs WHERE kind IN ('critique', 'rationale')").pluck().all() as number[];
    for (const outputId of outputIds) {
      const r = rand();
      if (r < 0.15) recordDecision(db, { outputId, action: 'accept', curator: 'ana' });
      else if (r < 0.25) recordDecision(db, { outputId, action: 'reject', curator: 'ana' });
      else if (r < 0.32)
        recordDecision(db, { outputId, action: 'edit', text: `edited ${words(2)}. The answer is ${rand() < 0.5 ? '7' : '1'}.`, curator: 'ana' });
      if (r < 0.32 && rand() < 0.2) recordDecision(db, { outputId, action: rand() < 0.5 ? 'accept' : 'reject', curator: 'ana' });
      if (rand() < 0.03) undoLastDecision(db, 'ana');
    }
  });
  return db;
}
