import type { CuratedKind } from '../model.ts';
import type { Db } from '../store/db.ts';
import type { DecisionTelemetry } from '../store/events.ts';
import { recordDecision, undoLastDecision } from '../store/events.ts';
import { recordConfirmedBulk } from './storeDecisions.ts';
import { UserError } from '../errors.ts';
import type { CurationIndex } from './mistakeIndex.ts';
import { rebuildIndex, refreshMistake } from './mistakeIndex.ts';

/** Beyond this many changed mistakes, one rebuild of the index is cheaper than refreshing each. */
const REBUILD_ABOVE = 200;

export interface DecisionRequest {
  outputId: number;
  action: 'accept' | 'reject' | 'edit';
  text: string | null;
  /** What the event records about how it was taken (decision telemetry); absent: unknown. */
  telemetry?: DecisionTelemetry;
}

/** Writes one decision (durable when this returns) and brings the index up to date; returns the mistake's problem id. */
export function decide(db: Db, index: CurationIndex, request: DecisionRequest, curator: string): number {
  const problemId = index.problemOfOutput.get(request.outputId);
  if (problemId === undefined) {
    throw new UserError(`output ${request.outputId} is not a critique or rationale of any mistake in this project`, { next: 'Refresh the panel' });
  }
  if (request.action === 'edit' && (request.text === null || request.text.trim() === '')) {
    throw new UserError('an edit needs some text', { where: `output ${request.outputId}`, next: 'Type the new text, or press Esc to cancel' });
  }
  recordDecision(db, {
    outputId: request.outputId,
    action: request.action,
    curator,
    ...(request.action === 'edit' ? { text: request.text as string } : {}),
    ...(request.telemetry ? { telemetry: request.telemetry } : {}),
  });
  refreshMistake(db, index, problemId);
  return problemId;
}

export interface UndoResult {
  /** The mistake and output of the last undone decision: where the panel goes to show it. */
  problemId: number;
  outputId: number;
  undone: number;
  changedProblems: number[];
}

/** Undoes the latest decision in force (a bulk action whole); null when there is nothing to undo. */
export function undo(db: Db, index: CurationIndex, curator: string): UndoResult | null {
  const undone = undoLastDecision(db, curator);
  const last = undone[undone.length - 1];
  if (!last) return null;
  const changed = [...new Set(undone.map((e) => index.problemOfOutput.get(e.outputId)).filter((id): id is number => id !== undefined))];
  if (changed.length > REBUILD_ABOVE) rebuildIndex(db, index);
  else for (const problemId of changed) refreshMistake(db, index, problemId);
  const problemId = index.problemOfOutput.get(last.outputId);
  if (problemId === undefined) return null;
  return { problemId, outputId: last.outputId, undone: undone.length, changedProblems: changed };
}

export interface BulkCandidate {
  problemId: number;
  outputId: number;
}

/**
 * The bulk action's targets: for each mistake with no human decision yet on that kind, its
 * top-ranked output when the peers accepted it and agree (at least two valid scores, spread ≤ 1).
 */
export function bulkCandidates(index: CurationIndex, kind: CuratedKind): BulkCandidate[] {
  const candidates: BulkCandidate[] = [];
  for (const problemId of index.order) {
    const summary = index.byProblem.get(problemId);
    if (!summary) continue;
    const items = kind === 'critique' ? summary.critiques : summary.rationales;
    const top = items[0];
    if (!top || items.some((i) => i.decision !== 'undecided')) continue;
    if (top.verdict.accepted && top.verdict.validScores >= 2 && top.verdict.spread <= 1) candidates.push({ problemId, outputId: top.facts.outputId });
  }
  return candidates;
}

/**
 * Accepts every bulk candidate in one transaction under one batch id (one undo reverts it all).
 * Refuses when the candidates no longer number what the user confirmed.
 */
export function applyBulk(
  db: Db,
  index: CurationIndex,
  kind: CuratedKind,
  expectedCount: number,
  curator: string,
): { count: number; batch: string; changedProblems: number[] } {
  const candidates = bulkCandidates(index, kind);
  const result = recordConfirmedBulk(db, kind, candidates, expectedCount, curator);
  if (candidates.length > REBUILD_ABOVE) rebuildIndex(db, index);
  else for (const candidate of candidates) refreshMistake(db, index, candidate.problemId);
  return result;
}
