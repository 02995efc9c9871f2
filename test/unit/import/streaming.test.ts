import test from 'node:test';
import assert from 'node:assert/strict';
import { importProblemsFile } from '../../../src/core/import/index.ts';
import { inTransaction } from '../../../src/core/store/db.ts';
import type { Db } from '../../../src/core/store/db.ts';
import { insertProblems } from '../../../src/core/store/problems.ts';
import { getTask } from '../../../src/core/tasks/index.ts';
import { writeFile } from '../helpers.ts';
import { freshDb, snapshot } from './store.ts';

// Issue 11: a JSON Lines problems file is imported as it is read. These hold the streamed import
// to what parsing the file whole gives (the path every other format takes).

const gsm = (i: number, id?: string): string =>
  JSON.stringify({
    ...(id === undefined ? {} : { id }),
    question: `Ann has ${i} pens and buys 2 more. How many pens? ünïcödé`,
    answer: `${i} + 2 = ${i + 2}\n#### ${i + 2}`,
  });

/** The problems columns an import writes, without the time it ran. */
function rows(db: Db): unknown[] {
  return db.prepare('SELECT id, task, split, source_id, question, context, options, gold_answer, gold_rationale, source_line FROM problems ORDER BY id').all();
}

/** The same file parsed whole and inserted, as before streaming. */
function parsedWhole(db: Db, file: string, skipBad = false): void {
  const parsed = getTask('gsm8k').parseFile(file, { skipBad });
  insertProblems(db, 'gsm8k', parsed.split, file, parsed.problems);
}

test('a streamed JSON Lines import stores what parsing the whole file stores (BOM, CRLF, blank lines, a long file)', (t) => {
  const streamed = freshDb(t);
  const lines = Array.from({ length: 25_000 }, (_, i) => gsm(i));
  // Blank and whitespace-only lines, CRLF endings and no final newline; ids are record indexes, blank lines not counted.
  const text = `\ufeff${lines.slice(0, 10).join('\r\n')}\r\n\r\n   \n${lines.slice(10).join('\n')}`;
  const file = writeFile(streamed.dir, 'train.jsonl', text);
  const progress: [number, number][] = [];
  const report = importProblemsFile(streamed.db, file, { task: 'gsm8k', onProgress: (done, total) => progress.push([done, total]) });
  assert.deepEqual([report.inserted, report.existing, report.skipped], [25_000, 0, []]);
  assert.deepEqual(progress.at(-1), [25_000, 25_000]);
  assert.ok(progress.length > 10 && progress.every(([done], i) => i === 0 || done > (progress[i - 1] as [number, number])[0]), 'progress moves forward');

  const whole = freshDb(t);
  parsedWhole(whole.db, file);
  assert.deepEqual(rows(streamed.db), rows(whole.db));
  assert.equal((rows(streamed.db)[10] as { source_line: number }).source_line, 13, 'lines keep counting across blank lines');
});

test('skipped bad rows, progress and the report agree with the whole-file parse', (t) => {
  const { db, dir } = freshDb(t);
  const file = writeFile(
    dir,
    'train.jsonl',
    [gsm(0), '{not json', gsm(2), '[1, 2]', JSON.stringify({ question: 'q' }), gsm(5), '{"question": "cut'].join('\n'),
  );
  const progress: [number, number][] = [];
  const report = importProblemsFile(db, file, { task: 'gsm8k', skipBad: true, onProgress: (done, total) => progress.push([done, total]) });
  const parsed = getTask('gsm8k').parseFile(file, { skipBad: true });
  assert.equal(report.inserted, 3);
  assert.deepEqual(report.skipped, parsed.skipped);
  assert.match(report.skipped.at(-1)?.message ?? '', /truncated/);
  assert.deepEqual(progress.at(-1), [7, 7], 'progress reaches the total, skipped rows included');
  assert.deepEqual(
    db.prepare('SELECT source_id FROM problems ORDER BY id').pluck().all(),
    parsed.problems.map((p) => p.sourceId),
  );
});

test('a repeated id is caught whether its first use was inserted by this import or was already in the project', (t) => {
  const { db, dir } = freshDb(t);
  importProblemsFile(db, writeFile(dir, 'first.jsonl', `${gsm(1, 'a')}\n${gsm(2, 'b')}\n`), { task: 'gsm8k', split: 'train' });
  const before = snapshot(db);
  // "a" is in the project already; its repeat at line 3 is still a repeat within this file.
  const repeatOfExisting = writeFile(dir, 'second.jsonl', `${gsm(3, 'c')}\n${gsm(1, 'a')}\n${gsm(1, 'a')}\n`);
  assert.throws(
    () => importProblemsFile(db, repeatOfExisting, { task: 'gsm8k', split: 'train' }),
    (e: Error) => e.name === 'UserError' && e.message.includes('second.jsonl:3') && /duplicate id "a" \(first used at line 2\)/.test(e.message),
  );
  const repeatOfNew = writeFile(dir, 'third.jsonl', `${gsm(3, 'c')}\n${gsm(4, 'd')}\n${gsm(3, 'c')}\n`);
  assert.throws(
    () => importProblemsFile(db, repeatOfNew, { task: 'gsm8k', split: 'train' }),
    (e: Error) => e.message.includes('third.jsonl:3') && /duplicate id "c" \(first used at line 1\)/.test(e.message),
  );
  assert.equal(snapshot(db), before, 'a failed import changes nothing');
  const skipping = importProblemsFile(db, repeatOfExisting, { task: 'gsm8k', split: 'train', skipBad: true });
  assert.deepEqual([skipping.inserted, skipping.existing, skipping.skipped.map((s) => s.line)], [1, 1, [3]]);
  const whole = getTask('gsm8k').parseFile(repeatOfExisting, { skipBad: true });
  assert.deepEqual(
    skipping.skipped.map((s) => s.message),
    whole.skipped.map((s) => s.message),
  );
});

test('the full-text index holds exactly the imported rows, and its trigger is back after an import and after a failed one', (t) => {
  const { db, dir } = freshDb(t);
  importProblemsFile(db, writeFile(dir, 'a.jsonl', `${gsm(1, 'a')}\n${gsm(2, 'b')}\n`), { task: 'gsm8k', split: 'train' });
  assert.throws(() => importProblemsFile(db, writeFile(dir, 'bad.jsonl', `${gsm(7, 'x')}\n{oops\n`), { task: 'gsm8k', split: 'train' }));
  importProblemsFile(db, writeFile(dir, 'b.jsonl', `${gsm(3, 'c')}\n${gsm(1, 'a')}\n`), { task: 'gsm8k', split: 'train' });
  // Written outside an import: the trigger indexes it as before.
  inTransaction(db, () => insertProblems(db, 'gsm8k', 'test', 'hand', [{ sourceId: 'z', question: 'zebras crossing', goldAnswer: '1' }]));
  db.exec("INSERT INTO problems_fts (problems_fts, rank) VALUES ('integrity-check', 1)");
  const match = (word: string): unknown[] => db.prepare('SELECT rowid FROM problems_fts WHERE problems_fts MATCH ? ORDER BY rowid').pluck().all(word);
  assert.deepEqual(match('pens'), db.prepare("SELECT id FROM problems WHERE split = 'train' ORDER BY id").pluck().all());
  assert.equal(match('pens').length, 3);
  assert.equal(match('zebras').length, 1);
  assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = 'problems_fts_insert'").pluck().all(), ['problems_fts_insert']);
});

test('a JSON array file is still parsed whole, with the same rows', (t) => {
  const { db, dir } = freshDb(t);
  const file = writeFile(dir, 'train.json', `[\n${[gsm(1), gsm(2)].join(',\n')}\n]\n`);
  const report = importProblemsFile(db, file, { task: 'gsm8k' });
  assert.equal(report.inserted, 2);
  assert.deepEqual(db.prepare('SELECT source_line FROM problems ORDER BY id').pluck().all(), [2, 3]);
});
