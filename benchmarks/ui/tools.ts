/**
 * The chat tools at scale (issue 11): mapd_currentMistake (findMistake by dataset id) and
 * mapd_findMistakes (queryMistakes: problem order, disagreement order, with a filter) on the
 * export benchmark's synthetic project (N mistakes × 6 outputs, 4 decisions each; seed it with
 * `node benchmarks/export/export.ts N`). Baseline in the same run, up to 25,000 mistakes: the
 * tools before issue 11, which built the in-memory index of the whole project per call.
 * Each figure is the median of 3 calls. Usage: node benchmarks/ui/tools.ts [mistakes]   (default 250000)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findMistake, queryMistakes } from '../../src/core/curation/agentQueries.ts';
import type { MistakeQuery } from '../../src/core/curation/agentQueries.ts';
import { buildIndex } from '../../src/core/curation/mistakeIndex.ts';
import { openStore } from '../../src/core/store/db.ts';

const mistakes = Number(process.argv[2] ?? 250_000);
const BASELINE_LIMIT = 25_000;
const dbFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), `../../.cache/bench/export-${mistakes}.db`);
if (!fs.existsSync(dbFile)) throw new Error(`no ${dbFile}: seed it with node benchmarks/export/export.ts ${mistakes}`);
const db = openStore(dbFile, { readonly: true });

function median(work: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[1] as number;
}

console.log(
  `${mistakes.toLocaleString('en-US')} mistakes, ${(mistakes * 6).toLocaleString('en-US')} outputs; load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const deepId = `syn-${Math.floor(mistakes * 0.9)}`;
const queries: [string, MistakeQuery][] = [
  ['problem order, 20', {}],
  ['disagreement order, 20', { order: 'disagreement' }],
  ['teacher + score filter, 200', { teacher: 'teacher-b', minScore: 3, limit: 200 }],
  ['undecided, disagreement, 5', { status: 'undecided', order: 'disagreement', limit: 5 }],
];
const rssBefore = process.memoryUsage().rss;
console.log(`findMistake(${deepId}) ${median(() => findMistake(db, null, { sourceId: deepId })).toFixed(1)} ms`);
for (const [name, query] of queries) {
  const listing = queryMistakes(db, null, query);
  console.log(
    `queryMistakes ${name.padEnd(30)} ${median(() => queryMistakes(db, null, query)).toFixed(0)} ms (${listing.matching.toLocaleString('en-US')} matching)`,
  );
}
console.log(`RSS growth over the calls: ${Math.round((process.memoryUsage().rss - rssBefore) / 1e6)} MB`);
if (mistakes <= BASELINE_LIMIT) {
  const start = performance.now();
  buildIndex(db, null);
  console.log(
    `baseline: the in-memory index every call built: ${(performance.now() - start).toFixed(0)} ms per call, RSS now ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
  );
}
db.close();
