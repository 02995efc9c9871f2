import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openStore } from '../../../src/core/store/db.ts';
import { curationState } from '../../../src/core/store/events.ts';
import { buildIndex } from '../../../src/core/curation/mistakeIndex.ts';
import { mistakeView } from '../../../src/core/curation/mistakeView.ts';
import { importTeacherOutputsFile } from '../../../src/core/import/index.ts';
import { bulkCandidates, decide, undo } from '../../../src/core/curation/decisions.ts';
import { answerMismatch } from '../../../src/core/curation/items.ts';
import { filterIndex } from '../../../src/core/curation/filters.ts';
import { EMPTY_FILTER } from '../../../src/protocol/curation.ts';
import { sharedData, tempDir } from '../helpers.ts';

const FILES = ['svamp_false', 'svamp_feedback', 'svamp_rationale'].map((name) => sharedData('mapd_release', `Llama-2-7b-chat-hf_${name}_round0.json`));

test("the paper's 387 SVAMP mistakes: ranked rationales with peer scores, mismatch flags, decisions and undo", async (t) => {
  const db = openStore(path.join(tempDir(t), 'curation.db'));
  t.after(() => db.close());
  for (const file of FILES) importTeacherOutputsFile(db, file);
  const index = buildIndex(db);
  assert.equal(index.order.length, 387);
  assert.equal(index.teachers.length, 3);

  const first = mistakeView(db, index, index.order[0]!)!;
  assert.equal(first.sourceId, 'chal-777');
  assert.equal(Number(first.goldAnswer), 145);
  assert.equal(first.student!.extractedAnswer !== null, true);
  assert.equal(first.critiques.length, 3);
  assert.equal(first.rationales.length, 3);
  for (const rationale of first.rationales) {
    assert.equal(rationale.reviews.length, 2, 'each rationale is scored by the two other teachers');
    assert.notEqual(rationale.teacherGrade, null);
  }
  // Best first, by the peers' mean score.
  const scores = first.rationales.map((r) => r.verdict.score ?? -1);
  assert.deepEqual(
    scores,
    [...scores].sort((a, b) => b - a),
  );

  // "145 ≠ 145": the release marks answers wrong that this project's extractor grades correct.
  assert.equal(first.student!.gradedCorrect, true, `${first.student!.extractedAnswer} is graded correct here`);
  const gradedCorrect = filterIndex(index, { ...EMPTY_FILTER, status: 'gradedCorrect' }).ids;
  assert.equal(gradedCorrect.length, 25, 'the 25 release mistakes graded correct here are marked and filterable');
  assert.ok(gradedCorrect.every((id) => index.byProblem.get(id)!.student.gradedCorrect));

  const mismatched = filterIndex(index, { ...EMPTY_FILTER, mismatchOnly: true }).ids;
  assert.ok(mismatched.length > 0 && mismatched.length < 387, `some but not all mistakes have a rationale that misses gold (${mismatched.length})`);
  for (const id of mismatched.slice(0, 20)) assert.ok(index.byProblem.get(id)!.rationales.some(answerMismatch));

  // The release reviews rationales only: no critique has peer scores, so the bulk action finds none there.
  assert.equal(bulkCandidates(index, 'critique').length, 0);
  assert.ok(bulkCandidates(index, 'rationale').length > 0);

  const top = mistakeView(db, index, index.order[0]!)!.rationales[0]!;
  decide(db, index, { outputId: top.outputId, action: 'edit', text: 'Each group has 290 / 2 = 7 bananas. The answer is 7.' }, 'ana');
  const edited = mistakeView(db, index, index.order[0]!)!.rationales[0]!;
  assert.equal(edited.editedGrade!.reachesGold, false, 'the edit no longer reaches gold: the panel warns');
  assert.equal(undo(db, index, 'ana')!.outputId, top.outputId);
  assert.equal(curationState(db, top.outputId).decision, 'undecided');
});
