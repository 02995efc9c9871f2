import test from 'node:test';
import assert from 'node:assert/strict';
import { inTransaction } from '../../../src/core/store/db.ts';
import { listProblems } from '../../../src/core/store/problems.ts';
import { studentsWithMistakes, upsertStudentAnswer } from '../../../src/core/store/answers.ts';
import { insertOutput } from '../../../src/core/store/outputs.ts';
import { curationProgress } from '../../../src/core/curation/progress.ts';
import { groupCounts, groupPage } from '../../../src/core/store/problemTree.ts';
import { createCurationSession } from '../../../src/vscode/curation/session.ts';
import type { HostMessage } from '../../../src/protocol/curation.ts';
import { seedProject } from './seed.ts';

type Show = Extract<HostMessage, { type: 'show' }>;

/**
 * The seed's student "llama" is wrong on the even problems; a second student, "llama-r1" (the next
 * round), is wrong on problems 0 and 1 only, with one critique of its own per wrong answer.
 */
function twoStudents(t: Parameters<typeof seedProject>[0]) {
  const { db } = seedProject(t, 6);
  const problems = listProblems(db);
  const r1Critiques: number[] = [];
  inTransaction(db, () => {
    problems.forEach((problem, i) => {
      const wrong = i < 2;
      const answerId = upsertStudentAnswer(db, {
        problemId: problem.id,
        student: 'llama-r1',
        rawOutput: wrong ? `r1 says ${i * 2 + 2}` : String(2 * i),
        extractedAnswer: wrong ? String(2 * i + 2) : String(2 * i),
        correct: !wrong,
      });
      if (wrong)
        r1Critiques.push(
          insertOutput(db, {
            problemId: problem.id,
            kind: 'critique',
            teacher: 'gpt',
            studentAnswerId: answerId,
            text: `gpt on r1's answer to item ${i}`,
            source: 'test',
          }).id,
        );
    });
  });
  return { db, problems, r1Critiques };
}

function session(db: ReturnType<typeof twoStudents>['db'], student: () => string | null) {
  const posted: HostMessage[] = [];
  const s = createCurationSession(db, { curator: () => 'ana', student, hooks: { post: (m) => posted.push(m) } });
  const last = (): Show => [...posted].reverse().find((m): m is Show => m.type === 'show') as Show;
  return { s, last };
}

test("two students' mistakes are curated apart: each sees its own wrong answers and the critiques of them", (t) => {
  const { db, problems, r1Critiques } = twoStudents(t);
  assert.deepEqual(studentsWithMistakes(db), ['llama', 'llama-r1']);
  let chosen: string | null = 'llama-r1';
  const { s, last } = session(db, () => chosen);
  s.handle({ type: 'ready', problemId: null });
  let show = last();
  assert.deepEqual([show.progress.total, show.mistake?.sourceId, show.mistake?.student?.name], [2, 'p0', 'llama-r1']);
  assert.deepEqual(
    show.mistake!.critiques.map((c) => c.outputId),
    [r1Critiques[0]],
    "only the critique of r1's answer",
  );
  assert.equal(show.mistake!.rationales.length, 3, 'rationales belong to the problem, shared by both rounds');

  // Deciding r1's critique leaves llama's critiques of the same problem undecided.
  s.handle({ type: 'decide', requestId: 1, problemId: problems[0]!.id, outputId: r1Critiques[0]!, action: 'accept', text: null });
  chosen = 'llama';
  s.reload();
  show = last();
  assert.deepEqual([show.progress.total, show.mistake?.student?.name], [3, 'llama']);
  const p0 = show.mistake!.sourceId === 'p0' ? show.mistake! : undefined;
  assert.ok(p0, 'lands on p0, the first undecided');
  assert.equal(p0.critiques.length, 3);
  assert.ok(p0.critiques.every((c) => c.decision === 'undecided'));

  // No student chosen: each problem's first wrong answer, as before rounds existed.
  chosen = null;
  s.reload();
  assert.equal(last().progress.total, 4, 'p0, p1 (r1 only), p2, p4');
});

test('the Problems view and the status bar count the chosen student', (t) => {
  const { db } = twoStudents(t);
  assert.deepEqual(groupCounts(db, 'llama-r1'), { mistakes: 2, correct: 4, unanswered: 0 });
  assert.deepEqual(groupCounts(db, 'llama'), { mistakes: 3, correct: 3, unanswered: 0 });
  assert.deepEqual(groupCounts(db), { mistakes: 4, correct: 2, unanswered: 0 });
  assert.deepEqual(
    groupPage(db, 'mistakes', 0, 10, 'llama-r1').map((r) => [r.sourceId, r.studentAnswer]),
    [
      ['p0', '2'],
      ['p1', '4'],
    ],
  );
  assert.equal(curationProgress(db, 'llama-r1').mistakes, 2);
  assert.equal(curationProgress(db, 'llama').mistakes, 3);
});
