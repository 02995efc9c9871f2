import fs from 'node:fs';
import type { Db } from '../../../src/core/store/db.ts';
import { inTransaction } from '../../../src/core/store/db.ts';
import { insertProblems } from '../../../src/core/store/problems.ts';
import { upsertStudentAnswer } from '../../../src/core/store/answers.ts';
import { insertOutput, insertReview } from '../../../src/core/store/outputs.ts';
import { sharedData } from '../helpers.ts';

/**
 * Fills a project with the paper's SVAMP release (387 mistakes; three teachers' critiques and
 * peer-scored rationales) through the store, the way the release importer maps it: teachers
 * named by model, each rationale's two scores from the other two teachers in gpt, gemini,
 * mistral order.
 */
export const TEACHERS = [
  { key: 'gpt', name: 'gpt-3.5-turbo' },
  { key: 'gemini', name: 'gemini-1.0-pro' },
  { key: 'mistral', name: 'mixtral-8x7b-instruct' },
] as const;
export const STUDENT = 'Llama-2-7b-chat';

interface ReleaseRow {
  id: number;
  question: string;
  gold_answer: string;
  student_wrong_pred: string;
  student_wrong_final_answer: string;
  [key: string]: unknown;
}

export function seedSvampRelease(db: Db): { problems: number } {
  const dir = sharedData('mapd_release');
  const feedback = JSON.parse(fs.readFileSync(`${dir}/Llama-2-7b-chat-hf_svamp_feedback_round0.json`, 'utf8')) as ReleaseRow[];
  const rationales = JSON.parse(fs.readFileSync(`${dir}/Llama-2-7b-chat-hf_svamp_rationale_round0.json`, 'utf8')) as ReleaseRow[];
  const train = JSON.parse(fs.readFileSync(sharedData('svamp', 'chilled_split', 'train.json'), 'utf8')) as { ID: string }[];
  inTransaction(db, () => {
    insertProblems(
      db,
      'svamp',
      'train',
      'train.json',
      feedback.map((row) => ({ sourceId: (train[row.id] as { ID: string }).ID, question: row.question, goldAnswer: String(row.gold_answer) })),
    );
    const problemIds = db.prepare("SELECT id FROM problems WHERE task = 'svamp' AND split = 'train' ORDER BY id").all() as { id: number }[];
    feedback.forEach((row, index) => {
      const problemId = (problemIds[index] as { id: number }).id;
      const answerId = upsertStudentAnswer(db, { problemId, student: STUDENT, rawOutput: row.student_wrong_pred, extractedAnswer: row.student_wrong_final_answer, correct: false });
      const rationaleRow = rationales[index] as ReleaseRow;
      for (const teacher of TEACHERS) {
        insertOutput(db, { problemId, kind: 'critique', teacher: teacher.name, studentAnswerId: answerId, text: row[`${teacher.key}_feedback`] as string, source: 'import:seed' });
        const [text, ...scores] = rationaleRow[`${teacher.key}_rationale`] as [string, number, number];
        const out = insertOutput(db, { problemId, kind: 'rationale', teacher: teacher.name, text, source: 'import:seed' });
        TEACHERS.filter((t) => t.key !== teacher.key).forEach((reviewer, i) => {
          const score = scores[i] as number;
          insertReview(db, { outputId: out.id, reviewer: reviewer.name, rawText: null, score: score >= 1 && score <= 5 ? score : null });
        });
      }
    });
  });
  return { problems: feedback.length };
}
