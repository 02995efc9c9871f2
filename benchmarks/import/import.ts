/**
 * Import throughput and memory: GSM8K train (7,473 problems) and N synthetic problems (default
 * 100,000; `1000000` for issue 11's goal), each into a fresh project database, through the real
 * import path the extension takes (an import worker thread: stream, parse, insert in one
 * transaction, progress messages). Each measurement runs in a child process of its own, so its
 * peak RSS (process.resourceUsage().maxRSS, worker included) is its own.
 * Baselines, in the same run: the file parsed whole and then inserted (the path every format that
 * is not JSON Lines still takes), and up to 100k rows the naive one transaction per row.
 * Goals on the development machine: GSM8K ≤ 1 s, 100k ≤ 10 s, 1M ≤ 15 s.
 * Run: node benchmarks/import/import.ts [rows]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runImportInWorker } from '../../src/core/import/runInWorker.ts';
import { inTransaction, openStore } from '../../src/core/store/db.ts';
import { insertProblems } from '../../src/core/store/problems.ts';
import { getTask } from '../../src/core/tasks/index.ts';
import type { ProcessFigures } from '../processFigures.ts';
import { describeFigures, describeProgress, inChildProcess, processFigures } from '../processFigures.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const GSM8K_TRAIN = path.resolve(here, '../../../shared/data/gsm8k/train.jsonl');
const WORKER = path.resolve(here, '../../src/core/import/worker.ts');
const NAIVE_LIMIT = 100_000;

type Mode = 'worker' | 'whole-file' | 'per-row';
interface Measured extends ProcessFigures {
  rows: number;
}

/** One measurement, in this (child) process: prints its figures as JSON. */
async function measureHere(mode: Mode, file: string, dbFile: string): Promise<Measured> {
  const started = process.hrtime.bigint();
  const events: [number, number][] = [];
  let rows: number;
  if (mode === 'worker') {
    const report = await runImportInWorker('problems', dbFile, file, { task: 'gsm8k' }, { workerFile: WORKER, onProgress: (d, t) => events.push([d, t]) });
    rows = report.inserted;
  } else {
    const db = openStore(dbFile);
    const spec = getTask('gsm8k');
    const parsed = spec.parseFile(file);
    if (mode === 'whole-file')
      inTransaction(db, () => {
        for (let start = 0; start < parsed.problems.length; start += 2000)
          insertProblems(db, 'gsm8k', parsed.split, file, parsed.problems.slice(start, start + 2000));
      });
    else for (const problem of parsed.problems) insertProblems(db, 'gsm8k', parsed.split, file, [problem]);
    rows = db.prepare('SELECT COUNT(*) FROM problems').pluck().get() as number;
    db.close();
  }
  return { ...processFigures(started, events), rows };
}

/** GSM8K-format rows with varied numbers and realistic lengths (~350 bytes each). */
function writeSynthetic(file: string, rows: number): void {
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
}

let dbCount = 0;
function inChild(work: string, mode: Mode, file: string): Measured {
  const dbFile = path.join(work, `bench-${++dbCount}.db`);
  const result = inChildProcess<Measured>(fileURLToPath(import.meta.url), [mode, file, dbFile]);
  fs.rmSync(dbFile, { force: true });
  return result;
}

const fmt = (m: Measured): string => `${describeFigures(m)}, ${Math.round(m.rows / m.seconds).toLocaleString('en-US')} rows/s`;

function report(work: string, name: string, file: string, goal: number): void {
  const real = inChild(work, 'worker', file);
  const whole = inChild(work, 'whole-file', file);
  if (whole.rows !== real.rows) throw new Error(`row counts differ: import ${real.rows}, whole-file ${whole.rows}`);
  console.log(`${name}: ${real.rows.toLocaleString('en-US')} rows`);
  console.log(`  import (worker, streaming): ${fmt(real)}; ${describeProgress(real)}; goal ≤ ${goal} s: ${real.seconds <= goal ? 'met' : 'MISSED'}`);
  console.log(
    `  baseline parse-whole-file then insert: ${fmt(whole)}; speed-up ${(whole.seconds / real.seconds).toFixed(2)}x (wall), ${(whole.cpuSeconds / real.cpuSeconds).toFixed(2)}x less CPU, ${(whole.maxRssMb / real.maxRssMb).toFixed(1)}x less RSS`,
  );
  if (real.rows <= NAIVE_LIMIT) {
    const naive = inChild(work, 'per-row', file);
    console.log(`  baseline one transaction per row: ${fmt(naive)}; speed-up ${(naive.seconds / real.seconds).toFixed(1)}x`);
  }
}

if (process.argv[2] === '--one') {
  const [, , , mode, file, dbFile] = process.argv as [string, string, string, Mode, string, string];
  process.stdout.write(JSON.stringify(await measureHere(mode, file, dbFile)));
} else {
  const rows = Number(process.argv[2] ?? 100_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-bench-import-'));
  try {
    console.log(
      `node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    report(work, 'GSM8K train', GSM8K_TRAIN, 1);
    const synthetic = path.join(work, 'train.jsonl');
    writeSynthetic(synthetic, rows);
    console.log(`(synthetic file: ${(fs.statSync(synthetic).size / 1e6).toFixed(0)} MB)`);
    report(work, `synthetic ${rows.toLocaleString('en-US')}`, synthetic, rows <= 100_000 ? 10 : 15);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
