import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { runCli } from '../../../src/cli/main.ts';
import { exportTargets, exportTrainingSet } from '../../../src/core/export/export.ts';
import { cancelFineTune, fineTune } from '../../../src/core/finetune/finetune.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { insertFinetuneJob, listFinetuneJobs, updateFinetuneJob } from '../../../src/core/store/finetuneJobs.ts';
import { getStudent } from '../../../src/core/store/students.ts';
import { startFakeServer } from '../../servers/fakeServer.ts';
import type { FakeServer } from '../../servers/fakeServer.ts';
import { tempDir, writeFile } from '../helpers.ts';
import { applyScript } from '../export/script.ts';
import { seedSvampRelease } from '../export/seed.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const KEY = 'sk-mapd-FINETUNE-5b1e0c';

/** A project with the SVAMP release, the scripted decisions, and its chat export. */
async function curated(t: { after: (fn: () => void) => void }): Promise<{ dir: string; dbFile: string; chat: string }> {
  const dir = tempDir(t, 'mapd-finetune-');
  const dbFile = path.join(dir, 'curation.db');
  const db = openStore(dbFile);
  seedSvampRelease(db);
  applyScript(db);
  await exportTrainingSet(db, exportTargets('all', path.join(dir, 'export')));
  db.close();
  return { dir, dbFile, chat: path.join(dir, 'export', 'chat.jsonl') };
}

async function server(
  t: { after: (fn: () => Promise<void>) => void },
  fineTune: { outcome?: 'succeed' | 'fail'; pollsToFinish?: number },
): Promise<FakeServer> {
  const s = await startFakeServer({ protocol: 'openai', apiKey: KEY, fineTune });
  t.after(() => s.close());
  return s;
}

function config(dir: string, s: FakeServer): string {
  return writeFile(
    dir,
    'mapd.json',
    JSON.stringify({ student: { id: 'gpt-4o-mini', provider: 'openai', model: 'gpt-4o-mini-2024-07-18', baseUrl: s.baseUrl, apiKeyEnv: 'MAPD_FT_KEY' } }),
  );
}

async function mapd(dir: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdin: new PassThrough(),
    env: { MAPD_FT_KEY: KEY },
    cwd: dir,
  });
  return { code, stdout, stderr };
}

test('fine-tune: upload, start, events, success; the result is a student trained from the base on the export', async (t) => {
  const { dir, dbFile, chat } = await curated(t);
  const s = await server(t, { pollsToFinish: 3 });
  const run = await mapd(dir, [
    'finetune',
    '--config',
    config(dir, s),
    '--db',
    dbFile,
    '--export',
    'export',
    '--name',
    'gpt-mapd-r1',
    '--suffix',
    'mapd-r1',
    '--epochs',
    '2',
    '--poll-seconds',
    '0.01',
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /uploaded the training file \(\d+ bytes\) as file-/);
  assert.match(run.stderr, /started fine-tuning job ftjob-/);
  assert.match(run.stderr, /info: Validating training file/);
  assert.match(run.stderr, /status: succeeded/);
  assert.match(
    run.stdout,
    /^fine-tuned gpt-4o-mini-2024-07-18 into ft:gpt-4o-mini-2024-07-18:local:mapd-r1:\w+: student gpt-mapd-r1, trained from gpt-4o-mini on export\/chat\.jsonl\n$/,
  );
  assert.deepEqual([s.fineTuning.calls.get('create'), s.fineTuning.jobs.size], [1, 1]);
  const job = [...s.fineTuning.jobs.values()][0]!;
  assert.deepEqual(job.hyperparameters, { n_epochs: 2 });
  assert.equal(job.suffix, 'mapd-r1');

  const db = openStore(dbFile, { readonly: true });
  t.after(() => db.close());
  const student = getStudent(db, 'gpt-mapd-r1')!;
  assert.deepEqual(
    [student.trainedFrom, student.trainedOn, student.model, student.provider, student.finetuneJob],
    ['gpt-4o-mini', chat, job.fine_tuned_model, 'openai', job.id],
  );
  assert.equal(listFinetuneJobs(db)[0]?.status, 'succeeded');
  // Every event shown once.
  assert.equal((run.stderr.match(/info: /g) ?? []).length, job.events.length);

  const again = await mapd(dir, [
    'finetune',
    '--config',
    config(dir, s),
    '--db',
    dbFile,
    '--export',
    'export',
    '--name',
    'gpt-mapd-r1',
    '--poll-seconds',
    '0.01',
  ]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(s.fineTuning.calls.get('create'), 1, 'a finished job is not started again');
  const listed = await mapd(dir, ['students', '--db', dbFile]);
  assert.match(
    listed.stdout,
    /gpt-mapd-r1: 0 answers, ft:gpt-4o-mini-2024-07-18:local:mapd-r1:\w+ at http:\/\/127\.0\.0\.1:\d+\/v1, trained from gpt-4o-mini on /,
  );
});

test('fine-tune: a failed job says why and is recorded; a missing export and a missing key are one clear line', async (t) => {
  const { dir, dbFile } = await curated(t);
  const s = await server(t, { outcome: 'fail', pollsToFinish: 2 });
  const file = config(dir, s);
  const failed = await mapd(dir, ['finetune', '--config', file, '--db', dbFile, '--export', 'export/chat.jsonl', '--name', 'r1', '--poll-seconds', '0.01']);
  assert.equal(failed.code, 1);
  assert.match(
    failed.stderr,
    /mapd finetune: fine-tuning job ftjob-\w+ failed: The training file has 3 examples; at least 10 are required\. Fix what the provider names/,
  );
  const db = openStore(dbFile, { readonly: true });
  assert.equal(listFinetuneJobs(db)[0]?.status, 'failed');
  assert.equal(getStudent(db, 'r1')?.model ?? null, null, 'no model registered');
  db.close();
  const missing = await mapd(dir, ['finetune', '--config', file, '--db', dbFile, '--export', 'nowhere.jsonl', '--name', 'r1']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nowhere\.jsonl: no such file\. Export the training set first/);
  let stderr = '';
  const noKey = await runCli(['finetune', '--config', file, '--db', dbFile, '--export', 'export', '--name', 'r1'], {
    stdout: () => undefined,
    stderr: (x) => (stderr += x),
    stdin: new PassThrough(),
    env: {},
    cwd: dir,
  });
  assert.equal(noKey, 1);
  assert.match(stderr, /no key for the student: the environment variable MAPD_FT_KEY is not set/);
});

test('fine-tune: stop watching, then cancel at the provider', async (t) => {
  const { dbFile, chat } = await curated(t);
  const s = await server(t, { pollsToFinish: 1000 });
  const db = openStore(dbFile);
  t.after(() => db.close());
  const controller = new AbortController();
  const base = { name: 'gpt-4o-mini', provider: 'openai' as const, model: 'gpt-4o-mini-2024-07-18', baseUrl: s.baseUrl };
  await assert.rejects(
    fineTune(
      db,
      { base, apiKey: KEY, trainingPath: chat, newStudent: 'r1' },
      { pollMs: 5, signal: controller.signal, onEvent: (e) => e.kind === 'status' && controller.abort() },
    ),
    /stopped watching fine-tuning job ftjob-\w+; the provider goes on with it/,
  );
  const job = listFinetuneJobs(db)[0]!;
  assert.notEqual(job.status, 'succeeded');
  const cancelled = await cancelFineTune(db, job.providerJobId!, KEY);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(s.fineTuning.jobs.get(job.providerJobId!)?.status, 'cancelled');
  // A cancelled job is not resumed: the next run starts a new one.
  const next = await fineTune(db, { base, apiKey: KEY, trainingPath: chat, newStudent: 'r1' }, { pollMs: 1 }).catch((e: Error) => e);
  assert.ok(next instanceof Error || next.status === 'succeeded');
  assert.equal(s.fineTuning.calls.get('create'), 2);
});

test('fine-tune: killed after the provider accepted the job but before we recorded it, the rerun adopts that job', async (t) => {
  const { dbFile, chat } = await curated(t);
  const s = await server(t, { pollsToFinish: 2 });
  const sdk = new OpenAI({ apiKey: KEY, baseURL: s.baseUrl });
  const file = await sdk.files.create({ file: fs.createReadStream(chat), purpose: 'fine-tune' });
  await sdk.fineTuning.jobs.create({ model: 'gpt-4o-mini-2024-07-18', training_file: file.id });
  const db = openStore(dbFile);
  t.after(() => db.close());
  const { createHash } = await import('node:crypto');
  const row = insertFinetuneJob(db, {
    baseStudent: 'gpt-4o-mini',
    baseModel: 'gpt-4o-mini-2024-07-18',
    baseUrl: s.baseUrl,
    trainingPath: chat,
    trainingSha256: createHash('sha256').update(fs.readFileSync(chat)).digest('hex'),
    suffix: null,
    hyperparameters: {},
    newStudent: 'r1',
  });
  updateFinetuneJob(db, row.id, { fileId: file.id, status: 'validating_files' });
  const events: string[] = [];
  const job = await fineTune(
    db,
    {
      base: { name: 'gpt-4o-mini', provider: 'openai', model: 'gpt-4o-mini-2024-07-18', baseUrl: s.baseUrl },
      apiKey: KEY,
      trainingPath: chat,
      newStudent: 'r1',
    },
    { pollMs: 1, onEvent: (e) => events.push(e.kind) },
  );
  assert.equal(job.status, 'succeeded');
  assert.equal(s.fineTuning.calls.get('create'), 1, 'no second job');
  assert.equal(events[0], 'started');
});

test('fine-tune: SIGKILL of the CLI while it watches; the rerun resumes the same job, uploading and starting nothing again', async (t) => {
  const { dir, dbFile } = await curated(t);
  const s = await server(t, { pollsToFinish: 40 });
  const file = config(dir, s);
  const args = [path.join(ROOT, 'src/cli.ts'), 'finetune', '--config', file, '--db', dbFile, '--export', 'export', '--name', 'r1', '--poll-seconds', '0.02'];
  const child = spawn(process.execPath, args, { cwd: dir, env: { ...process.env, MAPD_FT_KEY: KEY }, stdio: ['ignore', 'pipe', 'pipe'] });
  const watcher = openStore(dbFile, { readonly: true });
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      const job = listFinetuneJobs(watcher)[0];
      if (job?.providerJobId && job.eventsSeen >= 3) {
        clearInterval(poll);
        child.kill('SIGKILL');
        resolve();
      }
    }, 10);
  });
  await new Promise((resolve) => child.on('close', resolve));
  const seenBefore = listFinetuneJobs(watcher)[0]!.eventsSeen;
  watcher.close();
  const resumed = await mapd(dir, ['finetune', '--config', file, '--db', dbFile, '--resume', '--poll-seconds', '0.01']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /^ftjob-\w+: succeeded, student r1 \(ft:/);
  assert.deepEqual([s.fineTuning.calls.get('create'), s.fineTuning.jobs.size], [1, 1]);
  const job = [...s.fineTuning.jobs.values()][0]!;
  // Events shown once across both runs: the rerun shows only those after the kill.
  assert.equal((resumed.stderr.match(/^ {2}info: /gm) ?? []).length, job.events.length - seenBefore);
});
