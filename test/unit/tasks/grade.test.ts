import test from 'node:test';
import assert from 'node:assert/strict';
import { gradeAnswer } from '../../../src/core/tasks/grade.ts';
import { taskGrader } from '../../../src/core/curation/taskGrader.ts';
import { defaultGrader } from '../../../src/core/export/grader.ts';

test('gradeAnswer: the task extracts the final answer and compares it with gold; nothing extracted is wrong', () => {
  assert.deepEqual(gradeAnswer({ task: 'gsm8k', goldAnswer: '1234' }, 'She pays 1,000 + 234 = 1,234 dollars.\n#### 1,234'), { extractedAnswer: '1234', correct: true });
  assert.deepEqual(gradeAnswer({ task: 'svamp', goldAnswer: '7' }, 'So the answer is 8.'), { extractedAnswer: '8', correct: false });
  assert.deepEqual(gradeAnswer({ task: 'strategyqa', goldAnswer: 'yes' }, 'I cannot tell.'), { extractedAnswer: null, correct: false });
});

test('gradeAnswer: multiple choice reads the problem options, so an option quoted by its text counts', () => {
  const problem = { task: 'jsonl' as const, goldAnswer: 'B', options: ['a carrot', 'an apple'] };
  const graded = gradeAnswer(problem, 'The answer is: an apple');
  assert.deepEqual(graded, { extractedAnswer: 'B', correct: true });
});

test('the curation and export graders are the same grading under their own field names', () => {
  const problem = { id: 1, task: 'gsm8k' as const, split: 'test', sourceId: '0', question: 'q', goldAnswer: '12', sourceLine: 1 };
  for (const text of ['#### 12', 'The answer is 13.', 'no number here']) {
    const { extractedAnswer, correct } = gradeAnswer(problem, text);
    assert.deepEqual(taskGrader(problem, text), { extracted: extractedAnswer, reachesGold: correct });
    assert.deepEqual(defaultGrader(problem, text), { extracted: extractedAnswer, consistent: correct });
  }
});
