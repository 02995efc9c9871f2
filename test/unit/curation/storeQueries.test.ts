import test from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../../src/core/store/migrations.ts';
import { recordConfirmedBulk } from '../../../src/core/curation/storeDecisions.ts';
import type { Db } from '../../../src/core/store/db.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { listProblems } from '../../../src/core/store/problems.ts';
import { upsertStudentAnswer } from '../../../src/core/store/answers.ts';
import { insertOutput, insertReview } from '../../../src/core/store/outputs.ts';
import { recordDecision, undoLastDecision } from '../../../src/core/store/events.ts';
import type { CurationIndex, MistakeSummary } from '../../../src/core/curation/mistakeIndex.ts';
import { buildIndex } from '../../../src/core/curation/mistakeIndex.ts';
import { compileFilter, filterIndex, nextUndecidedId } from '../../../src/core/curation/filters.ts';
import { bulkCandidates } from '../../../src/core/curation/decisions.ts';
import { curationProgress } from '../../../src/core/curation/progress.ts';
import type { MistakeFilter, StatusFilter } from '../../../src/core/curation/view.ts';
import { EMPTY_FILTER, STATUS_FILTERS } from '../../../src/core/curation/view.ts';
import { bulkTargets, ftsQuery, matchesScope, matchingIds, mistakeTeachers, mistakeTotal, nextUnsettled } from '../../../src/core/curation/mistakeQueries.ts';
import { seededRandom as random } from '../../servers/random.ts';

/**
 * The store-backed queries (mistakeQueries.ts) against brute force on generated projects: the
 * in-memory index (which reads everything and filters in JS) for filters, counts, navigation and
 * the bulk action, and a word-by-word scan of every text the panel shows for search.
 */

import { STUDENTS, TEACHERS, WORDS, generate } from './generated.ts';

/** Brute-force search: some one text the panel shows (or an edit in force) holds every typed word (as the tokenizer splits words). */
function searchReference(summary: MistakeSummary, search: string): boolean {
  const tokens = (text: string): Set<string> => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const wanted = [...tokens(search)];
  const { problem } = summary;
  const docs = [
    [problem.question, problem.context ?? '', problem.options ? JSON.stringify(problem.options) : '', problem.sourceId].join(' '),
    summary.student.rawOutput,
    ...[...summary.critiques, ...summary.rationales].flatMap((i) => [i.facts.text, i.editedText ?? '']),
  ];
  return docs.some((doc) => {
    const have = tokens(doc);
    return wanted.every((w) => have.has(w));
  });
}

function reference(index: CurationIndex, filter: MistakeFilter): number[] {
  const matches = compileFilter({ ...filter, search: '' });
  return index.order.filter((id) => {
    const summary = index.byProblem.get(id) as MistakeSummary;
    return matches(summary) && (filter.search === '' || searchReference(summary, filter.search));
  });
}

function filters(seed: number): MistakeFilter[] {
  const rand = random(seed * 7 + 1);
  const list: MistakeFilter[] = STATUS_FILTERS.map((status) => ({ ...EMPTY_FILTER, status }));
  list.push(
    ...TEACHERS.map((teacher) => ({ ...EMPTY_FILTER, teacher })),
    { ...EMPTY_FILTER, mismatchOnly: true },
    { ...EMPTY_FILTER, scoreMin: 1, scoreMax: 2 },
    { ...EMPTY_FILTER, scoreMin: 3.5, scoreMax: null },
    { ...EMPTY_FILTER, scoreMin: null, scoreMax: 2.5 },
    { ...EMPTY_FILTER, search: 'banana' },
    { ...EMPTY_FILTER, search: 'Apple  cherry' },
    { ...EMPTY_FILTER, search: 'gpt critique' },
    { ...EMPTY_FILTER, search: 'g3' },
    { ...EMPTY_FILTER, search: 'edited' },
    { ...EMPTY_FILTER, search: 'zebra' },
    { ...EMPTY_FILTER, wrongStepOnly: true },
    { ...EMPTY_FILTER, truncatedOnly: true },
    { ...EMPTY_FILTER, truncatedOnly: true, status: 'undecided' },
  );
  for (let i = 0; i < 12; i++) {
    list.push({
      status: STATUS_FILTERS[Math.floor(rand() * STATUS_FILTERS.length)] as StatusFilter,
      teacher: rand() < 0.5 ? null : (TEACHERS[Math.floor(rand() * TEACHERS.length)] as string),
      scoreMin: rand() < 0.5 ? null : 1 + Math.floor(rand() * 4),
      scoreMax: rand() < 0.5 ? null : 3 + Math.floor(rand() * 3),
      mismatchOnly: rand() < 0.3,
      wrongStepOnly: rand() < 0.2,
      truncatedOnly: rand() < 0.2,
      search: rand() < 0.6 ? '' : (WORDS[Math.floor(rand() * WORDS.length)] as string),
      curatorsDisagree: false,
      myQueue: false,
    });
  }
  return list;
}

/** Every query against the in-memory index's brute force, for each scope and filter. */
function assertQueriesEqualBruteForce(db: Db, seed: number): void {
  for (const student of [null, ...STUDENTS]) {
    const index = buildIndex(db, student);
    assert.equal(mistakeTotal(db, student), index.order.length, `total, student ${student}`);
    assert.equal(curationProgress(db, student).settled, index.settledCount, `settled, student ${student}`);
    assert.equal(curationProgress(db, student).mistakes, index.order.length, `mistakes, student ${student}`);
    assert.deepEqual(mistakeTeachers(db, student), index.teachers, `teachers, student ${student}`);
    for (const kind of ['critique', 'rationale'] as const)
      assert.deepEqual(bulkTargets(db, student, kind), bulkCandidates(index, kind), `bulk ${kind}, student ${student}`);
    for (const filter of filters(seed)) {
      const scope = { student, filter };
      const expected = reference(index, filter);
      const label = `${JSON.stringify(filter)}, student ${student}`;
      assert.deepEqual(matchingIds(db, scope), expected, label);
      const list = filter.search === '' ? filterIndex(index, filter) : { ...filterIndex(index, { ...filter, search: '' }), ids: expected };
      for (const from of [null, ...expected.slice(0, 3), index.order[5] ?? null]) {
        assert.equal(nextUnsettled(db, scope, from), nextUndecidedId(list, index, from), `next undecided from ${from}, ${label}`);
      }
      for (const id of index.order.slice(0, 8)) assert.equal(matchesScope(db, scope, id), expected.includes(id), `membership of ${id}, ${label}`);
    }
  }
  assertDerivedStateExact(db);
}

/**
 * The derived tables (migration 9 -> 10) against their definitions recomputed from the events,
 * reviews, outputs and answers: no row differs either way.
 */
function assertDerivedStateExact(db: Db): void {
  const inForce = (action: string): string => `(SELECT e.id FROM curation_events e WHERE e.output_id = o.id AND e.action ${action}
    AND NOT EXISTS (SELECT 1 FROM curation_events u WHERE u.undoes_event_id = e.id) ORDER BY e.id DESC LIMIT 1)`;
  const outputs = `SELECT o.id, o.problem_id, o.kind, o.teacher, o.student_answer_id,
      (SELECT action FROM curation_events WHERE id = ${inForce("<> 'undo'")}), ${inForce("= 'edit'")},
      (SELECT AVG(score) FROM peer_reviews WHERE output_id = o.id), (SELECT COUNT(score) FROM peer_reviews WHERE output_id = o.id)
    FROM teacher_outputs o WHERE o.kind IN ('critique', 'rationale')`;
  const stored = 'SELECT output_id, problem_id, kind, teacher, student_answer_id, decision, edit_event_id, peer_mean, peer_valid FROM output_state';
  assert.deepEqual(db.prepare(`${outputs} EXCEPT ${stored}`).all(), [], 'output rows missing or stale in output_state');
  assert.deepEqual(db.prepare(`${stored} EXCEPT ${outputs}`).all(), [], 'output_state rows without their output');
  // Settled per wrong answer, as the in-memory index decides it (items.ts), for every student's answers.
  const expected = new Map<number, { first: number; settled: number }>();
  const firsts = new Set(buildIndex(db, null).order.map((id) => buildIndexAnswer(db, id) as number));
  for (const student of STUDENTS) {
    const index = buildIndex(db, student);
    for (const summary of index.byProblem.values())
      expected.set(summary.answerId, { first: firsts.has(summary.answerId) ? 1 : 0, settled: summary.settled ? 1 : 0 });
  }
  const rows = db.prepare('SELECT id, first, settled FROM mistake_state').all() as { id: number; first: number; settled: number }[];
  assert.deepEqual(new Map(rows.map((r) => [r.id, { first: r.first, settled: r.settled }])), expected, 'mistake_state');
  const totals = `SELECT '', COUNT(*), SUM(settled) FROM mistake_state WHERE first = 1 HAVING COUNT(*) > 0
    UNION ALL SELECT 'student:' || student, COUNT(*), SUM(settled) FROM mistake_state GROUP BY student`;
  const kept = 'SELECT scope, mistakes, settled FROM mistake_totals WHERE mistakes > 0';
  assert.deepEqual(db.prepare(`SELECT * FROM (${totals}) EXCEPT SELECT * FROM (${kept})`).all(), [], 'mistake_totals missing or stale');
  assert.deepEqual(db.prepare(`SELECT * FROM (${kept}) EXCEPT SELECT * FROM (${totals})`).all(), [], 'mistake_totals without their mistakes');
}

/** The answer id of problem id's first mistake. */
function buildIndexAnswer(db: Db, problemId: number): number | undefined {
  return db.prepare('SELECT MIN(id) FROM student_answers WHERE correct = 0 AND problem_id = ?').pluck().get(problemId) as number | undefined;
}

for (const seed of [1, 2, 3, 4]) {
  test(`store queries equal brute force: filters, counts, next undecided, bulk targets (seed ${seed})`, (t) => {
    const db = generate(t, seed);
    assertQueriesEqualBruteForce(db, seed);
    for (const student of [null, ...STUDENTS]) {
      // The generated projects have some truncated outputs shown with some mistakes, not all: the filter is put to a real test.
      const mistakes = buildIndex(db, student).order.length;
      const truncated = matchingIds(db, { student, filter: { ...EMPTY_FILTER, truncatedOnly: true } }).length;
      assert.ok(truncated > 0 && truncated < mistakes, `${truncated} of ${mistakes} mistakes with a truncated output, student ${student}`);
    }
  });
}

test('the derived state stays exact after a bulk accept, its undo, and writes from a second connection', (t) => {
  const db = generate(t, 6);
  const targets = bulkTargets(db, null, 'rationale');
  assert.ok(targets.length > 0, 'the generated project has bulk targets');
  recordConfirmedBulk(db, 'rationale', targets, targets.length, 'ana');
  assertQueriesEqualBruteForce(db, 6);
  undoLastDecision(db, 'ana');
  assertQueriesEqualBruteForce(db, 6);

  const other = openStore(db.name);
  t.after(() => other.close());
  const [first, second, third] = matchingIds(db, { student: null, filter: { ...EMPTY_FILTER, status: 'undecided' } });
  assert.ok(first !== undefined && second !== undefined && third !== undefined);
  const shown = (problemId: number): number[] => (buildIndex(db).byProblem.get(problemId) as MistakeSummary).rationales.map((r) => r.facts.outputId);
  // Decisions from the other connection, some undone there; a new output with reviews; a new first mistake; a problem deleted.
  for (const outputId of shown(first)) recordDecision(other, { outputId, action: 'accept', curator: 'bo' });
  for (const outputId of shown(second)) recordDecision(other, { outputId, action: 'edit', text: 'rewritten. The answer is 1.', curator: 'bo' });
  undoLastDecision(other, 'bo');
  const added = insertOutput(other, { problemId: third, kind: 'critique', teacher: 'gpt', studentAnswerId: null, text: 'a new critique', source: 'gen' }).id;
  insertReview(other, { outputId: added, reviewer: 'gemini', rawText: '[2]', score: 2 });
  insertReview(other, { outputId: added, reviewer: 'Mixtral', rawText: 'no score', score: null });
  const fresh = listProblems(other).find((p) => buildIndexAnswer(other, p.id) === undefined);
  if (fresh) upsertStudentAnswer(other, { problemId: fresh.id, student: 'qwen', rawOutput: 'so 0', extractedAnswer: '0', correct: false });
  other.prepare('UPDATE student_answers SET correct = 1 WHERE id = (SELECT MIN(id) FROM student_answers WHERE correct = 0 AND problem_id = ?)').run(third);
  other.prepare('DELETE FROM problems WHERE id = ?').run(second);
  assertQueriesEqualBruteForce(db, 6);
});

test('a concurrent decision is not lost: both connections decide, the last one in force counts', (t) => {
  const db = generate(t, 7);
  const other = openStore(db.name);
  t.after(() => other.close());
  const problemId = nextUnsettled(db, { student: null, filter: EMPTY_FILTER }, null) as number;
  const [a, b] = (buildIndex(db).byProblem.get(problemId) as MistakeSummary).rationales.map((r) => r.facts.outputId);
  assert.ok(a !== undefined);
  recordDecision(db, { outputId: a, action: 'reject', curator: 'ana' });
  recordDecision(other, { outputId: a, action: 'accept', curator: 'bo' });
  if (b !== undefined) recordDecision(other, { outputId: b, action: 'reject', curator: 'bo' });
  assert.equal(db.prepare('SELECT decision FROM output_state WHERE output_id = ?').pluck().get(a), 'accept');
  assertQueriesEqualBruteForce(db, 7);
});

test('the migration fills the derived state of a project made before it', (t) => {
  // The derived state's migration is the last one.
  const beforeDerived = (file: string): Db => {
    const db = new Database(file);
    for (const migration of MIGRATIONS.slice(0, -1)) db.exec(migration);
    db.pragma(`user_version = ${MIGRATIONS.length - 1}`);
    return db;
  };
  const old = generate(t, 8, 60, beforeDerived);
  old.close();
  const db = openStore(old.name);
  t.after(() => db.close());
  assertQueriesEqualBruteForce(db, 8);
});

test('search: plain words are quoted, punctuation is no syntax; FTS5 syntax errors are a clear UserError', (t) => {
  const db = generate(t, 9, 20);
  assert.equal(ftsQuery('  '), null);
  assert.equal(ftsQuery('item 4)'), '"item" "4)"');
  assert.equal(ftsQuery('))'), '');
  assert.deepEqual(matchingIds(db, { student: null, filter: { ...EMPTY_FILTER, search: '))' } }), []);
  for (const search of ['AND', 'NOT apple', 'a*b', 'col:umn', '(banana'])
    assert.doesNotThrow(() => matchingIds(db, { student: null, filter: { ...EMPTY_FILTER, search } }), search);
  assert.ok(matchingIds(db, { student: null, filter: { ...EMPTY_FILTER, search: '"apple banana"' } }).length >= 0);
  assert.throws(
    () => matchingIds(db, { student: null, filter: { ...EMPTY_FILTER, search: '"apple' } }),
    (error: Error) => error.name === 'UserError' && /not valid search syntax/.test(error.message),
  );
});

test('the FTS index follows writes made after the migration, by any connection (triggers)', (t) => {
  const db = generate(t, 5, 10);
  const scope = { student: null, filter: { ...EMPTY_FILTER, search: 'quokka' } };
  assert.deepEqual(matchingIds(db, scope), []);
  const problemId = matchingIds(db, { student: null, filter: EMPTY_FILTER })[0]!;
  const other = openStore(db.name);
  t.after(() => other.close());
  other.prepare("UPDATE problems SET question = question || ' quokka' WHERE id = ?").run(problemId);
  assert.deepEqual(matchingIds(db, scope), [problemId]);
  other.prepare("UPDATE problems SET question = replace(question, ' quokka', '') WHERE id = ?").run(problemId);
  assert.deepEqual(matchingIds(db, scope), []);
  other.prepare('DELETE FROM problems WHERE id = ?').run(problemId);
  assert.equal(
    db.prepare("SELECT COUNT(*) FROM outputs_fts WHERE outputs_fts MATCH 'critique'").pluck().get(),
    db.prepare("SELECT COUNT(*) FROM teacher_outputs WHERE text LIKE '%critique%'").pluck().get(),
  );
});
