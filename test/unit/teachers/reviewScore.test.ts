import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReviewScore, verdictCanChange, PAPER_RULE } from '../../../src/core/ranking.ts';

test('parseReviewScore reads the usual ways reviewers state a score', () => {
  const cases: [string, number][] = [
    ['The solution is right. [4]', 4],
    ['Overall 4/5.', 4],
    ['Score: 4', 4],
    ['score = 2', 2],
    ['I would give it a 4.', 4],
    ["I'd rate this solution 3 because it skips a step.", 3],
    ['**Rating:** 4 out of 5', 4],
    ['**Score**: 5', 5],
    ['5', 5],
    ['The rating is 1.', 1],
    ['Score: 4/5', 4],
    ['The solution computes 290 / 2 = 145 correctly. Score: 5', 5],
    ['It divides 87/93 and rounds. I would give it a 2', 2],
  ];
  for (const [text, expected] of cases) assert.equal(parseReviewScore(text), expected, text);
});

test('parseReviewScore refuses ambiguity, other scales and out-of-scale values', () => {
  const refused = [
    'I would give it a 4. Score: 3',
    'Score: 7',
    '8/10',
    'Rating: 0',
    'A good solution overall.',
    '',
    'Score: N',
    'Rate it on a scale of 1 to 5: somewhere between [3] and [4]',
  ];
  for (const text of refused) assert.equal(parseReviewScore(text), null, text);
});

test('parseReviewScore honours a configured scale', () => {
  assert.equal(parseReviewScore('Score: 8', { min: 1, max: 10 }), 8);
  assert.equal(parseReviewScore('8/10', { min: 1, max: 10 }), 8);
  assert.equal(parseReviewScore('4/5', { min: 1, max: 10 }), null);
});

test('verdictCanChange: a low first score makes the second review moot under the paper rule', () => {
  assert.equal(verdictCanChange([2], 1, PAPER_RULE), true);
  assert.equal(verdictCanChange([1], 1, PAPER_RULE), false);
  assert.equal(verdictCanChange([5], 1, PAPER_RULE), true);
  assert.equal(verdictCanChange([], 2, PAPER_RULE), true);
  assert.equal(verdictCanChange([null], 1, PAPER_RULE), true);
  assert.equal(verdictCanChange([5, 5], 0, PAPER_RULE), false);
});
