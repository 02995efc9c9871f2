import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { importProblemsFile, importTeacherOutputsFile } from '../../../src/core/import/index.ts';
import { projectCounts } from '../../../src/core/stats/counts.ts';
import { fallbackSourceId, releaseName } from '../../../src/core/import/mapdRelease.ts';
import { aggregateScores } from '../../../src/core/ranking.ts';
import { sharedData, writeFile } from '../helpers.ts';
import { count, freshDb, snapshot } from './store.ts';

const release = (name: string): string => sharedData('mapd_release', `Llama-2-7b-chat-hf_${name}_round0.json`);
const SVAMP_FILES = ['svamp_false', 'svamp_feedback', 'svamp_rationale'].map(release);
const STUDENT = 'Llama-2-7b-chat';
const TEACHERS = ['gemini-1.0-pro', 'gpt-3.5-turbo', 'mixtral-8x7b-instruct'];

test('the SVAMP release fills a project: 387 problems and mistakes, 3 × 387 critiques and rationales, 6 × 387 peer scores', (t) => {
  const { db } = freshDb(t);
  const results = SVAMP_FILES.map((file) => importTeacherOutputsFile(db, file));
  assert.deepEqual(
    results.map((r) => [r.format, r.problems, r.answers, r.outputs, r.reviews, r.skipped.length]),
    [
      ['mapd-release', 387, 387, 0, 0, 0],
      ['mapd-release', 0, 0, 3 * 387, 0, 0],
      ['mapd-release', 0, 0, 3 * 387, 6 * 387, 0],
    ],
  );
  const counts = projectCounts(db);
  assert.equal(counts.problems, 387);
  assert.equal(counts.studentAnswers, 387);
  assert.equal(counts.mistakes, 387);
  assert.deepEqual(counts.outputs, { critique: 3 * 387, rationale: 3 * 387, adhoc: 0 });
  assert.equal(counts.reviews, 6 * 387);
  assert.deepEqual(Object.keys(counts.perTeacher), TEACHERS);
  for (const name of TEACHERS) assert.deepEqual(counts.perTeacher[name], { critiques: 387, rationales: 387, reviewsGiven: 2 * 387 });

  // Identity: release id 0 is record 0 of the ChilleD train split, SVAMP's chal-777.
  const first = db.prepare("SELECT * FROM problems WHERE source_id = 'chal-777'").get() as {
    task: string;
    split: string;
    gold_answer: string;
    question: string;
  };
  assert.equal(first.task, 'svamp');
  assert.equal(first.split, 'train');
  assert.match(first.question, /87 oranges and 290 bananas.*How big is each group of bananas\?/);
  assert.equal(Number(first.gold_answer), 145);
  assert.equal(count(db, 'SELECT COUNT(DISTINCT student) FROM student_answers WHERE student = ?', STUDENT), 1);
  // Every critique critiques the student's wrong answer to its own problem.
  assert.equal(
    count(
      db,
      `SELECT COUNT(*) FROM teacher_outputs o JOIN student_answers a ON a.id = o.student_answer_id
    WHERE o.kind = 'critique' AND a.problem_id = o.problem_id AND a.correct = 0`,
    ),
    3 * 387,
  );
  // Rationales are graded by the task; reviews carry a score only.
  assert.equal(count(db, "SELECT COUNT(*) FROM teacher_outputs WHERE kind = 'rationale' AND correct IS NULL"), 0);
  assert.equal(count(db, 'SELECT COUNT(*) FROM peer_reviews WHERE raw_text IS NOT NULL'), 0);
  assert.equal(count(db, 'SELECT COUNT(*) FROM peer_reviews r JOIN teacher_outputs o ON o.id = r.output_id WHERE r.reviewer = o.teacher'), 0);

  const before = snapshot(db);
  for (const file of SVAMP_FILES) {
    const again = importTeacherOutputsFile(db, file);
    assert.deepEqual([again.problems, again.answers, again.outputs, again.reviews], [0, 0, 0, 0]);
  }
  assert.equal(snapshot(db), before, 're-importing the release changes nothing');

  const direct = importProblemsFile(db, sharedData('svamp', 'chilled_split', 'train.json'), { task: 'svamp' });
  assert.deepEqual([direct.task, direct.split, direct.inserted, direct.existing], ['svamp', 'train', 700 - 387, 387]);
  assert.equal(projectCounts(db).problems, 700);
});

test("peer scores land with the reviewers the paper's code used, and its acceptance rule picks its accepted rationales", (t) => {
  const { db } = freshDb(t);
  importTeacherOutputsFile(db, release('svamp_rationale'));
  const records = JSON.parse(fs.readFileSync(release('svamp_rationale'), 'utf8')) as Record<string, [string, number, number] | string[] | number | string>[];
  // In collect_teacher_res.py: gpt [gemini, mistral], gemini [gpt, mistral], mistral [gpt, gemini].
  const order: Record<string, [string, string, string]> = {
    gpt: ['gpt-3.5-turbo', 'gemini-1.0-pro', 'mixtral-8x7b-instruct'],
    gemini: ['gemini-1.0-pro', 'gpt-3.5-turbo', 'mixtral-8x7b-instruct'],
    mistral: ['mixtral-8x7b-instruct', 'gpt-3.5-turbo', 'gemini-1.0-pro'],
  };
  // Release id i is record i of the ChilleD train split, whose "ID" is the problem's source id.
  const train = JSON.parse(fs.readFileSync(sharedData('svamp', 'chilled_split', 'train.json'), 'utf8')) as { ID: string }[];
  const reviewScore = db
    .prepare(
      `SELECT r.score FROM peer_reviews r JOIN teacher_outputs o ON o.id = r.output_id
    JOIN problems p ON p.id = o.problem_id WHERE p.source_id = ? AND o.kind = 'rationale' AND o.teacher = ? AND r.reviewer = ?`,
    )
    .pluck();
  const scores = db
    .prepare(
      `SELECT r.score FROM peer_reviews r JOIN teacher_outputs o ON o.id = r.output_id
    JOIN problems p ON p.id = o.problem_id WHERE p.source_id = ? AND o.kind = 'rationale' AND o.teacher = ?`,
    )
    .pluck();
  let checked = 0;
  let accepted = 0;
  let paperAccepted = 0;
  for (const record of records) {
    const sourceId = (train[record.id as number] as { ID: string }).ID;
    for (const [key, [teacher, first, second]] of Object.entries(order)) {
      const [, s1, s2] = record[`${key}_rationale`] as [string, number, number];
      const valid = (s: number): number | null => (s >= 1 && s <= 5 ? s : null);
      assert.equal(reviewScore.get(sourceId, teacher, first), valid(s1));
      assert.equal(reviewScore.get(sourceId, teacher, second), valid(s2));
      if (aggregateScores(scores.all(sourceId, teacher) as (number | null)[]).accepted) accepted++;
      checked++;
    }
    paperAccepted += (record.correct_rationale as string[]).length;
  }
  assert.equal(checked, 3 * 387);
  assert.equal(accepted, paperAccepted, "the paper's rule on imported scores accepts what the paper accepted");
});

test("the StrategyQA release imports 825 mistakes onto the ChilleD train split's problems", (t) => {
  const { db } = freshDb(t);
  const result = importTeacherOutputsFile(db, release('strategyQA_false'));
  assert.deepEqual([result.problems, result.answers, result.outputs, result.reviews], [825, 825, 0, 0]);
  assert.equal(count(db, "SELECT COUNT(*) FROM problems WHERE task = 'strategyqa' AND split = 'train'"), 825);
  assert.equal(projectCounts(db).mistakes, 825);
  const direct = importProblemsFile(db, sharedData('strategyqa', 'chilled_split', 'train.json'), { task: 'strategyqa' });
  assert.equal(direct.inserted, 1603 - 825);
});

test('without the dataset beside it, a release makes its problems from its own text, with train[<id>] ids', (t) => {
  const { db, dir } = freshDb(t);
  const records = [
    {
      id: 4,
      question: 'Tom had 3 apples and got 2 more. How many apples does Tom have?',
      gold_answer: '5',
      student_wrong_pred: 'Tom has 6 apples.',
      student_wrong_final_answer: '6',
    },
    {
      id: 9,
      question: 'A box holds 12 eggs. How many eggs are in 2 boxes?',
      gold_answer: '24.0',
      student_wrong_pred: 'The answer is 14.',
      student_wrong_final_answer: '14',
    },
  ];
  const file = writeFile(dir, 'release/Llama-2-7b-chat-hf_svamp_false_round0.json', JSON.stringify(records, null, 4));
  const result = importTeacherOutputsFile(db, file);
  assert.deepEqual([result.problems, result.answers], [2, 2]);
  assert.equal(result.notes.length, 1);
  assert.match(result.notes[0] as string, /not found.*train\[0\]/);
  const ids = db.prepare('SELECT source_id FROM problems ORDER BY id').pluck().all();
  assert.deepEqual(ids, [fallbackSourceId(4), fallbackSourceId(9)]);
  assert.deepEqual(ids, ['train[4]', 'train[9]']);
  assert.equal(projectCounts(db).mistakes, 2);
});

test('a release record that disagrees with the dataset, or points past it, is an error at its line; nothing is imported', (t) => {
  const { db, dir } = freshDb(t);
  const train = writeFile(
    dir,
    'data/svamp/chilled_split/train.json',
    JSON.stringify([
      { ID: 'chal-1', Body: 'Ann has 3 pens.', Question: 'How many pens does Ann have?', Equation: '3', Answer: 3.0, Type: 'x' },
      { ID: 'chal-2', Body: 'Bo has 4 cups.', Question: 'How many cups does Bo have?', Equation: '4', Answer: 4.0, Type: 'x' },
    ]),
  );
  assert.ok(fs.existsSync(train));
  const good = {
    id: 0,
    question: 'Ann has 3 pens.  How many pens does Ann have? ',
    gold_answer: '3',
    student_wrong_pred: 'She has 2.',
    student_wrong_final_answer: '2',
  };
  const other = { id: 1, question: 'Bo has 5 cups. How many cups does Bo have?', gold_answer: '4', student_wrong_pred: 'x', student_wrong_final_answer: '' };
  const file = writeFile(dir, 'data/mapd_release/Llama-2-7b-chat-hf_svamp_false_round0.json', JSON.stringify([good, other], null, 4));
  const before = snapshot(db);
  assert.throws(
    () => importTeacherOutputsFile(db, file),
    (e: Error) => e.name === 'UserError' && e.message.includes(`${file}:9:`) && /differs from record 1/.test(e.message),
  );
  assert.equal(snapshot(db), before);
  const skipped = importTeacherOutputsFile(db, file, { skipBad: true });
  assert.deepEqual([skipped.problems, skipped.answers, skipped.skipped.map((s) => s.line)], [1, 1, [9]]);
  assert.equal(db.prepare('SELECT source_id FROM problems').pluck().get(), 'chal-1');

  const past = writeFile(dir, 'data/mapd_release/Llama-2-7b-chat-hf_svamp_feedback_round0.json', JSON.stringify([{ ...good, id: 7 }]));
  assert.throws(() => importTeacherOutputsFile(db, past), /:1: id 7 is past the end of .*train\.json \(2 records\)/);
});

test('release file names give the student and the dataset; others are refused', () => {
  assert.deepEqual(releaseName('/x/Llama-2-7b-chat-hf_svamp_false_round0.json'), { student: STUDENT, dataset: 'svamp' });
  assert.deepEqual(releaseName('Llama-2-7b-chat-hf_strategyQA_rationale_round2.json'), { student: `${STUDENT}-round2`, dataset: 'strategyQA' });
  assert.throws(() => releaseName(path.join('/x', 'teacher_outputs.json')), /cannot tell the dataset from the file name/);
});
