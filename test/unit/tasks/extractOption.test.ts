import test from 'node:test';
import assert from 'node:assert/strict';
import { getTask } from '../../../src/core/tasks/index.ts';

const CSQA_OPTIONS = ['race track', 'populated areas', 'the desert', 'apartment', 'roadblock'];
const LOGIQA_OPTIONS = [
  'Watching advertisements increases the desire for the product.',
  'Banning cigarette ads on public media makes other ads proliferate.',
  'Cigarette advertising is a major expense for tobacco companies.',
  'Anti-smokers have advertised against smoking from the beginning.',
];

/** Realistic multiple-choice answers as chat models write them, and the letter each one chooses. */
const CASES: readonly [string, string | null, string[]?][] = [
  ['The answer is (B).', 'B'],
  ['The answer is B.', 'B'],
  ['Answer: C', 'C'],
  ['Answer: (D)', 'D'],
  ['answer is C.', 'C'],
  ['Option D', 'D'],
  ['The correct answer is option A.', 'A'],
  ['The correct answer is A. Dry palms produce the most friction.', 'A'],
  ['The best answer is C.', 'C'],
  ['**Answer: B**', 'B'],
  ['**Answer:** (E) roadblock', 'E', CSQA_OPTIONS],
  ['Final answer: D', 'D'],
  ['#### B', 'B'],
  ['\\boxed{C}', 'C'],
  ['The answer is \\boxed{\\text{A}}.', 'A'],
  ['(B)', 'B'],
  ['B', 'B'],
  ['B) populated areas', 'B', CSQA_OPTIONS],
  ['C. the desert', 'C', CSQA_OPTIONS],
  ['(A) race track is where cars go, but people live in populated areas. So the answer is (B).', 'B', CSQA_OPTIONS],
  ['Sammy wanted to go to where the people were. People are found in populated areas.\nSo the answer is populated areas.', 'B', CSQA_OPTIONS],
  ['The answer is the desert.', 'C', CSQA_OPTIONS],
  ['Answer: apartment', 'D', CSQA_OPTIONS],
  ['People gather in populated areas.', 'B', CSQA_OPTIONS],
  ["Let's look at each option.\nA: race track - no.\nB: populated areas - yes.\nC: the desert - no.\n\nThe answer is B.", 'B', CSQA_OPTIONS],
  ['Option A is incorrect because a race track is empty most days. Option C is wrong too. Option B is correct.', 'B'],
  ['(D) is the correct answer.', 'D'],
  ['C is the best choice here.', 'C'],
  ['I would choose B.', 'B'],
  ["I'll go with (C).", 'C'],
  ['My choice is D.', 'D'],
  ['The correct option is D.', 'D'],
  ['The right choice is (A).', 'A'],
  ['Answer: A good choice would be the desert, since nobody is there.', 'C', CSQA_OPTIONS],
  ['The answer is not A but C.', 'C'],
  ['The answer is not (B), it is (D).', 'D'],
  ['answer: (c)', 'C'],
  ['The answer is b.', 'B'],
  ['Answer: **C**', 'C'],
  ['**Option B** is the answer.', 'B'],
  [
    'The argument says ads do not matter because people already know cigarettes. Option A weakens it most: ads increase desire.\n\nAnswer: A',
    'A',
    LOGIQA_OPTIONS,
  ],
  ['A. Watching advertisements increases the desire for the product.', 'A', LOGIQA_OPTIONS],
  ['The answer is: Banning cigarette ads on public media makes other ads proliferate.', 'B', LOGIQA_OPTIONS],
  ['Therefore, the correct answer is (C) Cigarette advertising is a major expense for tobacco companies.', 'C', LOGIQA_OPTIONS],
  ['The answer is E.', null, LOGIQA_OPTIONS],
  ['Answer: E', 'E'],
  ['Answer: F', null],
  ['I am not sure; each option seems plausible.', null],
  ['', null],
  ['Friction generates heat.\n* A. Dry palms: high friction.\n* B. Wet palms: reduced friction.\n\nThe best answer is A.', 'A'],
  ['Step 1: eliminate (A) and (C).\nStep 2: between (B) and (D), (D) fits.\nFinal Answer: (D)', 'D'],
  ['Answer:\n\n(B) populated areas', 'B', CSQA_OPTIONS],
  ['The answer is (B) populated areas.', 'B', CSQA_OPTIONS],
  ['Answer: B. Because people live there.', 'B'],
  ['Answer - C', 'C'],
  ['Correct answer: D', 'D'],
  ['The most likely answer is B.', 'B'],
  ['So the answer is (A).', 'A'],
  ['Thus, the answer is option C.', 'C'],
  ['The answer is choice (E).', 'E'],
  ['ANSWER: B', 'B'],
  ['\n\nD\n', 'D'],
  ['After weighing the options, the answer would be D.', 'D'],
  ['Answer: a) race track', 'A', CSQA_OPTIONS],
];

test(`multiple-choice extraction on ${CASES.length} realistic outputs`, () => {
  assert.ok(CASES.length >= 60);
  const csqa = getTask('commonsenseqa');
  const wrong = CASES.map(([output, expected, options]) => ({ output, expected, got: csqa.extractAnswer(output, options ? { options } : undefined) })).filter(
    (c) => c.got !== c.expected,
  );
  assert.deepEqual(wrong, []);
});

test("LogiQA and ARC extract letters the same way, limited to the problem's options", () => {
  assert.equal(getTask('logiqa').extractAnswer('The answer is (D).', { options: LOGIQA_OPTIONS }), 'D');
  assert.equal(getTask('logiqa').extractAnswer('The answer is (E).', { options: LOGIQA_OPTIONS }), null);
  assert.equal(getTask('arc').extractAnswer('The best answer is C.'), 'C');
});

test("option grading: letters, and the option's own text", () => {
  const csqa = getTask('commonsenseqa');
  assert.equal(csqa.isCorrect('B', 'B'), true);
  assert.equal(csqa.isCorrect('b', 'B'), true);
  assert.equal(csqa.isCorrect('(B)', 'B'), true);
  assert.equal(csqa.isCorrect('C', 'B'), false);
  assert.equal(csqa.isCorrect('populated areas', 'B', { options: CSQA_OPTIONS }), true);
  assert.equal(csqa.isCorrect('Populated Areas.', 'B', { options: CSQA_OPTIONS }), true);
  assert.equal(csqa.isCorrect('the desert', 'B', { options: CSQA_OPTIONS }), false);
  assert.equal(csqa.isCorrect(null, 'B'), false);
});
