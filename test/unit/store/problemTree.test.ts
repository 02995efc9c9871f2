import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Db } from '../../../src/core/store/db.ts';
import { inTransaction, openStore } from '../../../src/core/store/db.ts';
import { insertProblems, listProblems } from '../../../src/core/store/problems.ts';
import { upsertStudentAnswer } from '../../../src/core/store/answers.ts';
import { insertOutput } from '../../../src/core/store/outputs.ts';
import { decidedOutputCount, recordBulkDecisions, recordDecision, undoLastDecision } from '../../../src/core/store/events.ts';
import {
  EXCERPT_CHARS,
  groupCountBetween,
  groupCounts,
  groupPage,
  groupPageFrom,
  groupsVersion,
  pageStarts,
  problemPlace,
  problemQuestion,
} from '../../../src/core/store/problemTree.ts';
import { tempDir } from '../helpers.ts';

function project(t: { after: (fn: () => void) => void }): Db {
  const db = openStore(path.join(tempDir(t), 'curation.db'));
  t.after(() => db.close());
  return db;
}

/** n problems p1..pn; answers per problem chosen by `answer(i)`: a list of [student, extracted, correct]. */
function fill(db: Db, n: number, answer: (i: number) => [string, string | null, boolean][]): number[] {
  const problems = Array.from({ length: n }, (_, i) => ({ sourceId: `p${i + 1}`, question: `Question ${i + 1}: how many apples?`, goldAnswer: String(i + 1) }));
  insertProblems(db, 'gsm8k', 'train', 'mine.jsonl', problems);
  const ids = listProblems(db).map((p) => p.id);
  inTransaction(db, () => {
    ids.forEach((problemId, i) => {
      for (const [student, extractedAnswer, correct] of answer(i)) {
        upsertStudentAnswer(db, { problemId, student, rawOutput: `The answer is ${extractedAnswer ?? '?'}`, extractedAnswer, correct });
      }
    });
  });
  return ids;
}

test('an empty project has no problems in any group', (t) => {
  const db = project(t);
  assert.deepEqual(groupCounts(db), { mistakes: 0, correct: 0, unanswered: 0 });
  assert.deepEqual(groupPage(db, 'mistakes', 0, 50), []);
  assert.equal(problemPlace(db, 1), undefined);
  assert.equal(decidedOutputCount(db), 0);
});

test('problems are grouped as mistakes, correct and unanswered, one student or several', (t) => {
  const db = project(t);
  // i % 4: 0 wrong, 1 right, 2 unanswered, 3 one student right and another wrong (a mistake).
  const ids = fill(db, 10, (i) => {
    if (i % 4 === 0) return [['llama', '0.92', false]];
    if (i % 4 === 1) return [['llama', String(i + 1), true]];
    if (i % 4 === 2) return [];
    return [
      ['llama', String(i + 1), true],
      ['mistral', '7', false],
    ];
  });
  assert.deepEqual(groupCounts(db), { mistakes: 5, correct: 3, unanswered: 2 });

  const mistakes = groupPage(db, 'mistakes', 0, 100);
  assert.deepEqual(
    mistakes.map((r) => r.sourceId),
    ['p1', 'p4', 'p5', 'p8', 'p9'],
  );
  // The wrong answer is the one shown, even when a right answer is older.
  assert.deepEqual(
    mistakes.map((r) => r.studentAnswer),
    ['0.92', '7', '0.92', '7', '0.92'],
  );
  assert.equal(mistakes[1]!.goldAnswer, '4');
  assert.equal(mistakes[0]!.questionExcerpt, 'Question 1: how many apples?');
  assert.deepEqual(
    groupPage(db, 'correct', 0, 100).map((r) => [r.sourceId, r.studentAnswer]),
    [
      ['p2', '2'],
      ['p6', '6'],
      ['p10', '10'],
    ],
  );
  const unanswered = groupPage(db, 'unanswered', 0, 100);
  assert.deepEqual(
    unanswered.map((r) => [r.sourceId, r.studentAnswer, r.answered]),
    [
      ['p3', null, false],
      ['p7', null, false],
    ],
  );

  assert.deepEqual(problemPlace(db, ids[7]!), { group: 'mistakes', index: 3 });
  assert.deepEqual(problemPlace(db, ids[9]!), { group: 'correct', index: 2 });
  assert.deepEqual(problemPlace(db, ids[2]!), { group: 'unanswered', index: 0 });
});

test('an answer with nothing extracted is a mistake shown with no answer, not unanswered', (t) => {
  const db = project(t);
  fill(db, 1, () => [['llama', null, false]]);
  assert.deepEqual(groupCounts(db), { mistakes: 1, correct: 0, unanswered: 0 });
  const [row] = groupPage(db, 'mistakes', 0, 10);
  assert.equal(row!.studentAnswer, null);
  assert.equal(row!.answered, true);
});

test('pages of a big group follow each other without gaps or overlaps, and places match pages', (t) => {
  const db = project(t);
  const ids = fill(db, 10_000, (i) => (i % 3 === 0 ? [] : [['llama', i % 3 === 1 ? 'x' : String(i + 1), i % 3 === 2]]));
  const counts = groupCounts(db);
  assert.deepEqual(counts, { mistakes: 3333, correct: 3333, unanswered: 3334 });
  const seen: number[] = [];
  for (let offset = 0; offset < counts.mistakes; offset += 500) seen.push(...groupPage(db, 'mistakes', offset, 500).map((r) => r.id));
  assert.equal(seen.length, 3333);
  assert.equal(new Set(seen).size, 3333);
  assert.deepEqual(
    seen,
    [...seen].sort((a, b) => a - b),
  );
  const probe = ids[9_997]!; // i = 9997: i % 3 === 1, a mistake
  const place = problemPlace(db, probe)!;
  assert.equal(place.group, 'mistakes');
  assert.equal(seen[place.index], probe);
  assert.equal(groupPage(db, 'mistakes', place.index, 1)[0]!.id, probe);
});

test('a long or multi-line question becomes a one-line excerpt; the full text stays readable', (t) => {
  const db = project(t);
  const long = `Line one\n\nline   two ${'word '.repeat(200)}end`;
  insertProblems(db, 'gsm8k', 'train', undefined, [{ sourceId: 'long', question: long, goldAnswer: '1' }]);
  const [row] = groupPage(db, 'unanswered', 0, 1);
  assert.ok(row!.questionExcerpt.startsWith('Line one line two word'));
  assert.ok(!row!.questionExcerpt.includes('\n'));
  assert.equal(row!.questionExcerpt.length, EXCERPT_CHARS);
  assert.ok(row!.questionExcerpt.endsWith('…'));
  assert.equal(problemQuestion(db, row!.id)!.question, long);
});

test('decided outputs count decisions in force: undone ones drop out, a bulk undo drops all', (t) => {
  const db = project(t);
  const [problemId] = fill(db, 1, () => [['llama', '3', false]]);
  const outputs = ['gpt', 'gemini', 'mixtral'].map(
    (teacher) => insertOutput(db, { problemId: problemId!, kind: 'critique', teacher, text: `${teacher} says`, source: 'test' }).id,
  );
  recordDecision(db, { outputId: outputs[0]!, action: 'accept', curator: 'me' });
  recordDecision(db, { outputId: outputs[0]!, action: 'edit', text: 'better', curator: 'me' });
  assert.equal(decidedOutputCount(db), 1);
  recordBulkDecisions(
    db,
    [
      { outputId: outputs[1]!, action: 'reject', curator: 'me' },
      { outputId: outputs[2]!, action: 'accept', curator: 'me' },
    ],
    'b1',
  );
  assert.equal(decidedOutputCount(db), 3);
  undoLastDecision(db, 'me');
  assert.equal(decidedOutputCount(db), 1);
  undoLastDecision(db, 'me'); // the edit; the accept stays
  assert.equal(decidedOutputCount(db), 1);
  undoLastDecision(db, 'me');
  assert.equal(decidedOutputCount(db), 0);
});

test('counts, offset pages, keyset pages, range starts and places agree with a brute-force grouping (two students, several seeds)', (t) => {
  for (const seed of [1, 2, 3]) {
    const db = project(t);
    let state = seed;
    const rand = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const ids = fill(db, 240, () => ['llama', 'qwen'].filter(() => rand() < 0.6).map((student) => [student, '1', rand() < 0.5] as [string, string, boolean]));
    const answers = db.prepare('SELECT problem_id, student, correct FROM student_answers').all() as { problem_id: number; student: string; correct: number }[];
    for (const student of [null, 'llama', 'qwen']) {
      const mine = answers.filter((a) => student === null || a.student === student);
      const groupOf = (id: number): string => {
        const of = mine.filter((a) => a.problem_id === id);
        return of.some((a) => a.correct === 0) ? 'mistakes' : of.length > 0 ? 'correct' : 'unanswered';
      };
      const expected = { mistakes: [] as number[], correct: [] as number[], unanswered: [] as number[] };
      for (const id of ids) expected[groupOf(id) as keyof typeof expected].push(id);
      assert.deepEqual(groupCounts(db, student), {
        mistakes: expected.mistakes.length,
        correct: expected.correct.length,
        unanswered: expected.unanswered.length,
      });
      for (const group of ['mistakes', 'correct', 'unanswered'] as const) {
        const want = expected[group];
        assert.deepEqual(
          groupPage(db, group, 0, 1000, student).map((r) => r.id),
          want,
          `${group} of ${student}`,
        );
        assert.deepEqual(
          groupPage(db, group, 7, 5, student).map((r) => r.id),
          want.slice(7, 12),
        );
        assert.deepEqual(
          pageStarts(db, group, 10, student),
          want.filter((_, i) => i % 10 === 0),
        );
        const from = want[13];
        if (from !== undefined) assert.deepEqual(groupPageFrom(db, group, from, 6, student), groupPage(db, group, 13, 6, student));
        for (const [index, id] of want.entries()) if (index % 17 === 0) assert.deepEqual(problemPlace(db, id, student), { group, index });
        if (want.length > 20) assert.equal(groupCountBetween(db, group, want[4] as number, want[19] as number, student), 15);
      }
    }
  }
});

test('the answer tallies follow every kind of write: inserts, upserts that change an answer, updates, deletes and cascades, from any connection', (t) => {
  const db = project(t);
  const ids = fill(db, 30, (i) =>
    i % 3 === 0
      ? [['llama', '1', false]]
      : i % 3 === 1
        ? [
            ['llama', '1', true],
            ['qwen', '2', i % 2 === 0],
          ]
        : [],
  );
  const other = openStore(db.name);
  t.after(() => other.close());
  const brute = (student: string | null) => {
    const of = student === null ? '' : 'AND a.student = @student';
    const n = (sql: string): number =>
      db
        .prepare(sql)
        .pluck()
        .get(student === null ? {} : { student }) as number;
    const mistakes = n(`SELECT COUNT(DISTINCT a.problem_id) FROM student_answers a WHERE a.correct = 0 ${of}`);
    const answered = n(`SELECT COUNT(DISTINCT a.problem_id) FROM student_answers a WHERE 1 ${of}`);
    return { mistakes, correct: answered - mistakes, unanswered: n('SELECT COUNT(*) FROM problems') - answered };
  };
  const check = (what: string): void => {
    for (const student of [null, 'llama', 'qwen', 'nobody']) assert.deepEqual(groupCounts(db, student), brute(student), `${what}, ${student}`);
  };
  check('after the import');
  const before = groupsVersion(db);
  upsertStudentAnswer(other, { problemId: ids[1] as number, student: 'llama', rawOutput: 'x', extractedAnswer: '0', correct: false });
  check('an upsert turns a right answer wrong');
  assert.notEqual(groupsVersion(db), before, 'a changed answer changes the version');
  other.prepare('UPDATE student_answers SET problem_id = ? WHERE problem_id = ? AND student = ?').run(ids[2], ids[0], 'llama');
  check('an answer moved to another problem');
  other.prepare('UPDATE student_answers SET student = ? WHERE problem_id = ? AND student = ?').run('mistral', ids[4], 'qwen');
  check('an answer given to another student');
  other.prepare("DELETE FROM student_answers WHERE student = 'qwen' AND correct = 1").run();
  check('answers deleted');
  other.prepare('DELETE FROM problems WHERE id IN (?, ?)').run(ids[1], ids[3]);
  check('problems deleted with their answers (cascade)');
  insertProblems(other, 'gsm8k', 'test', 'more.jsonl', [{ sourceId: 'n1', question: 'q', goldAnswer: '1' }]);
  check('a problem added');
  const settled = groupsVersion(db);
  recordDecision(db, {
    outputId: insertOutput(db, { problemId: ids[4] as number, kind: 'rationale', teacher: 'gpt', text: 'The answer is 5.', source: 't' }).id,
    action: 'accept',
    curator: 'ana',
  });
  assert.equal(groupsVersion(db), settled, 'an output and a decision leave the groups as they are');
});
