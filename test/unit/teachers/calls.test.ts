import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openCallers } from '../../../src/core/jobs/runner.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/core/store/migrations.ts';
import { chatRequest } from '../../../src/core/teachers/caller.ts';
import type { EndpointConfig } from '../../../src/core/teachers/client.ts';
import { parseTeacherConfig } from '../../../src/core/teachers/config.ts';
import { endpointOf } from '../../../src/core/teachers/endpoint.ts';
import type { CallRow } from '../../../src/core/teachers/ledger.ts';
import { ledgerRequest, requestKey } from '../../../src/core/teachers/ledger.ts';
import { startFakeServer } from '../../servers/fakeServer.ts';
import type { FaultKind, Protocol } from '../../servers/fakeServer.ts';
import { tempDir } from '../helpers.ts';

/**
 * The caller as jobs use it (openCallers: the real clients over the official SDKs) against the
 * local protocol servers, with real SQLite files: the retry budget, empty and truncated answers,
 * missing usage, request ids, and the teacher in a request's identity.
 */
const KEY = 'sk-mapdtest-CALLS-0a1b2c3d4e5f';
const keys = async (): Promise<string> => KEY;
const messages = [
  { role: 'system' as const, content: 'You are a teacher.' },
  { role: 'user' as const, content: 'What is 2 + 2?' },
];

type Row = CallRow;

function teacher(protocol: Protocol, baseUrl: string, extra: Record<string, unknown> = {}): EndpointConfig {
  return parseTeacherConfig(
    {
      id: 't',
      provider: protocol === 'openai' ? 'openai' : 'anthropic',
      model: 'm',
      baseUrl,
      apiKeyEnv: 'K',
      timeoutMs: 2000,
      price: { input: 1, output: 2 },
      ...extra,
    },
    'test',
  );
}

function rows(db: ReturnType<typeof openStore>): Row[] {
  return db.prepare('SELECT * FROM calls ORDER BY id').all() as Row[];
}

for (const protocol of ['openai', 'anthropic'] as Protocol[]) {
  for (const [fault, maxRetries] of [
    ['500', 0],
    ['500', 2],
    ['429', 2],
    ['hang', 0],
    ['hang', 2],
  ] as [FaultKind, number][]) {
    test(`${protocol}: maxRetries ${maxRetries} → exactly ${maxRetries + 1} attempts reach the server for a call that always gets ${fault}`, async (t) => {
      const server = await startFakeServer({ protocol, apiKey: KEY, faults: [fault], faultRate: 1, retryAfterMs: 10 });
      t.after(() => server.close());
      const db = openStore(path.join(tempDir(t), 'c.db'));
      t.after(() => db.close());
      const [caller] = await openCallers(db, [teacher(protocol, server.baseUrl, { maxRetries, timeoutMs: 250 })], keys, { delayMs: () => 5 });
      const outcome = await caller!.ask({ purpose: 'adhoc', messages });
      assert.equal(outcome.ok, false);
      assert.equal(server.requests.length, maxRetries + 1, 'every layer counted: the SDK retries nothing on its own');
      const ledger = rows(db);
      assert.equal(ledger.length, maxRetries + 1, 'one ledger row per attempt');
      assert.ok(ledger.every((r) => r.status === 'error'));
    });
  }
}

test('the default maxRetries (3) is at most 4 attempts, and the retry waits what the server asks', async (t) => {
  const server = await startFakeServer({ protocol: 'openai', faults: ['503'], faultRate: 1, retryAfterMs: 40 });
  t.after(() => server.close());
  const db = openStore(path.join(tempDir(t), 'c.db'));
  t.after(() => db.close());
  const [caller] = await openCallers(db, [teacher('openai', server.baseUrl)], keys);
  await caller!.ask({ purpose: 'adhoc', messages });
  assert.equal(server.requests.length, 4);
  const gaps = server.requests.slice(1).map((r, i) => r.at - (server.requests[i] as { at: number }).at);
  assert.ok(
    gaps.every((g) => g >= 35),
    `waited retry-after between attempts: ${gaps.join(', ')} ms`,
  );
});

test("a failure's request id goes to its own column, never into the reason", async (t) => {
  const server = await startFakeServer({ protocol: 'openai', apiKey: KEY, faults: ['500'], faultRate: 1 });
  t.after(() => server.close());
  const db = openStore(path.join(tempDir(t), 'c.db'));
  t.after(() => db.close());
  const [caller] = await openCallers(db, [teacher('openai', server.baseUrl, { maxRetries: 1 })], keys, { delayMs: () => 0 });
  await caller!.ask({ purpose: 'adhoc', messages });
  const ledger = rows(db);
  assert.equal(ledger.length, 2);
  assert.equal(new Set(ledger.map((r) => r.error)).size, 1, 'one cause, one reason text');
  for (const r of ledger) {
    assert.doesNotMatch(r.error ?? '', /request id|req_/);
    assert.match(r.request_id ?? '', /^req_/);
  }
});

test('a greedy teacher\'s empty answer: kept with its billed tokens, failed "empty answer", not bought again unless asked', async (t) => {
  const server = await startFakeServer({ protocol: 'openai', apiKey: KEY, faults: ['empty'], faultRate: 1 });
  t.after(() => server.close());
  const db = openStore(path.join(tempDir(t), 'c.db'));
  t.after(() => db.close());
  const config = teacher('openai', server.baseUrl, { temperature: 0, maxRetries: 2 });
  const [caller] = await openCallers(db, [config], keys, { delayMs: () => 0 });
  const first = await caller!.ask({ purpose: 'critique', messages });
  assert.ok(!first.ok);
  assert.match(first.reason, /^empty answer/);
  assert.equal(server.requests.length, 1, 'a greedy request answers the same again: no retry in the run');
  const [row] = rows(db);
  assert.equal(row?.status, 'error');
  assert.match(row?.error ?? '', /^empty answer \(finish reason: stop\)/);
  assert.ok((row?.tokens_in ?? 0) > 0, 'the billed prompt tokens are kept');
  assert.equal(row?.tokens_out, 0);
  assert.ok((row?.cost ?? 0) > 0, 'and their cost');
  assert.equal(row?.finish_reason, 'stop');

  const rerun = await caller!.ask({ purpose: 'critique', messages });
  assert.ok(!rerun.ok);
  assert.match(rerun.reason, /empty answer.*not asked again.*--retry-empty/);
  assert.equal(server.requests.length, 1, 'a rerun does not re-buy it');

  const [retrying] = await openCallers(db, [config], keys, { retryEmpty: true, delayMs: () => 0 });
  await retrying!.ask({ purpose: 'critique', messages });
  assert.equal(server.requests.length, 2, '--retry-empty asks again (once: still greedy)');
});

test("a sampled teacher's empty answer is asked again in the run, each attempt a billed row", async (t) => {
  const server = await startFakeServer({ protocol: 'anthropic', apiKey: KEY });
  t.after(() => server.close());
  server.failNext('empty', 2);
  const db = openStore(path.join(tempDir(t), 'c.db'));
  t.after(() => db.close());
  const [caller] = await openCallers(db, [teacher('anthropic', server.baseUrl, { maxRetries: 2 })], keys, { delayMs: () => 0 });
  const outcome = await caller!.ask({ purpose: 'critique', messages });
  assert.ok(outcome.ok);
  assert.equal(server.requests.length, 3);
  const ledger = rows(db);
  assert.deepEqual(
    ledger.map((r) => r.status),
    ['error', 'error', 'ok'],
  );
  assert.ok(
    ledger.every((r) => (r.tokens_in ?? 0) > 0 && (r.cost ?? 0) > 0),
    'failed answers are billed too',
  );
});

test("the student's whitespace output is its answer: stored ok, one request", async (t) => {
  const server = await startFakeServer({ protocol: 'openai', responder: () => '\n\n  \n' });
  t.after(() => server.close());
  const db = openStore(path.join(tempDir(t), 'c.db'));
  t.after(() => db.close());
  const [caller] = await openCallers(db, [teacher('openai', server.baseUrl, { temperature: 0 })], keys, { emptyIsAnswer: true });
  const outcome = await caller!.ask({ purpose: 'exam', messages });
  assert.ok(outcome.ok);
  assert.equal(outcome.text, '\n\n  \n');
  assert.equal(server.requests.length, 1);
  assert.deepEqual(
    rows(db).map((r) => r.status),
    ['ok'],
  );
});

for (const protocol of ['openai', 'anthropic'] as Protocol[]) {
  test(`${protocol}: an answer cut at max tokens is marked truncated, its finish reason stored`, async (t) => {
    const server = await startFakeServer({ protocol, apiKey: KEY, responder: () => ({ text: 'The student forgot to carry the', finish: 'length' }) });
    t.after(() => server.close());
    const db = openStore(path.join(tempDir(t), 'c.db'));
    t.after(() => db.close());
    const [caller] = await openCallers(db, [teacher(protocol, server.baseUrl)], keys);
    const outcome = await caller!.ask({ purpose: 'critique', messages });
    assert.ok(outcome.ok && outcome.truncated);
    const [row] = rows(db);
    assert.equal(row?.finish_reason, protocol === 'openai' ? 'length' : 'max_tokens');
    const again = await caller!.ask({ purpose: 'critique', messages });
    assert.ok(again.ok && again.cached && again.truncated, 'the ledger remembers it');
  });

  test(`${protocol}: a response without usage → null tokens and cost, never 0`, async (t) => {
    const server = await startFakeServer({ protocol, apiKey: KEY, omitUsage: true });
    t.after(() => server.close());
    const db = openStore(path.join(tempDir(t), 'c.db'));
    t.after(() => db.close());
    const [caller] = await openCallers(db, [teacher(protocol, server.baseUrl)], keys);
    const outcome = await caller!.ask({ purpose: 'adhoc', messages });
    assert.ok(outcome.ok);
    assert.deepEqual([outcome.tokensIn, outcome.tokensOut, outcome.cost], [null, null, null]);
    const [row] = rows(db);
    assert.deepEqual([row?.tokens_in, row?.tokens_out, row?.cost], [null, null, null]);
  });
}

test('two teachers on one endpoint and model are two voices: two calls, each at its own price', async (t) => {
  const server = await startFakeServer({ protocol: 'openai', apiKey: KEY, latencyMs: 20 });
  t.after(() => server.close());
  const db = openStore(path.join(tempDir(t), 'c.db'));
  t.after(() => db.close());
  const a = parseTeacherConfig({ id: 'tiny-a', provider: 'openai-compatible', model: 'tiny', baseUrl: server.baseUrl, price: { input: 1, output: 1 } }, 'test');
  const b = parseTeacherConfig(
    { id: 'tiny-b', provider: 'openai-compatible', model: 'tiny', baseUrl: server.baseUrl, price: { input: 10, output: 10 } },
    'test',
  );
  const [ca, cb] = await openCallers(db, [a, b], keys);
  const [oa, ob] = await Promise.all([ca!.ask({ purpose: 'adhoc', messages }), cb!.ask({ purpose: 'adhoc', messages })]);
  assert.equal(server.requests.length, 2, 'no in-flight sharing across teachers');
  assert.ok(oa.ok && ob.ok && oa.callId !== ob.callId);
  assert.ok(Math.abs((ob.cost ?? 0) - 10 * (oa.cost ?? 0)) < 1e-12, 'each at its own price');
  const [again] = await Promise.all([cb!.ask({ purpose: 'adhoc', messages })]);
  assert.ok(again.ok && again.cached && again.callId === ob.callId, 'tiny-b finds its own answer');
  assert.deepEqual(
    rows(db).map((r) => r.teacher),
    ['tiny-a', 'tiny-b'],
  );
});

test('the ledger migration keeps answers stored before it findable under their teacher, and only theirs', async (t) => {
  const file = path.join(tempDir(t), 'old.db');
  const server = await startFakeServer({ protocol: 'openai', apiKey: KEY });
  t.after(() => server.close());
  const a = parseTeacherConfig({ id: 'tiny-a', provider: 'openai-compatible', model: 'tiny', baseUrl: server.baseUrl }, 'test');
  const b = parseTeacherConfig({ id: 'tiny-b', provider: 'openai-compatible', model: 'tiny', baseUrl: server.baseUrl }, 'test');
  // A database as schema 2 wrote it: one answer by tiny-a, keyed by content alone.
  const old = new Database(file);
  for (const migration of MIGRATIONS.slice(0, 2)) old.exec(migration);
  old.pragma('user_version = 2');
  const request = chatRequest(a, messages, 0);
  old
    .prepare(
      `INSERT INTO calls (request_key, provider, model, teacher, purpose, request, response, status, tokens_in, tokens_out, cost, created_at)
    VALUES (?, 'openai-compatible', 'tiny', 'tiny-a', 'adhoc', ?, 'stored before the migration', 'ok', 5, 5, 0, '2026-01-01T00:00:00Z')`,
    )
    .run(requestKey(endpointOf(a), request), JSON.stringify(ledgerRequest(endpointOf(a), request)));
  old.close();

  const db = openStore(file);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  const [ca, cb] = await openCallers(db, [a, b], keys);
  const found = await ca!.ask({ purpose: 'adhoc', messages });
  assert.ok(found.ok && found.cached && found.text === 'stored before the migration');
  assert.equal(server.requests.length, 0);
  const other = await cb!.ask({ purpose: 'adhoc', messages });
  assert.ok(other.ok && !other.cached, 'another teacher on the same model asks for itself');
  assert.equal(server.requests.length, 1);
});
