import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main.ts';
import { compareStudents } from '../../../src/core/eval/compare.ts';
import { mcnemarExact, wilsonInterval } from '../../../src/core/eval/statistics.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { sharedData, tempDir, writeFile } from '../helpers.ts';

const close = (actual: number, expected: number, digits = 4): void => assert.ok(Math.abs(actual - expected) < 0.5 * 10 ** -digits, `${actual} ≈ ${expected}`);

test('Wilson intervals against published values (Newcombe 1998, table I) and the ends of the range', () => {
  const a = wilsonInterval(81, 263)!;
  close(a.low, 0.2553);
  close(a.high, 0.3662);
  const b = wilsonInterval(15, 148)!;
  close(b.low, 0.0624);
  close(b.high, 0.1605);
  const zero = wilsonInterval(0, 10)!;
  assert.equal(zero.low, 0);
  close(zero.high, 0.2775);
  const all = wilsonInterval(10, 10)!;
  close(all.low, 0.7225);
  assert.equal(all.high, 1);
  assert.equal(wilsonInterval(0, 0), null);
});

/** Two-sided exact McNemar by exact integer arithmetic: the independent oracle. */
function mcnemarByHand(b: number, c: number): number {
  const n = b + c;
  let choose = 1n;
  let tail = 0n;
  for (let k = 0; k <= Math.min(b, c); k++) {
    if (k > 0) choose = (choose * BigInt(n - k + 1)) / BigInt(k);
    tail += choose;
  }
  return Math.min(1, (2 * Number(tail)) / 2 ** n);
}

test("McNemar's exact test: the published worked example (Fagerland et al. 2013: b = 1, c = 7, p = 0.070) and exact sums", () => {
  close(mcnemarExact(1, 7), 0.0703, 4);
  assert.equal(mcnemarExact(7, 1), mcnemarExact(1, 7));
  close(mcnemarExact(2, 10), (79 / 4096) * 2, 12);
  for (const [b, c] of [
    [30, 10],
    [0, 5],
    [12, 12],
    [100, 130],
    [3, 0],
  ] as const)
    close(mcnemarExact(b, c), mcnemarByHand(b, c), 12);
  assert.equal(mcnemarExact(0, 0), 1);
  assert.equal(mcnemarExact(5, 5), 1);
});

/**
 * 200 SVAMP test problems; by index: 0–59 both right, 60–89 base wrong and tuned right,
 * 90–99 base right and tuned wrong, 100–194 both wrong, 195–199 answered by base only.
 */
function constructedProject(t: { after: (fn: () => void) => void }): { dir: string; dbFile: string; ids: string[] } {
  const dir = tempDir(t, 'mapd-compare-');
  const dbFile = path.join(dir, 'curation.db');
  const db = openStore(dbFile);
  db.close();
  const problems = JSON.parse(fs.readFileSync(sharedData('svamp', 'chilled_split', 'test.json'), 'utf8')) as { ID: string; Answer: number }[];
  const answer = (p: { Answer: number }, right: boolean) => `The answer is ${right ? p.Answer : p.Answer + 1}.`;
  const base = problems.map((p, i) => ({ id: p.ID, output: answer(p, i < 60 || (i >= 90 && i < 100) || i >= 195), student: 'base' }));
  const tuned = problems.slice(0, 195).map((p, i) => ({ id: p.ID, output: answer(p, i < 90), student: 'tuned' }));
  writeFile(dir, 'answers.jsonl', [...base, ...tuned].map((r) => JSON.stringify(r)).join('\n'));
  return { dir, dbFile, ids: problems.map((p) => p.ID) };
}

async function mapd(dir: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stdin: new PassThrough(), env: {}, cwd: dir });
  return { code, stdout, stderr };
}

test('compare: accuracies, intervals, flips and p on a constructed pair, through the CLI as a user runs it', async (t) => {
  const { dir, dbFile, ids } = constructedProject(t);
  assert.equal((await mapd(dir, ['import', '--db', dbFile, '--task', 'svamp', sharedData('svamp', 'chilled_split', 'test.json')])).code, 0);
  const graded = await mapd(dir, ['answers', '--db', dbFile, 'answers.jsonl']);
  assert.equal(graded.code, 0, graded.stderr);

  const db = openStore(dbFile, { readonly: true });
  t.after(() => db.close());
  const c = compareStudents(db, { students: ['base', 'tuned'], split: 'test' });
  assert.deepEqual(
    [c.paired, c.a.correct, c.b.correct, c.bothCorrect, c.bothWrong, c.wrongToRight.length, c.rightToWrong.length, c.onlyA, c.onlyB],
    [195, 70, 90, 60, 95, 30, 10, 5, 0],
  );
  close(c.a.accuracy!, 70 / 195, 12);
  close(c.b.accuracy!, 90 / 195, 12);
  // Wilson by its formula with z = 1.959963984540054 (the 97.5 % normal quantile).
  const z = 1.959963984540054;
  const wilson = (x: number, n: number) => {
    const p = x / n;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
    return [centre - half, centre + half];
  };
  close(c.a.interval!.low, wilson(70, 195)[0]!, 9);
  close(c.b.interval!.high, wilson(90, 195)[1]!, 9);
  close(c.pValue, mcnemarByHand(30, 10), 12);
  assert.deepEqual(
    c.wrongToRight.map((f) => f.sourceId),
    ids.slice(60, 90),
  );
  assert.deepEqual(
    c.rightToWrong.map((f) => f.sourceId),
    ids.slice(90, 100),
  );
  assert.equal(c.byTask.length, 1);

  const printed = await mapd(dir, ['compare', '--db', dbFile, '--students', 'base,tuned', '--split', 'test']);
  assert.equal(printed.code, 0, printed.stderr);
  assert.match(printed.stdout, /^base vs tuned on test: 195 problems both answered\n/);
  assert.match(printed.stdout, /base {2}\s+35\.9 % {2}\(70 of 195\) {2}95 % CI 29\.5 % – 42\.8 %/);
  assert.match(printed.stdout, /flips: 30 wrong → right, 10 right → wrong \(both right 60, both wrong 95\)/);
  assert.match(printed.stdout, /McNemar's exact test: p = 0\.00222 \(a difference this large is unlikely to be chance/);
  assert.match(printed.stdout, /left out: 5 answered by base only, 0 by tuned only/);
  const json = await mapd(dir, ['compare', '--db', dbFile, '--students', 'base,tuned', '--split', 'test', '--json']);
  assert.equal((JSON.parse(json.stdout) as { wrongToRight: unknown[] }).wrongToRight.length, 30);

  const missing = await mapd(dir, ['compare', '--db', dbFile, '--students', 'base,ghost', '--split', 'test']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /student "ghost" has no answers on the test split\. Run mapd exam for it, or import its answers/);
  const wrongSplit = await mapd(dir, ['compare', '--db', dbFile, '--students', 'base,tuned', '--split', 'train']);
  assert.match(wrongSplit.stderr, /student "base" has no answers on the train split\. It has answers on svamp\/test/);
  assert.equal((await mapd(dir, ['compare', '--db', dbFile, '--students', 'base', '--split', 'test'])).code, 2);
});

test('compare --exam examines a registered student with no answers on the split first, then compares', async (t) => {
  const { startFakeServer } = await import('../../servers/fakeServer.ts');
  const { dir, dbFile } = constructedProject(t);
  const problems = JSON.parse(fs.readFileSync(sharedData('svamp', 'chilled_split', 'test.json'), 'utf8')) as {
    ID: string;
    Body: string;
    Question: string;
    Answer: number;
  }[];
  // The problem a prompt asks: the longest whose body and question it contains (some bodies contain others).
  const problemIn = (text: string) =>
    problems
      .filter((q) => text.includes(q.Body) && text.includes(q.Question))
      .sort((a, b) => b.Body.length + b.Question.length - (a.Body.length + a.Question.length))[0]!;
  // The fine-tuned student: right where the gold answer is even.
  const evenGold = (p: { Answer: number }) => Math.round(p.Answer) % 2 === 0;
  const server = await startFakeServer({
    protocol: 'openai',
    responder: (input) => {
      const text = input.messages.map((m) => m.content).join('\n');
      const p = problemIn(text);
      return `The answer is ${evenGold(p) ? p.Answer : p.Answer + 1}.`;
    },
  });
  t.after(() => server.close());
  assert.equal((await mapd(dir, ['import', '--db', dbFile, '--task', 'svamp', sharedData('svamp', 'chilled_split', 'test.json')])).code, 0);
  assert.equal((await mapd(dir, ['answers', '--db', dbFile, 'answers.jsonl'])).code, 0);
  assert.equal(
    (
      await mapd(dir, [
        'students',
        'add',
        '--db',
        dbFile,
        '--name',
        'tuned-r1',
        '--model',
        'llama-mapd',
        '--endpoint',
        server.baseUrl,
        '--trained-from',
        'base',
      ])
    ).code,
    0,
  );
  const config = writeFile(dir, 'mapd.json', JSON.stringify({ student: { id: 'base', baseUrl: 'http://127.0.0.1:9/v1', model: 'llama', maxTokens: 64 } }));

  const without = await mapd(dir, ['compare', '--db', dbFile, '--students', 'base,tuned-r1', '--split', 'test']);
  assert.equal(without.code, 1);
  assert.match(without.stderr, /student "tuned-r1" has no answers on the test split yet\. It has an endpoint \(llama-mapd\): add --exam --config FILE/);
  assert.equal(server.requests.length, 0, 'nothing is spent without --exam');

  const run = await mapd(dir, ['compare', '--db', dbFile, '--students', 'base,tuned-r1', '--split', 'test', '--exam', '--config', config]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /examining tuned-r1 on svamp\/test: 200 problems/);
  assert.equal(server.requests.length, 200);
  // base is right on 0–59, 90–99, 195–199 (75 of 200); tuned-r1 where the gold is even.
  // (As the responder sees it: the first problem with that text — SVAMP repeats a few.)
  const evenRight = (i: number) => {
    const own = problems[i]!;
    const seen = problemIn(`${own.Body} ${own.Question}`);
    return (evenGold(seen) ? seen.Answer : seen.Answer + 1) === own.Answer;
  };
  const baseRight = (i: number) => i < 60 || (i >= 90 && i < 100) || i >= 195;
  let gained = 0;
  let lost = 0;
  for (let i = 0; i < 200; i++) {
    if (!baseRight(i) && evenRight(i)) gained++;
    if (baseRight(i) && !evenRight(i)) lost++;
  }
  assert.match(run.stdout, new RegExp(`^base vs tuned-r1 on test: 200 problems both answered\\n`));
  assert.match(run.stdout, new RegExp(`flips: ${gained} wrong → right, ${lost} right → wrong`));
  const again = await mapd(dir, ['compare', '--db', dbFile, '--students', 'base,tuned-r1', '--split', 'test', '--exam', '--config', config]);
  assert.equal(again.code, 0);
  assert.equal(server.requests.length, 200, 'examined once');
});

test('statistics per student and round: accuracy and mistakes per split, rounds along "trained from"', async (t) => {
  const { studentStats } = await import('../../../src/core/stats/students.ts');
  const { dir, dbFile } = constructedProject(t);
  assert.equal((await mapd(dir, ['import', '--db', dbFile, '--task', 'svamp', sharedData('svamp', 'chilled_split', 'test.json')])).code, 0);
  assert.equal((await mapd(dir, ['answers', '--db', dbFile, 'answers.jsonl'])).code, 0);
  assert.equal((await mapd(dir, ['students', 'add', '--db', dbFile, '--name', 'tuned', '--trained-from', 'base'])).code, 0);
  assert.equal((await mapd(dir, ['students', 'add', '--db', dbFile, '--name', 'tuned-2', '--trained-from', 'tuned'])).code, 0);
  const db = openStore(dbFile, { readonly: true });
  t.after(() => db.close());
  const stats = studentStats(db);
  assert.deepEqual(
    stats.map((s) => [s.student, s.round, s.trainedFrom]),
    [
      ['base', 0, null],
      ['tuned', 1, 'base'],
      ['tuned-2', 2, 'tuned'],
    ],
  );
  assert.deepEqual(
    stats[0]!.splits.map((s) => [s.task, s.split, s.answers, s.correct, s.mistakes, s.mistakesWithDecisions]),
    [['svamp', 'test', 200, 75, 125, 0]],
  );
  assert.deepEqual(
    stats[1]!.splits.map((s) => [s.answers, s.correct]),
    [[195, 90]],
  );
  assert.deepEqual(stats[2]!.splits, []);
  const printed = await mapd(dir, ['stats', '--db', dbFile]);
  assert.match(printed.stdout, /tuned \(1, from base\)\s+svamp\/test\s+46\.2 %\s+105\s+0/);
  assert.match(printed.stdout, /tuned-2 \(2, from tuned\)\s+\(no answers yet\)/);
});
