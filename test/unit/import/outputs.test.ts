import test from 'node:test';
import assert from 'node:assert/strict';
import { importStudentAnswersFile, importTeacherOutputsFile } from '../../../src/core/import/index.ts';
import { projectCounts } from '../../../src/core/stats/counts.ts';
import { writeFile } from '../helpers.ts';
import { importSvampFixture, jsonl } from './fixtures.ts';
import { count, freshDb, snapshot } from './store.ts';

/** A project with chal-1..3, one student ("llama") wrong on chal-2 and chal-3. */
function setup(t: { after: (fn: () => void) => void }) {
  const { db, dir } = freshDb(t);
  importSvampFixture(db, dir);
  importStudentAnswersFile(
    db,
    writeFile(
      dir,
      'answers.jsonl',
      jsonl([
        { id: 'chal-1', output: 'The answer is 5.' },
        { id: 'chal-2', output: 'The answer is 14.' },
        { id: 'chal-3', output: 'The answer is 17.' },
      ]),
    ),
    { student: 'llama' },
  );
  return { db, dir };
}

test('generic outputs: critiques attach to the wrong answer, rationales are graded, reviews come along', (t) => {
  const { db, dir } = setup(t);
  const file = writeFile(
    dir,
    'outputs.jsonl',
    jsonl([
      {
        id: 'chal-2',
        kind: 'critique',
        teacher: 'gpt-4o',
        text: 'You added instead of multiplying: 12 × 2 = 24.',
        reviews: [
          { reviewer: 'claude', score: 5, text: 'Accurate. [5]' },
          { reviewer: 'gemini', score: null },
        ],
      },
      {
        id: 'chal-2',
        kind: 'rationale',
        teacher: 'gpt-4o',
        text: '2 boxes of 12 eggs hold 12 * 2 = 24 eggs. The answer is 24.',
        reviews: [{ reviewer: 'claude', score: 4 }],
      },
      { id: 'chal-2', kind: 'rationale', teacher: 'gpt-4o', sample: 1, text: 'The answer is 26.' },
      { id: 'chal-3', kind: 'critique', teacher: 'claude', student: 'llama', text: '10 pages a day for 7 days is 70.' },
    ]),
  );
  const progress: number[] = [];
  const result = importTeacherOutputsFile(db, file, { onProgress: (done, total) => progress.push(done / total) });
  assert.deepEqual([result.format, result.problems, result.answers, result.outputs, result.reviews, result.skipped], ['generic', 0, 0, 4, 3, []]);
  assert.equal(progress.at(-1), 1);
  const outputs = db
    .prepare(
      `SELECT p.source_id, o.kind, o.teacher, o.sample, a.student, o.extracted_answer, o.correct, o.source
    FROM teacher_outputs o JOIN problems p ON p.id = o.problem_id LEFT JOIN student_answers a ON a.id = o.student_answer_id ORDER BY o.id`,
    )
    .all();
  assert.deepEqual(
    outputs.map((o) => Object.values(o as object)),
    [
      ['chal-2', 'critique', 'gpt-4o', 0, 'llama', null, null, 'import:outputs.jsonl'],
      ['chal-2', 'rationale', 'gpt-4o', 0, null, '24', 1, 'import:outputs.jsonl'],
      ['chal-2', 'rationale', 'gpt-4o', 1, null, '26', 0, 'import:outputs.jsonl'],
      ['chal-3', 'critique', 'claude', 0, 'llama', null, null, 'import:outputs.jsonl'],
    ],
  );
  assert.deepEqual(
    db
      .prepare('SELECT reviewer, raw_text, score FROM peer_reviews ORDER BY id')
      .all()
      .map((r) => Object.values(r as object)),
    [
      ['claude', 'Accurate. [5]', 5],
      ['gemini', null, null],
      ['claude', null, 4],
    ],
  );
  const counts = projectCounts(db);
  assert.deepEqual(counts.perTeacher, {
    claude: { critiques: 1, rationales: 0, reviewsGiven: 2 },
    gemini: { critiques: 0, rationales: 0, reviewsGiven: 1 },
    'gpt-4o': { critiques: 1, rationales: 2, reviewsGiven: 0 },
  });
  const before = snapshot(db);
  const again = importTeacherOutputsFile(db, file);
  assert.deepEqual([again.outputs, again.reviews], [0, 0]);
  assert.equal(snapshot(db), before);
});

const BAD: [name: string, row: unknown, pattern: RegExp][] = [
  ['not JSON', '{"id": "chal-2", "kind": ', /not valid JSON/],
  ['not an object', '17', /expected a JSON object, found a number/],
  ['an unknown id', { id: 'chal-9', kind: 'critique', teacher: 't', text: 'x' }, /no problem with id "chal-9"/],
  ['a bad kind', { id: 'chal-2', kind: 'review', teacher: 't', text: 'x' }, /field "kind" should be "critique" or "rationale", found "review"/],
  ['a missing teacher', { id: 'chal-2', kind: 'critique', text: 'x' }, /missing field "teacher"/],
  ['an empty text', { id: 'chal-2', kind: 'critique', teacher: 't', text: '  ' }, /field "text" is empty/],
  ['a bad sample', { id: 'chal-2', kind: 'rationale', teacher: 't', text: 'x', sample: 1.5 }, /field "sample" should be a whole number/],
  [
    'reviews that are not an array',
    { id: 'chal-2', kind: 'rationale', teacher: 't', text: 'x', reviews: { reviewer: 'a' } },
    /field "reviews" should be an array/,
  ],
  ['a review without reviewer', { id: 'chal-2', kind: 'rationale', teacher: 't', text: 'x', reviews: [{ score: 3 }] }, /field "reviews\[0\]\.reviewer"/],
  [
    'a non-numeric score',
    { id: 'chal-2', kind: 'rationale', teacher: 't', text: 'x', reviews: [{ reviewer: 'a', score: '4' }] },
    /field "reviews\[0\]\.score" should be a number or null, found a string/,
  ],
  ['a critique of a problem nobody got wrong', { id: 'chal-1', kind: 'critique', teacher: 't', text: 'x' }, /has no wrong student answer/],
  ['a critique of an unknown student', { id: 'chal-2', kind: 'critique', teacher: 't', text: 'x', student: 'qwen' }, /"qwen" has no answer to id "chal-2"/],
  [
    'a duplicate output',
    { id: 'chal-3', kind: 'rationale', teacher: 'gpt-4o', text: 'again' },
    /duplicate rationale of "gpt-4o" for id "chal-3" \(first on line 1\)/,
  ],
];

for (const [name, row, pattern] of BAD) {
  test(`an outputs row with ${name} is an error at its line; nothing is imported unless skipping`, (t) => {
    const { db, dir } = setup(t);
    const before = snapshot(db);
    const file = writeFile(dir, 'outputs.jsonl', jsonl([{ id: 'chal-3', kind: 'rationale', teacher: 'gpt-4o', text: 'The answer is 70.' }, row]));
    assert.throws(
      () => importTeacherOutputsFile(db, file),
      (e: Error) => {
        assert.equal(e.name, 'UserError');
        assert.ok(e.message.startsWith(`${file}:2:`), e.message);
        assert.match(e.message, pattern);
        return true;
      },
    );
    assert.equal(snapshot(db), before);
    const result = importTeacherOutputsFile(db, file, { skipBad: true });
    assert.deepEqual([result.outputs, result.skipped.map((s) => s.line)], [1, [2]]);
  });
}

test('a critique needs its student named when several got the problem wrong', (t) => {
  const { db, dir } = setup(t);
  importStudentAnswersFile(db, writeFile(dir, 'qwen.jsonl', jsonl([{ id: 'chal-2', output: 'The answer is 20.' }])), { student: 'qwen' });
  const file = writeFile(dir, 'outputs.jsonl', jsonl([{ id: 'chal-2', kind: 'critique', teacher: 't', text: 'x' }]));
  assert.throws(() => importTeacherOutputsFile(db, file), /outputs\.jsonl:1: several students got id "chal-2" wrong \(llama, qwen\)/);
  const named = writeFile(
    dir,
    'named.jsonl',
    jsonl([
      { id: 'chal-2', kind: 'critique', teacher: 't', text: 'x', student: 'qwen' },
      { id: 'chal-2', kind: 'critique', teacher: 't', text: 'y', student: 'llama' },
    ]),
  );
  assert.equal(importTeacherOutputsFile(db, named).outputs, 2);
  assert.equal(count(db, "SELECT COUNT(*) FROM teacher_outputs WHERE kind = 'critique'"), 2);
});

test('files that are neither format, or broken, are refused with one line', (t) => {
  const { db, dir } = setup(t);
  const array = writeFile(dir, 'other.json', JSON.stringify([{ question: 'q', answer: 'a' }]));
  assert.throws(() => importTeacherOutputsFile(db, array), /other\.json: a JSON array, but not the MAPD release format/);
  const broken = writeFile(dir, 'Llama-2-7b-chat-hf_svamp_false_round0.json', '[\n  {"id": 0, "question": "q",\n');
  assert.throws(() => importTeacherOutputsFile(db, broken), /round0\.json:\d+: the file ends before its JSON is complete: it looks truncated/);
  const empty = writeFile(dir, 'empty.jsonl', '\r\n');
  assert.throws(() => importTeacherOutputsFile(db, empty), /empty/);
  const binary = writeFile(dir, 'x.jsonl', Buffer.from([0x7b, 0x00, 0x7d]));
  assert.throws(() => importTeacherOutputsFile(db, binary), /binary/);
  const allBad = writeFile(dir, 'bad.jsonl', '{"id": 1}\n{"id": 2}\n');
  assert.throws(
    () => importTeacherOutputsFile(db, allBad, { skipBad: true }),
    /nothing could be imported: all 2 rows are bad \(first, line 1: missing field "kind"/,
  );
});
