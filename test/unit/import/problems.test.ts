import test from 'node:test';
import assert from 'node:assert/strict';
import { importProblemsFile } from '../../../src/core/import/index.ts';
import { projectCounts } from '../../../src/core/stats/counts.ts';
import { sharedData, writeFile } from '../helpers.ts';
import { freshDb, snapshot } from './store.ts';

const gsm = (question: string, answer: string): string => JSON.stringify({ question, answer });
const GOOD = [
  gsm('Ann has 3 pens and buys 2 more. How many pens does she have?', 'She has 3 + 2 = <<3+2=5>>5 pens.\n#### 5'),
  gsm('A box holds 12 eggs. How many eggs are in 2 boxes?', '12 * 2 = <<12*2=24>>24\n#### 24'),
  gsm('Tom reads 10 pages a day. How many pages in 7 days?', '10 * 7 = 70\n#### 70'),
];

/** Asserts a UserError whose message names file:line (when given) and matches the pattern. */
function assertUserError(fn: () => unknown, where: string, pattern: RegExp): void {
  assert.throws(fn, (error: Error) => {
    assert.equal(error.name, 'UserError', error.stack);
    assert.ok(error.message.startsWith(where), `"${error.message}" should start with ${where}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), 'one line');
    return true;
  });
}

test('GSM8K train imports 7,473 problems in one go; a second import adds none', (t) => {
  const { db } = freshDb(t);
  const progress: number[] = [];
  const file = sharedData('gsm8k', 'train.jsonl');
  const result = importProblemsFile(db, file, { task: 'gsm8k', onProgress: (done, total) => progress.push(done / total) });
  assert.deepEqual([result.task, result.split, result.inserted, result.existing, result.skipped], ['gsm8k', 'train', 7473, 0, []]);
  assert.equal(progress.at(-1), 1);
  assert.ok(progress.length >= 2 && progress.length <= 102, `progress reported ${progress.length} times`);
  assert.deepEqual(
    progress,
    [...progress].sort((a, b) => a - b),
  );
  const again = importProblemsFile(db, file, { task: 'gsm8k' });
  assert.deepEqual([again.inserted, again.existing], [0, 7473]);
  assert.equal(projectCounts(db).problems, 7473);
});

test('a BOM, CRLF line endings and trailing blank lines are accepted', (t) => {
  const { db, dir } = freshDb(t);
  const file = writeFile(dir, 'train.jsonl', `\uFEFF${GOOD.join('\r\n')}\r\n\r\n  \r\n\n`);
  const result = importProblemsFile(db, file, { task: 'gsm8k' });
  assert.equal(result.inserted, 3);
  const questions = db.prepare('SELECT question FROM problems ORDER BY id').pluck().all() as string[];
  assert.ok(questions[0]?.startsWith('Ann has'), 'the BOM is not part of the first question');
  assert.ok(questions.every((q) => !q.includes('\r')));
});

test('a split comes from the file name unless given', (t) => {
  const { db, dir } = freshDb(t);
  const file = writeFile(dir, 'test.jsonl', `${GOOD.join('\n')}\n`);
  assert.equal(importProblemsFile(db, file, { task: 'gsm8k' }).split, 'test');
  assert.equal(importProblemsFile(db, file, { task: 'gsm8k', split: 'holdout' }).split, 'holdout');
  assert.equal(projectCounts(db).problems, 6);
});

const BAD_LINES: [name: string, line: string, pattern: RegExp][] = [
  ['not JSON', '{"question": "Why?", "answer": ', /not valid JSON/],
  ['not an object', '["Why?", "#### 3"]', /expected a JSON object, found an array/],
  ['a missing field', JSON.stringify({ question: 'How many?' }), /"answer"/],
  ['a wrongly typed field', JSON.stringify({ question: 42, answer: '#### 42' }), /"question"/],
  ['a gold answer that cannot be parsed', gsm('How many?', 'Some reasoning without a final answer marker'), /answer/i],
];

for (const [name, line, pattern] of BAD_LINES) {
  test(`${name} stops the import at its line and leaves the project unchanged; --skip-bad leaves it out`, (t) => {
    const { db, dir } = freshDb(t);
    importProblemsFile(db, writeFile(dir, 'other.jsonl', `${GOOD[0]}\n`), { task: 'gsm8k', split: 'other' });
    const before = snapshot(db);
    const file = writeFile(dir, 'train.jsonl', `${GOOD[0]}\n${GOOD[1]}\n${line}\n${GOOD[2]}\n`);
    assertUserError(() => importProblemsFile(db, file, { task: 'gsm8k' }), `${file}:3`, pattern);
    assert.equal(snapshot(db), before);
    const skipped = importProblemsFile(db, file, { task: 'gsm8k', skipBad: true });
    assert.equal(skipped.inserted, 3);
    assert.deepEqual(
      skipped.skipped.map((s) => [s.file, s.line]),
      [[file, 3]],
    );
    assert.match(skipped.skipped[0]?.message ?? '', pattern);
  });
}

test('a truncated last line is reported as truncated', (t) => {
  const { db, dir } = freshDb(t);
  const file = writeFile(dir, 'train.jsonl', `${GOOD[0]}\n${GOOD[1]}\n${(GOOD[2] as string).slice(0, 30)}`);
  assertUserError(() => importProblemsFile(db, file, { task: 'gsm8k' }), `${file}:3`, /truncated/);
  assert.equal(projectCounts(db).problems, 0);
});

test('duplicate ids are an error at the second one', (t) => {
  const { db, dir } = freshDb(t);
  const record = (id: string, body: string, answer: number): object => ({
    ID: id,
    Body: body,
    Question: 'How many?',
    Equation: String(answer),
    Answer: answer,
    Type: 'Addition',
  });
  const file = writeFile(
    dir,
    'train.json',
    `[\n${[record('chal-1', 'Ann has 3 pens.', 3), record('chal-2', 'Bo has 4 cups.', 4), record('chal-1', 'Cy has 5 hats.', 5)].map((r) => JSON.stringify(r)).join(',\n')}\n]\n`,
  );
  assert.throws(
    () => importProblemsFile(db, file, { task: 'svamp' }),
    (e: Error) => e.name === 'UserError' && /duplicate/i.test(e.message) && e.message.includes('chal-1'),
  );
  assert.equal(projectCounts(db).problems, 0);
  const skipped = importProblemsFile(db, file, { task: 'svamp', skipBad: true });
  assert.equal(skipped.inserted, 2);
  assert.equal(skipped.skipped.length, 1);
  assert.match(skipped.skipped[0]?.message ?? '', /duplicate/i);
});

test('an unknown task, an empty file, a binary file and a missing file are refused with one line', (t) => {
  const { db, dir } = freshDb(t);
  const good = writeFile(dir, 'train.jsonl', `${GOOD.join('\n')}\n`);
  assert.throws(() => importProblemsFile(db, good, { task: 'mathqa' }), /unknown task "mathqa".*gsm8k/);
  const empty = writeFile(dir, 'empty.jsonl', '');
  assertUserError(() => importProblemsFile(db, empty, { task: 'gsm8k' }), empty, /empty/);
  const blank = writeFile(dir, 'blank.jsonl', '\n  \r\n\n');
  assertUserError(() => importProblemsFile(db, blank, { task: 'gsm8k' }), blank, /empty/);
  const binary = writeFile(dir, 'data.jsonl', Buffer.from([0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x00, 0x01, 0x02, 0xff]));
  assertUserError(() => importProblemsFile(db, binary, { task: 'gsm8k' }), binary, /binary/);
  const missing = `${dir}/nope.jsonl`;
  assertUserError(() => importProblemsFile(db, missing, { task: 'gsm8k' }), missing, /no such file/);
  assert.equal(projectCounts(db).problems, 0);
});

test('skip-bad reports how many rows it left out and where', (t) => {
  const { db, dir } = freshDb(t);
  const lines = [GOOD[0], 'oops', GOOD[1], '42', '{"question": "x"}', GOOD[2], 'null', '[', '{}'];
  const file = writeFile(dir, 'train.jsonl', `${lines.join('\n')}\n`);
  const result = importProblemsFile(db, file, { task: 'gsm8k', skipBad: true });
  assert.equal(result.inserted, 3);
  assert.deepEqual(
    result.skipped.map((s) => s.line),
    [2, 4, 5, 7, 8, 9],
  );
});

test('a file with only bad rows imports nothing, even with skip-bad', (t) => {
  const { db, dir } = freshDb(t);
  const file = writeFile(dir, 'train.jsonl', '{"question": 5}\n{"answer": "#### 3"}\n');
  assert.throws(() => importProblemsFile(db, file, { task: 'gsm8k', skipBad: true }), /train\.jsonl: none of the 2 records could be read/);
  assert.equal(projectCounts(db).problems, 0);
});

test('a 10 MiB line neither crashes nor hangs', (t) => {
  const { db, dir } = freshDb(t);
  const long = `${'Ann counts the pens in the shop. '.repeat(Math.ceil((10 * 1024 * 1024) / 33))}How many pens?`;
  const file = writeFile(dir, 'train.jsonl', `${GOOD[0]}\n${gsm(long, 'She counts 9.\n#### 9')}\n`);
  const result = importProblemsFile(db, file, { task: 'gsm8k' });
  assert.equal(result.inserted, 2);
  const stored = db.prepare('SELECT length(question) FROM problems ORDER BY id DESC LIMIT 1').pluck().get() as number;
  assert.ok(stored >= 10 * 1024 * 1024);
});

test('generic JSONL with a field mapping', (t) => {
  const { db, dir } = freshDb(t);
  const file = writeFile(
    dir,
    'mine.jsonl',
    [JSON.stringify({ uid: 'q1', prompt: 'What is 2 + 2?', target: '4' }), JSON.stringify({ uid: 'q2', prompt: 'What is 3 + 3?', target: '6' })].join('\n'),
  );
  const result = importProblemsFile(db, file, { task: 'jsonl', mapping: { question: 'prompt', answer: 'target', id: 'uid' } });
  assert.deepEqual([result.task, result.inserted], ['jsonl', 2]);
  assert.deepEqual(db.prepare('SELECT source_id FROM problems ORDER BY id').pluck().all(), ['q1', 'q2']);
  const dup = writeFile(
    dir,
    'dup.jsonl',
    [JSON.stringify({ uid: 'a', prompt: 'x?', target: '1' }), JSON.stringify({ uid: 'a', prompt: 'y?', target: '2' })].join('\n'),
  );
  assertUserError(() => importProblemsFile(db, dup, { task: 'jsonl', mapping: { question: 'prompt', answer: 'target', id: 'uid' } }), `${dup}:2`, /duplicate/i);
});
