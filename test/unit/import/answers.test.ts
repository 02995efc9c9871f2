import test from 'node:test';
import assert from 'node:assert/strict';
import { importStudentAnswersFile } from '../../../src/core/import/index.ts';
import { projectCounts } from '../../../src/core/stats/counts.ts';
import { writeFile } from '../helpers.ts';
import { importSvampFixture, jsonl } from './fixtures.ts';
import { freshDb, snapshot } from './store.ts';

function setup(t: { after: (fn: () => void) => void }) {
  const { db, dir } = freshDb(t);
  importSvampFixture(db, dir);
  return { db, dir };
}

test("student answers are graded on import with the task's extraction", (t) => {
  const { db, dir } = setup(t);
  const file = writeFile(
    dir,
    'answers.jsonl',
    jsonl([
      { id: 'chal-1', output: 'Ann had 3 pens and bought 2 more, so 3 + 2 = 5. The answer is 5.' },
      { id: 'chal-2', output: 'Each box has 12 eggs.\n**Answer: 14 eggs**' },
      { id: 'chal-3', output: 'I am not sure how to solve this.' },
    ]),
  );
  const progress: number[] = [];
  const result = importStudentAnswersFile(db, file, { student: 'llama', onProgress: (done) => progress.push(done) });
  assert.deepEqual([result.imported, result.correct, result.mistakes, result.skipped], [3, 1, 2, []]);
  assert.equal(progress.at(-1), 3);
  const rows = db
    .prepare('SELECT p.source_id, a.student, a.extracted_answer, a.correct FROM student_answers a JOIN problems p ON p.id = a.problem_id ORDER BY p.id')
    .all();
  assert.deepEqual(
    rows.map((r) => Object.values(r as object)),
    [
      ['chal-1', 'llama', '5', 1],
      ['chal-2', 'llama', '14', 0],
      ['chal-3', 'llama', null, 0],
    ],
  );
  // A newer answer of the same student replaces the older one; another student's is separate.
  const later = writeFile(
    dir,
    'later.jsonl',
    jsonl([
      { id: 'chal-2', output: '12 * 2 = 24. The answer is 24.', student: 'llama' },
      { id: 'chal-2', output: '#### 24', student: 'qwen' },
    ]),
  );
  assert.equal(importStudentAnswersFile(db, later).correct, 2);
  const counts = projectCounts(db);
  assert.deepEqual([counts.studentAnswers, counts.mistakes, counts.correct], [4, 1, 3]);
});

test('an id that matches no problem is an error naming file:line; nothing is imported', (t) => {
  const { db, dir } = setup(t);
  const before = snapshot(db);
  const file = writeFile(
    dir,
    'answers.jsonl',
    jsonl([
      { id: 'chal-1', output: '5' },
      { id: 'chal-99', output: '7' },
    ]),
  );
  assert.throws(
    () => importStudentAnswersFile(db, file),
    (e: Error) => e.name === 'UserError' && e.message.startsWith(`${file}:2: no problem with id "chal-99"`),
  );
  assert.equal(snapshot(db), before);
  const skipped = importStudentAnswersFile(db, file, { skipBad: true });
  assert.deepEqual([skipped.imported, skipped.skipped.map((s) => s.line)], [1, [2]]);
});

test('an id in several splits is ambiguous until the row or the options say which', (t) => {
  const { db, dir } = setup(t);
  importSvampFixture(db, dir, 'test');
  const file = writeFile(dir, 'answers.jsonl', jsonl([{ id: 'chal-1', output: 'The answer is 5.' }]));
  assert.throws(() => importStudentAnswersFile(db, file), /answers\.jsonl:1: id "chal-1" is ambiguous: it names problems in svamp\/train, svamp\/test/);
  assert.equal(importStudentAnswersFile(db, file, { split: 'test' }).imported, 1);
  const own = writeFile(dir, 'own.jsonl', jsonl([{ id: 'chal-1', output: 'The answer is 5.', task: 'svamp', split: 'train' }]));
  assert.equal(importStudentAnswersFile(db, own).imported, 1);
  assert.equal(projectCounts(db).studentAnswers, 2);
  assert.throws(() => importStudentAnswersFile(db, file, { task: 'mathqa' }), /unknown task "mathqa"/);
  const wrongTask = writeFile(dir, 'wrongtask.jsonl', jsonl([{ id: 'chal-1', output: '5', task: 'nope' }]));
  assert.throws(() => importStudentAnswersFile(db, wrongTask), /wrongtask\.jsonl:1: unknown task "nope"/);
});

const BAD: [name: string, row: unknown, pattern: RegExp][] = [
  ['not JSON', '{"id": "chal-1", "output": "5"', /not valid JSON|truncated/],
  ['not an object', '"chal-1"', /expected a JSON object, found a string/],
  ['a missing id', { output: '5' }, /missing field "id"/],
  ['a missing output', { id: 'chal-1' }, /missing field "output"/],
  ['a wrongly typed output', { id: 'chal-1', output: 5 }, /field "output" should be a string, found a number/],
  ['a wrongly typed student', { id: 'chal-1', output: '5', student: ['a'] }, /field "student" should be a string, found an array/],
];

for (const [name, row, pattern] of BAD) {
  test(`an answer row with ${name} is an error at its line`, (t) => {
    const { db, dir } = setup(t);
    const file = writeFile(dir, 'answers.jsonl', jsonl([{ id: 'chal-2', output: '24' }, row, { id: 'chal-3', output: '70' }]));
    assert.throws(
      () => importStudentAnswersFile(db, file),
      (e: Error) => e.name === 'UserError' && e.message.startsWith(`${file}:2:`) && pattern.test(e.message),
    );
    assert.equal(projectCounts(db).studentAnswers, 0);
    const result = importStudentAnswersFile(db, file, { skipBad: true });
    assert.deepEqual([result.imported, result.skipped.map((s) => s.line)], [2, [2]]);
  });
}

test('two answers of one student to one problem in a file are duplicates', (t) => {
  const { db, dir } = setup(t);
  const file = writeFile(
    dir,
    'answers.jsonl',
    jsonl([
      { id: 'chal-1', output: '5' },
      { id: 'chal-2', output: '2' },
      { id: 'chal-1', output: '6' },
    ]),
  );
  assert.throws(() => importStudentAnswersFile(db, file), /answers\.jsonl:3: duplicate answer of "student" to id "chal-1" \(first on line 1\)/);
  assert.equal(projectCounts(db).studentAnswers, 0);
});

test('an empty output is a real answer with nothing extracted: a mistake', (t) => {
  const { db, dir } = setup(t);
  const file = writeFile(dir, 'answers.jsonl', `\uFEFF${jsonl([{ id: 'chal-1', output: '' }]).replace('\n', '\r\n')}\r\n\r\n`);
  assert.deepEqual(importStudentAnswersFile(db, file).mistakes, 1);
});
