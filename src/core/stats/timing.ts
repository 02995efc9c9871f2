import type { CurationEvent } from '../model.ts';
import { REWRITE_SHARE } from '../curation/editSize.ts';

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

/**
 * Decision telemetry: what the panel measured about each decision. Seconds are from the item's
 * first display in the panel to its decision (decision_ms on the event; decisions without one —
 * bulk, CLI, older events — are not timed), each capped at the idle cutoff so a break does not
 * count as a look. Decisions per hour = timed decisions per hour of their summed seconds. Edit
 * sizes compare each edit with the teacher's original text (src/core/curation/editSize.ts).
 */
export interface DecisionRecord {
  curator: string;
  teacher: string;
  action: 'accept' | 'reject' | 'edit';
  decisionMs: number | null;
  /** For edits: how much of the original it changed. */
  edit: { charsChanged: number; wordsChanged: number; wordShare: number } | null;
}

export interface TelemetryGroup {
  /** The teacher or curator name. */
  name: string;
  decisions: number;
  timed: number;
  medianSeconds: number | null;
  decisionsPerHour: number | null;
  edits: number;
  medianCharsChanged: number | null;
  medianWordsChanged: number | null;
  /** Median share of the original's words an edit replaced. */
  medianWordShare: number | null;
  /** Edits that replaced more than half of the teacher's words. */
  rewrites: number;
}

export interface DecisionTelemetry {
  overall: TelemetryGroup;
  byTeacher: TelemetryGroup[];
  byCurator: TelemetryGroup[];
}

function telemetryGroup(name: string, records: readonly DecisionRecord[], idleCutoffMs: number): TelemetryGroup {
  const seconds = records.flatMap((r) => (r.decisionMs === null || r.decisionMs < 0 ? [] : [Math.min(r.decisionMs, idleCutoffMs) / 1000]));
  const edits = records.flatMap((r) => (r.edit ? [r.edit] : []));
  const total = sum(seconds);
  return {
    name,
    decisions: records.length,
    timed: seconds.length,
    medianSeconds: median(seconds),
    decisionsPerHour: total > 0 ? (seconds.length * 3600) / total : null,
    edits: edits.length,
    medianCharsChanged: median(edits.map((e) => e.charsChanged)),
    medianWordsChanged: median(edits.map((e) => e.wordsChanged)),
    medianWordShare: median(edits.map((e) => e.wordShare)),
    rewrites: edits.filter((e) => e.wordShare > REWRITE_SHARE).length,
  };
}

function groupsBy(records: readonly DecisionRecord[], key: (r: DecisionRecord) => string, idleCutoffMs: number): TelemetryGroup[] {
  const groups = new Map<string, DecisionRecord[]>();
  for (const record of records) {
    const list = groups.get(key(record));
    if (list) list.push(record);
    else groups.set(key(record), [record]);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, list]) => telemetryGroup(name, list, idleCutoffMs));
}

export function decisionTelemetry(records: readonly DecisionRecord[], idleCutoffMs = DEFAULT_IDLE_CUTOFF_MS): DecisionTelemetry {
  return {
    overall: telemetryGroup('all', records, idleCutoffMs),
    byTeacher: groupsBy(records, (r) => r.teacher, idleCutoffMs),
    byCurator: groupsBy(records, (r) => r.curator, idleCutoffMs),
  };
}
