import test from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../../src/core/store/db.ts';
import { curationState, listEvents } from '../../../src/core/store/events.ts';
import { buildIndex } from '../../../src/core/curation/mistakeIndex.ts';
import { mistakeView } from '../../../src/core/curation/mistakeView.ts';
import { applyBulk, bulkCandidates, decide, undo } from '../../../src/core/curation/decisions.ts';
import { UserError } from '../../../src/core/errors.ts';
import { seedProject } from './seed.ts';

test('a decision is in the store when decide returns (another connection sees it) and the index follows', (t) => {
  const { db, file } = seedProject(t, 4);
  const index = buildIndex(db);
  const problemId = index.order[0]!;
  const top = index.byProblem.get(problemId)!.critiques[0]!.facts.outputId;
  assert.equal(decide(db, index, { outputId: top, action: 'accept', text: null }, 'ana'), problemId);
  const other = openStore(file, { readonly: true });
  t.after(() => other.close());
  assert.equal(curationState(other, top).decision, 'accepted');
  assert.equal(index.byProblem.get(problemId)!.critiques[0]!.decision, 'accepted');
  assert.equal(index.byProblem.get(problemId)!.settled, false, 'rationales are not settled yet');
  const rationale = index.byProblem.get(problemId)!.rationales[0]!.facts.outputId;
  decide(db, index, { outputId: rationale, action: 'accept', text: null }, 'ana');
  assert.equal(index.byProblem.get(problemId)!.settled, true);
  assert.equal(index.settledCount, 1);
});

test('rejecting every item of each kind also settles the mistake', (t) => {
  const { db } = seedProject(t, 2);
  const index = buildIndex(db);
  const problemId = index.order[0]!;
  const summary = index.byProblem.get(problemId)!;
  for (const item of [...summary.critiques, ...summary.rationales]) decide(db, index, { outputId: item.facts.outputId, action: 'reject', text: null }, 'ana');
  assert.equal(index.byProblem.get(problemId)!.settled, true);
});

test('an edited rationale is re-graded: a warning when the edit no longer reaches gold, none when it does', (t) => {
  const { db } = seedProject(t, 4);
  const index = buildIndex(db);
  const problemId = index.order[1]!; // "What is 2 + 2?", gold 4
  const rationale = index.byProblem.get(problemId)!.rationales[0]!;
  decide(db, index, { outputId: rationale.facts.outputId, action: 'edit', text: '2 + 2 = 5, so the answer is 5.' }, 'ana');
  let item = mistakeView(db, index, problemId)!.rationales.find((r) => r.outputId === rationale.facts.outputId)!;
  assert.equal(item.decision, 'accepted');
  assert.equal(item.editedText, '2 + 2 = 5, so the answer is 5.');
  assert.deepEqual(item.teacherGrade, { extracted: '4', reachesGold: true });
  assert.deepEqual(item.editedGrade, { extracted: '5', reachesGold: false });
  decide(db, index, { outputId: rationale.facts.outputId, action: 'edit', text: 'Two and two make 4.' }, 'ana');
  item = mistakeView(db, index, problemId)!.rationales.find((r) => r.outputId === rationale.facts.outputId)!;
  assert.deepEqual(item.editedGrade, { extracted: '4', reachesGold: true });
});

test('undo goes back through decisions across mistakes, newest first, and reports where each was', (t) => {
  const { db } = seedProject(t, 6);
  const index = buildIndex(db);
  const [a, b] = index.order as [number, number];
  const outA = index.byProblem.get(a)!.critiques[0]!.facts.outputId;
  const outB = index.byProblem.get(b)!.rationales[1]!.facts.outputId;
  decide(db, index, { outputId: outA, action: 'accept', text: null }, 'ana');
  decide(db, index, { outputId: outB, action: 'edit', text: 'changed' }, 'ana');
  decide(db, index, { outputId: outB, action: 'reject', text: null }, 'ana');

  let result = undo(db, index, 'ana')!;
  assert.deepEqual([result.problemId, result.outputId], [b, outB]);
  assert.equal(curationState(db, outB).editedText, 'changed', 'undoing the reject brings the edit back');
  assert.equal(undo(db, index, 'ana')!.outputId, outB);
  assert.equal(curationState(db, outB).decision, 'undecided');
  result = undo(db, index, 'ana')!;
  assert.deepEqual([result.problemId, result.outputId], [a, outA]);
  assert.equal(index.byProblem.get(a)!.critiques[0]!.decision, 'undecided');
  assert.equal(undo(db, index, 'ana'), null);
  assert.equal(listEvents(db).filter((e) => e.action === 'undo').length, 3, 'undo is itself an appended event');
});

test("a decision on an output that is no mistake's item, or an empty edit, is a UserError and writes nothing", (t) => {
  const { db } = seedProject(t, 2);
  const index = buildIndex(db);
  assert.throws(() => decide(db, index, { outputId: 4242, action: 'accept', text: null }, 'ana'), UserError);
  const output = index.byProblem.get(index.order[0]!)!.rationales[0]!.facts.outputId;
  assert.throws(() => decide(db, index, { outputId: output, action: 'edit', text: '  ' }, 'ana'), UserError);
  assert.equal(listEvents(db).length, 0);
});

// Mistakes i = 0, 2, 4, 6, 8: peers agree on i = 0 and 4; disagree (spread 2) on 2; accept nothing on 6
// (top critique rejected by the peers); only one valid score on 8.
const bulkSpec = (i: number) => {
  const table: Record<number, Record<string, [number | null, number | null]>> = {
    0: { gpt: [5, 4], gemini: [3, 3], mixtral: [2, 2] },
    2: { gpt: [5, 3], gemini: [3, 3], mixtral: [2, 2] },
    4: { gpt: [4, 4], gemini: [4, 5], mixtral: [2, 2] },
    6: { gpt: [3, 3], gemini: [2, 2], mixtral: [1, 1] },
    8: { gpt: [5, null], gemini: [2, 2], mixtral: [1, 1] },
  };
  return { critiqueScores: table[i] ?? {} };
};

test('the bulk action accepts the top critique where the peers agree, in one batch that one undo reverts', (t) => {
  const { db } = seedProject(t, 10, bulkSpec);
  const index = buildIndex(db);
  const candidates = bulkCandidates(index, 'critique');
  const sourceIds = candidates.map((c) => index.byProblem.get(c.problemId)!.problem.sourceId);
  assert.deepEqual(sourceIds, ['p0', 'p4']);
  assert.equal(index.byProblem.get(candidates[1]!.problemId)!.critiques[0]!.facts.outputId, candidates[1]!.outputId);

  assert.throws(() => applyBulk(db, index, 'critique', 3, 'ana'), /covers 2 mistakes, not the 3/);
  assert.equal(listEvents(db).length, 0);

  const result = applyBulk(db, index, 'critique', 2, 'ana');
  assert.equal(result.count, 2);
  const events = listEvents(db);
  assert.equal(events.length, 2);
  assert.ok(events.every((e) => e.batch === result.batch && e.action === 'accept'));
  assert.deepEqual(bulkCandidates(index, 'critique'), [], 'decided mistakes are not candidates again');

  const undone = undo(db, index, 'ana')!;
  assert.equal(undone.undone, 2);
  assert.ok(candidates.every((c) => curationState(db, c.outputId).decision === 'undecided'));
  assert.equal(bulkCandidates(index, 'critique').length, 2);
});

test('a mistake the curator already decided on is left to the curator by the bulk action', (t) => {
  const { db } = seedProject(t, 10, bulkSpec);
  const index = buildIndex(db);
  const first = index.order[0]!;
  const second = index.byProblem.get(first)!.critiques[1]!.facts.outputId;
  decide(db, index, { outputId: second, action: 'reject', text: null }, 'ana');
  assert.deepEqual(
    bulkCandidates(index, 'critique').map((c) => index.byProblem.get(c.problemId)!.problem.sourceId),
    ['p4'],
  );
});
