import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main.ts';
import { summaryLines } from '../../../src/cli/jobOutput.ts';
import { countSelection, selections } from '../../../src/core/export/export.ts';
import { importProblemsFile } from '../../../src/core/import/index.ts';
import { collect } from '../../../src/core/jobs/collect.ts';
import { estimateCollect, estimateConfirmation } from '../../../src/core/jobs/estimate.ts';
import { mistakesInScope } from '../../../src/core/jobs/scope.ts';
import { curationStats } from '../../../src/core/stats/curation.ts';
import { openStore } from '../../../src/core/store/db.ts';
import type { Db } from '../../../src/core/store/db.ts';
import { recordDecision } from '../../../src/core/store/events.ts';
import { parseConfig } from '../../../src/core/teachers/config.ts';
import { startFakeServer } from '../../servers/fakeServer.ts';
import type { ChatInput } from '../../servers/fakeServer.ts';
import { sharedData, tempDir } from '../helpers.ts';
import { LEAK_KEY, importMistakes, responder, writeConfig } from './fixture.ts';

/**
 * Summaries that tell the truth: every figure a job prints is the sum of its ledger rows, and
 * the requests it says it sent are the requests the servers got. Real SDK clients against the
 * local protocol servers, real SQLite files.
 */
const keys = async (): Promise<string> => LEAK_KEY;
const env = { MAPD_TEST_KEY: LEAK_KEY };

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stdin: new PassThrough(), env, cwd });
  return { code, stdout, stderr };
}

interface Printed {
  sent: number;
  answered: number;
  failed: number;
  cached: number;
  tokensIn: number;
  tokensOut: number;
  cost: string;
}

/** The per-teacher lines of a printed summary. */
function printedTeachers(lines: readonly string[]): Map<string, Printed> {
  const out = new Map<string, Printed>();
  for (const line of lines) {
    const m = /^ {2}(\S+): (\d+) requests sent \((\d+) answered, (\d+) failed\), (\d+) from the ledger, (\d+) in \+ (\d+) out tokens, \$(\d+\.\d{4})$/.exec(
      line,
    );
    if (m)
      out.set(m[1] as string, { sent: +m[2]!, answered: +m[3]!, failed: +m[4]!, cached: +m[5]!, tokensIn: +m[6]!, tokensOut: +m[7]!, cost: m[8] as string });
  }
  return out;
}

/** The same figures summed from the ledger rows of the given runs (all rows when none is given). */
function ledgerTeachers(db: Db, runId?: string): Map<string, Omit<Printed, 'cached'>> {
  const rows = db
    .prepare(
      `SELECT teacher, COUNT(*) AS sent, SUM(status = 'ok') AS answered, SUM(status = 'error') AS failed, COALESCE(SUM(tokens_in), 0) AS tokensIn,
        COALESCE(SUM(tokens_out), 0) AS tokensOut, COALESCE(SUM(cost), 0) AS cost FROM calls WHERE (? IS NULL OR run_id = ?) GROUP BY teacher`,
    )
    .all(runId ?? null, runId ?? null) as {
    teacher: string;
    sent: number;
    answered: number;
    failed: number;
    tokensIn: number;
    tokensOut: number;
    cost: number;
  }[];
  return new Map(
    rows.map((r) => [
      r.teacher,
      { sent: r.sent, answered: r.answered, failed: r.failed, tokensIn: r.tokensIn, tokensOut: r.tokensOut, cost: r.cost.toFixed(4) },
    ]),
  );
}

function withoutCached(printed: Map<string, Printed>): Map<string, Omit<Printed, 'cached'>> {
  return new Map([...printed].map(([k, { cached: _cached, ...rest }]) => [k, rest]));
}

function importSvampDev(dbFile: string): void {
  const db = openStore(dbFile);
  importProblemsFile(db, sharedData('svamp', 'chilled_split', 'dev.json'), { task: 'svamp', split: 'dev' });
  db.close();
}

test('a student that answers only whitespace: every problem stored as a mistake with nothing extracted, in one run, no failed call', async (t) => {
  const dir = tempDir(t);
  const dbFile = path.join(dir, 'curation.db');
  importSvampDev(dbFile);
  const student = await startFakeServer({ protocol: 'openai', responder: () => '\n\n\n' });
  t.after(() => student.close());
  const config = writeConfig(dir, { student: { id: 'tiny', model: 'tiny-greedy', baseUrl: student.baseUrl, concurrency: 8 } });
  const run = await cli(['exam', '--config', config, '--task', 'svamp', '--split', 'dev', '--db', dbFile], dir);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /exam: 100 to do; 100 answered/);
  assert.match(run.stdout, /0 correct, 100 mistakes/);
  assert.equal(student.requests.length, 100, 'one request per problem, no extra attempt');
  const db = openStore(dbFile);
  t.after(() => db.close());
  const answers = db.prepare('SELECT COUNT(*) AS n, SUM(correct = 0) AS wrong, SUM(extracted_answer IS NULL) AS none FROM student_answers').get();
  assert.deepEqual({ ...(answers as object) }, { n: 100, wrong: 100, none: 100 });
  assert.deepEqual(
    db
      .prepare('SELECT status, COUNT(*) AS n FROM calls GROUP BY status')
      .all()
      .map((r) => ({ ...(r as object) })),
    [{ status: 'ok', n: 100 }],
  );
  const again = await cli(['exam', '--config', config, '--task', 'svamp', '--split', 'dev', '--db', dbFile], dir);
  assert.equal(again.code, 0);
  assert.equal(student.requests.length, 100, 'a rerun pays nothing');
});

test("exam under faults: the printed requests, tokens and cost are the ledger's sums and the server's count", async (t) => {
  const dir = tempDir(t);
  const dbFile = path.join(dir, 'curation.db');
  importSvampDev(dbFile);
  const student = await startFakeServer({
    protocol: 'openai',
    faultRate: 0.3,
    faults: ['500', '503', '429', 'reset', 'truncated', 'empty'],
    seed: 7,
    retryAfterMs: 5,
  });
  t.after(() => student.close());
  const config = writeConfig(dir, {
    student: { id: 'tiny', model: 'tiny', baseUrl: student.baseUrl, concurrency: 8, maxRetries: 1, price: { input: 0.5, output: 1.5 } },
  });
  const run = await cli(['exam', '--config', config, '--task', 'svamp', '--split', 'dev', '--db', dbFile], dir);
  const db = openStore(dbFile);
  t.after(() => db.close());
  const printed = printedTeachers(run.stdout.split('\n'));
  assert.deepEqual(withoutCached(printed), ledgerTeachers(db), run.stdout);
  assert.equal(printed.get('tiny')?.sent, student.requests.length, 'every attempt the server got is counted as sent');
  assert.ok((printed.get('tiny')?.failed ?? 0) > 0, 'the faults show');
  assert.match(run.stdout, new RegExp(`total: ${student.requests.length} requests sent`));
});

test("collect at 20 % faults with two teachers sharing one model: every job's summary equals its ledger rows; each teacher its own calls and price", async (t) => {
  const dir = tempDir(t);
  const db = openStore(path.join(dir, 'curation.db'));
  t.after(() => db.close());
  importMistakes(db);
  const shared = await startFakeServer({ protocol: 'openai', apiKey: LEAK_KEY, responder, faultRate: 0.2, seed: 101, retryAfterMs: 5 });
  const claude = await startFakeServer({ protocol: 'anthropic', apiKey: LEAK_KEY, responder, faultRate: 0.2, seed: 202, retryAfterMs: 5 });
  t.after(() => Promise.all([shared.close(), claude.close()]));
  const common = { apiKeyEnv: 'MAPD_TEST_KEY', concurrency: 8, timeoutMs: 300, maxRetries: 1 };
  const config = parseConfig(
    {
      teachers: [
        { id: 'tiny-a', provider: 'openai-compatible', model: 'tiny', baseUrl: shared.baseUrl, price: { input: 1, output: 2 }, ...common },
        { id: 'tiny-b', provider: 'openai-compatible', model: 'tiny', baseUrl: shared.baseUrl, price: { input: 3, output: 5 }, ...common },
        { id: 'claude', provider: 'anthropic', model: 'claude-x', baseUrl: claude.baseUrl, price: { input: 0.25, output: 1.25 }, ...common },
      ],
    },
    'test',
  );
  const results = await collect(db, { teachers: config.teachers, keys, review: config.review, scope: { limit: 30 } });
  let sent = 0;
  for (const job of results) {
    const printed = printedTeachers(summaryLines(job));
    assert.deepEqual(withoutCached(printed), ledgerTeachers(db, job.runId), `${job.job}:\n${summaryLines(job).join('\n')}`);
    for (const p of printed.values()) sent += p.sent;
    assert.equal(job.done + job.existing + job.failed + job.skipped + job.heldBack, job.total, `${job.job}: every item accounted for`);
    for (const group of job.failures) assert.doesNotMatch(group.reason, /request id|req_/);
    for (const t of Object.values(job.perTeacher)) for (const c of t.causes) assert.doesNotMatch(c.reason, /request.id|req_/, 'one cause, one line');
    assert.ok(
      Object.values(job.perTeacher).some((t) => t.causes.length > 0),
      `${job.job}: the faults show by cause`,
    );
  }
  assert.equal(sent, shared.requests.length + claude.requests.length, "the summaries' requests are the requests the servers got");
  // The committee keeps its voices: tiny-b asked for itself, at its price.
  const critiques = db
    .prepare(`SELECT teacher, COUNT(*) AS n, COUNT(DISTINCT call_id) AS calls FROM teacher_outputs WHERE kind = 'critique' GROUP BY teacher ORDER BY teacher`)
    .all() as { teacher: string; n: number; calls: number }[];
  for (const c of critiques) assert.equal(c.n, c.calls, `${c.teacher}: each critique its own call`);
  const crossLinked = db.prepare(`SELECT COUNT(*) AS n FROM teacher_outputs o JOIN calls c ON c.id = o.call_id WHERE c.teacher <> o.teacher`).get() as {
    n: number;
  };
  assert.equal(crossLinked.n, 0, "no output holds another teacher's call");

  // mapd ask --teacher tiny-b prints tiny-b's own call and price.
  for (const s of [shared, claude]) s.setFaultRate(0);
  const configFile = writeConfig(dir, { teachers: config.teachers.map((c) => ({ ...c })) });
  const askA = await cli(
    ['ask', '--config', configFile, '--teacher', 'tiny-a', '--kind', 'free', '--text', 'Say hello', '--db', path.join(dir, 'curation.db')],
    dir,
  );
  const askB = await cli(
    ['ask', '--config', configFile, '--teacher', 'tiny-b', '--kind', 'free', '--text', 'Say hello', '--db', path.join(dir, 'curation.db')],
    dir,
  );
  assert.equal(askB.code, 0, askB.stderr);
  assert.match(askA.stderr, /^tiny-a: answered/);
  assert.match(askB.stderr, /^tiny-b: answered/, "not tiny-a's answer from the ledger");
  const costA = Number(/\$(\d+\.\d+)/.exec(askA.stderr)?.[1]);
  const costB = Number(/\$(\d+\.\d+)/.exec(askB.stderr)?.[1]);
  assert.ok(costB > costA, `tiny-b at its own, higher price (${costA} vs ${costB})`);
});

test('truncated answers: flagged on the output, counted in the summary and the statistics, left out of the default export', async (t) => {
  const dir = tempDir(t);
  const db = openStore(path.join(dir, 'curation.db'));
  t.after(() => db.close());
  importMistakes(db);
  const cut = (input: ChatInput) => (input.model === 'cut' ? { text: `${String(responder(input))} And then`, finish: 'length' as const } : responder(input));
  const server = await startFakeServer({ protocol: 'openai', apiKey: LEAK_KEY, responder: cut });
  t.after(() => server.close());
  const common = { apiKeyEnv: 'MAPD_TEST_KEY', baseUrl: server.baseUrl, provider: 'openai-compatible' };
  const config = parseConfig(
    {
      teachers: [
        { id: 'whole', model: 'whole', ...common },
        { id: 'cut', model: 'cut', ...common },
      ],
    },
    'test',
  );
  const [critiques] = await collect(db, { teachers: config.teachers, keys, review: config.review, jobs: ['critiques'], scope: { limit: 10 } });
  assert.equal(critiques?.truncated, 10);
  assert.ok(summaryLines(critiques!)[0]?.includes('10 truncated at max tokens'));
  assert.equal(critiques?.perTeacher.cut?.truncated, 10);
  assert.equal(critiques?.perTeacher.whole?.truncated, 0);
  const flagged = db
    .prepare('SELECT teacher, SUM(truncated) AS n FROM teacher_outputs GROUP BY teacher ORDER BY teacher')
    .all()
    .map((r) => ({ ...(r as object) }));
  assert.deepEqual(flagged, [
    { teacher: 'cut', n: 10 },
    { teacher: 'whole', n: 0 },
  ]);
  const stats = curationStats(db);
  assert.deepEqual(
    stats.teachers.map((s) => [s.teacher, s.truncated]),
    [
      ['cut', 10],
      ['whole', 0],
    ],
  );

  const ids = db.prepare("SELECT id FROM teacher_outputs WHERE kind = 'critique'").all() as { id: number }[];
  for (const { id } of ids) recordDecision(db, { outputId: id, action: 'accept', curator: 'test' });
  assert.equal(countSelection(db, { allAccepted: true }).feedbackExamples, 10, 'only the whole critiques by default');
  assert.equal(countSelection(db, { allAccepted: true, includeTruncated: true }).feedbackExamples, 20, 'includeTruncated takes the cut ones too');
  const reasons = [...selections(db, { allAccepted: true })]
    .flatMap((s) => s.items)
    .filter((i) => i.curated.output.teacher === 'cut')
    .map((i) => i.exclusion);
  assert.deepEqual([...new Set(reasons)], ['truncated']);
});

test('a server that omits usage: tokens and cost unknown in the ledger and the summary, one warning per endpoint', async (t) => {
  const dir = tempDir(t);
  const dbFile = path.join(dir, 'curation.db');
  const setup = openStore(dbFile);
  importMistakes(setup);
  setup.close();
  const quiet = await startFakeServer({ protocol: 'openai', responder, omitUsage: true });
  const quietToo = await startFakeServer({ protocol: 'anthropic', apiKey: LEAK_KEY, responder, omitUsage: true });
  t.after(() => Promise.all([quiet.close(), quietToo.close()]));
  const config = writeConfig(dir, {
    teachers: [
      { id: 'a', provider: 'openai-compatible', model: 'same', baseUrl: quiet.baseUrl },
      { id: 'b', provider: 'openai-compatible', model: 'same', baseUrl: quiet.baseUrl },
      { id: 'c', provider: 'anthropic', model: 'other', baseUrl: quietToo.baseUrl, apiKeyEnv: 'MAPD_TEST_KEY' },
    ],
  });
  const run = await cli(['collect', '--config', config, '--jobs', 'critiques,rationales', '--limit', '3', '--db', dbFile], dir);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const warnings = run.stdout.split('\n').filter((l) => l.startsWith('warning:'));
  assert.equal(warnings.length, 2, run.stdout);
  assert.ok(warnings.some((w) => w.includes(quiet.baseUrl) && w.includes('same')));
  assert.match(run.stdout, /a: 3 requests sent \(3 answered, 0 failed\), 0 from the ledger, tokens unknown, cost unknown/);
  assert.match(run.stdout, /total: \d+ requests sent, tokens unknown, cost unknown/);
  const db = openStore(dbFile);
  t.after(() => db.close());
  assert.deepEqual(
    { ...(db.prepare('SELECT COUNT(*) AS n, SUM(tokens_in IS NULL) AS unknownIn, SUM(cost IS NULL) AS unknownCost FROM calls').get() as object) },
    { n: 18, unknownIn: 18, unknownCost: 18 },
  );
});

test('try small, know the price: --estimate sends nothing; --limit and --problems narrow collect and exam', async (t) => {
  const dir = tempDir(t);
  const dbFile = path.join(dir, 'curation.db');
  const setup = openStore(dbFile);
  importMistakes(setup);
  const mistakeIds = (
    setup
      .prepare('SELECT p.source_id FROM student_answers a JOIN problems p ON p.id = a.problem_id WHERE a.correct = 0 ORDER BY a.id LIMIT 2 OFFSET 100')
      .all() as { source_id: string }[]
  ).map((r) => r.source_id);
  setup.close();
  importSvampDev(dbFile);
  const server = await startFakeServer({ protocol: 'openai', apiKey: LEAK_KEY, responder });
  t.after(() => server.close());
  const common = { provider: 'openai-compatible', baseUrl: server.baseUrl, apiKeyEnv: 'MAPD_TEST_KEY', maxTokens: 256 };
  const config = writeConfig(dir, {
    teachers: [
      { id: 'gpt', model: 'gpt', price: { input: 0.5, output: 1.5 }, ...common },
      { id: 'gemini', model: 'gemini', price: { input: 0.125, output: 0.375 }, ...common },
    ],
    student: { id: 'tiny', model: 'tiny', baseUrl: server.baseUrl, apiKeyEnv: 'MAPD_TEST_KEY' },
  });
  const base = ['--config', config, '--db', dbFile];

  const estimate = await cli(['collect', ...base, '--estimate'], dir);
  assert.equal(estimate.code, 0, estimate.stderr);
  assert.equal(server.requests.length, 0, 'the estimate sent nothing');
  assert.match(estimate.stdout, /nothing sent \(input tokens ≈ prompt characters \/ 4/);
  assert.match(estimate.stdout, /critiques gpt: 387 calls, ≈ \d+ in \+ 99072 out tokens, ≈ \$\d+\.\d{4}/, 'outputs at maxTokens while the ledger knows none');
  assert.match(estimate.stdout, /rationales gemini: 387 calls/);
  assert.match(estimate.stdout, /review gpt: 774 calls/, "each reviews the other's critiques and rationales, written or still to write");
  assert.match(estimate.stdout, /total: 3096 calls/);

  const small = await cli(['collect', ...base, '--jobs', 'critiques', '--limit', '5'], dir);
  assert.equal(small.code, 0, small.stderr);
  assert.equal(server.requests.length, 10, '--limit 5: five mistakes, two teachers');
  const chosen = await cli(['collect', ...base, '--jobs', 'critiques', '--problems', mistakeIds.join(',')], dir);
  assert.equal(chosen.code, 0, chosen.stderr);
  assert.equal(server.requests.length, 14, '--problems: those two mistakes');
  const unknown = await cli(['collect', ...base, '--problems', 'no-such-problem'], dir);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no student mistake on no-such-problem/);
  const after = await cli(['collect', ...base, '--jobs', 'critiques', '--estimate'], dir);
  assert.match(after.stdout, /critiques gpt: 380 calls/, 'what is stored is not estimated again');
  assert.match(after.stdout, /critiques gpt: 380 calls, ≈ \d+ in \+ \d+ out tokens/);
  assert.doesNotMatch(after.stdout, /99072 out/, "output tokens now from the ledger's mean");

  const examEstimate = await cli(['exam', ...base, '--task', 'svamp', '--split', 'dev', '--estimate'], dir);
  assert.equal(examEstimate.code, 0, examEstimate.stderr);
  assert.match(examEstimate.stdout, /exam tiny: 100 calls/);
  assert.equal(server.requests.length, 14);
  const examSmall = await cli(['exam', ...base, '--task', 'svamp', '--split', 'dev', '--limit', '10'], dir);
  assert.equal(examSmall.code, 0, examSmall.stderr);
  assert.match(examSmall.stdout, /exam: 10 to do; 10 answered/);
  assert.equal(server.requests.length, 24);
  const check = openStore(dbFile);
  const devIds = (check.prepare("SELECT source_id FROM problems WHERE split = 'dev' ORDER BY id LIMIT 2 OFFSET 50").all() as { source_id: string }[]).map(
    (r) => r.source_id,
  );
  check.close();
  const examChosen = await cli(['exam', ...base, '--task', 'svamp', '--split', 'dev', '--problems', devIds.join(',')], dir);
  assert.match(examChosen.stdout, /exam: 2 to do; 2 answered/);
  assert.equal(server.requests.length, 26);
  const examAfter = await cli(['exam', ...base, '--task', 'svamp', '--split', 'dev', '--estimate'], dir);
  assert.match(examAfter.stdout, /exam tiny: 88 calls/);
});

test("the editor's confirmation before a collect run of more than 100 calls carries the estimate; a small run asks nothing", (t) => {
  const db = openStore(path.join(tempDir(t), 'curation.db'));
  t.after(() => db.close());
  importMistakes(db);
  const config = parseConfig(
    {
      teachers: [
        { id: 'gpt', provider: 'openai', model: 'gpt', price: { input: 0.5, output: 1.5 } },
        { id: 'claude', provider: 'anthropic', model: 'c', price: { input: 1, output: 5 } },
      ],
    },
    'test',
  );
  const all = estimateCollect(db, { teachers: config.teachers, jobs: ['critiques'], mistakes: mistakesInScope(db), review: config.review });
  const message = estimateConfirmation(all);
  assert.match(
    message ?? '',
    /^MAPD: this run makes about 774 calls, ≈ \$\d+\.\d\d \(critiques gpt: 387 calls ≈ \$\d+\.\d\d; critiques claude: 387 calls ≈ \$\d+\.\d\d\)\. Estimated: input tokens ≈ prompt characters \/ 4/,
  );
  const small = estimateCollect(db, { teachers: config.teachers, jobs: ['critiques'], mistakes: mistakesInScope(db, { limit: 50 }), review: config.review });
  assert.equal(small.calls, 100);
  assert.equal(estimateConfirmation(small), undefined);
});
