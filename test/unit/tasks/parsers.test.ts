import test from 'node:test';
import assert from 'node:assert/strict';
import { getTask, guessTask } from '../../../src/core/tasks/index.ts';
import type { ParsedProblems } from '../../../src/core/tasks/index.ts';
import { sharedData } from '../helpers.ts';

function parse(task: string, ...file: string[]): ParsedProblems {
  return getTask(task).parseFile(sharedData(...file));
}

function ids(parsed: ParsedProblems): Set<string> {
  return new Set(parsed.problems.map((p) => p.sourceId));
}

test('GSM8K train and test: 7,473 / 1,319, gold after ####, rationale without calculator notes', () => {
  const train = parse('gsm8k', 'gsm8k', 'train.jsonl');
  const testSplit = parse('gsm8k', 'gsm8k', 'test.jsonl');
  assert.equal(train.problems.length, 7473);
  assert.equal(testSplit.problems.length, 1319);
  assert.equal(train.split, 'train');
  assert.equal(testSplit.split, 'test');
  assert.deepEqual(train.skipped, []);
  const first = train.problems[0]!;
  assert.equal(first.sourceId, '0');
  assert.equal(first.sourceLine, 1);
  assert.equal(first.goldAnswer, '72');
  assert.match(first.question, /^Natalia sold clips to 48 of her friends in April/);
  assert.equal(first.goldRationale, 'Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48+24 = 72 clips altogether in April and May.');
  assert.ok(train.problems.every((p) => !p.goldRationale?.includes('<<')));
  // Golds with thousands commas become plain numbers.
  assert.ok(train.problems.some((p) => p.goldAnswer === '1080'));
  assert.ok(train.problems.every((p) => /^-?\d+(\.\d+)?$/.test(p.goldAnswer)));
  const last = testSplit.problems[1318]!;
  assert.equal(last.sourceId, '1318');
  assert.equal(last.sourceLine, 1319);
  assert.equal(ids(train).size, 7473);
});

test('SVAMP.json 1,000 and the ChilleD split 700 / 100 / 200: Body + " " + Question, Equation as rationale', () => {
  const all = parse('svamp', 'svamp', 'SVAMP.json');
  assert.equal(all.problems.length, 1000);
  assert.deepEqual(all.problems[0], {
    sourceId: 'chal-1',
    question: 'Each pack of dvds costs 76 dollars. If there is a discount of 25 dollars on each pack How much do you have to pay to buy each pack?',
    goldAnswer: '51',
    goldRationale: '( 76.0 - 25.0 )',
    sourceLine: 2,
  });
  // Each element of the pretty-printed array starts 9 lines after the previous one.
  assert.equal(all.problems[1]!.sourceLine, 10);
  const train = parse('svamp', 'svamp', 'chilled_split', 'train.json');
  const dev = parse('svamp', 'svamp', 'chilled_split', 'dev.json');
  const testSplit = parse('svamp', 'svamp', 'chilled_split', 'test.json');
  assert.deepEqual([train.problems.length, dev.problems.length, testSplit.problems.length], [700, 100, 200]);
  assert.deepEqual([train.split, dev.split, testSplit.split], ['train', 'dev', 'test']);
  assert.equal(train.problems[0]!.sourceId, 'chal-777');
  assert.equal(train.problems[0]!.goldAnswer, '145');
  assert.match(train.problems[0]!.question, /organized into 93 groups How big is each group of bananas\?$/);
  const union = new Set([...ids(train), ...ids(dev), ...ids(testSplit)]);
  assert.deepEqual(union, ids(all));
});

test('StrategyQA in all three shapes: ChilleD 1,603 / 687, train.json 2,061, dev.json 229, task.json 2,290', () => {
  const chilledTrain = parse('strategyqa', 'strategyqa', 'chilled_split', 'train.json');
  const chilledTest = parse('strategyqa', 'strategyqa', 'chilled_split', 'test.json');
  assert.equal(chilledTrain.problems.length, 1603);
  assert.equal(chilledTest.problems.length, 687);
  assert.deepEqual(chilledTrain.problems[0], {
    sourceId: 'train-00000',
    question: 'Is Mixed martial arts totally original from Roman Colosseum games?',
    goldAnswer: 'no',
    sourceLine: 1,
  });

  const original = parse('strategyqa', 'strategyqa', 'train.json');
  const dev = parse('strategyqa', 'strategyqa', 'dev.json');
  assert.equal(original.problems.length, 2061);
  assert.equal(dev.problems.length, 229);
  const genghis = original.problems[0]!;
  assert.equal(genghis.sourceId, '2bc9c4f9c19c167187f2');
  assert.equal(genghis.goldAnswer, 'yes');
  assert.equal(genghis.sourceLine, 2);
  assert.match(genghis.goldRationale!, /^Julius Caesar had three children\. Genghis Khan had sixteen children\./);

  const bigBench = parse('strategyqa', 'strategyqa', 'task.json');
  assert.equal(bigBench.problems.length, 2290);
  assert.deepEqual(bigBench.problems[0], {
    sourceId: '0',
    question: 'Is it common to see frost during some college commencements?',
    goldAnswer: 'yes',
    goldRationale:
      "College commencement ceremonies often happen during the months of December, May, and sometimes June.  Frost isn't uncommon to see during the month of December, as it is the winter.",
    sourceLine: bigBench.problems[0]!.sourceLine,
  });
  assert.equal(bigBench.problems[1]!.goldAnswer, 'no');
  assert.ok(bigBench.problems[0]!.sourceLine! > 10, 'the line of the first example inside "examples"');
  const yes = bigBench.problems.filter((p) => p.goldAnswer === 'yes').length;
  assert.deepEqual([yes, 2290 - yes], [1071, 1219]);

  // The same 2,290 labelled questions, with the same labels, in all three copies.
  const byQuestion = new Map([...original.problems, ...dev.problems].map((p) => [p.question, p.goldAnswer]));
  assert.ok([...chilledTrain.problems, ...chilledTest.problems].every((p) => byQuestion.get(p.question) === p.goldAnswer));
  assert.ok(bigBench.problems.every((p) => byQuestion.get(p.question) === p.goldAnswer));
});

test('LogiQA v1 Eval / Test 651 / 651, and LogiQA 2.0 dev / test / ood 1,569 / 1,572 / 575', () => {
  const evalSplit = parse('logiqa', 'logiqa', 'Eval.txt');
  const testSplit = parse('logiqa', 'logiqa', 'Test.txt');
  assert.equal(evalSplit.problems.length, 651);
  assert.equal(testSplit.problems.length, 651);
  assert.equal(evalSplit.split, 'eval');
  const first = evalSplit.problems[0]!;
  assert.equal(first.sourceId, '0');
  assert.equal(first.sourceLine, 2);
  assert.equal(first.goldAnswer, 'A');
  assert.match(first.context!, /^Black Americans are twice as likely to suffer from hypertension/);
  assert.match(first.question, /^The following conclusions about contemporary westernized African blacks/);
  assert.equal(first.options!.length, 4);
  assert.match(first.options![0]!, /^The blood pressure of the descendants of Senegalese/);
  assert.match(first.options![3]!, /^The blood pressure of Yoruba people/);
  assert.equal(evalSplit.problems[650]!.sourceLine, 650 * 8 + 2);
  assert.ok([...evalSplit.problems, ...testSplit.problems].every((p) => p.options!.length === 4 && /^[A-D]$/.test(p.goldAnswer)));
  // Options written "A No dangshen" (no dot) lose their letter too.
  assert.ok(testSplit.problems.some((p) => p.options![0] === 'No dangshen'));

  const dev = parse('logiqa', 'logiqa2', 'dev.txt');
  const test2 = parse('logiqa', 'logiqa2', 'test.txt');
  const ood = parse('logiqa', 'logiqa2', 'ood_test.jsonl');
  assert.deepEqual([dev.problems.length, test2.problems.length, ood.problems.length], [1569, 1572, 575]);
  assert.deepEqual([dev.split, test2.split, ood.split], ['dev', 'test', 'ood_test']);
  const jupiter = dev.problems[0]!;
  assert.equal(jupiter.sourceId, '218');
  assert.equal(jupiter.goldAnswer, 'D');
  assert.match(jupiter.context!, /^Jupiter is a gas giant planet/);
  assert.equal(jupiter.options![3], 'The satellite and the planets around it were formed from the same gas and dust at the same time.');
  // The published files give two different questions the same id six times; both are kept.
  assert.equal(ids(dev).size, 1569);
  assert.ok(ids(dev).has('10882') && ids(dev).has('10882#2'));
  assert.equal(dev.problems.find((p) => p.sourceId === '10882#2')!.sourceLine, 1076);
  assert.equal(ids(test2).size, 1572);
});

test('CommonsenseQA train / dev 9,741 / 1,221 with five options; the unlabelled test split is refused', () => {
  const train = parse('commonsenseqa', 'commonsenseqa', 'train_rand_split.jsonl');
  const dev = parse('commonsenseqa', 'commonsenseqa', 'dev_rand_split.jsonl');
  assert.equal(train.problems.length, 9741);
  assert.equal(dev.problems.length, 1221);
  assert.deepEqual(train.problems[0], {
    sourceId: '075e483d21c29a511267ef62bedc0461',
    question: 'The sanctions against the school were a punishing blow, and they seemed to what the efforts the school had made to change?',
    options: ['ignore', 'enforce', 'authoritarian', 'yell at', 'avoid'],
    goldAnswer: 'A',
    sourceLine: 1,
  });
  assert.ok(train.problems.every((p) => p.options!.length === 5));
  const file = sharedData('commonsenseqa', 'test_rand_split_no_answers.jsonl');
  assert.throws(() => getTask('commonsenseqa').parseFile(file), {
    message: `${file}: no record has a gold answer (field "answerKey"): this looks like an unlabelled test split. Import train_rand_split.jsonl or dev_rand_split.jsonl: the test split's answers are not published`,
  });
});

test('ARC: Easy train 2,251 (JSON array), Challenge train 1,056 (JSON Lines); "1".."4" labels become letters', () => {
  const easy = parse('arc', 'arc_easy', 'train.json');
  const challenge = parse('arc', 'arc_challenge', 'train.jsonl');
  assert.equal(easy.problems.length, 2251);
  assert.equal(challenge.problems.length, 1056);
  assert.deepEqual(easy.problems[0], {
    sourceId: 'Mercury_7220990',
    question: 'Which factor will most likely cause a person to develop a fever?',
    options: [
      'a leg muscle relaxing after exercise',
      'a bacterial population in the bloodstream',
      'several viral particles on the skin',
      'carbohydrates being digested in the stomach',
    ],
    goldAnswer: 'B',
    sourceLine: 2,
  });
  assert.equal(challenge.problems[0]!.sourceId, 'Mercury_SC_415702');
  assert.equal(challenge.problems[0]!.goldAnswer, 'A');
  assert.ok([...easy.problems, ...challenge.problems].every((p) => /^[A-E]$/.test(p.goldAnswer) && p.goldAnswer.charCodeAt(0) - 65 < p.options!.length));
  // 102 Easy questions label their choices 1..4 in the file; answer "3" is the third option, C.
  const numbered = easy.problems.find((p) => p.sourceId === 'NYSEDREGENTS_2006_8_10')!;
  assert.equal(numbered.goldAnswer, 'C');
  assert.deepEqual(numbered.options!.slice(0, 2), ['their color', 'their shape']);
  const sizes = new Set(easy.problems.map((p) => p.options!.length));
  assert.deepEqual([...sizes].sort(), [3, 4, 5]);
});

test('guessTask names the task of every real dataset file, by its name or its records', () => {
  const cases: [string[], string][] = [
    [['gsm8k', 'train.jsonl'], 'gsm8k'],
    [['svamp', 'chilled_split', 'dev.json'], 'svamp'],
    [['strategyqa', 'task.json'], 'strategyqa'],
    [['logiqa', 'Eval.txt'], 'logiqa'],
    [['logiqa2', 'ood_test.jsonl'], 'logiqa'],
    [['commonsenseqa', 'dev_rand_split.jsonl'], 'commonsenseqa'],
    [['arc_easy', 'test.json'], 'arc'],
    [['arc_challenge', 'test.jsonl'], 'arc'],
  ];
  for (const [parts, task] of cases) assert.equal(guessTask(sharedData(...parts)), task, parts.join('/'));
});
