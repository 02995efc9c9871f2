/**
 * Teacher-call throughput against the local protocol servers.
 * 1. One teacher, fixed server latency L, concurrency C: requests per second as a share of the
 *    ideal C / L (goal ≥ 90 %). Every call goes through the ledger and the limiter.
 * 2. The critique job over the paper's 387 SVAMP mistakes with three teachers, run the paper's
 *    way (one call at a time, one teacher after the other) and ours (all teachers at once,
 *    C in flight each): the speed-up (goal ≥ 10×).
 * The paper's way is latency-bound: at 200 ms it takes about four minutes (1,161 calls).
 * Usage: node benchmarks/teachers/throughput.ts [--latency 200] [--concurrency 16] [--job-latency 200] [--skip-job]
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { collect } from '../../src/core/jobs/collect.ts';
import { openStore } from '../../src/core/store/db.ts';
import { createCaller } from '../../src/core/teachers/caller.ts';
import { createOpenAiClient } from '../../src/core/teachers/openai.ts';
import { parseConfig, parseTeacherConfig } from '../../src/core/teachers/config.ts';
import { LEAK_KEY, importMistakes } from '../../test/unit/jobs/fixture.ts';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16' },
    'job-latency': { type: 'string', default: '200' },
    'skip-job': { type: 'boolean' },
  },
});
const latencyMs = Number(values.latency);
const concurrency = Number(values.concurrency);
const jobLatencyMs = Number(values['job-latency']);
const servers: ChildProcess[] = [];

/** A fake server in its own process, so its CPU is not counted as the client's. */
async function serve(protocol: 'openai' | 'anthropic', latency: number): Promise<string> {
  const child = spawn(
    process.execPath,
    [path.join(import.meta.dirname, '../../test/servers/serve.ts'), '--protocol', protocol, '--latency', String(latency), '--release', '--api-key', LEAK_KEY],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  servers.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve((JSON.parse(d.toString().split('\n')[0] as string) as { baseUrl: string }).baseUrl));
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-bench-teachers-'));

try {
  // 1. Throughput against C / L.
  const baseUrl = await serve('openai', latencyMs);
  const db = openStore(path.join(dir, 'throughput.db'));
  const config = parseTeacherConfig({ id: 't', provider: 'openai-compatible', model: 'm', baseUrl, concurrency, maxRetries: 0 }, 'bench');
  const client = createOpenAiClient({ provider: 'openai-compatible', model: 'm', baseUrl, apiKey: LEAK_KEY, timeoutMs: 10_000, maxRetries: 0 });
  const caller = createCaller({ db, config, client });
  // Warm-up: connections open, code paths compiled.
  await Promise.all(Array.from({ length: concurrency }, (_, i) => caller.ask({ purpose: 'adhoc', messages: [{ role: 'user', content: `warm-up ${i}` }] })));
  const n = concurrency * 20;
  const started = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: n }, (_, i) => caller.ask({ purpose: 'adhoc', messages: [{ role: 'user', content: `question ${i}` }] })),
  );
  const seconds = (performance.now() - started) / 1000;
  if (outcomes.some((o) => !o.ok)) throw new Error('a benchmark call failed');
  const achieved = n / seconds;
  const ideal = concurrency / (latencyMs / 1000);
  console.log(
    `throughput: ${n} calls, latency ${latencyMs} ms, concurrency ${concurrency}: ${achieved.toFixed(1)} calls/s of ideal ${ideal.toFixed(1)} = ${((achieved / ideal) * 100).toFixed(1)} % (goal >= 90 %)`,
  );
  db.close();

  // 2. The 387-mistake critique job, the paper's way and ours, on the same servers.
  if (!values['skip-job']) {
    const urls = [await serve('openai', jobLatencyMs), await serve('openai', jobLatencyMs), await serve('anthropic', jobLatencyMs)];
    const common = { concurrency, timeoutMs: 10_000, maxRetries: 0, apiKeyEnv: 'UNUSED' };
    const cfg = parseConfig(
      {
        teachers: [
          { id: 'gpt', provider: 'openai', model: 'gpt-3.5-turbo', baseUrl: urls[0], ...common },
          { id: 'gemini', provider: 'openai-compatible', model: 'gemini-1.0-pro', baseUrl: urls[1], ...common },
          { id: 'mixtral', provider: 'anthropic', model: 'mixtral-8x7b', baseUrl: urls[2], ...common },
        ],
      },
      'bench',
    );
    const keys = async (): Promise<string> => LEAK_KEY;
    const paperDb = openStore(path.join(dir, 'paper.db'));
    importMistakes(paperDb);
    let t0 = performance.now();
    for (const teacher of cfg.teachers) {
      await collect(paperDb, { teachers: [teacher], keys, review: cfg.review, jobs: ['critiques'], concurrency: 1 });
    }
    const paperSeconds = (performance.now() - t0) / 1000;
    const oursDb = openStore(path.join(dir, 'ours.db'));
    importMistakes(oursDb);
    t0 = performance.now();
    const [ours] = await collect(oursDb, { teachers: cfg.teachers, keys, review: cfg.review, jobs: ['critiques'] });
    const oursSeconds = (performance.now() - t0) / 1000;
    console.log(
      `387-mistake critique job (${ours?.total} calls, server latency ${jobLatencyMs} ms): one at a time ${paperSeconds.toFixed(1)} s, concurrent ${oursSeconds.toFixed(2)} s: speed-up ${(paperSeconds / oursSeconds).toFixed(1)}x (goal >= 10x)`,
    );
    paperDb.close();
    oursDb.close();
  }
} finally {
  for (const child of servers) child.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
}
