import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect } from '../../../src/core/jobs/collect.ts';
import { openStore } from '../../../src/core/store/db.ts';
import type { Db } from '../../../src/core/store/db.ts';
import { parseConfig } from '../../../src/core/teachers/config.ts';
import { ALL_FAULTS, fingerprintOf } from '../../servers/fakeServer.ts';
import type { FakeServer } from '../../servers/fakeServer.ts';
import { tempDir } from '../helpers.ts';
import { LEAK_KEY, importMistakes, snapshot, startTeachers, writeConfig } from './fixture.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const keys = async (): Promise<string> => LEAK_KEY;

/** The uninterrupted run's rows, which the killed-and-resumed run must reproduce. */
let reference: ReturnType<typeof snapshot> | undefined;

function totalRequests(servers: readonly FakeServer[]): number {
  return servers.reduce((n, s) => n + s.requests.length, 0);
}

function assertNoKey(texts: readonly string[], files: readonly string[]): void {
  const needles = [LEAK_KEY, LEAK_KEY.slice(8, 20), LEAK_KEY.slice(-10)];
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    const bytes = fs.readFileSync(file);
    for (const needle of needles) assert.equal(bytes.indexOf(needle), -1, `${path.basename(file)} holds a piece of the key`);
  }
  for (const text of texts) for (const needle of needles) assert.ok(!text.includes(needle), 'a log holds a piece of the key');
}

test('the full job over the 387 SVAMP mistakes with three teachers; a second run sends nothing', async (t) => {
  const dir = tempDir(t);
  const db = openStore(path.join(dir, 'curation.db'));
  t.after(() => db.close());
  assert.equal(importMistakes(db), 387);
  const teachers = await startTeachers();
  t.after(() => teachers.close());
  const config = parseConfig(teachers.config, 'test');
  const seen: number[] = [];
  const results = await collect(db, { teachers: config.teachers, keys, review: config.review, onProgress: (p) => seen.push(p.done) });
  const [critiques, rationales, review] = results;
  assert.deepEqual([critiques?.total, critiques?.done, critiques?.failed], [1161, 1161, 0]);
  assert.deepEqual([rationales?.total, rationales?.done, rationales?.failed], [1161, 1161, 0]);
  assert.equal(review?.total, 2322 * 2);
  assert.equal((review?.done ?? 0) + (review?.skipped ?? 0), 4644);
  assert.ok((review?.skipped ?? 0) > 0, 'some reviews could not change the verdict and were skipped');
  assert.ok(seen.length > 10, 'progress was reported while running');
  for (const id of ['gpt', 'gemini', 'mixtral']) {
    const tally = critiques?.perTeacher[id];
    assert.ok(tally && tally.sent === 387 && (tally.tokensIn ?? 0) > 0 && (tally.cost ?? 0) > 0, id);
  }
  const counts = db
    .prepare(
      `SELECT kind, COUNT(*) AS n, SUM(call_id IS NOT NULL) AS linked, SUM(correct IS NOT NULL) AS graded FROM teacher_outputs GROUP BY kind ORDER BY kind`,
    )
    .all();
  assert.deepEqual(counts, [
    { kind: 'critique', n: 1161, linked: 1161, graded: 0 },
    { kind: 'rationale', n: 1161, linked: 1161, graded: 1161 },
  ]);
  // The critiques are the paper's real texts, served by the local teachers.
  const example = db
    .prepare("SELECT text FROM teacher_outputs o JOIN problems p ON p.id = o.problem_id WHERE kind = 'critique' AND teacher = 'gpt' ORDER BY p.id LIMIT 1")
    .get() as { text: string };
  assert.match(example.text, /mistake/i);
  const reviews = db.prepare('SELECT COUNT(*) AS n, SUM(score IS NULL) AS unparsed, SUM(raw_text IS NULL) AS noText FROM peer_reviews').get() as {
    n: number;
    unparsed: number;
    noText: number;
  };
  assert.equal(reviews.n, review?.done);
  assert.equal(reviews.unparsed, 0);
  assert.equal(reviews.noText, 0);
  assert.equal(
    (db.prepare('SELECT COUNT(*) AS n FROM peer_reviews r JOIN teacher_outputs o ON o.id = r.output_id WHERE r.reviewer = o.teacher').get() as { n: number }).n,
    0,
    'nobody reviews itself',
  );
  const sent = totalRequests(teachers.servers);
  assert.equal(sent, 1161 + 1161 + (review?.done ?? 0));

  const again = await collect(db, { teachers: config.teachers, keys, review: config.review });
  assert.equal(totalRequests(teachers.servers), sent, 'the second run sent no request');
  assert.deepEqual(
    again.map((r) => r.done),
    [0, 0, 0],
  );
  reference = snapshot(db);
});

async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  onSpawn?: (pid: number) => void,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'src/cli.ts'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  onSpawn?.(child.pid as number);
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

function okFingerprints(db: Db): Set<string> {
  const rows = db.prepare("SELECT request FROM calls WHERE status = 'ok'").all() as { request: string }[];
  return new Set(
    rows.map(({ request }) => {
      const r = JSON.parse(request) as { model: string; messages: { role: string; content: string }[]; temperature: number | null; maxTokens: number };
      return fingerprintOf({ model: r.model, messages: r.messages, temperature: r.temperature, maxTokens: r.maxTokens });
    }),
  );
}

test('SIGKILL mid-run, resume: the same rows as an uninterrupted run, no answered request sent again', async (t) => {
  assert.ok(reference, 'runs after the uninterrupted job');
  const dir = tempDir(t);
  const dbFile = path.join(dir, 'curation.db');
  const setup = openStore(dbFile);
  importMistakes(setup);
  setup.close();
  const teachers = await startTeachers();
  t.after(() => teachers.close());
  const configFile = writeConfig(dir, teachers.config);
  const args = ['collect', '--config', configFile, '--db', dbFile];
  const env = { MAPD_TEST_KEY: LEAK_KEY };

  const watcher = openStore(dbFile);
  let killedAt = 0;
  const first = await runCli(args, env, (pid) => {
    const poll = setInterval(() => {
      const { n } = watcher.prepare("SELECT COUNT(*) AS n FROM calls WHERE status = 'ok'").get() as { n: number };
      if (n >= 1500) {
        clearInterval(poll);
        killedAt = n;
        process.kill(pid, 'SIGKILL');
      }
    }, 20);
  });
  assert.equal(first.signal, 'SIGKILL');
  assert.ok(killedAt >= 1500);
  const answeredBefore = okFingerprints(watcher);
  const countsAtKill = teachers.servers.map((s) => new Map(s.counts));
  watcher.close();

  const second = await runCli(args, env);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /critiques: 1161 to do/);

  for (const [i, server] of teachers.servers.entries()) {
    const before = countsAtKill[i] as Map<string, number>;
    for (const fingerprint of answeredBefore) {
      if (!before.has(fingerprint)) continue;
      assert.equal(server.counts.get(fingerprint), before.get(fingerprint), 'a request answered before the kill was sent again');
    }
  }
  const db = openStore(dbFile);
  t.after(() => db.close());
  assert.deepEqual(snapshot(db), reference);
  // Requests in flight at the kill are marked as interrupted, never left pending.
  const statuses = db.prepare('SELECT status, COUNT(*) AS n FROM calls GROUP BY status ORDER BY status').all() as { status: string; n: number }[];
  assert.ok(!statuses.some((s) => s.status === 'pending'));
  const errors = db.prepare("SELECT error FROM calls WHERE status = 'error'").all() as { error: string }[];
  assert.ok(errors.every((e) => /^interrupted/.test(e.error)));
  assertNoKey([first.stdout, first.stderr, second.stdout, second.stderr], [dbFile, `${dbFile}-wal`]);
});

test("reproducible review: two runs at 20 % faults with different seeds store the clean run's outputs and reviews, row for row, skipping on", async (t) => {
  assert.ok(reference, 'runs after the uninterrupted job');
  // Every fault but 'unparseable', which answers a different text: that is a different answer, not a failure.
  const faults = ALL_FAULTS.filter((f) => f !== 'unparseable');
  for (const seed of [1000, 2000]) {
    const dir = tempDir(t);
    const db = openStore(path.join(dir, 'curation.db'));
    t.after(() => db.close());
    importMistakes(db);
    const teachers = await startTeachers({ faultRate: 0.2, faults, seed, retryAfterMs: 5 }, { timeoutMs: 300, maxRetries: 1 });
    t.after(() => teachers.close());
    const config = parseConfig(teachers.config, 'test');
    assert.equal(config.review.skipUndecidable, true);
    let reviewFailures = 0;
    for (let round = 0; round < 12; round++) {
      const results = await collect(db, { teachers: config.teachers, keys, review: config.review });
      const review = results[2];
      reviewFailures += (review?.failed ?? 0) + (review?.heldBack ?? 0);
      if (results.every((r) => r.failed === 0 && r.heldBack === 0)) break;
    }
    assert.ok(reviewFailures > 0, `seed ${seed}: some reviews failed and held their successors back`);
    assert.deepEqual(snapshot(db), reference, `seed ${seed}: the same stored rows as the clean run`);
  }
});

test('over 1,000 calls at 20 % faults: nothing lost, every failure recorded with its reason', async (t) => {
  const dir = tempDir(t);
  const dbFile = path.join(dir, 'curation.db');
  const db = openStore(dbFile);
  t.after(() => db.close());
  importMistakes(db);
  const teachers = await startTeachers({ faultRate: 0.2, retryAfterMs: 5 }, { timeoutMs: 400, maxRetries: 1 });
  t.after(() => teachers.close());
  const config = parseConfig(teachers.config, 'test');
  const jobs = ['critiques', 'rationales'] as const;
  const results = await collect(db, { teachers: config.teachers, keys, review: config.review, jobs });
  const served = totalRequests(teachers.servers);
  assert.ok(served >= 1000, `${served} requests`);
  const faults = teachers.servers.reduce((n, s) => n + [...s.faultsServed.values()].reduce((a, b) => a + b, 0), 0);
  assert.ok(faults >= 0.15 * served, `${faults} faults of ${served}`);
  for (const r of results) assert.equal(r.done + r.failed, r.total, `${r.job}: every item either answered or failed`);
  const outputs = (db.prepare('SELECT COUNT(*) AS n FROM teacher_outputs').get() as { n: number }).n;
  assert.equal(
    outputs,
    results.reduce((n, r) => n + r.done, 0),
  );
  const errorRows = db.prepare("SELECT error, status FROM calls WHERE status <> 'ok'").all() as { error: string | null; status: string }[];
  assert.ok(errorRows.length > 0, 'faults the SDK gave up on are in the ledger');
  for (const row of errorRows) {
    assert.equal(row.status, 'error');
    assert.ok(row.error && row.error.length > 3, 'every failure has its reason');
  }
  // Every failed item has its failure in the ledger: a failed slot's key has at least one error row.
  const failedItems = results.reduce((n, r) => n + r.failed, 0);
  const failedKeys = (
    db.prepare("SELECT COUNT(DISTINCT request_key) AS n FROM calls WHERE request_key NOT IN (SELECT request_key FROM calls WHERE status = 'ok')").get() as {
      n: number;
    }
  ).n;
  assert.equal(failedKeys, failedItems);

  // Faults gone, a second run completes exactly what was missing.
  for (const s of teachers.servers) s.setFaultRate(0);
  const before = totalRequests(teachers.servers);
  const rerun = await collect(db, { teachers: config.teachers, keys, review: config.review, jobs });
  assert.equal(totalRequests(teachers.servers) - before, failedItems);
  assert.deepEqual(
    rerun.map((r) => r.failed),
    [0, 0],
  );
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM teacher_outputs').get() as { n: number }).n, 2322);
  const dump = JSON.stringify(db.prepare('SELECT * FROM calls').all());
  assertNoKey([dump], [dbFile, `${dbFile}-wal`]);
});

test('cancel: no request goes out after the abort, the job ends promptly', async (t) => {
  const dir = tempDir(t);
  const db = openStore(path.join(dir, 'curation.db'));
  t.after(() => db.close());
  importMistakes(db);
  const teachers = await startTeachers({ latencyMs: 40 }, { concurrency: 1 });
  t.after(() => teachers.close());
  const config = parseConfig(teachers.config, 'test');
  const controller = new AbortController();
  let abortedAt = 0;
  const results = await collect(db, {
    teachers: config.teachers,
    keys,
    review: config.review,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.done >= 6 && !controller.signal.aborted) {
        abortedAt = Date.now();
        controller.abort();
      }
    },
  });
  const ended = Date.now();
  assert.equal(results.length, 1, 'later jobs did not start');
  assert.equal(results[0]?.cancelled, true);
  const late = teachers.servers.flatMap((s) => s.requests).filter((r) => r.at > abortedAt);
  assert.equal(late.length, 0, 'nothing was sent after the abort');
  assert.ok(ended - abortedAt < 1000, `ended ${ended - abortedAt} ms after the abort`);
  assert.ok(totalRequests(teachers.servers) <= 6 + 3, 'at most the requests in flight (one per teacher) beyond those done');
  const pending = (db.prepare("SELECT COUNT(*) AS n FROM calls WHERE status = 'pending'").get() as { n: number }).n;
  assert.equal(pending, 0);
});
