import test from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../../../src/core/store/db.ts';
import type { MistakeListing, MistakeQuery, MistakeReport } from '../../../src/core/curation/agentQueries.ts';
import { findMistake, listedMistake, mistakeReport, queryMistakes } from '../../../src/core/curation/agentQueries.ts';
import { buildIndex } from '../../../src/core/curation/mistakeIndex.ts';
import { filterIndex } from '../../../src/core/curation/filters.ts';
import { mistakeView } from '../../../src/core/curation/mistakeView.ts';
import { EMPTY_FILTER, STATUS_FILTERS } from '../../../src/core/curation/view.ts';
import { insertProblems } from '../../../src/core/store/problems.ts';
import { seededRandom as random } from '../../servers/random.ts';
import { STUDENTS, TEACHERS, generate } from './generated.ts';

/**
 * The chat tools' answers from SQLite (agentQueries.ts) against the in-memory index they were
 * computed from before issue 11 (brute force: every mistake read, filtered and sorted in JS), on
 * generated projects. Text search is left out: the tools search as the panel does (FTS5 words,
 * mistakeQueries.ts), which storeQueries.test.ts holds to its own reference.
 */

function findReference(db: Db, student: string | null, ref: { problemId?: number; sourceId?: string }): MistakeReport | undefined {
  const index = buildIndex(db, student);
  const id = ref.problemId ?? [...index.byProblem.values()].find((s) => s.problem.sourceId === ref.sourceId)?.problemId;
  const view = id === undefined ? null : mistakeView(db, index, id);
  return view ? mistakeReport(view) : undefined;
}

function queryReference(db: Db, student: string | null, query: MistakeQuery): MistakeListing {
  const index = buildIndex(db, student);
  const list = filterIndex(index, {
    ...EMPTY_FILTER,
    status: query.status ?? 'all',
    teacher: query.teacher ?? null,
    scoreMin: query.minScore ?? null,
    scoreMax: query.maxScore ?? null,
    mismatchOnly: query.mismatch === true,
  });
  const rows = list.ids.map((id) => listedMistake(index.byProblem.get(id)!));
  if (query.order === 'disagreement') rows.sort((a, b) => b.maxSpread - a.maxSpread || a.problemId - b.problemId);
  const limit = Math.min(200, Math.max(1, Math.floor(query.limit ?? 20)));
  return { matching: rows.length, shown: rows.slice(0, limit) };
}

for (const seed of [1, 2, 3, 4]) {
  test(`the tools' mistake listing and mistake reports equal the in-memory reference (seed ${seed})`, (t) => {
    const db = generate(t, seed, 80);
    // A dataset id shared by two problems of other splits: the first that is a mistake is found.
    const ids = db.prepare('SELECT source_id FROM problems ORDER BY id').pluck().all() as string[];
    insertProblems(db, 'svamp', 'test', 'gen.json', [{ sourceId: ids[3] as string, question: 'q', goldAnswer: '1' }]);
    const rand = random(seed * 13 + 5);
    for (const student of [null, ...STUDENTS]) {
      for (let q = 0; q < 12; q++) {
        const query: MistakeQuery = {
          ...(rand() < 0.5 ? { status: STATUS_FILTERS[Math.floor(rand() * STATUS_FILTERS.length)] } : {}),
          ...(rand() < 0.3 ? { teacher: TEACHERS[Math.floor(rand() * TEACHERS.length)] } : {}),
          ...(rand() < 0.3 ? { minScore: 1 + Math.floor(rand() * 4) } : {}),
          ...(rand() < 0.2 ? { maxScore: 2 + Math.floor(rand() * 4) } : {}),
          ...(rand() < 0.2 ? { mismatch: true } : {}),
          order: rand() < 0.5 ? 'disagreement' : 'problem',
          limit: [1, 5, 20, 500][Math.floor(rand() * 4)] as number,
        };
        assert.deepEqual(queryMistakes(db, student, query), queryReference(db, student, query), JSON.stringify({ student, query }));
      }
      for (const sourceId of [...ids.slice(0, 10), 'no-such-id'])
        assert.deepEqual(findMistake(db, student, { sourceId }), findReference(db, student, { sourceId }));
      for (let problemId = 1; problemId <= 12; problemId++)
        assert.deepEqual(findMistake(db, student, { problemId }), findReference(db, student, { problemId }), `problem ${problemId}`);
    }
  });
}
