import type { CurationEvent } from '../model.ts';

/**
 * Curation time per item, from the event log. A curator's decisions are taken in time order and
 * the gap between one decision and the next is the time the next one took. Gaps longer than the
 * idle cutoff (default 10 minutes) are a break, not work, and are left out; a bulk action (events
 * sharing a batch) counts as one decision at its first event; undo events are not decisions.
 * The figure is the median of the kept gaps, robust to the odd long look at a hard item.
 */
export const DEFAULT_IDLE_CUTOFF_MS = 10 * 60 * 1000;

export interface CuratorTiming {
  curator: string;
  decisions: number;
  /** Gaps kept (at most decisions − 1). */
  gaps: number;
  /** Gaps left out as breaks. */
  breaks: number;
  medianSeconds: number | null;
  /** The kept gaps summed: time spent deciding. */
  activeSeconds: number;
}

export interface CurationTiming {
  idleCutoffSeconds: number;
  /** Over every curator's kept gaps together. */
  medianSeconds: number | null;
  decisions: number;
  activeSeconds: number;
  curators: CuratorTiming[];
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function curationTiming(events: readonly CurationEvent[], idleCutoffMs = DEFAULT_IDLE_CUTOFF_MS): CurationTiming {
  const byCurator = new Map<string, number[]>();
  const seenBatches = new Set<string>();
  for (const event of events) {
    if (event.action === 'undo') continue;
    if (event.batch !== null) {
      const key = `${event.curator}\u0000${event.batch}`;
      if (seenBatches.has(key)) continue;
      seenBatches.add(key);
    }
    const at = Date.parse(event.at);
    if (!Number.isFinite(at)) continue;
    const times = byCurator.get(event.curator);
    if (times) times.push(at);
    else byCurator.set(event.curator, [at]);
  }
  const allGaps: number[] = [];
  const curators: CuratorTiming[] = [];
  for (const [curator, times] of [...byCurator].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    times.sort((a, b) => a - b);
    const gaps: number[] = [];
    let breaks = 0;
    for (let i = 1; i < times.length; i++) {
      const gap = (times[i] as number) - (times[i - 1] as number);
      if (gap > idleCutoffMs) breaks++;
      else gaps.push(gap / 1000);
    }
    allGaps.push(...gaps);
    curators.push({ curator, decisions: times.length, gaps: gaps.length, breaks, medianSeconds: median(gaps), activeSeconds: sum(gaps) });
  }
  return {
    idleCutoffSeconds: idleCutoffMs / 1000,
    medianSeconds: median(allGaps),
    decisions: curators.reduce((n, c) => n + c.decisions, 0),
    activeSeconds: sum(allGaps),
    curators,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
