import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, parseJsonc } from '../../../src/core/teachers/config.ts';
import { UserError } from '../../../src/core/errors.ts';
import { renderPrompt, validatePromptOverrides } from '../../../src/core/prompts.ts';
import { scrubSecrets } from '../../../src/core/teachers/secrets.ts';
import { createLimiter } from '../../../src/core/teachers/limiter.ts';
import { normaliseBaseUrl } from '../../../src/core/teachers/endpoint.ts';
import { canonicalJson } from '../../../src/core/teachers/ledger.ts';

const jsonc = `{
  // three teachers, as in the paper
  "teachers": [
    { "id": "gpt", "provider": "openai", "model": "gpt-3.5-turbo", "apiKeyEnv": "OPENAI_API_KEY", "price": { "input": 0.5, "output": 1.5 } },
    { "id": "local", "provider": "openai-compatible", "model": "mixtral", "baseUrl": "http://localhost:8000/v1/", },
    /* Anthropic */ { "id": "claude", "provider": "anthropic", "model": "claude-x", "concurrency": 2, "requestsPerMinute": 50 },
  ],
  "student": { "model": "llama", "baseUrl": "http://127.0.0.1:8001/v1" },
  "review": { "threshold": 3.5, "aggregation": "median" },
  "prompts": { "critique": { "user": "Q: {{question}} / {{student_answer}} / gold {{gold_answer}}" } }
}`;

test('a JSONC config parses with defaults filled in', () => {
  const config = parseConfig(parseJsonc(jsonc, 'teachers.json'), 'teachers.json');
  assert.equal(config.teachers.length, 3);
  assert.deepEqual(config.teachers[0]?.price, { input: 0.5, output: 1.5 });
  assert.equal(config.teachers[1]?.temperature, 0.8);
  assert.equal(config.teachers[1]?.maxTokens, 512);
  assert.equal(config.teachers[2]?.concurrency, 2);
  assert.equal(config.student?.temperature, 0);
  assert.equal(config.student?.id, 'student');
  assert.equal(config.review.aggregation, 'median');
  assert.equal(config.review.skipUndecidable, true);
  const prompt = renderPrompt('critique', { question: 'Q1', student_answer: 'S', gold_answer: '7' }, config.prompts);
  assert.equal(prompt.user, 'Q: Q1 / S / gold 7');
  assert.match(prompt.system, /teacher/);
});

test('config errors name the field and the next step', () => {
  const cases: [unknown, RegExp][] = [
    [{ teachers: [{ id: 'a', provider: 'gemini', model: 'm' }] }, /teachers\[0\]\.provider: "gemini" is not a provider\. Use one of/],
    [{ teachers: [{ id: 'a', provider: 'openai-compatible', model: 'm' }] }, /baseUrl: is needed/],
    [{ teachers: [{ id: 'a', provider: 'openai', model: 'm', temperature: 5 }] }, /temperature: is 5, outside 0…2/],
    [{ teachers: [{ id: 'a', provider: 'openai', model: 'm', apiKeyEnv: 'sk-abc def' }] }, /apiKeyEnv: .* is not an environment variable name/],
    [{ teachers: [{ id: 'a', provider: 'openai', model: 'm', baseUrl: 'http://u:p@host/v1' }] }, /holds credentials/],
    [
      {
        teachers: [
          { id: 'a', provider: 'openai', model: 'm' },
          { id: 'a', provider: 'openai', model: 'n' },
        ],
      },
      /used twice/,
    ],
    [{ prompts: { critique: { user: '{{questoin}}' } } }, /unknown slot \{\{questoin\}\}.*\{\{question\}\}/],
    [{ review: { aggregation: 'max' } }, /"max" is not an aggregation/],
  ];
  for (const [value, pattern] of cases) {
    assert.throws(
      () => parseConfig(value, 'cfg.json'),
      (error: unknown) => error instanceof UserError && pattern.test(error.message),
      JSON.stringify(value),
    );
  }
  assert.throws(() => parseJsonc('{\n "teachers": [\n }', 'cfg.json'), /cfg\.json(:\d+)?: is not valid JSON/);
  assert.deepEqual(validatePromptOverrides(undefined, 'x'), {});
});

test('scrubSecrets removes the key, masked echoes and auth headers', () => {
  const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz123456';
  const text = `401 Incorrect API key provided: sk-pro***3456. header Authorization: Bearer ${key} x-api-key: ${key}`;
  const scrubbed = scrubSecrets(text, [key]);
  assert.ok(!scrubbed.includes('abcdefghij') && !scrubbed.includes('3456'), scrubbed);
  assert.match(scrubbed, /401 Incorrect API key provided/);
});

async function runAll(limiter: ReturnType<typeof createLimiter>, n: number, ms: number): Promise<{ peak: number; starts: number[] }> {
  let running = 0;
  let peak = 0;
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: n }, () =>
      limiter.run(async () => {
        starts.push(Date.now());
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, ms));
        running--;
      }),
    ),
  );
  return { peak, starts };
}

test('the limiter keeps concurrency', async () => {
  const { peak } = await runAll(createLimiter({ concurrency: 3, requestsPerMinute: 0 }), 12, 15);
  assert.equal(peak, 3);
});

test('the limiter spaces starts by the rate', async () => {
  const { starts } = await runAll(createLimiter({ concurrency: 8, requestsPerMinute: 1200 }), 6, 1);
  // 1200/min = one start per 50 ms: six starts span five gaps (minus timer slack).
  assert.ok((starts.at(-1) as number) - (starts[0] as number) >= 5 * 50 - 15);
});

test('the limiter drops waiters whose signal aborts', async () => {
  const limiter = createLimiter({ concurrency: 1, requestsPerMinute: 0 });
  const controller = new AbortController();
  let ran = 0;
  const first = limiter.run(() => new Promise((r) => setTimeout(r, 30)).then(() => ran++), controller.signal);
  const second = assert.rejects(
    limiter.run(async () => ran++, controller.signal),
    /cancelled/,
  );
  controller.abort();
  await first;
  await second;
  assert.equal(ran, 1);
  assert.equal(limiter.queued, 0);
});

test('request identity: canonical JSON and normalised endpoints', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}');
  assert.equal(normaliseBaseUrl('openai-compatible', 'HTTP://LocalHost:8000/v1/'), 'http://localhost:8000/v1');
  assert.equal(normaliseBaseUrl('openai', undefined), 'https://api.openai.com/v1');
});

test("vscode-lm teachers: the editor's own models, chosen by vendor/family/id, no temperature, cost unknown without a price; the CLI says where they run", async () => {
  const { parseTeacherConfig } = await import('../../../src/core/teachers/config.ts');
  const { createClient, envKeySource } = await import('../../../src/core/teachers/client.ts');
  const { endpointOf } = await import('../../../src/core/teachers/endpoint.ts');
  const teacher = parseTeacherConfig({ id: 'copilot-4o', provider: 'vscode-lm', vendor: 'copilot', family: 'gpt-4o', model: 'gpt-4o-2024' }, 'settings');
  assert.deepEqual(
    [teacher.provider, teacher.vendor, teacher.family, teacher.model, teacher.unpriced],
    ['vscode-lm', 'copilot', 'gpt-4o', 'gpt-4o-2024', true],
  );
  assert.deepEqual(endpointOf(teacher), { provider: 'vscode-lm', model: 'copilot/gpt-4o/gpt-4o-2024', baseUrl: 'vscode-lm:' });
  const priced = parseTeacherConfig({ id: 'p', provider: 'vscode-lm', model: 'm', price: { input: 1, output: 2 } }, 'settings');
  assert.equal(priced.unpriced, undefined);
  assert.throws(
    () => parseTeacherConfig({ id: 'u', provider: 'vscode-lm', model: 'm', baseUrl: 'http://x' }, 'settings'),
    /settings\.baseUrl: has no meaning for the editor's own models/,
  );
  await assert.rejects(createClient(teacher, envKeySource({}), 'teacher "copilot-4o"'), /one of the editor's language models .* Run this job in VS Code/);
});
