import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openStore } from '../../../src/core/store/db.ts';
import { insertProblems } from '../../../src/core/store/problems.ts';
import { upsertStudentAnswer } from '../../../src/core/store/answers.ts';
import { insertOutput, insertReview } from '../../../src/core/store/outputs.ts';
import { recordDecision } from '../../../src/core/store/events.ts';
import { curationStats } from '../../../src/core/stats/curation.ts';
import { agreement } from '../../../src/core/stats/agreement.ts';
import { curationTiming } from '../../../src/core/stats/timing.ts';
import type { CurationEvent } from '../../../src/core/model.ts';
import { tempDir } from '../helpers.ts';

/**
 * The small fixture of the hand computation below. Teachers A, B, C review each other.
 *   o1 P1 rationale A  scores B4 C5 → 4.5 peer-accept   human accept
 *   o2 P1 rationale B  scores A2 C3 → 2.5 peer-reject   human reject
 *   o3 P1 rationale C  scores A4 B2 → 3.0 peer-reject   human accept   (answer wrong: 7, gold 10)
 *   o4 P2 rationale A  scores B5 C–  → 5.0 peer-accept  human edit     (edit reaches gold 20)
 *   o5 P2 critique  B  scores A1 C2 → 1.5 peer-reject   human accept
 *   o6 P2 critique  C  no reviews                        human reject   (no committee verdict: left out of agreement)
 *   o7 P2 critique  A  scores B4 C4 → 4.0 peer-accept   undecided
 */
function fixture(t: { after: (fn: () => void) => void }) {
  const db = openStore(path.join(tempDir(t), 'stats.db'));
  t.after(() => db.close());
  insertProblems(db, 'gsm8k', 'train', undefined, [
    { sourceId: 'P1', question: 'Ten?', goldAnswer: '10' },
    { sourceId: 'P2', question: 'Twenty?', goldAnswer: '20' },
  ]);
  const s1 = upsertStudentAnswer(db, { problemId: 1, student: 's', rawOutput: '9', extractedAnswer: '9', correct: false });
  const s2 = upsertStudentAnswer(db, { problemId: 2, student: 's', rawOutput: '19', extractedAnswer: '19', correct: false });
  void s1;
  // Four calls in the ledger: o1's generation (the ledger names no teacher), a review by B, the student's exam.
  const call = db.prepare(`INSERT INTO calls (request_key, provider, model, teacher, purpose, request, status, tokens_in, tokens_out, cost, created_at)
    VALUES (?, 'openai', 'm', ?, ?, '{}', 'ok', ?, ?, ?, '2025-01-01T00:00:00.000Z') RETURNING id`);
  const c1 = (call.get('k1', null, 'rationale', 100, 50, 0.01) as { id: number }).id;
  const c2 = (call.get('k2', 'B', 'review', 10, 5, 0.001) as { id: number }).id;
  call.get('k3', null, 'exam', 7, 3, 0);
  // The student's exam call as the caller records it, naming the student: still the student's.
  call.get('k4', 'llama', 'exam', 5, 1, 0);

  const out = (
    problemId: number,
    kind: 'rationale' | 'critique',
    teacher: string,
    text: string,
    correct: boolean | null,
    reviews: [string, number | null][],
    callId: number | null = null,
  ) => {
    const id = insertOutput(db, {
      problemId,
      kind,
      teacher,
      text,
      correct,
      extractedAnswer: null,
      callId,
      source: 'test',
      ...(kind === 'critique' ? { studentAnswerId: s2 } : {}),
    }).id;
    for (const [reviewer, score] of reviews)
      insertReview(db, { outputId: id, reviewer, rawText: null, score, callId: reviewer === 'B' && id === 4 ? c2 : null });
    return id;
  };
  const o1 = out(
    1,
    'rationale',
    'A',
    'So 10. The answer is 10.',
    true,
    [
      ['B', 4],
      ['C', 5],
    ],
    c1,
  );
  const o2 = out(1, 'rationale', 'B', 'The answer is 12.', false, [
    ['A', 2],
    ['C', 3],
  ]);
  const o3 = out(1, 'rationale', 'C', 'The answer is 7.', false, [
    ['A', 4],
    ['B', 2],
  ]);
  const o4 = out(2, 'rationale', 'A', 'The answer is 21.', false, [
    ['B', 5],
    ['C', null],
  ]);
  const o5 = out(2, 'critique', 'B', 'You added one too few.', null, [
    ['A', 1],
    ['C', 2],
  ]);
  const o6 = out(2, 'critique', 'C', 'Check the sum.', null, []);
  out(2, 'critique', 'A', 'Recount.', null, [
    ['B', 4],
    ['C', 4],
  ]);
  const decide = (outputId: number, action: 'accept' | 'reject' | 'edit', text?: string) =>
    recordDecision(db, { outputId, action, curator: 'ann', ...(text ? { text } : {}) });
  decide(o1, 'accept');
  decide(o2, 'reject');
  decide(o3, 'accept');
  decide(o4, 'edit', 'Twenty in all. The answer is 20.');
  decide(o5, 'accept');
  decide(o6, 'reject');
  return db;
}

test('curation statistics match a hand computation on a small fixture', (t) => {
  const stats = curationStats(fixture(t));

  assert.deepEqual(stats.totals, { outputs: 7, decided: 6, humanAccepted: 3, edited: 1, rejected: 2, undecided: 1, peerAccepted: 3 });
  const [a, b, c] = stats.teachers;
  assert.deepEqual(
    { ...a },
    {
      teacher: 'A',
      outputs: 3,
      critiques: 1,
      rationales: 2,
      peerAccepted: 3,
      humanAccepted: 1,
      edited: 1,
      rejected: 0,
      undecided: 1,
      meanPeerScore: 22 / 5,
      truncated: 0,
      calls: 1,
      tokensIn: 100,
      tokensOut: 50,
      cost: 0.01,
    },
  );
  assert.deepEqual(
    { ...b },
    {
      teacher: 'B',
      outputs: 2,
      critiques: 1,
      rationales: 1,
      peerAccepted: 0,
      humanAccepted: 1,
      edited: 0,
      rejected: 1,
      undecided: 0,
      meanPeerScore: 8 / 4,
      truncated: 0,
      calls: 1,
      tokensIn: 10,
      tokensOut: 5,
      cost: 0.001,
    },
  );
  assert.deepEqual(
    { ...c },
    {
      teacher: 'C',
      outputs: 2,
      critiques: 1,
      rationales: 1,
      peerAccepted: 0,
      humanAccepted: 1,
      edited: 0,
      rejected: 1,
      undecided: 0,
      meanPeerScore: 3,
      truncated: 0,
      calls: 0,
      tokensIn: 0,
      tokensOut: 0,
      cost: 0,
    },
  );
  assert.deepEqual(stats.studentCalls, { calls: 2, tokensIn: 12, tokensOut: 4, cost: 0 });
  assert.deepEqual(stats.unattributedCalls, { calls: 0, tokensIn: 0, tokensOut: 0, cost: 0 });
  assert.ok(!stats.teachers.some((t) => t.teacher === 'llama'), 'the student is not a teacher');

  // Human vs committee over o1..o5 (o6 has no reviews): (H,P) = (T,T) (F,F) (T,F) (T,T) (T,F).
  // p_o = 3/5; human accepts 4/5, committee 2/5; p_e = .8·.4 + .2·.6 = .44; κ = (.6 − .44)/(1 − .44) = 2/7.
  const hp = stats.humanVsPeer;
  assert.equal(hp.items, 5);
  assert.equal(hp.agreements, 3);
  assert.equal(hp.share, 0.6);
  assert.ok(Math.abs(hp.kappa! - 2 / 7) < 1e-12, `kappa ${hp.kappa}`);
  assert.deepEqual([hp.bothAccept, hp.bothReject, hp.firstOnlyAccepts, hp.secondOnlyAccepts], [2, 1, 2, 0]);
  assert.equal(hp.byKind.critique.items, 1);
  assert.equal(hp.byKind.rationale.items, 4);

  // Per reviewer, score > 3 against the human, on decided outputs it scored:
  //   A: o2 2 (F/F ✓) o3 4 (T/T ✓) o5 1 (T/F ✗) → 2 of 3       B: o1 4 ✓, o3 2 ✗, o4 5 ✓ → 2 of 3
  //   C: o1 5 ✓, o2 3 (F/F ✓), o5 2 ✗ → 2 of 3; o4's C score unparseable
  assert.deepEqual(
    stats.reviewers.map((r) => [r.reviewer, r.scored, r.agreement.agreements, r.unparseable]),
    [
      ['A', 3, 2, 0],
      ['B', 3, 2, 0],
      ['C', 3, 2, 1],
    ],
  );
  // A's own table: (H,R) = (F,F) (T,T) (T,F): p_o 2/3, p_h 2/3, p_r 1/3, p_e = 2/9 + 2/9 = 4/9, κ = (2/3 − 4/9)/(5/9) = 2/5.
  assert.ok(Math.abs(stats.reviewers[0]!.agreement.kappa! - 0.4) < 1e-12);

  // Export consistency (defaults): P1's accepted rationales o1 (10 ✓) and o3 (7 ✗ → excluded); P2's edit re-graded (20 ✓).
  assert.deepEqual(stats.export.consistency, { exportedRationales: 2, exportedInconsistent: 0, excludedInconsistent: 1, consistentShare: 2 / 3 });
  assert.equal(stats.export.counts.feedbackExamples, 1);
  assert.equal(stats.time.decisions, 6);
});

test("Cohen's kappa: perfect, chance-level and undefined cases", () => {
  assert.equal(
    agreement([
      [true, true],
      [false, false],
    ]).kappa,
    1,
  );
  // Independent raters at 50 %: p_o = 1/2 = p_e → κ = 0.
  assert.equal(
    agreement([
      [true, true],
      [true, false],
      [false, true],
      [false, false],
    ]).kappa,
    0,
  );
  // Systematic disagreement: κ = −1.
  assert.equal(
    agreement([
      [true, false],
      [false, true],
    ]).kappa,
    -1,
  );
  // Both raters accept everything: p_e = 1, κ undefined; the share is still 1.
  assert.deepEqual(
    [
      agreement([
        [true, true],
        [true, true],
      ]).kappa,
      agreement([[true, true]]).share,
    ],
    [null, 1],
  );
  assert.deepEqual([agreement([]).share, agreement([]).kappa], [null, null]);
});

test("curation time per item: median gap between a curator's decisions, breaks and bulk actions handled", () => {
  const t0 = Date.parse('2025-03-01T09:00:00.000Z');
  let id = 0;
  const event = (curator: string, seconds: number, action: CurationEvent['action'] = 'accept', batch: string | null = null): CurationEvent => ({
    id: ++id,
    outputId: id,
    action,
    text: null,
    undoesEventId: null,
    batch,
    curator,
    at: new Date(t0 + seconds * 1000).toISOString(),
    verdictShown: null,
    decisionMs: null,
  });
  const events = [
    event('x', 0),
    event('x', 30),
    event('x', 90),
    event('x', 20 * 60), // after a 18.5-minute break: not work
    event('x', 20 * 60 + 10),
    event('x', 20 * 60 + 12, 'undo'), // an undo is not a decision
    // One bulk action of three events: one decision, 290 s after the previous one.
    event('x', 25 * 60, 'accept', 'b1'),
    event('x', 25 * 60, 'accept', 'b1'),
    event('x', 25 * 60, 'accept', 'b1'),
    event('y', 0),
    event('y', 5),
  ];
  const timing = curationTiming(events);
  // x's kept gaps: 30, 60, 10, 290 → median 45; y's: 5. All together: 5, 10, 30, 60, 290 → 30.
  assert.deepEqual(
    timing.curators.map((c) => [c.curator, c.decisions, c.gaps, c.breaks, c.medianSeconds, c.activeSeconds]),
    [
      ['x', 6, 4, 1, 45, 390],
      ['y', 2, 1, 0, 5, 5],
    ],
  );
  assert.equal(timing.medianSeconds, 30);
  assert.equal(timing.decisions, 8);
  assert.equal(timing.idleCutoffSeconds, 600);
  assert.equal(curationTiming(events, 20 * 60 * 1000).curators[0]!.breaks, 0);
});
