import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openStore } from '../../../src/core/store/db.ts';
import { createCaller } from '../../../src/core/teachers/caller.ts';
import { createAnthropicClient } from '../../../src/core/teachers/anthropic.ts';
import { createOpenAiClient } from '../../../src/core/teachers/openai.ts';
import { callsForKey, requestKey } from '../../../src/core/teachers/ledger.ts';
import { parseTeacherConfig } from '../../../src/core/teachers/config.ts';
import { startFakeServer } from '../../servers/fakeServer.ts';
import type { FaultKind } from '../../servers/fakeServer.ts';
import { tempDir } from '../helpers.ts';

const KEY = 'sk-mapdtest-DISTINCTIVE-9f8e7d6c5b4a';
const messages = [
  { role: 'system' as const, content: 'You are a teacher.' },
  { role: 'user' as const, content: 'What is 2 + 2?' },
];

test('the openai SDK against the local server: text, usage, request id', async (t) => {
  const server = await startFakeServer({ protocol: 'openai', apiKey: KEY });
  t.after(() => server.close());
  const client = createOpenAiClient({ provider: 'openai-compatible', model: 'gpt-test', baseUrl: server.baseUrl, apiKey: KEY, timeoutMs: 2000, maxRetries: 0 });
  const answer = await client.complete({ messages, temperature: 0.8, maxTokens: 64, sample: 0 });
  assert.match(answer.text, /The answer is 42/);
  assert.ok((answer.tokensIn ?? 0) > 0 && (answer.tokensOut ?? 0) > 0);
  assert.match(answer.requestId ?? '', /^req_/);
});

test('the anthropic SDK against the local server: system folded, no temperature sent, usage', async (t) => {
  const server = await startFakeServer({ protocol: 'anthropic', apiKey: KEY });
  t.after(() => server.close());
  const client = createAnthropicClient({ model: 'claude-test', baseUrl: server.baseUrl, apiKey: KEY, timeoutMs: 2000, maxRetries: 0 });
  const answer = await client.complete({ messages, temperature: null, maxTokens: 64, sample: 0 });
  assert.match(answer.text, /claude-test/);
  assert.ok((answer.tokensIn ?? 0) > 0 && (answer.tokensOut ?? 0) > 0);
  assert.equal(answer.finishReason, 'end_turn');
});

test('a refused key: 401 with the status, the key scrubbed from the reason', async (t) => {
  const server = await startFakeServer({ protocol: 'openai', apiKey: 'sk-the-right-one-000000' });
  t.after(() => server.close());
  const client = createOpenAiClient({ provider: 'openai', model: 'gpt-test', baseUrl: server.baseUrl, apiKey: KEY, timeoutMs: 2000, maxRetries: 0 });
  await assert.rejects(client.complete({ messages, temperature: 0, maxTokens: 8, sample: 0 }), (error: Error & { status?: number }) => {
    assert.equal(error.status, 401);
    assert.match(error.message, /401/);
    assert.ok(!error.message.includes(KEY.slice(0, 10)) && !error.message.includes(KEY.slice(-4)), error.message);
    return true;
  });
  const anthropic = await startFakeServer({ protocol: 'anthropic', apiKey: 'sk-ant-right-000000' });
  t.after(() => anthropic.close());
  const aClient = createAnthropicClient({ model: 'c', baseUrl: anthropic.baseUrl, apiKey: KEY, timeoutMs: 2000, maxRetries: 0 });
  await assert.rejects(aClient.complete({ messages, temperature: null, maxTokens: 8, sample: 0 }), /401.*invalid x-api-key/);
});

for (const fault of ['429', '500', '503', 'reset', 'hang'] as FaultKind[]) {
  test(`the SDK retries a ${fault} and then succeeds`, async (t) => {
    const server = await startFakeServer({ protocol: 'openai' });
    t.after(() => server.close());
    server.failNext(fault);
    const client = createOpenAiClient({ provider: 'openai-compatible', model: 'm', baseUrl: server.baseUrl, apiKey: undefined, timeoutMs: 300, maxRetries: 2 });
    const pending = client.complete({ messages, temperature: 0, maxTokens: 8, sample: 0 });
    const answer = await pending;
    assert.match(answer.text, /42/);
    assert.equal(server.requests[0]?.fault, fault);
    assert.ok(server.requests.length >= 2);
  });
}

test('the caller: a second ask is served from the ledger, identical asks in flight share one request', async (t) => {
  const server = await startFakeServer({ protocol: 'openai', latencyMs: 30 });
  t.after(() => server.close());
  const db = openStore(path.join(tempDir(t), 'c.db'));
  t.after(() => db.close());
  const config = parseTeacherConfig({ id: 'gpt', provider: 'openai-compatible', model: 'm', baseUrl: server.baseUrl, price: { input: 1, output: 2 } }, 'test');
  const client = createOpenAiClient({ provider: 'openai-compatible', model: 'm', baseUrl: server.baseUrl, apiKey: undefined, timeoutMs: 2000, maxRetries: 0 });
  const caller = createCaller({ db, config, client });
  const [a, b] = await Promise.all([caller.ask({ purpose: 'adhoc', messages }), caller.ask({ purpose: 'adhoc', messages })]);
  assert.equal(server.requests.length, 1);
  assert.ok(a.ok && b.ok);
  assert.equal(a.callId, b.callId);
  const again = await caller.ask({ purpose: 'adhoc', messages });
  assert.ok(again.ok && again.cached);
  assert.equal(server.requests.length, 1);
  const key = requestKey(client.endpoint, { messages, temperature: 0.8, maxTokens: 512, sample: 0 });
  const rows = callsForKey(db, key);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.status, 'ok');
  assert.ok((rows[0]?.cost ?? 0) > 0 && (rows[0]?.tokens_in ?? 0) > 0 && (rows[0]?.latency_ms ?? -1) >= 0);
  // A different sample is a different request.
  const other = await caller.ask({ purpose: 'adhoc', messages, sample: 1 });
  assert.ok(other.ok && !other.cached);
  assert.equal(server.requests.length, 2);
});

test('the caller records a sampled empty answer as a failure with its reason, then retries it', async (t) => {
  const server = await startFakeServer({ protocol: 'anthropic', apiKey: KEY, faults: ['empty'], faultRate: 1 });
  t.after(() => server.close());
  const db = openStore(path.join(tempDir(t), 'c.db'));
  t.after(() => db.close());
  const config = parseTeacherConfig({ id: 'claude', provider: 'anthropic', model: 'c', maxRetries: 1 }, 'test');
  const client = createAnthropicClient({ model: 'c', baseUrl: server.baseUrl, apiKey: KEY, timeoutMs: 2000, maxRetries: 0 });
  const caller = createCaller({ db, config, client, delayMs: () => 0 });
  const outcome = await caller.ask({ purpose: 'critique', messages });
  assert.equal(outcome.ok, false);
  const rows = db.prepare('SELECT status, error FROM calls ORDER BY id').all() as { status: string; error: string }[];
  assert.equal(rows.length, 2);
  for (const row of rows) {
    assert.equal(row.status, 'error');
    assert.match(row.error, /empty answer/);
  }
});

test('the caller: a refused key is fatal for the teacher, later asks are not sent', async (t) => {
  const server = await startFakeServer({ protocol: 'openai', apiKey: 'sk-right-key-0000000000' });
  t.after(() => server.close());
  const db = openStore(path.join(tempDir(t), 'c.db'));
  t.after(() => db.close());
  const config = parseTeacherConfig({ id: 'gpt', provider: 'openai', model: 'm', baseUrl: server.baseUrl, concurrency: 1 }, 'test');
  const client = createOpenAiClient({ provider: 'openai', model: 'm', baseUrl: server.baseUrl, apiKey: KEY, timeoutMs: 2000, maxRetries: 0 });
  const caller = createCaller({ db, config, client });
  const first = await caller.ask({ purpose: 'adhoc', messages });
  const second = await caller.ask({ purpose: 'adhoc', messages: [{ role: 'user', content: 'other' }] });
  assert.ok(!first.ok && first.fatal && !second.ok && second.fatal);
  assert.equal(server.requests.length + 0, 0, 'a 401 is answered before any chat request is counted');
  const errors = db.prepare("SELECT error FROM calls WHERE status = 'error'").all() as { error: string }[];
  assert.equal(errors.length, 1);
  assert.match(errors[0]?.error ?? '', /^401 /);
  assert.ok(!JSON.stringify(db.prepare('SELECT * FROM calls').all()).includes(KEY.slice(-4)));
});

test('cancel: an aborted ask stops waiting and sends nothing more', async (t) => {
  const server = await startFakeServer({ protocol: 'openai', latencyMs: 200 });
  t.after(() => server.close());
  const db = openStore(path.join(tempDir(t), 'c.db'));
  t.after(() => db.close());
  const config = parseTeacherConfig({ id: 'gpt', provider: 'openai-compatible', model: 'm', baseUrl: server.baseUrl, concurrency: 1 }, 'test');
  const client = createOpenAiClient({ provider: 'openai-compatible', model: 'm', baseUrl: server.baseUrl, apiKey: undefined, timeoutMs: 2000, maxRetries: 0 });
  const caller = createCaller({ db, config, client });
  const controller = new AbortController();
  const asks = [0, 1, 2, 3].map((i) => caller.ask({ purpose: 'adhoc', messages: [{ role: 'user', content: `q${i}` }] }, controller.signal));
  while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
  controller.abort();
  const outcomes = await Promise.all(asks);
  assert.ok(outcomes.every((o) => !o.ok && o.aborted));
  assert.equal(server.requests.length, 1);
  const statuses = db.prepare('SELECT status, error FROM calls').all() as { status: string; error: string }[];
  assert.deepEqual(statuses, [{ status: 'error', error: 'cancelled' }]);
});

test('a truncated body is a recorded failure and a later attempt gets the answer', async (t) => {
  const server = await startFakeServer({ protocol: 'openai' });
  t.after(() => server.close());
  server.failNext('truncated');
  const db = openStore(path.join(tempDir(t), 'c.db'));
  t.after(() => db.close());
  const config = parseTeacherConfig({ id: 'gpt', provider: 'openai-compatible', model: 'm', baseUrl: server.baseUrl, maxRetries: 1 }, 'test');
  const client = createOpenAiClient({ provider: 'openai-compatible', model: 'm', baseUrl: server.baseUrl, apiKey: undefined, timeoutMs: 2000, maxRetries: 0 });
  const outcome = await createCaller({ db, config, client, delayMs: () => 0 }).ask({ purpose: 'adhoc', messages });
  assert.ok(outcome.ok);
  const rows = db.prepare('SELECT status, error FROM calls ORDER BY id').all() as { status: string; error: string | null }[];
  assert.equal(rows.length, 2);
  assert.equal(rows[0]?.status, 'error');
  assert.ok((rows[0]?.error ?? '').length > 0);
  assert.equal(rows[1]?.status, 'ok');
});
