import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../../src/core/store/db.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { allCurationStates, recordDecision, undoLastDecision } from '../../../src/core/store/events.ts';
import { exportTrainingSet } from '../../../src/core/export/export.ts';
import { reimportRecords } from '../../../src/core/decisions/reimport.ts';
import { UserError } from '../../../src/core/errors.ts';
import { insertProblems } from '../../../src/core/store/problems.ts';
import { insertOutput } from '../../../src/core/store/outputs.ts';
import { tempDir, writeFile } from '../helpers.ts';
import { seedSvampRelease } from './seed.ts';
import { CURATOR, applyScript } from './script.ts';

/** Decisions keyed by what names an output in any project, not by database id. */
function decisionsByNaturalKey(db: Db): Map<string, { decision: string; editedText: string | null; curator: string | null }> {
  const keyOf = db.prepare(`SELECT p.task || '/' || p.split || '/' || p.source_id || '/' || o.kind || '/' || o.teacher || '/' || o.sample AS key
    FROM teacher_outputs o JOIN problems p ON p.id = o.problem_id WHERE o.id = ?`);
  const result = new Map<string, { decision: string; editedText: string | null; curator: string | null }>();
  for (const [outputId, state] of allCurationStates(db)) {
    if (state.decision === 'undecided') continue;
    result.set((keyOf.get(outputId) as { key: string }).key, { decision: state.decision, editedText: state.editedText, curator: state.curator });
  }
  return result;
}

test('round trip: export the records, re-import them into a fresh project, get the same decisions', async (t) => {
  const dir = tempDir(t, 'mapd-roundtrip-');
  const source = openStore(path.join(dir, 'source.db'));
  const fresh = openStore(path.join(dir, 'fresh.db'));
  t.after(() => {
    source.close();
    fresh.close();
  });
  seedSvampRelease(source);
  applyScript(source);
  // A decision changed and one undone, so "current state" differs from "every event".
  const someOutput = (source.prepare("SELECT id FROM teacher_outputs WHERE kind = 'critique' ORDER BY id LIMIT 1 OFFSET 5").get() as { id: number }).id;
  recordDecision(source, { outputId: someOutput, action: 'reject', curator: 'bob' });
  recordDecision(source, { outputId: someOutput, action: 'accept', curator: 'bob' });
  undoLastDecision(source, 'bob');
  const records = path.join(dir, 'records.jsonl');
  const summary = await exportTrainingSet(source, { records });

  // The fresh project holds something else first, so its ids differ: re-import must match by name, not id.
  insertProblems(fresh, 'gsm8k', 'test', undefined, [{ sourceId: 'x', question: 'What is 2 + 2?', goldAnswer: '4' }]);
  insertOutput(fresh, { problemId: 1, kind: 'rationale', teacher: 'gpt-3.5-turbo', text: '2 + 2 = 4. The answer is 4.', source: 'test' });
  seedSvampRelease(fresh);
  assert.notEqual(
    (fresh.prepare('SELECT MIN(id) AS id FROM teacher_outputs WHERE problem_id > 1').get() as { id: number }).id,
    (source.prepare('SELECT MIN(id) AS id FROM teacher_outputs').get() as { id: number }).id,
  );
  const result = reimportRecords(fresh, records);
  const expected = decisionsByNaturalKey(source);
  assert.equal(result.records, summary.counts.records);
  assert.equal(result.applied, expected.size);
  assert.equal(result.unchanged, 0);
  assert.deepEqual(result.missing, []);
  assert.deepEqual(result.conflicts, []);
  assert.deepEqual(decisionsByNaturalKey(fresh), expected);
  assert.ok([...expected.values()].some((d) => d.curator === 'bob') && [...expected.values()].some((d) => d.curator === CURATOR));

  // Re-importing again changes nothing; one undo takes the whole re-import back.
  const again = reimportRecords(fresh, records);
  assert.equal(again.applied, 0);
  assert.equal(again.unchanged, expected.size);
  undoLastDecision(fresh, 'me');
  assert.equal(decisionsByNaturalKey(fresh).size, 0);
});

test('re-import reports outputs the project lacks and refuses a malformed line with its place', async (t) => {
  const dir = tempDir(t, 'mapd-reimport-');
  const db = openStore(path.join(dir, 'a.db'));
  t.after(() => db.close());
  seedSvampRelease(db);
  applyScript(db);
  const records = path.join(dir, 'records.jsonl');
  await exportTrainingSet(db, { records });
  const lines = fs.readFileSync(records, 'utf8').trimEnd().split('\n');

  const empty = openStore(path.join(dir, 'empty.db'));
  t.after(() => empty.close());
  const result = reimportRecords(empty, records);
  assert.equal(result.applied, 0);
  assert.equal(result.missing.length, lines.length);
  assert.match(result.missing[0]!.message, /no problem svamp\/train #chal-\d+ in this project/);

  const broken = writeFile(dir, 'broken.jsonl', `${lines[0]}\n{"format":"mapd-curation-record","version":1}\n`);
  assert.throws(
    () => reimportRecords(db, broken),
    (error: unknown) => error instanceof UserError && /broken\.jsonl:2/.test(error.message) && /provenance/.test(error.message),
  );
  const foreign = writeFile(dir, 'foreign.jsonl', '{"instruction":"x","input":"","output":"y"}\n');
  assert.throws(
    () => reimportRecords(db, foreign),
    (error: unknown) => error instanceof UserError && /foreign\.jsonl:1/.test(error.message) && /not a curation record/.test(error.message),
  );
});
