import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { collect } from '../../../src/core/jobs/collect.ts';
import { collectByBatch } from '../../../src/core/jobs/batchCollect.ts';
import type { JobProgress, TeacherTally } from '../../../src/core/jobs/progress.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { planningCaller, pollBatches, submitPlanned } from '../../../src/core/teachers/batch.ts';
import type { PlannedRequest } from '../../../src/core/teachers/batch.ts';
import { parseConfig } from '../../../src/core/teachers/config.ts';
import { runCritiques } from '../../../src/core/jobs/critiques.ts';
import { mistakesInScope } from '../../../src/core/jobs/scope.ts';
import { tempDir } from '../helpers.ts';
import { LEAK_KEY, importMistakes, snapshot, startTeachers } from '../jobs/fixture.ts';

const keys = async (): Promise<string> => LEAK_KEY;

test('batch: submit, poll, resume polling after a restart, fold results into the ledger at half price', async (t) => {
  const dir = tempDir(t);
  const dbFile = path.join(dir, 'curation.db');
  let db = openStore(dbFile);
  importMistakes(db);
  const teachers = await startTeachers({ batchPollsToComplete: 3 });
  t.after(() => teachers.close());
  const config = parseConfig(teachers.config, 'test');
  const scope = {
    problemIds: mistakesInScope(db)
      .slice(0, 40)
      .map((m) => m.problem.id),
  };
  const mistakes = mistakesInScope(db, scope);

  // Plan and submit, then "crash": only the database remembers the batches.
  const planned: PlannedRequest[] = [];
  const planners = config.teachers.map((teacher) => planningCaller(db, teacher, planned));
  const planning = await runCritiques({ db }, planners, mistakes);
  assert.equal(planning.done, 0);
  assert.equal(planning.failed, 0);
  assert.equal(planned.length, 120);
  const ids = await submitPlanned(db, config.teachers, keys, planned);
  assert.equal(ids.length, 3);
  assert.equal((db.prepare("SELECT COUNT(*) AS n FROM calls WHERE status = 'pending' AND batch_id IS NOT NULL").get() as { n: number }).n, 120);
  const first = await pollBatches(db, config.teachers, keys);
  assert.deepEqual(first, { open: 3, finished: 0, answered: 0, failed: 0 });
  db.close();

  db = openStore(dbFile);
  t.after(() => db.close());
  const results = await collectByBatch(db, { teachers: config.teachers, keys, review: config.review, jobs: ['critiques'], scope, pollIntervalMs: 5 });
  assert.equal(results[0]?.done, 120);
  assert.equal(results[0]?.cached, 120);
  const batches = db.prepare('SELECT status, finished_at FROM batches ORDER BY id').all() as { status: string; finished_at: string | null }[];
  assert.equal(batches.length, 3, 'nothing was submitted twice');
  assert.ok(batches.every((b) => b.finished_at !== null && ['completed', 'ended'].includes(b.status)));
  const calls = db.prepare('SELECT status, cost, tokens_in, tokens_out, teacher FROM calls WHERE batch_id IS NOT NULL').all() as {
    status: string;
    cost: number;
    tokens_in: number;
    tokens_out: number;
    teacher: string;
  }[];
  assert.ok(calls.every((c) => c.status === 'ok'));
  const gpt = calls.find((c) => c.teacher === 'gpt');
  assert.ok(gpt && Math.abs(gpt.cost - ((gpt.tokens_in * 0.5 + gpt.tokens_out * 1.5) / 1e6) * 0.5) < 1e-12, 'batch answers cost half');
  for (const server of teachers.servers) {
    assert.equal(server.requests.length, 0, 'no live chat request');
    assert.ok(
      [...server.answered.values()].every((n) => n === 1),
      'every request answered once',
    );
  }

  // The same rows as a live run.
  const liveDb = openStore(path.join(dir, 'live.db'));
  t.after(() => liveDb.close());
  importMistakes(liveDb);
  await collect(liveDb, { teachers: config.teachers, keys, review: config.review, jobs: ['critiques'], scope: { problemIds: scope.problemIds } });
  const strip = (rows: unknown[]) => rows.map((r) => ({ ...(r as Record<string, unknown>), call_status: undefined }));
  assert.deepEqual(strip(snapshot(db).outputs), strip(snapshot(liveDb).outputs));
});

test('batch: the summary of a batch run is the ledger rows it submitted, at half price', async (t) => {
  const db = openStore(path.join(tempDir(t), 'curation.db'));
  t.after(() => db.close());
  importMistakes(db);
  const teachers = await startTeachers({ batchPollsToComplete: 1 });
  t.after(() => teachers.close());
  const config = parseConfig(teachers.config, 'test');
  const results: JobProgress[] = await collectByBatch(db, {
    teachers: config.teachers,
    keys,
    review: config.review,
    jobs: ['critiques'],
    scope: { limit: 10 },
    pollIntervalMs: 5,
  });
  const critiques = results[0];
  assert.equal(critiques?.done, 30);
  for (const teacher of config.teachers) {
    const tally: TeacherTally | undefined = critiques?.perTeacher[teacher.id];
    const ledger = db
      .prepare("SELECT COUNT(*) AS n, SUM(cost) AS cost FROM calls WHERE teacher = ? AND batch_id IS NOT NULL AND status = 'ok'")
      .get(teacher.id) as { n: number; cost: number };
    assert.deepEqual([tally?.sent, tally?.answered], [10, 10], `${teacher.id}: the submitted requests are counted as sent`);
    assert.ok(Math.abs((tally?.cost ?? 0) - ledger.cost) < 1e-12 && ledger.n === 10);
  }
});
