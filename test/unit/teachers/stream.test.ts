import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { askTeacher } from '../../../src/core/jobs/ask.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { parseTeacherConfig } from '../../../src/core/teachers/config.ts';
import { startFakeServer } from '../../servers/fakeServer.ts';
import { tempDir } from '../helpers.ts';

const KEY = 'sk-mapd-STREAM-0f1e';

for (const protocol of ['openai', 'anthropic'] as const) {
  test(`${protocol}: a streamed answer arrives in pieces; the ledger keeps the whole text and usage; a second ask comes from the ledger`, async (t) => {
    const server = await startFakeServer({
      protocol,
      apiKey: KEY,
      streamPieces: 5,
      streamDelayMs: 20,
      responder: () => 'Step one, step two, step three. The answer is 145.',
    });
    t.after(() => server.close());
    const db = openStore(path.join(tempDir(t), 'c.db'));
    t.after(() => db.close());
    const teacher = parseTeacherConfig(
      {
        id: 't',
        provider: protocol === 'openai' ? 'openai-compatible' : 'anthropic',
        model: 'm',
        baseUrl: server.baseUrl,
        maxRetries: 0,
        price: { input: 1, output: 2 },
      },
      'test',
    );
    const keys = async () => KEY;
    const seen: string[] = [];
    const result = await askTeacher(db, { teacher, keys, kind: 'free', text: 'What is 290 / 2?', onText: (soFar) => seen.push(soFar) });
    assert.equal(result.text, 'Step one, step two, step three. The answer is 145.');
    assert.ok(seen.length >= 4, `pieces seen: ${seen.length}`);
    assert.ok(seen[0]!.length < result.text.length, 'the first piece is part of the answer');
    assert.ok(
      seen.every((s, i) => i === 0 || s.startsWith(seen[i - 1]!)),
      'each piece extends the last',
    );
    assert.equal(seen.at(-1), result.text);
    const row = db.prepare("SELECT status, response, tokens_in, tokens_out, cost FROM calls WHERE status = 'ok'").get() as {
      status: string;
      response: string;
      tokens_in: number;
      tokens_out: number;
      cost: number;
    };
    assert.equal(row.response, result.text);
    assert.ok(row.tokens_in > 0 && row.tokens_out > 0 && row.cost > 0, 'usage from the stream');
    const again = await askTeacher(db, { teacher, keys, kind: 'free', text: 'What is 290 / 2?', onText: () => assert.fail('a cached answer is not streamed') });
    assert.equal(again.cached, true);
    assert.equal(server.requests.length, 1);
  });

  test(`${protocol}: Stop in the middle of a stream leaves a cancelled ledger row and no answer`, async (t) => {
    const server = await startFakeServer({ protocol, apiKey: KEY, streamPieces: 20, streamDelayMs: 50, responder: () => 'x'.repeat(200) });
    t.after(() => server.close());
    const db = openStore(path.join(tempDir(t), 'c.db'));
    t.after(() => db.close());
    const teacher = parseTeacherConfig(
      { id: 't', provider: protocol === 'openai' ? 'openai-compatible' : 'anthropic', model: 'm', baseUrl: server.baseUrl, maxRetries: 0 },
      'test',
    );
    const controller = new AbortController();
    await assert.rejects(
      askTeacher(db, {
        teacher,
        keys: async () => KEY,
        kind: 'free',
        text: 'long',
        signal: controller.signal,
        onText: (soFar) => soFar.length > 20 && controller.abort(),
      }),
      /cancelled/,
    );
    const rows = db.prepare('SELECT status, error, response FROM calls').all() as { status: string; error: string; response: string | null }[];
    assert.deepEqual(
      rows.map((r) => [r.status, r.error, r.response]),
      [['error', 'cancelled', null]],
    );
  });
}
