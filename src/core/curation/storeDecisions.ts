import crypto from 'node:crypto';
import type { CuratedKind } from '../model.ts';
import type { Db } from '../store/db.ts';
import { recordBulkDecisions, recordDecision, undoLastDecision } from '../store/events.ts';
import { UserError } from '../errors.ts';
import { loadMistake } from './mistakeIndex.ts';
import { bulkTargets } from './mistakeQueries.ts';
import type { DecisionTelemetry } from '../store/events.ts';

/**
 * Decisions written straight to the store, with no index to keep current (decisions.ts does the
 * same against the in-memory index): what the store-backed panel session calls. Every write is
 * an appended event, so a decision made meanwhile elsewhere (the CLI, another window) is never
 * overwritten: both stand, and the last one in force decides.
 */

export interface StoreDecision {
  problemId: number;
  outputId: number;
  action: 'accept' | 'reject' | 'edit';
  text: string | null;
  /** What the event records about how it was taken (blind mode, time on screen); absent: unknown. */
  telemetry?: DecisionTelemetry;
}

/**
 * Writes one decision on an output the panel shows with the problem's mistake (durable when this
 * returns); null when the output is not one of them. settledDelta: how the settled count moved.
 */
export function decideInStore(db: Db, student: string | null, request: StoreDecision, curator: string): { settledDelta: number } | null {
  const before = loadMistake(db, request.problemId, student);
  if (!before || ![...before.critiques, ...before.rationales].some((i) => i.facts.outputId === request.outputId)) return null;
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
  const after = loadMistake(db, request.problemId, student);
  return { settledDelta: Number(after?.settled ?? false) - Number(before.settled) };
}

export interface StoreUndo {
  /** The problem and output of the last undone decision: where the panel goes to show it. */
  problemId: number;
  outputId: number;
  undone: number;
  changedProblems: number[];
}

/** Undoes the latest decision in force (a bulk action whole); null when there is nothing to undo. */
export function undoInStore(db: Db, curator: string): StoreUndo | null {
  const undone = undoLastDecision(db, curator);
  const last = undone[undone.length - 1];
  if (!last) return null;
  const problemOf = db
    .prepare('SELECT id, problem_id FROM teacher_outputs WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(undone.map((e) => e.outputId))) as { id: number; problem_id: number }[];
  const byOutput = new Map(problemOf.map((r) => [r.id, r.problem_id]));
  const changed = [...new Set(problemOf.map((r) => r.problem_id))].sort((a, b) => a - b);
  const problemId = byOutput.get(last.outputId);
  if (problemId === undefined) return null;
  return { problemId, outputId: last.outputId, undone: undone.length, changedProblems: changed };
}

/**
 * Accepts every bulk target in one transaction under one batch id (one undo reverts it all).
 * Refuses when the targets no longer number what the user confirmed (another window decided meanwhile).
 */
export function applyBulkFromStore(
  db: Db,
  student: string | null,
  kind: CuratedKind,
  expectedCount: number,
  curator: string,
): { count: number; batch: string; changedProblems: number[] } {
  return recordConfirmedBulk(db, kind, bulkTargets(db, student, kind), expectedCount, curator);
}

/**
 * The one writer of a bulk accept, whoever found the targets (the store's queries, or the
 * in-memory index the tests use): the confirmed count is checked, every target is
 * accepted in one transaction under one batch id, so one undo reverts it all.
 */
export function recordConfirmedBulk(
  db: Db,
  kind: CuratedKind,
  targets: readonly { outputId: number; problemId: number }[],
  expectedCount: number,
  curator: string,
): { count: number; batch: string; changedProblems: number[] } {
  if (targets.length !== expectedCount) {
    throw new UserError(`the bulk action now covers ${targets.length} mistakes, not the ${expectedCount} you confirmed`, {
      next: 'Run it again to see the new count',
    });
  }
  if (targets.length === 0) return { count: 0, batch: '', changedProblems: [] };
  const batch = `bulk-${kind}-${new Date().toISOString()}-${crypto.randomBytes(4).toString('hex')}`;
  recordBulkDecisions(
    db,
    targets.map((t) => ({ outputId: t.outputId, action: 'accept' as const, curator })),
    batch,
  );
  return { count: targets.length, batch, changedProblems: targets.map((t) => t.problemId) };
}
