import test from 'node:test';
import assert from 'node:assert/strict';
import { getTask } from '../../../src/core/tasks/index.ts';

/** Realistic yes/no answers as chat models write them, and the verdict each one states. */
const CASES: readonly [string, 'yes' | 'no' | null][] = [
  ['Yes.', 'yes'],
  ['No.', 'no'],
  ['Yes', 'yes'],
  ['no', 'no'],
  ['Yes, Genghis Khan had far more descendants than Julius Caesar.', 'yes'],
  ['No, the cuisine of Hawaii relies heavily on pork and fish.', 'no'],
  ['Yes. Frost is common in December, when some commencements happen.', 'yes'],
  ['No it is not; hydrogen has atomic number 1, and 1 squared is 1, fewer than 5 Spice Girls.', 'no'],
  ['Yes because the Albany in Georgia is smaller.', 'yes'],
  ['**Yes**\n\nThe Police was a band, and its members were not police officers.', 'yes'],
  ['True. The Eiffel Tower is made of wrought iron.', 'yes'],
  ['False. Penguins live in the southern hemisphere.', 'no'],
  ['Answer: False\n\nExplanation: Southwest Airlines does not operate bulk carriers.', 'no'],
  ["\nAnswer: True\n\nExplanation: Sainsbury's is a British supermarket.", 'yes'],
  ['The answer is no.', 'no'],
  ['So the answer is yes.', 'yes'],
  ['Hydrogen has atomic number 1. 1 squared is 1. There are 5 Spice Girls. 1 is less than 5. So the answer is no.', 'no'],
  ["Let's think step by step. Frost occurs below 0°C. December commencements happen in winter. Thus, yes.", 'yes'],
  ['Therefore, no.', 'no'],
  ['Therefore, the answer is: **No**', 'no'],
  ['Final answer: yes', 'yes'],
  ['Final Answer: NO', 'no'],
  ['#### yes', 'yes'],
  ['The final answer is \\boxed{\\text{No}}.', 'no'],
  ['\\boxed{yes}', 'yes'],
  ['True or False: Muslims believe Seraphim are angels.\n\nExplanation: The Seraphim appear in Christian texts.', null],
  ['Please answer: True or False\n\nThen, explain your reasoning.', null],
  ["Yes or no: could a llama birth twice during the War in Vietnam?\nA llama's gestation is 11 months and the war lasted 19 years. So yes.", 'yes'],
  ['Hint: Think about the language barrier between the two cities.', null],
  ['I will give you some reasons why a pound sterling might be valuable:\n1. It is stable.', null],
  ['No one in history has ever lived 200 years. Therefore, the answer is no.', 'no'],
  ['No evidence suggests Zorro carved his name. In conclusion, no.', 'no'],
  ['There is no way a person could survive that fall. So the answer is no.', 'no'],
  ['The answer is not yes but no.', 'no'],
  ['Answer: It is not true that the Dalai Lama was canonised.', 'no'],
  ['The statement is false because Nancy Pelosi supports abortion rights.', 'no'],
  ['After considering the evidence, I believe this is true.', 'yes'],
  ['Based on the facts, the claim is true.', 'yes'],
  ['My answer: False.', 'no'],
  ['I believe the answer is false. Geographers rarely use biochemistry.', 'no'],
  ['The answer would be yes, since pumpkins are grown in October.', 'yes'],
  ['Step 1: Canada has 10 provinces.\nStep 2: That is fewer than 50 states.\n\nNo', 'no'],
  ['Reasoning: pigs cannot fly.\n\nFinal verdict:\nNo.', 'no'],
  ['**Answer:** Yes, a snowy owl could survive briefly.', 'yes'],
  ['**Answer: No**', 'no'],
  ['Answer:\n\nYes', 'yes'],
  ['Short answer: yes. Long answer: it depends on the season.', 'yes'],
  ['A: Yes', 'yes'],
  ['Yes! Dolphins are highly intelligent.', 'yes'],
  ['Nope, that would not happen.', null],
  ['It depends on the context.', null],
  ['', null],
  ['Overall, yes: the Rush Limbaugh Show ran longer.', 'yes'],
  ['In summary, no.', 'no'],
  ['Hence, true.', 'yes'],
  ['The Police were a rock band. Their members were musicians, not officers, so they could not make lawful arrests.\nSo the answer is no.', 'no'],
  ['Answer: Yes.\nExplanation: The New Testament was written in Greek.\nHowever, there is no mention of thetans.', 'yes'],
  ['The answer is yes. Wait, that is wrong: the answer is no.', 'no'],
  ['Is the claim correct? Yes or no? Let me check. Jupiter is larger than Earth. So yes.', 'yes'],
  ['(yes)', 'yes'],
  ['TRUE', 'yes'],
  ['"No."', 'no'],
  ['The answer: no', 'no'],
  ['Answer = True', 'yes'],
];

test(`yes/no extraction on ${CASES.length} realistic outputs`, () => {
  assert.ok(CASES.length >= 60);
  const strategyqa = getTask('strategyqa');
  const wrong = CASES.filter(([output, expected]) => strategyqa.extractAnswer(output) !== expected).map(([output, expected]) => ({
    output,
    expected,
    got: strategyqa.extractAnswer(output),
  }));
  assert.deepEqual(wrong, []);
});

test('yes/no grading accepts true/false for yes/no, and nothing for an unclear answer', () => {
  const strategyqa = getTask('strategyqa');
  assert.equal(strategyqa.isCorrect('yes', 'yes'), true);
  assert.equal(strategyqa.isCorrect('yes', 'true'), true);
  assert.equal(strategyqa.isCorrect('no', 'False'), true);
  assert.equal(strategyqa.isCorrect('no', 'yes'), false);
  assert.equal(strategyqa.isCorrect(null, 'no'), false);
  assert.equal(strategyqa.isCorrect('maybe', 'no'), false);
});
