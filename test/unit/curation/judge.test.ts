import test from 'node:test';
import assert from 'node:assert/strict';
import { createCurationSession } from '../../../src/vscode/curation/session.ts';
import type { HostMessage } from '../../../src/protocol/curation.ts';
import { EMPTY_FILTER, parseHostMessage } from '../../../src/protocol/curation.ts';
import { buildIndex } from '../../../src/core/curation/mistakeIndex.ts';
import { filterIndex } from '../../../src/core/curation/filters.ts';
import { mistakeView } from '../../../src/core/curation/mistakeView.ts';
import { blindView, neutralKey } from '../../../src/core/curation/blind.ts';
import { wrongStepMarks } from '../../../src/core/curation/stepMarks.ts';
import { editSize, rewriteNotice } from '../../../src/core/curation/editSize.ts';
import { listEvents } from '../../../src/core/store/events.ts';
import { curationStats } from '../../../src/core/stats/curation.ts';
import { decisionTelemetry } from '../../../src/core/stats/timing.ts';
import { importTeacherOutputsFile } from '../../../src/core/import/index.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { hasWrongStep } from '../../../src/core/curation/stepMarks.ts';
import { sharedData, tempDir } from '../helpers.ts';
import path from 'node:path';
import { seedProject } from './seed.ts';

type Show = Extract<HostMessage, { type: 'show' }>;

test("wrong-step flags are computed where the view is built: items, the student's steps, and the filter", (t) => {
  const { db } = seedProject(t, 6);
  // The seed's students write "I think i + i = 2i+1." (a wrong step); one rationale also computes wrongly.
  const target = db.prepare("SELECT id, problem_id FROM teacher_outputs WHERE kind = 'rationale' ORDER BY id LIMIT 1").get() as {
    id: number;
    problem_id: number;
  };
  db.prepare('UPDATE teacher_outputs SET text = ? WHERE id = ?').run('Each box: $\\frac{48}{2} = 25$, so 25 x 2 = 50. The answer is 0.', target.id);
  const index = buildIndex(db, null);
  const view = mistakeView(db, index, target.problem_id)!;
  const item = view.rationales.find((i) => i.outputId === target.id)!;
  assert.deepEqual(item.wrongSteps, [{ text: '(48)/(2) = 25', stated: '25', right: '24' }]);
  assert.ok(
    view.rationales.filter((i) => i.outputId !== target.id).every((i) => i.wrongSteps.length === 0),
    'right steps are not flagged',
  );
  assert.deepEqual(view.studentWrongSteps, [{ text: '0 + 0 = 1', stated: '1', right: '0' }]);
  assert.deepEqual(
    view.critiques.map((c) => c.wrongSteps),
    [[], [], []],
  );
  assert.deepEqual(filterIndex(index, { ...EMPTY_FILTER, wrongStepOnly: true }).ids, [target.problem_id]);
  assert.equal(filterIndex(index, EMPTY_FILTER).ids.length, 3);
  assert.deepEqual(wrongStepMarks('1/2 = 40% of it'), [{ text: '1/2 = 40', stated: '40', right: '50' }], 'a percent result is stated in points');
});

test('blind view: undecided items lose verdict, rank order and reviews; order is a stable hash, decided items keep theirs', (t) => {
  const { db } = seedProject(t, 2);
  const index = buildIndex(db, null);
  const view = mistakeView(db, index, index.order[0]!)!;
  const blind = blindView(view);
  const ids = (items: { outputId: number }[]) => items.map((i) => i.outputId);
  assert.deepEqual(
    ids(blind.critiques),
    [...ids(view.critiques)].sort((a, b) => neutralKey(a) - neutralKey(b)),
  );
  assert.deepEqual(ids(blindView(view).critiques), ids(blind.critiques), 'stable');
  for (const item of [...blind.critiques, ...blind.rationales]) {
    assert.equal(item.blinded, true);
    assert.deepEqual(item.reviews, []);
    assert.equal(item.verdict.score, null);
  }
  assert.deepEqual(
    blind.critiques.map((i) => i.rank),
    [1, 2, 3],
  );
  const decided = { ...view, critiques: view.critiques.map((c, i) => (i === 0 ? { ...c, decision: 'accepted' as const } : c)) };
  const kept = blindView(decided).critiques.find((c) => c.outputId === view.critiques[0]!.outputId)!;
  assert.equal(kept.blinded, false);
  assert.deepEqual(kept.verdict, view.critiques[0]!.verdict);
});

test('the session records whether the verdict was shown and how long the item was displayed; stats split by it', (t) => {
  const { db } = seedProject(t, 4);
  const posted: HostMessage[] = [];
  let blindSetting = true;
  const session = createCurationSession(db, {
    curator: () => 'ana',
    blind: () => blindSetting,
    hooks: { post: (m) => posted.push(m), onBlind: (b) => (blindSetting = b) },
  });
  const last = (): Show => [...posted].reverse().find((m): m is Show => m.type === 'show')!;
  session.handle({ type: 'ready', problemId: null });
  const shown = last();
  assert.equal(shown.blind, true);
  assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(shown))), shown);
  const first = shown.mistake!;
  assert.ok([...first.critiques, ...first.rationales].every((i) => i.blinded && i.reviews.length === 0 && i.verdict.score === null));
  assert.ok(
    shown.neighbours.every((n) => [...n.critiques, ...n.rationales].every((i) => i.blinded)),
    'prefetched neighbours are blind too',
  );
  const critique = first.critiques[0]!;
  const rationale = first.rationales[0]!;
  session.handle({ type: 'decide', requestId: 1, problemId: first.problemId, outputId: critique.outputId, action: 'accept', text: null });
  const afterDecision = last().mistake!.critiques.find((c) => c.outputId === critique.outputId)!;
  assert.equal(afterDecision.blinded, false);
  assert.ok(afterDecision.verdict.score !== null, 'the verdict comes once decided');
  session.handle({ type: 'setBlind', requestId: 2, blind: false });
  assert.equal(blindSetting, false, 'the host keeps the toggle');
  session.handle({
    type: 'decide',
    requestId: 3,
    problemId: first.problemId,
    outputId: rationale.outputId,
    action: 'edit',
    text: 'A complete rewrite that shares nothing with the teacher.',
  });
  const events = listEvents(db);
  assert.deepEqual(
    events.map((e) => e.verdictShown),
    [false, true],
  );
  assert.ok(events.every((e) => typeof e.decisionMs === 'number' && e.decisionMs >= 0));

  const stats = curationStats(db);
  assert.equal(stats.humanVsPeer.byVisibility.blind.items, 1);
  assert.equal(stats.humanVsPeer.byVisibility.shown.items, 1);
  assert.equal(stats.humanVsPeer.byVisibility.unrecorded.items, 0);
  assert.equal(stats.telemetry.overall.decisions, 2);
  assert.equal(stats.telemetry.overall.timed, 2);
  assert.equal(stats.telemetry.byCurator.length, 1);
  assert.equal(stats.telemetry.byCurator[0]!.name, 'ana');
  assert.equal(stats.telemetry.overall.edits, 1);
  assert.equal(stats.telemetry.overall.rewrites, 1);
});

test('edit size and the rewrite notice; telemetry medians, decisions per hour, per teacher and curator', () => {
  const small = editSize('We add 3 and 4 to get 8 apples.', 'We add 3 and 4 to get 7 apples.');
  assert.equal(small.wordsChanged, 2);
  assert.equal(small.charsChanged, 2);
  assert.equal(rewriteNotice('gpt', 'We add 3 and 4 to get 8 apples.', 'We add 3 and 4 to get 7 apples.'), null);
  assert.match(rewriteNotice('gpt', 'We add 3 and 4 to get 8 apples.', 'Seven is what you get from three plus four.')!, /rewrites \d+ % of gpt's words/);
  const telemetry = decisionTelemetry([
    { curator: 'ana', teacher: 'gpt', action: 'accept', decisionMs: 10_000, edit: null },
    { curator: 'ana', teacher: 'gpt', action: 'edit', decisionMs: 30_000, edit: { charsChanged: 4, wordsChanged: 2, wordShare: 0.25 } },
    { curator: 'bo', teacher: 'gemini', action: 'reject', decisionMs: 20 * 60_000, edit: null },
    { curator: 'bo', teacher: 'gemini', action: 'accept', decisionMs: null, edit: null },
  ]);
  assert.equal(telemetry.byTeacher[1]!.name, 'gpt');
  assert.equal(telemetry.byTeacher[1]!.medianSeconds, 20);
  assert.equal(telemetry.byTeacher[1]!.decisionsPerHour, 180, '2 decisions in 40 s');
  assert.equal(telemetry.byTeacher[1]!.medianWordsChanged, 2);
  assert.equal(telemetry.byCurator[1]!.timed, 1, 'an untimed (bulk) decision is not timed');
  assert.equal(telemetry.byCurator[1]!.medianSeconds, 600, 'a look longer than the break cutoff is capped');
});

test("a critique quoting the student's wrong step is not flagged for it; its own wrong step is", (t) => {
  const { db } = seedProject(t, 2);
  const critique = db.prepare("SELECT id, problem_id FROM teacher_outputs WHERE kind = 'critique' ORDER BY id LIMIT 1").get() as {
    id: number;
    problem_id: number;
  };
  db.prepare('UPDATE teacher_outputs SET text = ? WHERE id = ?').run('You wrote 0 + 0 = 1, but 0 + 0 = 0.', critique.id);
  const other = db.prepare("SELECT id FROM teacher_outputs WHERE kind = 'critique' AND id <> ? ORDER BY id LIMIT 1").get(critique.id) as { id: number };
  db.prepare('UPDATE teacher_outputs SET text = ? WHERE id = ?').run('You wrote 0 + 0 = 1; it is 2 + 2 = 5.', other.id);
  const view = mistakeView(db, buildIndex(db, null), critique.problem_id)!;
  assert.deepEqual(view.critiques.find((c) => c.outputId === critique.id)!.wrongSteps, []);
  assert.deepEqual(
    view.critiques.find((c) => c.outputId === other.id)!.wrongSteps.map((m) => m.text),
    ['2 + 2 = 5'],
  );
});

test('the SVAMP release: 67 of 387 mistakes have a critique or rationale with a wrong step (81 of 2,322 items)', (t) => {
  const db = openStore(path.join(tempDir(t), 'release.db'));
  t.after(() => db.close());
  for (const name of ['svamp_false', 'svamp_feedback', 'svamp_rationale'])
    importTeacherOutputsFile(db, sharedData('mapd_release', `Llama-2-7b-chat-hf_${name}_round0.json`));
  const index = buildIndex(db, null);
  assert.equal(index.order.length, 387);
  assert.equal(filterIndex(index, { ...EMPTY_FILTER, wrongStepOnly: true }).ids.length, 67);
  const items = [...index.byProblem.values()].flatMap((s) => [...s.critiques, ...s.rationales].map((i) => hasWrongStep(i, s.student.rawOutput)));
  assert.equal(items.length, 2322);
  assert.equal(items.filter(Boolean).length, 81);
});
