import test from 'node:test';
import assert from 'node:assert/strict';
import { upsertStudentAnswer } from '../../../src/core/store/answers.ts';
import { insertOutput } from '../../../src/core/store/outputs.ts';
import { recordDecision } from '../../../src/core/store/events.ts';
import { buildIndex } from '../../../src/core/curation/mistakeIndex.ts';
import { decide } from '../../../src/core/curation/decisions.ts';
import { curationProgress, mistakeProgress, progressLine, progressMark } from '../../../src/core/curation/progress.ts';
import { seedProject } from './seed.ts';

test('the status bar counts what the panel counts: mistakes, settled mistakes and decided outputs', (t) => {
  const { db } = seedProject(t, 10);
  const index = buildIndex(db);
  assert.deepEqual(curationProgress(db), { mistakes: 5, settled: 0, decidedOutputs: 0 });
  const [p0, p2] = index.order as [number, number];
  const first = index.byProblem.get(p0)!;
  decide(db, index, { outputId: first.critiques[0]!.facts.outputId, action: 'accept', text: null }, 'ana');
  decide(db, index, { outputId: first.rationales[1]!.facts.outputId, action: 'edit', text: 'So 0 + 0 = 0. The answer is 0.' }, 'ana');
  decide(db, index, { outputId: index.byProblem.get(p2)!.critiques[2]!.facts.outputId, action: 'reject', text: null }, 'ana');
  const progress = curationProgress(db);
  assert.deepEqual(progress, { mistakes: 5, settled: index.settledCount, decidedOutputs: 3 });
  assert.equal(progress.settled, 1);
  assert.equal(progressLine(progress), '1 of 5 mistakes settled · 3 outputs decided');
  assert.deepEqual(
    mistakeProgress(db, [p0, p2]),
    new Map([
      [p0, { settled: true, outputs: 6, decidedOutputs: 2 }],
      [p2, { settled: false, outputs: 6, decidedOutputs: 1 }],
    ]),
  );
  // The Problems view's marks.
  const rows = mistakeProgress(db);
  assert.deepEqual(
    index.order.map((id) => progressMark(rows.get(id)) ?? null),
    ['✓ settled', '1 of 6 decided', null, null, null],
  );
});

test('a critique of a second wrong answer is decided but not part of the mistake the panel shows', (t) => {
  const { db } = seedProject(t, 2);
  const index = buildIndex(db);
  const problemId = index.order[0]!;
  const second = upsertStudentAnswer(db, { problemId, student: 'mistral', rawOutput: '7', extractedAnswer: '7', correct: false });
  const critique = insertOutput(db, { problemId, kind: 'critique', teacher: 'gpt', studentAnswerId: second, text: 'Not 7.', source: 'test' });
  recordDecision(db, { outputId: critique.id, action: 'accept', curator: 'ana' });
  assert.deepEqual(mistakeProgress(db).get(problemId), { settled: false, outputs: 6, decidedOutputs: 0 });
  assert.deepEqual(curationProgress(db), { mistakes: 1, settled: 0, decidedOutputs: 1 });
});
