import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { getTask } from '../../../src/core/tasks/index.ts';
import { canonicalAnswer } from '../../../src/core/tasks/answer.ts';
import { sharedData } from '../helpers.ts';

/**
 * The MAPD release's student mistakes: Llama-2-7b-chat's raw outputs with the final answer the
 * paper's code extracted ("absolute_wrong_final_ans" where it found none). Its extractor takes the
 * last number (SVAMP) or the first true/false word, even in "True or False: <claim>" (StrategyQA);
 * ours prefers explicit answer markers, so the two agree on most but not all outputs.
 */
interface ReleaseRow {
  id: number;
  gold_answer: string;
  student_wrong_pred: string;
  student_wrong_final_answer: string;
}

function readRelease(name: string): ReleaseRow[] {
  return JSON.parse(fs.readFileSync(sharedData('mapd_release', name), 'utf8')) as ReleaseRow[];
}

function papersAnswer(row: ReleaseRow, kind: 'number' | 'yesno'): string | null {
  return /^absolute_wrong_final_ans$/i.test(row.student_wrong_final_answer) ? null : canonicalAnswer(kind, row.student_wrong_final_answer);
}

test("SVAMP release: our extraction against the paper's on 387 student mistakes", (t) => {
  const rows = readRelease('Llama-2-7b-chat-hf_svamp_false_round0.json');
  assert.equal(rows.length, 387);
  const svamp = getTask('svamp');
  const ours = rows.map((r) => svamp.extractAnswer(r.student_wrong_pred));
  const agree = rows.filter((r, i) => ours[i] === papersAnswer(r, 'number')).length;
  const gradedWrong = rows.filter((r, i) => !svamp.isCorrect(ours[i]!, r.gold_answer)).length;
  t.diagnostic(`SVAMP agreement with the paper's extracted answers: ${agree}/387 = ${((100 * agree) / 387).toFixed(1)}%`);
  t.diagnostic(`SVAMP graded wrong against gold by our extraction: ${gradedWrong}/387`);
  assert.ok(agree / rows.length >= 0.68, `agreement ${agree}/387`);
  // Where both extractors agree, the answer is a real mistake: graded wrong against gold.
  rows.forEach((r, i) => {
    if (ours[i] === papersAnswer(r, 'number')) assert.equal(svamp.isCorrect(ours[i]!, r.gold_answer), false, `row ${r.id}`);
  });
  // Not every "mistake" is one: where the output states the right answer after "Answer:" and the
  // paper took a later number, ours grades it right. Each such row starts with an answer marker.
  const right = rows.filter((r, i) => svamp.isCorrect(ours[i]!, r.gold_answer));
  assert.equal(right.length, 387 - gradedWrong);
  assert.ok(right.every((r) => /^\s*Answer:/i.test(r.student_wrong_pred)));
  assert.ok(gradedWrong >= 355, `graded wrong ${gradedWrong}/387`);
  // The paper found no answer in exactly the empty outputs; so do we.
  rows.forEach((r, i) => assert.equal(papersAnswer(r, 'number') === null, ours[i] === null, `row ${r.id}`));
});

test("StrategyQA release: our extraction against the paper's on 825 student mistakes", (t) => {
  const rows = readRelease('Llama-2-7b-chat-hf_strategyQA_false_round0.json');
  assert.equal(rows.length, 825);
  const strategyqa = getTask('strategyqa');
  const ours = rows.map((r) => strategyqa.extractAnswer(r.student_wrong_pred));
  const agree = rows.filter((r, i) => ours[i] === papersAnswer(r, 'yesno')).length;
  const golds = rows.map((r) => canonicalAnswer('yesno', r.gold_answer.split(/[.\t]/)[0]!));
  assert.ok(golds.every((g) => g !== null));
  const gradedWrong = rows.filter((_, i) => !strategyqa.isCorrect(ours[i]!, golds[i]!)).length;
  const noneFound = ours.filter((o) => o === null).length;
  t.diagnostic(`StrategyQA agreement with the paper's extracted answers: ${agree}/825 = ${((100 * agree) / 825).toFixed(1)}%`);
  t.diagnostic(`StrategyQA graded wrong against gold by our extraction: ${gradedWrong}/825 (no verdict found: ${noneFound})`);
  assert.ok(agree / rows.length >= 0.8, `agreement ${agree}/825`);
  assert.ok(gradedWrong >= 780, `graded wrong ${gradedWrong}/825`);
  // Where the paper found a verdict and we found none, the output only restates the claim
  // ("True or False: …") or gives a hint: no verdict of its own.
  rows.forEach((r, i) => {
    if (ours[i] === null && papersAnswer(r, 'yesno') !== null) {
      const withoutPrompt = r.student_wrong_pred.replace(/\b(?:true or false|yes or no)\b/gi, '');
      assert.ok(!/\banswer\s*(?:is|:)\s*(?:yes|no|true|false)\b/i.test(withoutPrompt), `row ${r.id}`);
    }
  });
});
