import test from 'node:test';
import assert from 'node:assert/strict';
import { getTask, guessTask, jsonlTaskFor, TASKS } from '../../../src/core/tasks/index.ts';
import { TASK_NAMES } from '../../../src/core/model.ts';
import { tempDir, writeFile } from '../helpers.ts';

test('every task name has exactly one spec', () => {
  assert.deepEqual(
    TASKS.map((t) => t.name),
    [...TASK_NAMES],
  );
  assert.deepEqual(
    TASKS.map((t) => t.answerType),
    ['number', 'number', 'yesno', 'option', 'option', 'option', 'text'],
  );
});

test('generic JSONL: the default mapping, ids from the records or their position', (t) => {
  const file = writeFile(tempDir(t), 'mine_dev.jsonl', '{"question": "Capital of France?", "answer": "Paris"}\n{"question": "2+2?", "answer": 4, "id": 17}\n');
  const parsed = getTask('jsonl').parseFile(file);
  assert.equal(parsed.split, 'dev');
  assert.deepEqual(parsed.problems, [
    { sourceId: '0', question: 'Capital of France?', goldAnswer: 'Paris', sourceLine: 1 },
    { sourceId: '17', question: '2+2?', goldAnswer: '4', sourceLine: 2 },
  ]);
});

test('generic JSONL: a mapping with nested fields, options, context and rationale', (t) => {
  const record = {
    meta: { uid: 'q-1' },
    body: { prompt: 'Which is a fruit?', passage: 'Botany.' },
    opts: ['carrot', 'apple'],
    gold: 'apple',
    why: 'Apples grow on trees.',
  };
  const file = writeFile(tempDir(t), 'quiz.jsonl', `${JSON.stringify(record)}\n`);
  const parsed = getTask('jsonl').parseFile(file, {
    mapping: { question: 'body.prompt', answer: 'gold', id: 'meta.uid', context: 'body.passage', options: 'opts', answerType: 'option', rationale: 'why' },
  });
  assert.deepEqual(parsed.problems, [
    {
      sourceId: 'q-1',
      question: 'Which is a fruit?',
      context: 'Botany.',
      options: ['carrot', 'apple'],
      goldAnswer: 'B',
      goldRationale: 'Apples grow on trees.',
      sourceLine: 1,
    },
  ]);
  const spec = getTask('jsonl');
  const problem = parsed.problems[0]!;
  assert.equal(spec.extractAnswer('I think the answer is (B).', problem), 'B');
  assert.equal(spec.isCorrect(spec.extractAnswer('The answer is apple.', problem), problem.goldAnswer, problem), true);
  assert.equal(spec.isCorrect(spec.extractAnswer('Answer: carrot', problem), problem.goldAnswer, problem), false);
});

test('generic JSONL: a missing mapped field says which mapping to fix', (t) => {
  const file = writeFile(tempDir(t), 'quiz.jsonl', '{"prompt": "Q?", "gold": "x"}\n');
  assert.throws(() => getTask('jsonl').parseFile(file), {
    message: `${file}:1: missing field "question" (expected a string). Map the field that holds it (the mapping names "question")`,
  });
  assert.throws(() => getTask('jsonl').parseFile(file, { mapping: { question: 'prompt', answer: 'answer' } }), {
    message: `${file}:1: missing field "answer" (expected the gold answer). Map the field that holds the gold answer`,
  });
  assert.throws(() => getTask('jsonl').parseFile(file, { mapping: { question: 'prompt', answer: 'gold', id: 'uid' } }), {
    message: `${file}:1: field "uid" is missing (expected the record's id). Fix the record, or map the right field`,
  });
});

test('generic grading: text compares loosely, numbers as numbers, yes/no as verdicts', () => {
  const text = getTask('jsonl');
  assert.equal(text.extractAnswer('Let me think.\nThe answer is: **Paris**.'), 'Paris');
  assert.equal(text.extractAnswer('It is in Europe.\nParis'), 'Paris');
  assert.equal(text.isCorrect('paris', 'Paris'), true);
  assert.equal(text.isCorrect('The Eiffel Tower', 'eiffel tower'), true);
  assert.equal(text.isCorrect('Lyon', 'Paris'), false);
  assert.equal(text.isCorrect('4.0', '4'), true);
  assert.equal(text.isCorrect('$1,200 dollars', '1200'), true);
  assert.equal(text.isCorrect('Yes, it is.', 'yes'), true);
  assert.equal(text.isCorrect('No.', 'true'), false);
  assert.equal(text.isCorrect(null, 'Paris'), false);
  const numbers = jsonlTaskFor('number');
  assert.equal(numbers.answerType, 'number');
  assert.equal(numbers.extractAnswer('So the total is $1,234.50.'), '1234.5');
  assert.equal(numbers.isCorrect('1234.5', '1,234.50'), true);
  const verdicts = jsonlTaskFor('yesno');
  assert.equal(verdicts.extractAnswer('Final answer: True'), 'yes');
});

test('generic JSONL: gold answers are checked against the answer type', (t) => {
  const file = writeFile(tempDir(t), 'q.jsonl', '{"question": "Q?", "answer": true}\n{"question": "R?", "answer": "No"}\n');
  const parsed = getTask('jsonl').parseFile(file, { mapping: { question: 'question', answer: 'answer', answerType: 'yesno' } });
  assert.deepEqual(
    parsed.problems.map((p) => p.goldAnswer),
    ['yes', 'no'],
  );
  const numbers = writeFile(tempDir(t), 'n.jsonl', '{"question": "Q?", "answer": "1,500"}\n{"question": "R?", "answer": -2.50}\n');
  assert.deepEqual(
    getTask('jsonl')
      .parseFile(numbers, { mapping: { question: 'question', answer: 'answer', answerType: 'number' } })
      .problems.map((p) => p.goldAnswer),
    ['1500', '-2.5'],
  );
});

test('guessTask reads the record shape when the name says nothing', (t) => {
  const dir = tempDir(t);
  assert.equal(guessTask(writeFile(dir, 'a.jsonl', '{"question": "Q?", "answer": "x\\n#### 3"}\n')), 'gsm8k');
  assert.equal(guessTask(writeFile(dir, 'b.json', '[{"ID": "c", "Body": "B", "Question": "Q?", "Answer": 1}]')), 'svamp');
  assert.equal(guessTask(writeFile(dir, 'c.json', '{"id": "t", "sent1": "Q?", "label": 0}\n')), 'strategyqa');
  assert.equal(guessTask(writeFile(dir, 'd.json', '{"examples": [{"input": "Q?", "target_scores": {"Yes": 1, "No": 0}}]}')), 'strategyqa');
  assert.equal(guessTask(writeFile(dir, 'e.txt', '\nb\nP\nQ\nA.x\nB.y\nC.z\nD.w\n')), 'logiqa');
  assert.equal(guessTask(writeFile(dir, 'f.jsonl', '{"id": 1, "answer": 0, "text": "P", "question": "Q", "options": ["a","b"]}\n')), 'logiqa');
  assert.equal(
    guessTask(writeFile(dir, 'g.jsonl', '{"id": "x", "answerKey": "A", "question": {"question_concept": "c", "stem": "Q", "choices": []}}\n')),
    'commonsenseqa',
  );
  assert.equal(guessTask(writeFile(dir, 'h.jsonl', '{"id": "x", "answerKey": "A", "question": "Q", "choices": {"text": [], "label": []}}\n')), 'arc');
  assert.equal(guessTask(writeFile(dir, 'i.jsonl', '{"question": "Q", "answer": "A"}\n')), 'jsonl');
  assert.equal(guessTask(writeFile(dir, 'j.jsonl', '{"prompt": "Q"}\n')), undefined);
  assert.equal(guessTask(writeFile(dir, 'k.bin', Buffer.from([0, 1, 2]))), undefined);
  assert.equal(guessTask(writeFile(dir, 'my_gsm8k_copy.jsonl', '{}\n')), 'gsm8k');
  assert.equal(guessTask(`${dir}/missing.jsonl`), undefined);
});

test('extraction on a 10 MiB output returns, finding the answer at its end', () => {
  const filler = 'The cat sat on the mat and pondered the nature of things. '.repeat(200_000);
  assert.ok(filler.length > 10 * 1024 * 1024);
  assert.equal(getTask('gsm8k').extractAnswer(`${filler}\nThe answer is 42.`), '42');
  assert.equal(getTask('gsm8k').extractAnswer(`${filler} 17`), '17');
  assert.equal(getTask('strategyqa').extractAnswer(`${filler}\nSo the answer is no.`), 'no');
  assert.equal(getTask('commonsenseqa').extractAnswer(`${filler}\nThe answer is (C).`), 'C');
  assert.equal(getTask('jsonl').extractAnswer(`${filler}`)!.length <= 1000, true);
  // Pathological inputs: long runs of what the patterns look for.
  const spaces = ' '.repeat(10 * 1024 * 1024);
  assert.equal(getTask('gsm8k').extractAnswer(`${spaces}x`), null);
  assert.equal(getTask('jsonl').extractAnswer(`${spaces}x${spaces}`), 'x');
  assert.equal(getTask('gsm8k').extractAnswer('1'.repeat(10 * 1024 * 1024)), null);
  assert.equal(getTask('gsm8k').extractAnswer('answer: '.repeat(1_300_000)), null);
  assert.equal(getTask('gsm8k').extractAnswer('#### '.repeat(2_000_000) + '5'), '5');
  assert.equal(getTask('strategyqa').extractAnswer('yes or no '.repeat(1_000_000)), null);
  assert.equal(getTask('commonsenseqa').extractAnswer('Option A is wrong. '.repeat(500_000) + 'Answer: (D)'), 'D');
  assert.equal(getTask('gsm8k').extractAnswer('\\text{'.repeat(1_500_000) + ' 9'), '9');
  assert.equal(getTask('gsm8k').extractAnswer('1 '.repeat(5_000_000)), '1');
});
