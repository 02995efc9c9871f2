import test from 'node:test';
import assert from 'node:assert/strict';
import { buildIndex } from '../../../src/core/curation/mistakeIndex.ts';
import { mistakeView } from '../../../src/core/curation/mistakeView.ts';
import { answerMismatch } from '../../../src/core/curation/items.ts';
import { parseMistake } from '../../../src/protocol/curation.ts';
import { seedProject } from './seed.ts';

const spec = (i: number) =>
  i === 2
    ? {
        critiqueScores: { gpt: [5, 5], gemini: [3, 2], mixtral: [4, null] } as Record<string, [number | null, number | null]>,
        rationaleAnswers: { mixtral: '5' },
      }
    : {};

test('the index holds every mistake (a problem with a wrong answer) in problem order, none of the correct ones', (t) => {
  const { db } = seedProject(t, 6, spec);
  const index = buildIndex(db);
  assert.equal(index.order.length, 3);
  assert.deepEqual(
    index.order.map((id) => index.byProblem.get(id)!.problem.sourceId),
    ['p0', 'p2', 'p4'],
  );
  assert.deepEqual(index.teachers, ['gemini', 'gpt', 'mixtral']);
  assert.equal(index.settledCount, 0);
});

test("a mistake view ranks critiques best first by peer verdict, with each reviewer's score and text", (t) => {
  const { db } = seedProject(t, 6, spec);
  const index = buildIndex(db);
  const problemId = index.order[1]!;
  const view = mistakeView(db, index, problemId)!;
  assert.equal(view.sourceId, 'p2');
  assert.equal(view.goldAnswer, '4');
  assert.deepEqual(view.student, { name: 'llama', rawOutput: 'I think 2 + 2 = 5.', extractedAnswer: '5', gradedCorrect: false });
  assert.deepEqual(
    view.critiques.map((c) => [c.rank, c.teacher, c.verdict.score, c.verdict.accepted]),
    [
      [1, 'gpt', 5, true],
      [2, 'mixtral', 4, true],
      [3, 'gemini', 2.5, false],
    ],
  );
  const mixtral = view.critiques[1]!;
  assert.equal(mixtral.verdict.validScores, 1, 'an unparseable score does not count');
  assert.deepEqual(
    mixtral.reviews.map((r) => [r.reviewer, r.score, r.rawText]),
    [
      ['gemini', 4, 'Review by gemini: [4]'],
      ['gpt', null, 'Review by gpt: [?]'],
    ],
  );
  assert.ok(view.critiques.every((c) => c.decision === 'undecided' && c.editedText === null && c.teacherGrade === null));
  assert.equal(view.settled, false);
  // The view is exactly what the protocol accepts.
  assert.deepEqual(parseMistake(JSON.parse(JSON.stringify(view))), view);
});

test('rationales carry their extracted answer and are flagged when it misses gold', (t) => {
  const { db } = seedProject(t, 6, spec);
  const index = buildIndex(db);
  const view = mistakeView(db, index, index.order[1]!)!;
  const byTeacher = new Map(view.rationales.map((r) => [r.teacher, r]));
  assert.deepEqual(byTeacher.get('mixtral')!.teacherGrade, { extracted: '5', reachesGold: false });
  assert.deepEqual(byTeacher.get('gpt')!.teacherGrade, { extracted: '4', reachesGold: true });
  const summary = index.byProblem.get(index.order[1]!)!;
  assert.deepEqual(
    summary.rationales.filter(answerMismatch).map((r) => r.facts.teacher),
    ['mixtral'],
  );
  assert.equal(index.byProblem.get(index.order[0]!)!.rationales.some(answerMismatch), false);
});

test('on equal peer verdicts a rationale that reaches gold ranks above one that misses it; a better verdict still wins', (t) => {
  // p0 (gold 0): gemini would rank first on the teacher-name tiebreak, but it answers 19.
  const { db } = seedProject(t, 4, (i) =>
    i === 0 ? { rationaleAnswers: { gemini: '19' } } : i === 2 ? { rationaleAnswers: { gemini: '19' }, rationaleScores: { gemini: [5, 5] } } : {},
  );
  const index = buildIndex(db);
  const ranked = (n: number) => mistakeView(db, index, index.order[n]!)!.rationales.map((r) => [r.rank, r.teacher, r.teacherGrade?.reachesGold]);
  assert.deepEqual(ranked(0), [
    [1, 'gpt', true],
    [2, 'mixtral', true],
    [3, 'gemini', false],
  ]);
  assert.deepEqual(
    ranked(1),
    [
      [1, 'gemini', false],
      [2, 'gpt', true],
      [3, 'mixtral', true],
    ],
    'peers first: a higher score outranks reaching gold',
  );
  // Critiques carry no grade: their order is the verdict and the teacher name alone.
  assert.deepEqual(
    mistakeView(db, index, index.order[0]!)!.critiques.map((c) => c.teacher),
    ['gemini', 'gpt', 'mixtral'],
  );
});

test('a grade stored with the output wins over the grader', (t) => {
  const { db } = seedProject(t, 2);
  db.prepare("UPDATE teacher_outputs SET extracted_answer = '99', correct = 0 WHERE kind = 'rationale' AND teacher = 'gpt'").run();
  const index = buildIndex(db);
  const gpt = index.byProblem.get(index.order[0]!)!.rationales.find((r) => r.facts.teacher === 'gpt')!;
  assert.deepEqual(gpt.teacherGrade, { extracted: '99', reachesGold: false });
});

test('an unknown problem has no view', (t) => {
  const { db } = seedProject(t, 2);
  const index = buildIndex(db);
  assert.equal(mistakeView(db, index, 987654), null);
});
