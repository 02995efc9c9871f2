import test from 'node:test';
import assert from 'node:assert/strict';
import { getTask } from '../../../src/core/tasks/index.ts';

/** Realistic math answers as chat models write them, and the number each one states. */
const CASES: readonly [string, string | null][] = [
  ['The answer is 18.', '18'],
  ['Janet has 16 - 3 - 4 = 9 eggs left. She sells them for $2 each, so she makes 9 * 2 = $18 every day.\nThe answer is 18.', '18'],
  ['Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48+24 = 72 clips altogether in April and May.\n#### 72', '72'],
  ['Step 1: 12/60 = 0.2 per minute\nStep 2: 0.2 x 50 = 10\n#### 10', '10'],
  ['We need 3 + 5 = 8. Therefore the final answer is $\\boxed{8}$.', '8'],
  ['So the total cost is \\boxed{\\$1,234.50}.', '1234.5'],
  ['The probability is \\boxed{\\frac{3}{4}}', '0.75'],
  ['\\[ x = \\dfrac{-6}{4} \\] so the answer is \\boxed{-\\frac{3}{2}}', '-1.5'],
  ['**Answer: 88 watches**', '88'],
  ['**Answer:** 42', '42'],
  ['**Final Answer**: 7', '7'],
  ['Final answer: $1,234.50', '1234.5'],
  ['Final Answer: The final answer is 156. I hope it is correct.', '156'],
  ['Answer: 60\n\nExplanation:\nDanny threw away 60 bottle caps, so he had 60 - 60 = 0 left. Then he found 58', '60'],
  ['Answer: $186 - $172 = $14', '14'],
  ['Answer:\n\nGroup of bananas: 290 / 2 = 145\n\nGroup of oranges: 87 / 93 = 0.92', '145'],
  ['Answer: Helen baked 46 cookies yesterday and 66 today, so she baked 20', '20'],
  ['First, she buys 3 packs of 12 pencils, which is 36 pencils. She gives away 10, leaving 26.', '26'],
  ['Let x be the number of apples. 2x + 5 = 17, so 2x = 12 and x = 6.', '6'],
  ['He earns $15/hour for 8 hours = $120. The answer is $120.', '120'],
  ['The answer is not 5 but 7.', '7'],
  ['The answer is 7, not 5.', '7'],
  ['The final answer is -3.', '-3'],
  ['The temperature dropped to -12 degrees by midnight.', '-12'],
  ['Answer: −4', '-4'],
  ['So the difference is 10-3=7 marbles.', '7'],
  ['The answer is 0.5', '0.5'],
  ['The answer is .75', '0.75'],
  ['She used 3/4 of the flour. The answer is 3/4.', '0.75'],
  ['Each friend gets 2 1/2 pizzas.', '2.5'],
  ['The discount is 25%.', '25'],
  ['The answer is 12.5%', '12.5'],
  ['The store sold 1,250 books in total.', '1250'],
  ['Total revenue: 2,520,000 dollars. The answer is 2,520,000.', '2520000'],
  ['The answer is 1234.50 dollars', '1234.5'],
  ['The answer is 5.00', '5'],
  ['The answer is 100.0.', '100'],
  ['She has three apples left. The answer is three.', '3'],
  ['The answer is: twelve', '12'],
  ['He ran 5 km on Monday and 7 km on Tuesday for a total of 12 km.', '12'],
  ['In total, they collected 84 cans.', '84'],
  ['So, the answer is 34 inches.', '34'],
  ['The final answer is 8 hours.', '8'],
  ['answer = 56', '56'],
  ['ANSWER: 19', '19'],
  ['The answer to the question is 250.', '250'],
  ['Therefore, the correct answer is **9**.', '9'],
  ['I need to calculate 48 / 6 = 8 boxes. The answer would be 8', '8'],
  ['Tom has 5 marbles. Jerry has 3 times as many, i.e. 15. Together: 5 + 15 = 20.', '20'],
  ['The rectangle is 8 m by 5 m, so its area is 8 × 5 = 40 m².', '40'],
  ['The answer is $0.45 per apple.', '0.45'],
  ['He will need 1.5 liters.', '1.5'],
  ['Answer: 1/3', '0.333333333333333'],
  ['The answer is 3:\n1. Count the red ones (2).\n2. Add the blue one (1).', '3'],
  ['I cannot determine the answer from the information given.', null],
  ['', null],
  ['Let me think step by step about this problem.', null],
  ['Final answer:\n\n**150**', '150'],
  ['### Final Answer\n\n\\[\n\\boxed{24}\n\\]', '24'],
  ['The answer is \\(\\boxed{1{,}500}\\).', '1500'],
  ['#### 1,080', '1080'],
  ['Kim earns 10 * 40 = $400 a week. In 52 weeks that is 400 * 52 = $20,800.\n#### 20800', '20800'],
  ['Answer: 9 (61 - 52 = 9)', '9'],
  ['The answer is 2. Wait, let me recheck: 4 - 1 = 3. The answer is 3.', '3'],
  ['A car goes 60 mph for 2.5 hours, covering 150 miles.', '150'],
  ['The final answer is $\\frac{5}{2}$', '2.5'],
  ['It will take 3 1/2 hours.', '3.5'],
  ['Version 2.1.3 of the calculator says 42', '42'],
  ['Here is my answer:\nStep 1: 48/2 = 24 clips in May.\nStep 2: 48 + 24 = 72 clips in all.', '72'],
  ['My answer:\n1. 48/2 = 24\n2. 48 + 24 = 72', '72'],
];

test(`number extraction on ${CASES.length} realistic outputs`, () => {
  assert.ok(CASES.length >= 60);
  const gsm8k = getTask('gsm8k');
  const wrong = CASES.filter(([output, expected]) => gsm8k.extractAnswer(output) !== expected).map(([output, expected]) => ({
    output,
    expected,
    got: gsm8k.extractAnswer(output),
  }));
  assert.deepEqual(wrong, []);
});

test('SVAMP extracts numbers the same way as GSM8K', () => {
  const svamp = getTask('svamp');
  assert.equal(svamp.extractAnswer('Answer: Julia played with 14 kids, so 30 in total'), '30');
  assert.equal(svamp.extractAnswer('**Answer: 88 watches**'), '88');
});

test('numbers are graded as numbers: whole numbers exactly, others within 1e-6 relative', () => {
  const gsm8k = getTask('gsm8k');
  assert.equal(gsm8k.isCorrect('1080', '1,080'), true);
  assert.equal(gsm8k.isCorrect('145', '145.0'), true);
  assert.equal(gsm8k.isCorrect('0.3333333', '0.33333333333'), true);
  // Off by one is wrong however large the number (the relative tolerance once let this pass).
  assert.equal(gsm8k.isCorrect('1000001', '1000000'), false);
  assert.equal(gsm8k.isCorrect('1363294', '1363293'), false);
  assert.equal(gsm8k.isCorrect('1000000.0000001', '1000000'), true);
  assert.equal(gsm8k.isCorrect('1000010', '1000000'), false);
  assert.equal(gsm8k.isCorrect('0.75', '3/4'), true);
  assert.equal(gsm8k.isCorrect('-3', '3'), false);
  assert.equal(gsm8k.isCorrect('$18', '18'), true);
  assert.equal(gsm8k.isCorrect(null, '18'), false);
  assert.equal(gsm8k.isCorrect('eighteen', '18'), false);
  assert.equal(gsm8k.isCorrect(gsm8k.extractAnswer('The answer is 0.1 + 0.2 = 0.30000000000000004'), '0.3'), true);
});

test('canonical numbers: plain decimals without trailing zeros or exponents', () => {
  const gsm8k = getTask('gsm8k');
  assert.equal(gsm8k.extractAnswer('The answer is 1000000000000000000000.'), '1000000000000000000000');
  assert.equal(gsm8k.extractAnswer('The answer is 0.0000001'), '0.0000001');
  assert.equal(gsm8k.extractAnswer('The answer is -0'), '0');
});
