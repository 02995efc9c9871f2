import test from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../../src/core/store/db.ts';
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
    });
  }
  return list;
}

for (const seed of [1, 2, 3, 4]) {
  test(`store queries equal brute force: filters, counts, next undecided, bulk targets (seed ${seed})`, (t) => {
    const db = generate(t, seed);
    for (const student of [null, ...STUDENTS]) {
      const index = buildIndex(db, student);
      assert.equal(mistakeTotal(db, student), index.order.length, `total, student ${student}`);
      assert.equal(curationProgress(db, student).settled, index.settledCount, `settled, student ${student}`);
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
      // The generated projects have some truncated outputs shown with some mistakes, not all: the filter is put to a real test.
      const truncated = matchingIds(db, { student, filter: { ...EMPTY_FILTER, truncatedOnly: true } }).length;
      assert.ok(truncated > 0 && truncated < index.order.length, `${truncated} of ${index.order.length} mistakes with a truncated output, student ${student}`);
    }
  });
}

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
