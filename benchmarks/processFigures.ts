import { execFileSync } from 'node:child_process';

/**
 * What the import and export benchmarks measure of one run in a child process of its own: wall
 * time, CPU time (what the load of other processes does not change) and peak RSS (worker threads
 * included), and whether the progress reports moved forward to the end.
 */
export interface ProcessFigures {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  progress: { events: number; monotonic: boolean; last: [number, number] | null };
}

/** This process's figures since `started` (process.hrtime.bigint()), with the progress events it saw. */
export function processFigures(started: bigint, events: readonly [number, number][]): ProcessFigures {
  const usage = process.resourceUsage();
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    maxRssMb: usage.maxRSS / 1024,
    progress: {
      events: events.length,
      monotonic: events.every(([done], i) => i === 0 || done > (events[i - 1] as [number, number])[0]),
      last: events.at(-1) ?? null,
    },
  };
}

/** Runs `script --one …args` in a fresh node process; its stdout is the JSON of its figures. */
export function inChildProcess<T>(script: string, args: readonly string[]): T {
  return JSON.parse(execFileSync(process.execPath, [script, '--one', ...args], { encoding: 'utf8', maxBuffer: 1 << 20 })) as T;
}

export function describeFigures(m: ProcessFigures): string {
  return `${m.seconds.toFixed(2)} s, CPU ${m.cpuSeconds.toFixed(1)} s, peak RSS ${Math.round(m.maxRssMb)} MB`;
}

export function describeProgress(m: ProcessFigures): string {
  const p = m.progress;
  return `progress ${p.events} events, ${p.monotonic ? 'monotonic' : 'NOT MONOTONIC'}, last ${JSON.stringify(p.last)}`;
}
