import test from 'node:test';
import assert from 'node:assert/strict';
import { gradeAnswer, rationaleAnswer } from '../../../src/core/tasks/grade.ts';

test('gradeAnswer: the task extracts the final answer and compares it with gold; nothing extracted is wrong', () => {
  assert.deepEqual(gradeAnswer({ task: 'gsm8k', goldAnswer: '1234' }, 'She pays 1,000 + 234 = 1,234 dollars.\n#### 1,234'), {
    extractedAnswer: '1234',
    correct: true,
  });
  assert.deepEqual(gradeAnswer({ task: 'svamp', goldAnswer: '7' }, 'So the answer is 8.'), { extractedAnswer: '8', correct: false });
  assert.deepEqual(gradeAnswer({ task: 'strategyqa', goldAnswer: 'yes' }, 'I cannot tell.'), { extractedAnswer: null, correct: false });
});

test('gradeAnswer: multiple choice reads the problem options, so an option quoted by its text counts', () => {
  const problem = { task: 'jsonl' as const, goldAnswer: 'B', options: ['a carrot', 'an apple'] };
  const graded = gradeAnswer(problem, 'The answer is: an apple');
  assert.deepEqual(graded, { extractedAnswer: 'B', correct: true });
});

test('rationaleAnswer: a stored grade wins unless the text was edited; an ungraded text is graded now', () => {
  const problem = { task: 'gsm8k' as const, goldAnswer: '12' };
  const stored = { text: 'The answer is 13.', extractedAnswer: '12', correct: true };
  assert.deepEqual(rationaleAnswer(problem, stored, null), { extracted: '12', reachesGold: true });
  assert.deepEqual(rationaleAnswer(problem, stored, 'So it is 14.'), { extracted: '14', reachesGold: false });
  assert.deepEqual(rationaleAnswer(problem, { ...stored, extractedAnswer: null, correct: null }, null), { extracted: '13', reachesGold: false });
  assert.deepEqual(rationaleAnswer(problem, { text: 'no number here', extractedAnswer: null, correct: null }, null), { extracted: null, reachesGold: false });
});
