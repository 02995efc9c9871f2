import test from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../../src/core/store/db.ts';
import { insertOutput, insertReview } from '../../../src/core/store/outputs.ts';
import { upsertStudentAnswer } from '../../../src/core/store/answers.ts';
import type { CurationIndex, MistakeSummary } from '../../../src/core/curation/mistakeIndex.ts';
import { buildIndex } from '../../../src/core/curation/mistakeIndex.ts';
import { filterIndex } from '../../../src/core/curation/filters.ts';
import { wrongStepMarks } from '../../../src/core/curation/stepMarks.ts';
import { PAPER_RULE } from '../../../src/core/ranking.ts';
import { rationaleAnswer } from '../../../src/core/tasks/grade.ts';
import { getTask } from '../../../src/core/tasks/index.ts';
import type { MistakeFilter, MistakeOrder } from '../../../src/core/curation/view.ts';
import { EMPTY_FILTER, MISTAKE_ORDERS } from '../../../src/core/curation/view.ts';
import { matchingIds, nextUnsettled } from '../../../src/core/curation/mistakeQueries.ts';
import { refreshOrderKeys, staleOrderKeys } from '../../../src/core/curation/orderKeys.ts';
import { createCurationSession } from '../../../src/vscode/curation/session.ts';
import type { HostMessage } from '../../../src/protocol/curation.ts';
import { cycleOrder, parseWebviewMessage } from '../../../src/protocol/curation.ts';
import { seededRandom as random } from '../../servers/random.ts';
import { generate, STUDENTS, TEACHERS } from './generated.ts';

/**
 * The queue's orders (issue 12) against brute force: each order's ids equal a JS sort of the
 * in-memory index's mistakes (which reads everything) by the order's key computed here from the
 * shown items, under filters; `n` (nextUnsettled) walks that order, wrapping; and the stored keys
 * follow outputs and reviews written afterwards by another connection.
 */

/** The order's key of a mistake, in its natural direction (null: none; sorts last). */
function referenceKey(summary: MistakeSummary, order: MistakeOrder): number | null {
  const items = [...summary.critiques, ...summary.rationales];
  const valid = (scores: (number | null)[]) => scores.filter((s): s is number => s !== null);
  switch (order) {
    case 'problem':
      return summary.problemId;
    case 'disagreement': {
      const spreads = items.map((i) => valid(i.facts.scores)).filter((s) => s.length >= 2);
      return spreads.length === 0 ? null : Math.max(...spreads.map((s) => Math.max(...s) - Math.min(...s)));
    }
    case 'threshold': {
      const scored = items.map((i) => valid(i.facts.scores)).filter((s) => s.length >= 1);
      return scored.length === 0 ? null : Math.min(...scored.map((s) => Math.abs(s.reduce((a, b) => a + b, 0) / s.length - PAPER_RULE.threshold)));
    }
    case 'answers': {
      const task = getTask(summary.problem.task);
      const distinct: string[] = [];
      for (const item of summary.rationales) {
        const { extracted } = rationaleAnswer(summary.problem, item.facts, null);
        if (extracted !== null && !distinct.some((d) => task.isCorrect(extracted, d, summary.problem))) distinct.push(extracted);
      }
      return distinct.length;
    }
    case 'wrongSteps': {
      const quoted = wrongStepMarks(summary.student.rawOutput);
      return items.filter((i) => wrongStepMarks(i.facts.text, i.facts.kind === 'critique' ? quoted : []).length > 0).length;
    }
  }
}

const DESCENDING: Record<MistakeOrder, boolean> = { problem: false, disagreement: true, threshold: false, answers: true, wrongSteps: true };

function referenceOrder(index: CurationIndex, filter: MistakeFilter, order: MistakeOrder): number[] {
  const ids = filterIndex(index, filter).ids;
  const key = new Map(ids.map((id) => [id, referenceKey(index.byProblem.get(id) as MistakeSummary, order)]));
  const sign = DESCENDING[order] ? -1 : 1;
  return [...ids].sort((a, b) => {
    const ka = key.get(a) as number | null;
    const kb = key.get(b) as number | null;
    if (ka === null || kb === null) return (ka === null ? 1 : 0) - (kb === null ? 1 : 0) || a - b;
    return sign * (ka - kb) || a - b;
  });
}

/** The reference `n`: the next unsettled mistake after `from` in the ordered list, wrapping, never `from` itself. */
function referenceNext(ids: readonly number[], index: CurationIndex, from: number | null): number | null {
  const start = from === null ? 0 : ids.indexOf(from) + 1;
  for (let step = 0; step < ids.length; step++) {
    const id = ids[(start + step) % ids.length] as number;
    if (id !== from && !index.byProblem.get(id)?.settled) return id;
  }
  return null;
}

function filters(seed: number): MistakeFilter[] {
  const rand = random(seed * 13 + 5);
  return [
    EMPTY_FILTER,
    { ...EMPTY_FILTER, status: 'undecided' },
    { ...EMPTY_FILTER, teacher: TEACHERS[Math.floor(rand() * TEACHERS.length)] as string },
    { ...EMPTY_FILTER, scoreMin: 2, scoreMax: 4, wrongStepOnly: rand() < 0.5 },
    { ...EMPTY_FILTER, status: 'rejected', mismatchOnly: true },
  ];
}

for (const seed of [1, 2, 3]) {
  test(`orders equal a brute-force sort by their keys under filters, and n follows the order (seed ${seed})`, (t) => {
    const db = generate(t, seed, 80);
    for (const student of [null, ...STUDENTS]) {
      const index = buildIndex(db, student);
      for (const filter of filters(seed)) {
        for (const order of MISTAKE_ORDERS) {
          const scope = { student, filter };
          const expected = referenceOrder(index, filter, order);
          const context = `student ${student}, order ${order}, filter ${JSON.stringify(filter)}`;
          assert.deepEqual(matchingIds(db, scope, order), expected, context);
          for (const from of [null, ...expected.slice(0, 8)])
            assert.equal(nextUnsettled(db, scope, from, order), referenceNext(expected, index, from), `${context}, n from ${from}`);
        }
      }
    }
    assert.equal(staleOrderKeys(db), 0);
  });
}

test('the keys follow outputs, reviews and answers written later by another connection (triggers mark them stale)', (t) => {
  const db = generate(t, 7, 40);
  const scope = { student: null, filter: EMPTY_FILTER };
  const check = (label: string): void => {
    const index = buildIndex(db, null);
    for (const order of MISTAKE_ORDERS) assert.deepEqual(matchingIds(db, scope, order), referenceOrder(index, EMPTY_FILTER, order), `${label}: ${order}`);
  };
  check('generated');
  const other = openStore(db.name);
  t.after(() => other.close());
  const last = matchingIds(db, scope, 'disagreement').at(-1) as number;
  // A new rationale with a wrong step and a far answer, reviewed 1 and 5: the mistake moves up every order.
  const { id: outputId } = insertOutput(other, {
    problemId: last,
    kind: 'rationale',
    teacher: 'newcomer',
    text: 'So 6 x 7 = 40. The answer is 99999.',
    source: 'test',
  });
  assert.ok(staleOrderKeys(other) > 0);
  check('after a new output');
  insertReview(other, { outputId, reviewer: 'gpt', rawText: '[1]', score: 1 });
  insertReview(other, { outputId, reviewer: 'gemini', rawText: '[5]', score: 5 });
  check('after its reviews');
  // Spread 4, the largest there is: among the first (ties by problem id), no longer last.
  const moved = matchingIds(db, scope, 'disagreement');
  assert.ok(moved.indexOf(last) < moved.length - 1);
  other.prepare('UPDATE peer_reviews SET score = 3 WHERE output_id = ?').run(outputId);
  check('after a review changed');
  other.prepare('DELETE FROM teacher_outputs WHERE id = ?').run(outputId);
  check('after the output was deleted');
  // A student's answer turned right is no mistake, and its keys go with it.
  const answer = db.prepare('SELECT problem_id, student, raw_output FROM student_answers WHERE correct = 0 ORDER BY id LIMIT 1').get() as {
    problem_id: number;
    student: string;
    raw_output: string;
  };
  upsertStudentAnswer(other, { problemId: answer.problem_id, student: answer.student, rawOutput: answer.raw_output, extractedAnswer: '1', correct: true });
  check('after an answer was regraded');
  assert.equal(refreshOrderKeys(db), 0, 'nothing left stale');
  assert.equal(
    db.prepare('SELECT COUNT(*) FROM mistake_order_keys').pluck().get(),
    db.prepare('SELECT COUNT(*) FROM student_answers WHERE correct = 0').pluck().get(),
  );
});

test('an existing project gets its keys on first use after the migration, in batches with progress', (t) => {
  const db = generate(t, 4, 30);
  // As the migration leaves a project made before it: every mistake stale, no keys.
  db.exec('DELETE FROM mistake_order_keys; INSERT OR IGNORE INTO mistake_order_stale SELECT DISTINCT problem_id FROM student_answers WHERE correct = 0');
  const stale = staleOrderKeys(db);
  assert.ok(stale > 0);
  const heard: [number, number][] = [];
  assert.equal(
    refreshOrderKeys(db, (done, total) => heard.push([done, total])),
    stale,
  );
  assert.deepEqual(heard.at(-1), [stale, stale]);
  assert.deepEqual(matchingIds(db, { student: null, filter: EMPTY_FILTER }, 'threshold'), referenceOrder(buildIndex(db, null), EMPTY_FILTER, 'threshold'));
});

test('each ordered query reads its index in order (no sort of the whole list)', (t) => {
  const db = generate(t, 2, 20);
  const plan = db
    .prepare(
      'EXPLAIN QUERY PLAN SELECT m.problem_id FROM mistake_order_keys k INDEXED BY mistake_order_by_threshold CROSS JOIN student_answers m ON m.id = k.answer_id WHERE m.correct = 0 ORDER BY k.by_threshold, k.problem_id',
    )
    .all() as { detail: string }[];
  assert.ok(
    plan.every((row) => !/TEMP B-TREE/.test(row.detail)),
    JSON.stringify(plan),
  );
});

test('the session walks the chosen order: position, next, previous and n follow it; a decision moves membership, never the order', (t) => {
  const db = generate(t, 11, 60);
  type Show = Extract<HostMessage, { type: 'show' }>;
  const posted: HostMessage[] = [];
  const kept: MistakeOrder[] = [];
  const session = createCurationSession(db, {
    curator: () => 'ana',
    order: () => 'disagreement',
    hooks: { post: (m) => posted.push(m), onOrder: (o) => kept.push(o) },
  });
  const last = (): Show => [...posted].reverse().find((m): m is Show => m.type === 'show') as Show;
  let requestId = 1;
  const go = (kind: 'next' | 'previous' | 'nextUndecided'): Show => {
    session.handle({ type: 'navigate', requestId: requestId++, target: { kind, from: last().mistake?.problemId ?? null } });
    return last();
  };
  session.handle({ type: 'ready', problemId: null });
  const scope = { student: null, filter: EMPTY_FILTER };
  let expected = matchingIds(db, scope, 'disagreement');
  assert.equal(last().order, 'disagreement');
  session.handle({ type: 'navigate', requestId: requestId++, target: { kind: 'first' } });
  for (let i = 0; i < expected.length; i++) {
    assert.equal(last().mistake?.problemId, expected[i]);
    assert.deepEqual(last().position, { index: i, matching: expected.length });
    if (i + 1 < expected.length) go('next');
  }
  for (let i = expected.length - 2; i >= Math.max(0, expected.length - 6); i--) assert.equal(go('previous').mistake?.problemId, expected[i]);
  // n: the next unsettled in this order, as the query says.
  const from = last().mistake!.problemId;
  assert.equal(go('nextUndecided').mistake?.problemId, nextUnsettled(db, scope, from, 'disagreement') ?? from);

  // Under the undecided filter, rejecting every item of the shown mistake settles it: it leaves the list, the rest keep their order.
  session.handle({ type: 'setFilter', requestId: requestId++, filter: { ...EMPTY_FILTER, status: 'undecided' }, from: null });
  const undecided = { student: null, filter: { ...EMPTY_FILTER, status: 'undecided' as const } };
  expected = matchingIds(db, undecided, 'disagreement');
  const shown = last().mistake!;
  for (const item of [...shown.critiques, ...shown.rationales])
    if (item.decision === 'undecided')
      session.handle({ type: 'decide', requestId: requestId++, problemId: shown.problemId, outputId: item.outputId, action: 'reject', text: null });
  assert.deepEqual(
    matchingIds(db, undecided, 'disagreement'),
    expected.filter((id) => id !== shown.problemId),
  );
  assert.equal(last().position.matching, expected.length - 1);
  assert.equal(last().position.index, -1, 'the settled mistake is shown, no longer in the list');
  assert.equal(go('next').mistake?.problemId, expected[expected.indexOf(shown.problemId) + 1] ?? shown.problemId);

  // Switching order keeps the shown mistake, tells the host to keep the order, and places it in the new order.
  session.handle({ type: 'setOrder', requestId: requestId++, order: 'answers' });
  assert.deepEqual(kept, ['answers']);
  const inAnswers = matchingIds(db, undecided, 'answers');
  assert.equal(last().order, 'answers');
  assert.deepEqual(last().position, { index: inAnswers.indexOf(last().mistake!.problemId), matching: inAnswers.length });
});

test('setOrder is parsed once at the gate: a known order, with or without a request id; anything else is ignored', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'setOrder', order: 'threshold' }), { type: 'setOrder', requestId: null, order: 'threshold' });
  assert.deepEqual(parseWebviewMessage({ type: 'setOrder', requestId: 3, order: 'wrongSteps' }), { type: 'setOrder', requestId: 3, order: 'wrongSteps' });
  for (const bad of [
    { type: 'setOrder' },
    { type: 'setOrder', order: 'score' },
    { type: 'setOrder', order: 'problem', requestId: -1 },
    { type: 'setOrder', order: 1 },
  ])
    assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
  assert.deepEqual(
    MISTAKE_ORDERS.map((o) => cycleOrder(o, 1)),
    ['disagreement', 'threshold', 'answers', 'wrongSteps', 'problem'],
  );
  assert.equal(cycleOrder('problem', -1), 'wrongSteps');
});
