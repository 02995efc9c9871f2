import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main.ts';
import { importProblemsFile } from '../../../src/core/import/index.ts';
import { listMistakes } from '../../../src/core/store/answers.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { getTask } from '../../../src/core/tasks/index.ts';
import { startFakeServer } from '../../servers/fakeServer.ts';
import { sharedData, tempDir } from '../helpers.ts';
import { LEAK_KEY, importMistakes, startTeachers, writeConfig } from './fixture.ts';

async function cli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stdin: new PassThrough(), env, cwd });
  return { code, stdout, stderr };
}

test('mapd exam: the student endpoint answers a split; answers graded, mistakes marked; a rerun sends nothing', async (t) => {
  const dir = tempDir(t);
  const dbFile = path.join(dir, 'curation.db');
  const db = openStore(dbFile);
  importProblemsFile(db, sharedData('svamp', 'chilled_split', 'dev.json'), { task: 'svamp', split: 'dev' });
  db.close();
  const student = await startFakeServer({ protocol: 'openai', responder: () => 'Adding them up step by step. The answer is 5.' });
  t.after(() => student.close());
  const config = writeConfig(dir, { student: { id: 'llama', model: 'llama-2-7b-chat', baseUrl: student.baseUrl, concurrency: 8 } });
  const run = await cli(['exam', '--config', config, '--task', 'svamp', '--split', 'dev', '--db', dbFile], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /exam: 100 to do; 100 answered/);
  assert.equal(student.requests.length, 100);
  const check = openStore(dbFile);
  t.after(() => check.close());
  const answers = check.prepare('SELECT a.correct, a.extracted_answer, p.gold_answer FROM student_answers a JOIN problems p ON p.id = a.problem_id').all() as {
    correct: number;
    extracted_answer: string;
    gold_answer: string;
  }[];
  assert.equal(answers.length, 100);
  const svamp = getTask('svamp');
  for (const a of answers) assert.equal(a.correct === 1, svamp.isCorrect(a.extracted_answer, a.gold_answer));
  const wrong = answers.filter((a) => a.correct === 0).length;
  assert.ok(wrong > 90);
  assert.equal(listMistakes(check, 'llama').length, wrong);
  assert.match(run.stdout, new RegExp(`${100 - wrong} correct, ${wrong} mistakes`));
  const again = await cli(['exam', '--config', config, '--task', 'svamp', '--split', 'dev', '--db', dbFile], dir);
  assert.equal(again.code, 0);
  assert.equal(student.requests.length, 100);
});

test('mapd collect and mapd ask: errors name the fix, answers print, --keep stores a candidate critique', async (t) => {
  const dir = tempDir(t);
  const dbFile = path.join(dir, 'curation.db');
  const db = openStore(dbFile);
  importMistakes(db);
  db.close();
  const teachers = await startTeachers();
  t.after(() => teachers.close());
  const config = writeConfig(dir, teachers.config);
  const noKey = await cli(['collect', '--config', config, '--db', dbFile], dir, {});
  assert.equal(noKey.code, 1);
  assert.match(noKey.stderr, /no API key for "gpt".*MAPD_TEST_KEY/);
  const badJob = await cli(['collect', '--config', config, '--jobs', 'critiques,grading', '--db', dbFile], dir, { MAPD_TEST_KEY: LEAK_KEY });
  assert.match(badJob.stderr, /unknown job "grading"/);
  const env = { MAPD_TEST_KEY: LEAK_KEY };

  const ask = await cli(['ask', '--config', config, '--teacher', 'gpt', '--kind', 'critique', '--problem', 'chal-777', '--keep', '--db', dbFile], dir, env);
  assert.equal(ask.code, 0, ask.stderr);
  assert.match(ask.stdout, /mistake/i);
  assert.match(ask.stderr, /kept as critique output \d+/);
  const free = await cli(['ask', '--config', config, '--teacher', 'mixtral', '--kind', 'free', '--text', 'Say hello.', '--db', dbFile], dir, env);
  assert.equal(free.code, 0, free.stderr);
  assert.ok(free.stdout.length > 0);
  const unknown = await cli(['ask', '--config', config, '--teacher', 'nobody', '--kind', 'free', '--text', 'x', '--db', dbFile], dir, env);
  assert.match(unknown.stderr, /no teacher "nobody".*gpt, gemini, mixtral/);

  // The kept critique fills gpt's slot for that mistake: collect does not ask gpt about it again.
  const run = await cli(['collect', '--config', config, '--jobs', 'critiques', '--teachers', 'gpt', '--db', dbFile], dir, env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /critiques: 387 to do; 386 answered \(0 from the ledger\), 1 already there/);
  assert.match(run.stdout, /gpt: 386 requests sent \(386 answered, 0 failed\), 0 from the ledger, \d+ in \+ \d+ out tokens, \$0\.\d{4}/);
  for (const out of [ask, free, run, noKey]) assert.ok(!(out.stdout + out.stderr).includes(LEAK_KEY.slice(8, 20)));
});

test('mapd collect against an endpoint nobody listens on: the teacher stops at once and the failure reads as one line', async (t) => {
  const dir = tempDir(t);
  const dbFile = path.join(dir, 'curation.db');
  const db = openStore(dbFile);
  const mistakes = importMistakes(db);
  db.close();
  // A port that was just free: bind, read the port, close.
  const probe = await startFakeServer({ protocol: 'openai', responder: () => 'unused' });
  const deadUrl = probe.baseUrl;
  await probe.close();
  const config = writeConfig(dir, {
    teachers: [
      { id: 'gpt', provider: 'openai', model: 'gpt-3.5-turbo', baseUrl: deadUrl, apiKeyEnv: 'MAPD_TEST_KEY', concurrency: 4, maxRetries: 0, timeoutMs: 5000 },
    ],
  });
  const run = await cli(['collect', '--config', config, '--jobs', 'critiques', '--db', dbFile], dir, { MAPD_TEST_KEY: LEAK_KEY });
  assert.equal(run.code, 4, run.stderr);
  assert.match(run.stdout, new RegExp(`critiques: ${mistakes} to do; 0 answered.*${mistakes} failed`));
  const failedLines = run.stdout.split('\n').filter((line) => line.includes('failed: gpt'));
  assert.equal(failedLines.length, 1, run.stdout);
  assert.match(failedLines[0]!, new RegExp(`failed: gpt ${mistakes} items .*connection failed \\(ECONNREFUSED\\)`));
  const check = openStore(dbFile);
  t.after(() => check.close());
  const attempts = (check.prepare("SELECT COUNT(*) AS n FROM calls WHERE status = 'error'").get() as { n: number }).n;
  assert.ok(attempts >= 1 && attempts <= 4, `only the requests already in flight went out, not one per mistake (${attempts})`);
  assert.doesNotMatch(run.stdout + run.stderr, /LEAKCHECK/);
});
