import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { inTransaction, openStore } from '../../../src/core/store/db.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/core/store/migrations.ts';
import { insertProblems, listProblems } from '../../../src/core/store/problems.ts';
import { listMistakes, upsertStudentAnswer } from '../../../src/core/store/answers.ts';
import { insertOutput, insertReview, reviewsForOutput } from '../../../src/core/store/outputs.ts';
import { allCurationStates, curationState, listEvents, recordBulkDecisions, recordDecision, undoLastDecision } from '../../../src/core/store/events.ts';
import { UserError } from '../../../src/core/errors.ts';
import { tempDir } from '../helpers.ts';

const sample = [
  { sourceId: 'a', question: 'What is 1 + 1?', goldAnswer: '2', sourceLine: 1 },
  { sourceId: 'b', question: 'What is 2 + 2?', goldAnswer: '4', sourceLine: 2 },
];

test('a new database is created with every migration applied, WAL and foreign keys on', (t) => {
  const file = path.join(tempDir(t), 'sub', 'curation.db');
  const db = openStore(file);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const fts = (name: string) => [name, ...['config', 'data', 'docsize', 'idx'].map((part) => `${name}_${part}`)];
  const expected = ['batches', 'calls', 'curation_events', 'finetune_jobs', 'peer_reviews', 'problems', 'student_answers', 'students', 'teacher_outputs'];
  // The curation panel's full-text search (migration 3 -> 4): an FTS5 table and its shadow tables each.
  expected.push(...['answers_fts', 'edits_fts', 'outputs_fts', 'problems_fts'].flatMap(fts));
  // Several curators (migration 6 -> 7): the team's events read from the decision files, their decisions, the assignment.
  expected.push('team_assignments', 'team_decisions', 'team_events');
  // The problems tree's answer tallies, kept by triggers (migration 7 -> 8).
  expected.push('answer_tallies', 'student_tallies');
  // The queue's order keys and the problems whose keys are stale (migration 8 -> 9).
  expected.push('mistake_order_keys', 'mistake_order_stale');
  // The curation panel's derived state: per output, per mistake, and the totals per scope.
  expected.push('mistake_state', 'mistake_totals', 'output_state');
  assert.deepEqual(tables, expected.sort());
});

test('reopening an up-to-date database changes nothing; re-importing the same problems adds none', (t) => {
  const file = path.join(tempDir(t), 'curation.db');
  let db = openStore(file);
  assert.deepEqual(insertProblems(db, 'gsm8k', 'train', 'x.jsonl', sample), { inserted: 2, existing: 0 });
  db.close();
  db = openStore(file);
  t.after(() => db.close());
  assert.deepEqual(insertProblems(db, 'gsm8k', 'train', 'x.jsonl', sample), { inserted: 0, existing: 2 });
  assert.equal(listProblems(db).length, 2);
});

test('a database of a newer schema version is refused and left untouched', (t) => {
  const file = path.join(tempDir(t), 'future.db');
  const raw = new Database(file);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
  raw.exec('CREATE TABLE future_things (x)');
  raw.close();
  const before = fs.readFileSync(file);
  assert.throws(
    () => openStore(file),
    (error: unknown) => error instanceof UserError && /newer than this MAPD Curator understands/.test(error.message),
  );
  assert.deepEqual(fs.readFileSync(file), before);
});

test('a file that is not SQLite is refused with a clear message', (t) => {
  const file = path.join(tempDir(t), 'notes.db');
  fs.writeFileSync(file, 'these are my notes, not a database '.repeat(200));
  assert.throws(
    () => openStore(file),
    (error: unknown) => error instanceof UserError && /notes\.db/.test(error.message),
  );
});

test('a failed transaction leaves nothing behind', (t) => {
  const db = openStore(path.join(tempDir(t), 'curation.db'));
  t.after(() => db.close());
  assert.throws(() =>
    inTransaction(db, () => {
      insertProblems(db, 'gsm8k', 'train', undefined, sample);
      throw new Error('disk on fire');
    }),
  );
  assert.equal(listProblems(db).length, 0);
});

test('a reader sees a consistent snapshot while a writer writes (WAL)', (t) => {
  const file = path.join(tempDir(t), 'curation.db');
  const writer = openStore(file);
  const reader = openStore(file);
  t.after(() => {
    writer.close();
    reader.close();
  });
  insertProblems(writer, 'gsm8k', 'train', undefined, sample);
  const count = reader.prepare('SELECT COUNT(*) AS n FROM problems');
  writer.exec('BEGIN IMMEDIATE');
  writer.prepare("INSERT INTO problems (task, split, source_id, question, gold_answer, created_at) VALUES ('gsm8k', 'train', 'c', 'q', '1', 'now')").run();
  // The reader is not blocked by the open write transaction and does not see its row yet.
  assert.equal((count.get() as { n: number }).n, 2);
  writer.exec('COMMIT');
  assert.equal((count.get() as { n: number }).n, 3);
});

function seedOutputs(db: ReturnType<typeof openStore>): { first: number; second: number } {
  insertProblems(db, 'svamp', 'train', undefined, sample);
  const [p1, p2] = listProblems(db);
  const a1 = upsertStudentAnswer(db, { problemId: p1!.id, student: 'llama', rawOutput: 'It is 3', extractedAnswer: '3', correct: false });
  upsertStudentAnswer(db, { problemId: p2!.id, student: 'llama', rawOutput: 'It is 4', extractedAnswer: '4', correct: true });
  const first = insertOutput(db, { problemId: p1!.id, kind: 'critique', teacher: 'gpt', studentAnswerId: a1, text: 'You added wrong.', source: 'test' });
  const again = insertOutput(db, { problemId: p1!.id, kind: 'critique', teacher: 'gpt', studentAnswerId: a1, text: 'different text', source: 'test' });
  assert.equal(again.id, first.id, 'a filled slot keeps its output');
  assert.equal(again.created, false);
  const second = insertOutput(db, {
    problemId: p1!.id,
    kind: 'rationale',
    teacher: 'gpt',
    text: '1 + 1 = 2. The answer is 2.',
    extractedAnswer: '2',
    correct: true,
    source: 'test',
  });
  return { first: first.id, second: second.id };
}

test('mistakes, outputs and reviews round-trip', (t) => {
  const db = openStore(path.join(tempDir(t), 'curation.db'));
  t.after(() => db.close());
  const { first } = seedOutputs(db);
  assert.equal(listMistakes(db).length, 1);
  insertReview(db, { outputId: first, reviewer: 'claude', rawText: 'Score: 4', score: 4 });
  insertReview(db, { outputId: first, reviewer: 'mixtral', rawText: 'hmm', score: null });
  assert.deepEqual(
    reviewsForOutput(db, first).map((r) => [r.reviewer, r.score]),
    [
      ['claude', 4],
      ['mixtral', null],
    ],
  );
});

test('decisions are append-only events; undo works across items and undoes a bulk action whole', (t) => {
  const db = openStore(path.join(tempDir(t), 'curation.db'));
  t.after(() => db.close());
  const { first, second } = seedOutputs(db);
  recordDecision(db, { outputId: first, action: 'accept', curator: 'ana' });
  recordDecision(db, { outputId: second, action: 'edit', text: '1 + 1 = 2, so 2.', curator: 'ana' });
  assert.deepEqual(curationState(db, second).decision, 'accepted');
  assert.equal(curationState(db, second).editedText, '1 + 1 = 2, so 2.');

  assert.deepEqual(
    undoLastDecision(db, 'ana').map((e) => e.outputId),
    [second],
  );
  assert.equal(curationState(db, second).decision, 'undecided');
  assert.equal(curationState(db, first).decision, 'accepted');
  assert.deepEqual(
    undoLastDecision(db, 'ana').map((e) => e.outputId),
    [first],
  );
  assert.equal(curationState(db, first).decision, 'undecided');
  assert.deepEqual(undoLastDecision(db, 'ana'), []);

  recordDecision(db, { outputId: first, action: 'reject', curator: 'ana' });
  recordBulkDecisions(
    db,
    [
      { outputId: first, action: 'accept', curator: 'ana' },
      { outputId: second, action: 'accept', curator: 'ana' },
    ],
    'bulk-1',
  );
  assert.equal(allCurationStates(db).size, 2);
  assert.equal(undoLastDecision(db, 'ana').length, 2);
  assert.equal(curationState(db, first).decision, 'rejected', 'the decision before the bulk action is back in force');
  assert.equal(curationState(db, second).decision, 'undecided');

  assert.throws(() => db.prepare("UPDATE curation_events SET action = 'accept'").run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM curation_events').run(), /append-only/);
  assert.equal(listEvents(db).length, 9);
});

test('a read-only open of a project made by an older version upgrades it first, keeping its rows', (t) => {
  const file = path.join(tempDir(t), 'old.db');
  const old = new Database(file);
  old.exec(MIGRATIONS[0] as string);
  old.pragma('user_version = 1');
  old.prepare("INSERT INTO problems (task, split, source_id, question, gold_answer, created_at) VALUES ('svamp', 'train', 'p1', 'q', '1', 'now')").run();
  old.close();
  const db = openStore(file, { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM problems').get() as { n: number }).n, 1);
  } finally {
    db.close();
  }
});
