import test, { before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sharedData, tempDir, writeFile } from '../helpers.ts';
import { mapd, mapdInteractive } from './run.ts';

before(() => {
  // bin/mapd builds dist/cli.js when the sources are newer; do it once, not in every test.
  const built = mapd(process.cwd(), ['--help']);
  assert.equal(built.code, 0, built.stderr);
});

const DB = '.mapd/curation.db';

function query<T>(dir: string, sql: string, all = false): T {
  const db = new Database(path.join(dir, DB), { readonly: true });
  try {
    const statement = db.prepare(sql).pluck();
    return (all ? statement.all() : statement.get()) as T;
  } finally {
    db.close();
  }
}

/** Exit 1 and a single stderr line that starts with the command and names the place. */
function assertUserFailure(run: { code: number | null; stdout: string; stderr: string }, command: string, where: string, pattern: RegExp): void {
  assert.equal(run.code, 1, `exit code; stderr: ${run.stderr}`);
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${run.stderr}`);
  assert.ok(lines[0]?.startsWith(`mapd ${command}: ${where}`), lines[0]);
  assert.match(lines[0] as string, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
}

test('import, answers, import-outputs and stats on the shared data', (t) => {
  const dir = tempDir(t, 'mapd-cli-');
  const train = sharedData('svamp', 'chilled_split', 'train.json');
  const imported = mapd(dir, ['import', '--task', 'svamp', train]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(imported.stdout, `imported 700 problems (svamp/train) from ${train}\n`);
  assert.equal(query(dir, 'SELECT COUNT(*) FROM problems'), 700);

  const answers = writeFile(
    dir,
    'answers.jsonl',
    [
      JSON.stringify({ id: 'chal-777', output: '290 / 2 = 145. The answer is 145.' }),
      JSON.stringify({ id: 'chal-777', output: 'The answer is 150.', student: 'qwen' }),
    ].join('\n'),
  );
  const graded = mapd(dir, ['answers', '--student', 'llama', 'answers.jsonl']);
  assert.equal(graded.code, 0, graded.stderr);
  assert.equal(graded.stdout, 'imported 2 answers from answers.jsonl: 1 correct, 1 mistakes\n');
  assert.ok(answers);

  const other = path.join(dir, 'release');
  for (const kind of ['false', 'feedback', 'rationale']) {
    const file = sharedData('mapd_release', `Llama-2-7b-chat-hf_svamp_${kind}_round0.json`);
    const run = mapd(dir, ['import-outputs', '--db', path.join(other, 'p.db'), file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^imported \d+ problems, \d+ student answers, \d+ teacher outputs, \d+ peer reviews from .* \(mapd-release format\)\n/);
  }
  const stats = mapd(dir, ['stats', '--json', '--db', path.join(other, 'p.db')]);
  assert.equal(stats.code, 0, stats.stderr);
  const counts = JSON.parse(stats.stdout) as Record<string, unknown>;
  assert.deepEqual(
    [counts.problems, counts.studentAnswers, counts.mistakes, counts.outputs, counts.reviews],
    [387, 387, 387, { critique: 1161, rationale: 1161, adhoc: 0 }, 2322],
  );
  assert.deepEqual((counts.perTeacher as Record<string, unknown>)['gpt-3.5-turbo'], { critiques: 387, rationales: 387, reviewsGiven: 774 });
  const table = mapd(other, ['stats', '--db', 'p.db']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^problems\s+387\n/);
  assert.match(table.stdout, /mixtral-8x7b-instruct\s+387\s+387\s+774/);
  // The queue-order keys ahead of the panel: every imported problem once, progress on stderr; then nothing left.
  const keys = mapd(other, ['order-keys', '--db', 'p.db']);
  assert.equal(keys.code, 0, keys.stderr);
  assert.equal(keys.stdout, 'order keys: computed for the mistakes of 387 problems\n');
  assert.equal(keys.stderr, 'order keys: 387 of 387 problems (100 %)\n');
  assert.equal(mapd(other, ['order-keys', '--db', 'p.db']).stdout, 'order keys: all up to date\n');

  const again = mapd(dir, ['import', '--task', 'svamp', train]);
  assert.equal(again.stdout, `imported 0 problems (svamp/train) from ${train} (700 were already in the project)\n`);
});

test('extract streams one verdict per line and stops at a bad line with its number', async () => {
  const child = mapdInteractive(process.cwd(), ['extract', '--task', 'gsm8k']);
  child.write(`${JSON.stringify({ output: 'She sells 16 - 3 - 4 = 9 eggs, so 9 * 2 = $18.\n#### 18', gold: '18' })}\n`);
  // The answer to line 1 arrives while stdin is still open: the command streams.
  assert.deepEqual(JSON.parse(await child.nextLine()), { extracted: '18', correct: true });
  child.write(`${JSON.stringify({ output: 'The answer is 20 dollars.', gold: 18 })}\n\n`);
  assert.deepEqual(JSON.parse(await child.nextLine()), { extracted: '20', correct: false });
  child.write('{"output": 5}\n');
  child.end();
  assert.equal(await child.exited, 1);
  assert.match(child.stderr(), /^mapd extract: stdin:4: field "output" should be a string, found a number/);

  const options = mapd(
    process.cwd(),
    ['extract', '--task', 'logiqa'],
    `${JSON.stringify({ output: 'So the answer is (C).', gold: 'C', options: ['a', 'b', 'c', 'd'] })}\n`,
  );
  assert.equal(options.code, 0, options.stderr);
  assert.deepEqual(JSON.parse(options.stdout), { extracted: 'C', correct: true });
  const notJson = mapd(process.cwd(), ['extract', '--task', 'gsm8k'], '{"output": "1", "gold": "1"}\nnope\n');
  assert.equal(notJson.code, 1);
  assert.equal(notJson.stdout.trim().split('\n').length, 1);
  assertUserFailure(notJson, 'extract', 'stdin:2', /not valid JSON/);
});

const GOOD = [
  { question: 'Ann has 3 pens and buys 2 more. How many pens does she have?', answer: '3 + 2 = 5\n#### 5' },
  { question: 'A box holds 12 eggs. How many eggs are in 2 boxes?', answer: '12 * 2 = 24\n#### 24' },
].map((r) => JSON.stringify(r));

const BAD_LINES: [name: string, line: string, pattern: RegExp][] = [
  ['not JSON', '{"question": "Why?", "answer": ', /not valid JSON|truncated/],
  ['not an object', '[1, 2]', /expected a JSON object/],
  ['a missing field', '{"question": "Why?"}', /"answer"/],
  ['a wrongly typed field', '{"question": ["Why?"], "answer": "#### 3"}', /"question"/],
  ['an unparseable gold', '{"question": "Why?", "answer": "because"}', /answer/i],
];

for (const [name, line, pattern] of BAD_LINES) {
  test(`mapd import: ${name} exits 1 naming file:line and changes nothing`, (t) => {
    const dir = tempDir(t, 'mapd-cli-');
    const good = writeFile(dir, 'good.jsonl', `${GOOD.join('\n')}\n`);
    assert.equal(mapd(dir, ['import', '--task', 'gsm8k', good]).code, 0);
    writeFile(dir, 'bad.jsonl', `${GOOD[0]}\n${line}\n${GOOD[1]}\n`);
    const run = mapd(dir, ['import', '--task', 'gsm8k', '--split', 'other', 'bad.jsonl']);
    assertUserFailure(run, 'import', `${path.join(dir, 'bad.jsonl')}:2`, pattern);
    assert.equal(query(dir, 'SELECT COUNT(*) FROM problems'), 2);
    const skipping = mapd(dir, ['import', '--task', 'gsm8k', '--split', 'other', '--skip-bad', 'bad.jsonl']);
    assert.equal(skipping.code, 0, skipping.stderr);
    assert.match(skipping.stdout, /^imported 2 problems \(gsm8k\/other\) from bad\.jsonl\nskipped 1 bad row \(line 2; first: .+\)\n$/);
  });
}

test('mapd import: unknown task, empty, binary, truncated, duplicate ids, missing file', (t) => {
  const dir = tempDir(t, 'mapd-cli-');
  const at = (name: string): string => path.join(dir, name);
  writeFile(dir, 'good.jsonl', `${GOOD.join('\n')}\n`);
  assertUserFailure(mapd(dir, ['import', '--task', 'mathqa', 'good.jsonl']), 'import', 'unknown task "mathqa"', /Use one of: gsm8k/);
  assert.equal(fs.existsSync(path.join(dir, DB)), false, 'no database is created for a refused task');
  writeFile(dir, 'empty.jsonl', '');
  assertUserFailure(mapd(dir, ['import', '--task', 'gsm8k', 'empty.jsonl']), 'import', at('empty.jsonl'), /empty/);
  writeFile(dir, 'bin.jsonl', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]));
  assertUserFailure(mapd(dir, ['import', '--task', 'gsm8k', 'bin.jsonl']), 'import', at('bin.jsonl'), /binary/);
  writeFile(dir, 'cut.jsonl', `${GOOD[0]}\n${(GOOD[1] as string).slice(0, 25)}`);
  assertUserFailure(mapd(dir, ['import', '--task', 'gsm8k', 'cut.jsonl']), 'import', `${at('cut.jsonl')}:2`, /truncated/);
  writeFile(dir, 'dup.jsonl', `${JSON.stringify({ k: 'a', q: 'x?', a: '1' })}\n${JSON.stringify({ k: 'a', q: 'y?', a: '2' })}\n`);
  assertUserFailure(mapd(dir, ['import', '--task', 'jsonl', '--map', 'question=q,answer=a,id=k', 'dup.jsonl']), 'import', `${at('dup.jsonl')}:2`, /duplicate/i);
  assertUserFailure(mapd(dir, ['import', '--task', 'gsm8k', 'nope.jsonl']), 'import', at('nope.jsonl'), /no such file/);
  assert.equal(query(dir, 'SELECT COUNT(*) FROM problems'), 0);
});

test('mapd import: BOM, CRLF and trailing blank lines are fine; a 10 MiB line too', (t) => {
  const dir = tempDir(t, 'mapd-cli-');
  writeFile(dir, 'crlf.jsonl', `\uFEFF${GOOD.join('\r\n')}\r\n\r\n\r\n`);
  const run = mapd(dir, ['import', '--task', 'gsm8k', 'crlf.jsonl']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'imported 2 problems (gsm8k/train) from crlf.jsonl\n');
  const long = JSON.stringify({ question: `${'word '.repeat(2 * 1024 * 1024)}How many?`, answer: '#### 7' });
  writeFile(dir, 'long.jsonl', `${long}\n`);
  const big = mapd(dir, ['import', '--task', 'gsm8k', '--split', 'long', 'long.jsonl']);
  assert.equal(big.code, 0, big.stderr);
  assert.equal(query(dir, 'SELECT COUNT(*) FROM problems'), 3);
});

test('mapd answers: ids that match no problem exit 1 with file:line; nothing is stored', (t) => {
  const dir = tempDir(t, 'mapd-cli-');
  writeFile(dir, 'train.jsonl', `${GOOD.join('\n')}\n`);
  assert.equal(mapd(dir, ['import', '--task', 'gsm8k', 'train.jsonl']).code, 0);
  const ids = query<string[]>(dir, 'SELECT source_id FROM problems ORDER BY id', true);
  writeFile(dir, 'answers.jsonl', `${JSON.stringify({ id: ids[0], output: '#### 5' })}\n${JSON.stringify({ id: 'no-such-id', output: '#### 5' })}\n`);
  assertUserFailure(mapd(dir, ['answers', 'answers.jsonl']), 'answers', `${path.join(dir, 'answers.jsonl')}:2`, /no problem with id "no-such-id"/);
  assert.equal(query(dir, 'SELECT COUNT(*) FROM student_answers'), 0);
  const skipping = mapd(dir, ['answers', '--skip-bad', 'answers.jsonl']);
  assert.equal(skipping.code, 0, skipping.stderr);
  assert.match(skipping.stdout, /^imported 1 answers from answers\.jsonl: 1 correct, 0 mistakes\nskipped 1 bad row \(line 2;/);
  writeFile(dir, 'outputs.jsonl', `${JSON.stringify({ id: ids[1], kind: 'critique', teacher: 't', text: 'x' })}\n`);
  assertUserFailure(mapd(dir, ['import-outputs', 'outputs.jsonl']), 'import-outputs', `${path.join(dir, 'outputs.jsonl')}:1`, /no wrong student answer/);
});

test('usage errors exit 2; --help prints usage with an example and exits 0', (t) => {
  const dir = tempDir(t, 'mapd-cli-');
  for (const command of ['import', 'answers', 'import-outputs', 'extract', 'stats', 'order-keys']) {
    const help = mapd(dir, [command, '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, new RegExp(`^Usage: mapd ${command}`));
    assert.match(help.stdout, /Example/);
    assert.match(help.stdout, /--db PATH|Needs no project database/);
  }
  assert.equal(mapd(dir, ['import', 'x.jsonl']).code, 2);
  assert.equal(mapd(dir, ['import', '--task', 'gsm8k']).code, 2);
  assert.equal(mapd(dir, ['import', '--task', 'jsonl', '--map', 'question', 'x.jsonl']).code, 2);
  assert.equal(mapd(dir, ['answers', '--bogus', 'x']).code, 2);
  assert.equal(mapd(dir, ['extract']).code, 2);
  assert.equal(mapd(dir, ['frobnicate']).code, 2);
  const noDb = mapd(dir, ['stats']);
  assertUserFailure(noDb, 'stats', path.join(dir, DB), /no curation project database here/);
});

test('a database of a newer schema is refused and left untouched', (t) => {
  const dir = tempDir(t, 'mapd-cli-');
  const file = path.join(dir, 'future.db');
  const db = new Database(file);
  db.exec('CREATE TABLE future (x)');
  db.pragma('user_version = 99');
  db.close();
  writeFile(dir, 'good.jsonl', `${GOOD.join('\n')}\n`);
  for (const args of [['import', '--task', 'gsm8k', 'good.jsonl'], ['stats']]) {
    assertUserFailure(mapd(dir, [...args, '--db', 'future.db']), args[0] as string, file, /schema version 99, newer than/);
  }
  const after = new Database(file, { readonly: true });
  t.after(() => after.close());
  assert.equal(after.pragma('user_version', { simple: true }), 99);
  assert.deepEqual(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all(), ['future']);
});
