import test from 'node:test';
import assert from 'node:assert/strict';
import { buildIndex } from '../../../src/core/curation/mistakeIndex.ts';
import { decide } from '../../../src/core/curation/decisions.ts';
import { filterIndex, nextId, nextUndecidedId, positionOf, previousId, updateMembership } from '../../../src/core/curation/filters.ts';
import type { MistakeFilter } from '../../../src/protocol/curation.ts';
import { EMPTY_FILTER } from '../../../src/protocol/curation.ts';
import { seedProject } from './seed.ts';

// 10 problems -> mistakes p0, p2, p4, p6, p8. p2: mixtral's rationale misses gold; p4: gpt's rationale scores 1 and 2.
const spec = (i: number) => {
  if (i === 2) return { rationaleAnswers: { mixtral: '7' } };
  if (i === 4) return { rationaleScores: { gpt: [1, 2] as [number, number] } };
  return {};
};

function sources(index: ReturnType<typeof buildIndex>, ids: number[]): string[] {
  return ids.map((id) => index.byProblem.get(id)!.problem.sourceId);
}

test('filters: status, teacher, peer-score range, answer mismatch and text search', (t) => {
  const { db } = seedProject(t, 10, spec);
  db.prepare("UPDATE problems SET question = 'How many bananas? ' || question WHERE source_id = 'p8'").run();
  db.prepare(
    "INSERT INTO teacher_outputs (problem_id, kind, teacher, sample, text, source, created_at) SELECT id, 'rationale', 'claude', 0, 'The answer is 0.', 'test', 'now' FROM problems WHERE source_id = 'p0'",
  ).run();
  const index = buildIndex(db);
  const [p0, p2, p4] = index.order as [number, number, number];
  const only = (filter: Partial<MistakeFilter>) => sources(index, filterIndex(index, { ...EMPTY_FILTER, ...filter }).ids);

  assert.deepEqual(only({}), ['p0', 'p2', 'p4', 'p6', 'p8']);
  assert.deepEqual(only({ status: 'gradedCorrect' }), [], 'every student answer here is wrong by the extractor too');
  assert.deepEqual(only({ teacher: 'claude' }), ['p0']);
  assert.deepEqual(only({ mismatchOnly: true }), ['p2']);
  assert.deepEqual(only({ scoreMin: 1, scoreMax: 2 }), ['p4']);
  assert.deepEqual(only({ scoreMin: 4.5 }), []);
  assert.deepEqual(only({ search: 'BANANAS' }), ['p8']);
  assert.deepEqual(only({ search: 'gpt bananas' }), ['p8'], 'every word must occur');
  assert.deepEqual(only({ search: 'gpt zebra' }), []);

  const accept = index.byProblem.get(p0)!.critiques[0]!.facts.outputId;
  const reject = index.byProblem.get(p2)!.critiques[0]!.facts.outputId;
  const edit = index.byProblem.get(p4)!.rationales[0]!.facts.outputId;
  decide(db, index, { outputId: accept, action: 'accept', text: null }, 'ana');
  decide(db, index, { outputId: reject, action: 'reject', text: null }, 'ana');
  decide(db, index, { outputId: edit, action: 'edit', text: 'The quokka says 8.' }, 'ana');
  assert.deepEqual(only({ status: 'accepted' }), ['p0']);
  assert.deepEqual(only({ status: 'rejected' }), ['p2']);
  assert.deepEqual(only({ status: 'edited' }), ['p4']);
  assert.deepEqual(only({ status: 'undecided' }), ['p0', 'p2', 'p4', 'p6', 'p8'], 'one decision does not settle a mistake');
  assert.deepEqual(only({ search: 'quokka' }), ['p4'], 'search sees edited text');
});

test('the gradedCorrect status keeps the mistakes whose student answer the task grades correct', (t) => {
  const { db } = seedProject(t, 10, spec);
  // Imported as a mistake, but the output says the gold answer (p4: 4 + 4 = 8).
  db.prepare(
    "UPDATE student_answers SET raw_output = 'So 4 + 4 = 8. The answer is 8.' WHERE problem_id = (SELECT id FROM problems WHERE source_id = 'p4')",
  ).run();
  const index = buildIndex(db);
  assert.deepEqual(sources(index, filterIndex(index, { ...EMPTY_FILTER, status: 'gradedCorrect' }).ids), ['p4']);
  assert.deepEqual(
    sources(
      index,
      index.order.filter((id) => index.byProblem.get(id)!.student.gradedCorrect),
    ),
    ['p4'],
  );
});

test('navigation: next, previous and next undecided (wrapping), under a filter that changes as decisions land', (t) => {
  const { db } = seedProject(t, 10, spec);
  const index = buildIndex(db);
  const [p0, p2, p4, p6, p8] = index.order as [number, number, number, number, number];
  const list = filterIndex(index, { ...EMPTY_FILTER, status: 'undecided' });
  assert.equal(nextId(list, null), p0);
  assert.equal(nextId(list, p0), p2);
  assert.equal(previousId(list, p2), p0);
  assert.equal(previousId(list, p0), null);
  assert.equal(nextId(list, p8), null);

  // Settle p2: it leaves the "undecided" list, yet next/previous from it still work.
  const summary = index.byProblem.get(p2)!;
  for (const item of [summary.critiques[0]!, summary.rationales[0]!]) decide(db, index, { outputId: item.facts.outputId, action: 'accept', text: null }, 'ana');
  updateMembership(list, index, p2);
  assert.equal(positionOf(list, p2), -1);
  assert.equal(nextId(list, p2), p4);
  assert.equal(previousId(list, p2), p0);
  assert.equal(positionOf(list, p4), 1);
  assert.equal(list.ids.length, 4);

  const all = filterIndex(index, EMPTY_FILTER);
  assert.equal(nextUndecidedId(all, index, p0), p4, 'skips the decided p2');
  assert.equal(nextUndecidedId(all, index, p8), p0, 'wraps around');
  assert.equal(nextUndecidedId(all, index, p6), p8);
});
