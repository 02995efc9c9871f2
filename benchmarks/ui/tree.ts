/**
 * The Problems tree at 10k, 100k or 1M problems (issue 11): group counts, the first page of each
 * group, a range deep in it (position 90 %), and the place of a deep problem (reveal), through the
 * queries the tree provider runs (src/core/store/problemTree.ts). Baseline in the same run: the
 * tree's queries before issue 11 (a correlated EXISTS per problem row, LIMIT/OFFSET over the
 * problems table). The project: N problems imported through the real import path, a student who
 * got a third of them wrong and a third right; cached under .cache/bench/ (ignored by git).
 * Each figure is the median of 3 runs.
 * Usage: node benchmarks/ui/tree.ts [problems]   (default 1000000)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importProblemsFile } from '../../src/core/import/index.ts';
import type { Db } from '../../src/core/store/db.ts';
import { inTransaction, openStore } from '../../src/core/store/db.ts';
import type { ProblemGroup } from '../../src/core/store/problemTree.ts';
import { PROBLEM_GROUPS, groupCountBetween, groupCounts, groupPageFrom, pageStarts, problemGroup } from '../../src/core/store/problemTree.ts';
import { lowerBound } from '../../src/core/curation/sortedIds.ts';

const problems = Number(process.argv[2] ?? 1_000_000);
const PAGE = 500;
const here = path.dirname(fileURLToPath(import.meta.url));
const cacheDir = path.resolve(here, '../../.cache/bench');
const dbFile = path.join(cacheDir, `tree-${problems}.db`);

function seed(): void {
  fs.mkdirSync(cacheDir, { recursive: true });
  const file = path.join(cacheDir, `tree-${problems}.jsonl`);
  const out = fs.openSync(file, 'w');
  let chunk: string[] = [];
  for (let i = 0; i < problems; i++) {
    chunk.push(
      JSON.stringify({
        question: `Problem ${i}: a shop has ${i % 997} boxes of ${(i % 89) + 2} pencils each. How many pencils?`,
        answer: `#### ${(i % 997) * ((i % 89) + 2)}`,
      }),
    );
    if (chunk.length === 10_000) {
      fs.writeSync(out, `${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  if (chunk.length > 0) fs.writeSync(out, `${chunk.join('\n')}\n`);
  fs.closeSync(out);
  const db = openStore(`${dbFile}.part`);
  importProblemsFile(db, file, { task: 'gsm8k', split: 'train' });
  // problem i: wrong when i % 3 == 0, right when i % 3 == 1, unanswered otherwise.
  inTransaction(db, () => {
    db.prepare(
      `INSERT INTO student_answers (problem_id, student, raw_output, extracted_answer, correct, created_at)
       SELECT id, 'llama', 'The answer is ' || ((id - 1) % 3), CAST((id - 1) % 3 AS TEXT), (id - 1) % 3, 'now' FROM problems WHERE (id - 1) % 3 < 2`,
    ).run();
  });
  db.close();
  fs.renameSync(`${dbFile}.part`, dbFile);
  fs.rmSync(`${dbFile}.part-wal`, { force: true });
  fs.rmSync(`${dbFile}.part-shm`, { force: true });
  fs.rmSync(file);
}

// The tree's queries before issue 11, kept here as the baseline.
const OF_STUDENT = '(@student IS NULL OR a.student = @student)';
const WRONG = `EXISTS (SELECT 1 FROM student_answers a WHERE a.problem_id = p.id AND a.correct = 0 AND ${OF_STUDENT})`;
const ANSWERED = `EXISTS (SELECT 1 FROM student_answers a WHERE a.problem_id = p.id AND ${OF_STUDENT})`;
const OLD_FILTER: Record<ProblemGroup, string> = { mistakes: WRONG, correct: `${ANSWERED} AND NOT ${WRONG}`, unanswered: `NOT ${ANSWERED}` };
const old = {
  counts(db: Db, student: string | null) {
    const n = db.prepare('SELECT COUNT(*) FROM problems').pluck().get() as number;
    const r = db
      .prepare(
        `SELECT COALESCE(SUM(all_correct = 0), 0) AS mistakes, COALESCE(SUM(all_correct = 1), 0) AS correct FROM (SELECT MIN(correct) AS all_correct FROM student_answers a WHERE ${OF_STUDENT} GROUP BY problem_id)`,
      )
      .get({ student }) as { mistakes: number; correct: number };
    return { mistakes: r.mistakes, correct: r.correct, unanswered: n - r.mistakes - r.correct };
  },
  page(db: Db, group: ProblemGroup, offset: number, student: string | null) {
    return db
      .prepare(
        `SELECT p.id, substr(p.question, 1, 320), (SELECT a.extracted_answer FROM student_answers a WHERE a.problem_id = p.id AND ${OF_STUDENT} ORDER BY a.correct, a.id LIMIT 1), ${ANSWERED}
         FROM problems p WHERE ${OLD_FILTER[group]} ORDER BY p.id LIMIT ${PAGE} OFFSET @offset`,
      )
      .all({ offset, student }) as { id: number }[];
  },
  place(db: Db, group: ProblemGroup, id: number, student: string | null) {
    return db.prepare(`SELECT COUNT(*) FROM problems p WHERE p.id < @id AND ${OLD_FILTER[group]}`).pluck().get({ id, student }) as number;
  },
};

/** The median of 3 runs (the machine is shared: one run says little). */
function ms<T>(work: () => T): { value: T; ms: number } {
  const times: number[] = [];
  let value: T | undefined;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    value = work();
    times.push(performance.now() - start);
  }
  return { value: value as T, ms: times.sort((a, b) => a - b)[1] as number };
}

if (!fs.existsSync(dbFile)) {
  const seeded = { ms: -performance.now() };
  seed();
  seeded.ms += performance.now();
  console.log(`seeded ${problems.toLocaleString('en-US')} problems (real import + answers) in ${(seeded.ms / 1000).toFixed(1)} s → ${dbFile}`);
}
const db = openStore(dbFile);
console.log(
  `${problems.toLocaleString('en-US')} problems; load ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const student of [null, 'llama']) {
  const counts = ms(() => groupCounts(db, student));
  const oldCounts = ms(() => old.counts(db, student));
  if (JSON.stringify(counts.value) !== JSON.stringify(oldCounts.value)) throw new Error(`counts differ: ${JSON.stringify([counts.value, oldCounts.value])}`);
  console.log(`student ${student ?? '(any)'}: counts ${JSON.stringify(counts.value)} in ${counts.ms.toFixed(0)} ms (baseline ${oldCounts.ms.toFixed(0)} ms)`);
  for (const group of PROBLEM_GROUPS) {
    const size = counts.value[group];
    const starts = ms(() => pageStarts(db, group, PAGE, student));
    const deepStart = Math.floor((size * 0.9) / PAGE) * PAGE;
    const first = ms(() => groupPageFrom(db, group, starts.value[0] ?? 0, PAGE, student));
    const deep = ms(() => groupPageFrom(db, group, starts.value[deepStart / PAGE] ?? 0, PAGE, student));
    const oldFirst = ms(() => old.page(db, group, 0, student));
    const oldDeep = ms(() => old.page(db, group, deepStart, student));
    if (deep.value.map((r) => r.id).join() !== oldDeep.value.map((r) => r.id).join()) throw new Error(`${group}: the deep page differs from the baseline's`);
    const deepId = deep.value[0]?.id ?? 0;
    // As the tree provider reveals a problem: its group, then a count from the start of its range.
    const place = ms(() => {
      const range = Math.max(0, lowerBound(starts.value, deepId + 1) - 1);
      const found = problemGroup(db, deepId, student);
      return found && { group: found, index: range * PAGE + groupCountBetween(db, found, starts.value[range] ?? 0, deepId, student) };
    });
    const oldPlace = ms(() => old.place(db, group, deepId, student));
    if (place.value?.index !== oldPlace.value) throw new Error(`${group}: place ${place.value?.index} ≠ baseline ${oldPlace.value}`);
    console.log(
      `  ${group.padEnd(10)} (${size.toLocaleString('en-US')}): range starts ${starts.ms.toFixed(0)} ms; first page ${first.ms.toFixed(1)} ms (baseline ${oldFirst.ms.toFixed(1)}); ` +
        `page at ${deepStart.toLocaleString('en-US')} ${deep.ms.toFixed(1)} ms (baseline OFFSET ${oldDeep.ms.toFixed(0)} ms); place of a deep problem ${place.ms.toFixed(0)} ms (baseline ${oldPlace.ms.toFixed(0)} ms)`,
    );
  }
}
db.close();
