import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openStore } from '../../../src/core/store/db.ts';
import { insertProblems } from '../../../src/core/store/problems.ts';
import { upsertStudentAnswer } from '../../../src/core/store/answers.ts';
import { insertOutput, insertReview } from '../../../src/core/store/outputs.ts';
import { recordDecision } from '../../../src/core/store/events.ts';
import { countSelection, selections } from '../../../src/core/export/export.ts';
import { tempDir } from '../helpers.ts';

/**
 * A hand-made project: p1 a mistake, p2 answered correctly, p3 unanswered.
 *   p1: rationales A (accepted, reviews 5,5), B (accepted, reviews 4,4), C (undecided, reviews 5,4; peer-accepted),
 *       D (accepted but blank); critiques A (rejected, reviews 5,5), B (undecided, reviews 4,5), C (accepted)
 *   p2: rationale A (accepted)        p3: rationale A (accepted)
 */
function fixture(t: { after: (fn: () => void) => void }) {
  const db = openStore(path.join(tempDir(t), 'c.db'));
  t.after(() => db.close());
  insertProblems(db, 'gsm8k', 'test', undefined, [
    { sourceId: 'p1', question: 'What is 6 * 7?', goldAnswer: '42' },
    { sourceId: 'p2', question: 'What is 2 + 2?', goldAnswer: '4' },
    { sourceId: 'p3', question: 'What is 3 + 3?', goldAnswer: '6' },
  ]);
  const wrong = upsertStudentAnswer(db, { problemId: 1, student: 's', rawOutput: '6 * 7 = 48', extractedAnswer: '48', correct: false });
  upsertStudentAnswer(db, { problemId: 2, student: 's', rawOutput: '4', extractedAnswer: '4', correct: true });
  const out = (problemId: number, kind: 'critique' | 'rationale', teacher: string, text: string, scores: number[]) => {
    const id = insertOutput(db, { problemId, kind, teacher, text, source: 'test', ...(kind === 'critique' ? { studentAnswerId: wrong } : {}) }).id;
    scores.forEach((score, i) => insertReview(db, { outputId: id, reviewer: `r${i}`, rawText: null, score }));
    return id;
  };
  const decide = (outputId: number, action: 'accept' | 'reject') => recordDecision(db, { outputId, action, curator: 'c' });
  decide(out(1, 'rationale', 'A', '6 * 7 = 42. The answer is 42.', [5, 5]), 'accept');
  decide(out(1, 'rationale', 'B', 'Seven sixes make 42. The answer is 42.', [4, 4]), 'accept');
  out(1, 'rationale', 'C', 'Six times seven is 42. The answer is 42.', [5, 4]);
  decide(out(1, 'rationale', 'D', '   ', [5, 5]), 'accept');
  decide(out(1, 'critique', 'A', 'The product is wrong.', [5, 5]), 'reject');
  out(1, 'critique', 'B', 'Recheck the multiplication table.', [4, 5]);
  decide(out(1, 'critique', 'C', '6 * 7 is 42, not 48.', []), 'accept');
  decide(out(2, 'rationale', 'A', '2 + 2 = 4. The answer is 4.', []), 'accept');
  decide(out(3, 'rationale', 'A', '3 + 3 = 6. The answer is 6.', []), 'accept');
  return db;
}

const picked = (db: Parameters<typeof countSelection>[0], options = {}) =>
  [...selections(db, options)].flatMap((s) =>
    s.items.filter((i) => i.selected).map((i) => `${s.bundle.problem.sourceId}:${i.curated.output.kind}:${i.curated.output.teacher}`),
  );

test('defaults: the top-ranked human-accepted rationale and critique of each mistake; nothing else', (t) => {
  const db = fixture(t);
  assert.deepEqual(picked(db), ['p1:rationale:A', 'p1:critique:C']);
  const counts = countSelection(db);
  assert.equal(counts.mistakeProblems, 1);
  assert.equal(counts.correctProblems, 1);
  assert.equal(counts.unansweredProblems, 1);
  assert.equal(counts.notTopRanked, 1); // rationale B
  assert.equal(counts.excludedEmpty, 1); // rationale D
  assert.equal(counts.rejected, 1); // critique A
  assert.equal(counts.mistakesWithBoth, 1);
  assert.equal(counts.records, 7); // the seven decided outputs; no committee-only item
});

test('options: every accepted item; peer-accepted items nobody rejected; rationales of correct problems', (t) => {
  const db = fixture(t);
  assert.deepEqual(picked(db, { allAccepted: true }), ['p1:rationale:A', 'p1:rationale:B', 'p1:critique:C']);
  // Committee-only items rank after every human accept; a human rejection (critique A) always wins.
  assert.deepEqual(picked(db, { allAccepted: true, includePeerAccepted: true }), [
    'p1:rationale:A',
    'p1:rationale:B',
    'p1:rationale:C',
    'p1:critique:C',
    'p1:critique:B',
  ]);
  assert.deepEqual(picked(db, { includePeerAccepted: true }), ['p1:rationale:A', 'p1:critique:C']);
  assert.deepEqual(picked(db, { includeCorrect: true }), ['p1:rationale:A', 'p1:critique:C', 'p2:rationale:A']);
  assert.equal(countSelection(db, { includeCorrect: true }).correctProblemRationales, 1);
  // An unanswered problem is no mistake and no success: never exported, always counted.
  const p3 = [...selections(db, { includeCorrect: true })].find((s) => s.bundle.problem.sourceId === 'p3')!;
  assert.deepEqual(
    p3.items.map((i) => i.exclusion),
    ['unanswered'],
  );
});
