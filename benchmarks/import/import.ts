/**
 * Import throughput: GSM8K train (7,473 problems) and 100,000 synthetic problems, each into a fresh
 * project database, through the real import path (parse + one-transaction insert). Baseline, in the
 * same run: the same parsed rows inserted naively, one transaction per row.
 * Goals on the development machine: GSM8K ≤ 1 s, 100k ≤ 10 s.
 * Run: node benchmarks/import/import.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importProblemsFile } from '../../src/core/import/index.ts';
import { openStore } from '../../src/core/store/db.ts';
import { insertProblems } from '../../src/core/store/problems.ts';
import { getTask } from '../../src/core/tasks/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const GSM8K_TRAIN = path.resolve(here, '../../../shared/data/gsm8k/train.jsonl');
const SYNTHETIC_ROWS = 100_000;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-bench-import-'));
let dbCount = 0;
const freshDb = () => openStore(path.join(work, `bench-${++dbCount}.db`));

/** GSM8K-format rows with varied numbers and realistic lengths (~350 bytes each). */
function writeSynthetic(rows: number): string {
  const file = path.join(work, 'train.jsonl');
  const out = fs.openSync(file, 'w');
  const chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    const a = (i * 7919) % 997;
    const b = ((i * 104729) % 89) + 2;
    chunk.push(
      JSON.stringify({
        question: `Synthetic problem ${i}: a warehouse holds ${a} crates and each crate holds ${b} boxes of pencils. Each box is sold for $3. How many boxes are in the warehouse, and what is the result when counted?`,
        answer: `There are ${a} crates with ${b} boxes each, so ${a} * ${b} = <<${a}*${b}=${a * b}>>${a * b} boxes.\n#### ${a * b}`,
      }),
    );
    if (chunk.length === 5000) {
      fs.writeSync(out, `${chunk.join('\n')}\n`);
      chunk.length = 0;
    }
  }
  if (chunk.length > 0) fs.writeSync(out, `${chunk.join('\n')}\n`);
  fs.closeSync(out);
  return file;
}

function timed<T>(work: () => T): { value: T; seconds: number } {
  const start = process.hrtime.bigint();
  const value = work();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

interface Figures {
  name: string;
  rows: number;
  seconds: number;
  parseSeconds: number;
  baselineSeconds: number;
  goal: number;
}

function measure(name: string, file: string, goal: number): Figures {
  const db = freshDb();
  const run = timed(() => importProblemsFile(db, file, { task: 'gsm8k' }));
  db.close();
  const rows = run.value.inserted;
  // Parse alone, to show where the time goes.
  const spec = getTask('gsm8k');
  const parse = timed(() => spec.parseFile(file));
  // Baseline: the same parsed rows, one transaction per row.
  const naive = freshDb();
  const baseline = timed(() => {
    const parsed = spec.parseFile(file);
    for (const problem of parsed.problems) insertProblems(naive, 'gsm8k', parsed.split, file, [problem]);
    return parsed.problems.length;
  });
  const stored = naive.prepare('SELECT COUNT(*) FROM problems').pluck().get() as number;
  naive.close();
  if (stored !== rows || baseline.value !== rows) throw new Error(`row counts differ: import ${rows}, baseline ${stored}`);
  return { name, rows, seconds: run.seconds, parseSeconds: parse.seconds, baselineSeconds: baseline.seconds, goal };
}

try {
  const results = [measure('GSM8K train', GSM8K_TRAIN, 1)];
  const synthetic = writeSynthetic(SYNTHETIC_ROWS);
  results.push(measure(`synthetic ${SYNTHETIC_ROWS.toLocaleString('en-US')}`, synthetic, 10));
  console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'})`);
  for (const r of results) {
    const rate = Math.round(r.rows / r.seconds);
    const baseRate = Math.round(r.rows / r.baselineSeconds);
    console.log(
      `${r.name}: ${r.rows} rows in ${r.seconds.toFixed(3)} s = ${rate.toLocaleString('en-US')} rows/s (parse ${r.parseSeconds.toFixed(3)} s); ` +
        `baseline one-transaction-per-row ${r.baselineSeconds.toFixed(3)} s = ${baseRate.toLocaleString('en-US')} rows/s; ` +
        `speed-up ${(r.baselineSeconds / r.seconds).toFixed(1)}x; goal ≤ ${r.goal} s: ${r.seconds <= r.goal ? 'met' : 'MISSED'}`,
    );
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
