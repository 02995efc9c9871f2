import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { checkSteps, firstWrongStep, readLatex } from '../../../src/core/steps/steps.ts';
import { sharedData } from '../helpers.ts';

const verdicts = (text: string): [string, boolean][] => checkSteps(text).map((s) => [`${s.expression} = ${s.statedText}`, s.ok]);

test('steps as people write them: operators, chains, money, thousands, percent, LaTeX', () => {
  assert.deepEqual(verdicts('Natalia sold 48/2 = 24 clips, so 48+24 = 72 in all.'), [
    ['48/2 = 24', true],
    ['48+24 = 72', true],
  ]);
  assert.deepEqual(verdicts('40 x 2 = 70 pages'), [['40 x 2 = 70', false]]);
  assert.deepEqual(verdicts('100 - 50 - 30 - 15 = 5 more'), [['100 - 50 - 30 - 15 = 5', true]]);
  assert.deepEqual(verdicts('She pays $1,240 / 4 = $310 each, and 3 × $310 = $930.'), [
    ['$1,240 / 4 = $310', true],
    ['3 × $310 = $930', true],
  ]);
  assert.deepEqual(verdicts('25% of 80 = 20, and 1/2 = 50%, and 100% - 80% = 20% left'), [
    ['25% of 80 = 20', true],
    ['1/2 = 50%', true],
    ['100% - 80% = 20%', true],
  ]);
  assert.deepEqual(verdicts('10/3 = 3.33 each, not 10/3 = 3.3333 or 10/3 = 3.4'), [
    ['10/3 = 3.33', true],
    ['10/3 = 3.3333', true],
    ['10/3 = 3.4', false],
  ]);
  assert.deepEqual(verdicts('So $\\frac{48}{2} = 24$ and $6 \\times 7 = 41$ and $9 \\div 3 = 3$.'), [
    ['(48)/(2) = 24', true],
    ['6 × 7 = 41', false],
    ['9 ÷ 3 = 3', true],
  ]);
  assert.deepEqual(verdicts('(3 + 4) * 2 = 14 and 3 + 4 * 2 = 14'), [
    ['(3 + 4) * 2 = 14', true],
    ['3 + 4 * 2 = 14', false],
  ]);
  assert.equal(readLatex('\\frac{1}{\\frac{2}{4}}'), '(1)/((2)/(4))');
});

test('what is not a step is left alone (precision before recall)', () => {
  for (const text of [
    'x = 5, so 2x + 3 = 13',
    '3x-5=16',
    'It is 5 apples + 3 apples = 8 apples',
    'She will eat 2 + 1/2 = 2 1/2 pieces',
    '17/3 = 5 and 2/3 laps',
    '10 / 3 = 3 remainder 1',
    '3 / 1/4 = 12 quarters',
    '0900-0130 = 0730 hours',
    'On 12/25 = Christmas',
    'he used 600 x 30 = 18 000 watts',
    'so 8/3 = 24/Y',
    '3*30 = 30 + M trees',
    'about 10/3 ≈ 3',
  ])
    assert.deepEqual(
      verdicts(text).filter(([, ok]) => !ok),
      [],
      text,
    );
});

/** Every "a op b = c" of GSM8K train's human solutions: the <<…>> annotations are calculator-checked ground truth. */
function gsm8kTrain(): { answer: string }[] {
  return fs
    .readFileSync(sharedData('gsm8k', 'train.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { answer: string });
}

test('GSM8K train: no false alarm on the 23,716 calculator annotations', () => {
  let checked = 0;
  const alarms: string[] = [];
  for (const row of gsm8kTrain()) {
    for (const m of row.answer.matchAll(/<<([^>]*)>>/g)) {
      const steps = checkSteps((m[1] as string).replace('=', ' = '));
      checked += steps.length;
      for (const s of steps) if (!s.ok) alarms.push(m[1] as string);
    }
  }
  assert.deepEqual(alarms, []);
  assert.ok(checked >= 23_300, `${checked} annotations read as steps`);
});

test('GSM8K train prose: every flagged step is an arithmetic error the human wrote (pinned, checked by hand)', () => {
  let steps = 0;
  const flagged: string[] = [];
  for (const row of gsm8kTrain()) {
    for (const s of checkSteps(row.answer.replace(/<<[^>]*>>/g, ''))) {
      steps++;
      if (!s.ok) flagged.push(`${s.expression} = ${s.statedText}`);
    }
  }
  assert.ok(steps >= 17_000, `${steps} prose steps`);
  // Each is wrong as written (e.g. 192*100 is 19200; the annotation beside it says 192*10=1920).
  assert.deepEqual(flagged, [
    '192*100 = $1920',
    '6*2.5 = $18.00',
    '6/3 = .5',
    '4000 + 2040 = 6120',
    '3/1 = 1',
    '100 * 0.75 = $0.75',
    '8*3 = 240',
    '$4200+$3000 = $8600',
    '10 x .5 = 10',
    '2*8 = 24',
    '200*.55 = 100',
    '5 x 1/2 = 10',
    '1 * 2 = 20',
    '7+9+1+2 = $19.50',
    '10 x 1,248 = 11,480',
    '2 / 12 = .125',
    '3 x (8/16) = 6',
    '50-8 = 44',
    '1152/ 1,536 = .5',
    '14*20 = 140',
  ]);
});

test("the SVAMP release: the student's first wrong step, where its mistake is arithmetic", () => {
  const rows = JSON.parse(fs.readFileSync(sharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_false_round0.json'), 'utf8')) as {
    id: number;
    student_wrong_pred: string;
  }[];
  const found = rows.map((r) => [r.id, firstWrongStep(r.student_wrong_pred)] as const).filter(([, s]) => s !== undefined);
  assert.equal(rows.length, 387);
  assert.equal(found.length, 21, 'of 387 mistakes, 21 have a wrong arithmetic step (most are reasoning errors)');
  const byId = new Map(found.map(([id, s]) => [id, s]));
  assert.deepEqual([byId.get(104)?.expression, byId.get(104)?.statedText, byId.get(104)?.computed], ['4 x 86', '352', 344]);
  assert.deepEqual([byId.get(253)?.expression, byId.get(253)?.computed], ['2 - 4', -2]);
  assert.equal(byId.get(666)?.computed, 1538910);
});
