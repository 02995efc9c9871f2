/**
 * The queue-order keys' first fill (issue 12; what the migration or a fresh import leaves: every
 * problem stale) on the host's thread (refreshOrderKeys) against the worker thread
 * (fillOrderKeysInWorker) in the same run, with the host's event-loop delay during each
 * (perf_hooks monitorEventLoopDelay: a synchronous fill shows as one delay as long as the fill).
 *
 * Usage: node benchmarks/ui/keyFill.ts <project.db>   (scale.ts runs it on its cached projects)
 */
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../src/core/store/db.ts';
import { openStore } from '../../src/core/store/db.ts';
import { refreshOrderKeys, staleOrderKeys } from '../../src/core/curation/orderKeys.ts';
import { fillOrderKeysInWorker } from '../../src/core/curation/orderFill.ts';

const WORKER = fileURLToPath(new URL('../../src/core/curation/orderFillWorker.ts', import.meta.url));

/** Every problem stale and no key, as after the migration 8 -> 9. */
function unkey(db: Db): number {
  db.exec('DELETE FROM mistake_order_keys; INSERT OR IGNORE INTO mistake_order_stale SELECT id FROM problems');
  return staleOrderKeys(db);
}

/**
 * Runs fill with the event-loop delay recorded (histogram) and a 10 ms timer's longest gap between
 * ticks; its wall time and those, in ms. The histogram needs a first sample before the fill to see a block.
 */
async function measured(fill: () => Promise<unknown>): Promise<{ wall: number; p99: number; max: number; gap: number; ticks: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, 50));
  let last = performance.now();
  let gap = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
    ticks++;
  }, 10);
  const started = performance.now();
  await fill();
  const wall = performance.now() - started;
  // One more turn, so a synchronous fill's delay is sampled.
  await new Promise((resolve) => setTimeout(resolve, 30));
  clearInterval(timer);
  delay.disable();
  return { wall, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6, gap, ticks };
}

const describe = (what: string, stale: number, m: Awaited<ReturnType<typeof measured>>): string =>
  `    ${what}: ${(m.wall / 1000).toFixed(1)} s for ${stale} problems (${((m.wall * 1000) / stale).toFixed(0)} µs each); host event-loop delay p99 ${m.p99.toFixed(0)} ms, max ${m.max.toFixed(0)} ms; a 10 ms timer ticked ${m.ticks} times, longest gap ${m.gap.toFixed(0)} ms`;

/** Both fills on db's file, the keys left filled. */
export async function firstKeyFill(db: Db): Promise<void> {
  console.log('  first key fill (every problem stale):');
  const stale = unkey(db);
  const sync = await measured(async () => refreshOrderKeys(db));
  console.log(describe('host thread (synchronous)', stale, sync));
  unkey(db);
  const inWorker = await measured(() => fillOrderKeysInWorker(db.name, { workerFile: WORKER }));
  console.log(describe('worker thread           ', stale, inWorker));
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: node benchmarks/ui/keyFill.ts <project.db>');
  const db = openStore(file);
  try {
    await firstKeyFill(db);
  } finally {
    db.close();
  }
}
