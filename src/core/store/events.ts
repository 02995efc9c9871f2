import type { CurationAction, CurationEvent, CurationState } from '../model.ts';
import type { Db } from './db.ts';
import { cachedStatement, inTransaction, nowIso } from './db.ts';

interface EventRow {
  id: number;
  output_id: number;
  action: string;
  text: string | null;
  undoes_event_id: number | null;
  batch: string | null;
  curator: string;
  at: string;
  verdict_shown: number | null;
  decision_ms: number | null;
}

function eventFromRow(row: EventRow): CurationEvent {
  return {
    id: row.id,
    outputId: row.output_id,
    action: row.action as CurationAction,
    text: row.text,
    undoesEventId: row.undoes_event_id,
    batch: row.batch,
    curator: row.curator,
    at: row.at,
    verdictShown: row.verdict_shown === null ? null : row.verdict_shown === 1,
    decisionMs: row.decision_ms,
  };
}

/** How a decision was taken, as the panel saw it: the peer verdict on screen or not (blind mode), and ms since the item was first shown. */
export interface DecisionTelemetry {
  verdictShown: boolean | null;
  decisionMs: number | null;
}

export interface DecisionInput {
  outputId: number;
  action: 'accept' | 'reject' | 'edit';
  /** The new text, for edit. */
  text?: string;
  curator: string;
  batch?: string;
  telemetry?: DecisionTelemetry;
}

/** Appends one human decision; it is durable when this returns. */
export function recordDecision(db: Db, decision: DecisionInput): CurationEvent {
  if (decision.action === 'edit' && (decision.text === undefined || decision.text.trim() === '')) {
    throw new Error('an edit needs the new, non-empty text');
  }
  const row = cachedStatement(
    db,
    `INSERT INTO curation_events (output_id, action, text, batch, curator, at, verdict_shown, decision_ms)
      VALUES (@outputId, @action, @text, @batch, @curator, @at, @verdictShown, @decisionMs) RETURNING *`,
  ).get({
    outputId: decision.outputId,
    action: decision.action,
    text: decision.action === 'edit' ? decision.text : null,
    batch: decision.batch ?? null,
    curator: decision.curator,
    at: nowIso(),
    verdictShown: decision.telemetry?.verdictShown === undefined || decision.telemetry.verdictShown === null ? null : decision.telemetry.verdictShown ? 1 : 0,
    decisionMs: decision.telemetry?.decisionMs ?? null,
  }) as EventRow;
  return eventFromRow(row);
}

/** Records many decisions as one bulk action: one transaction, one batch id, undone together. */
export function recordBulkDecisions(db: Db, decisions: readonly Omit<DecisionInput, 'batch'>[], batch: string): CurationEvent[] {
  return inTransaction(db, () => decisions.map((d) => recordDecision(db, { ...d, batch })));
}

/**
 * The one definition of a decision in force (README, Glossary): an accept, reject or edit event
 * that no undo event names. Queries append `AND …` conditions on `e`.
 */
export const ACTIVE_DECISIONS = `
  SELECT * FROM curation_events e
  WHERE e.action <> 'undo'
    AND NOT EXISTS (SELECT 1 FROM curation_events u WHERE u.action = 'undo' AND u.undoes_event_id = e.id)`;

/** Decided outputs: teacher outputs with a decision in force (accepted, edited or rejected, not undone). */
export function decidedOutputCount(db: Db): number {
  return (cachedStatement(db, `SELECT COUNT(DISTINCT output_id) AS n FROM (${ACTIVE_DECISIONS})`).get() as { n: number }).n;
}

/**
 * Undoes the most recent decision still in force, whichever item it was on (a bulk action is
 * undone whole). Returns the undone events, empty when there is nothing to undo.
 */
export function undoLastDecision(db: Db, curator: string): CurationEvent[] {
  return inTransaction(db, () => {
    const last = cachedStatement(db, `${ACTIVE_DECISIONS} ORDER BY e.id DESC LIMIT 1`).get() as EventRow | undefined;
    if (!last) return [];
    const targets = last.batch ? (cachedStatement(db, `${ACTIVE_DECISIONS} AND e.batch = ? ORDER BY e.id`).all(last.batch) as EventRow[]) : [last];
    const insert = cachedStatement(
      db,
      `INSERT INTO curation_events (output_id, action, undoes_event_id, batch, curator, at)
      VALUES (@outputId, 'undo', @undoes, @batch, @curator, @at)`,
    );
    const at = nowIso();
    for (const target of targets) insert.run({ outputId: target.output_id, undoes: target.id, batch: target.batch, curator, at });
    return targets.map(eventFromRow);
  });
}

/** Folds an output's decisions in force (in order) into its current state; the team's decisions fold the same way (src/core/team/teamStore.ts). */
export function foldState(outputId: number, active: readonly Pick<EventRow, 'action' | 'text' | 'at' | 'curator'>[]): CurationState {
  const state: CurationState = { outputId, decision: 'undecided', editedText: null, lastEventAt: null, curator: null };
  for (const event of active) {
    if (event.action === 'accept') state.decision = 'accepted';
    else if (event.action === 'reject') state.decision = 'rejected';
    else if (event.action === 'edit') {
      state.decision = 'accepted';
      state.editedText = event.text;
    }
    state.lastEventAt = event.at;
    state.curator = event.curator;
  }
  return state;
}

export function curationState(db: Db, outputId: number): CurationState {
  const active = cachedStatement(db, `${ACTIVE_DECISIONS} AND e.output_id = ? ORDER BY e.id`).all(outputId) as EventRow[];
  return foldState(outputId, active);
}

/** Current states of every output that has a decision in force, keyed by output id. */
export function allCurationStates(db: Db, problemId?: number): Map<number, CurationState> {
  const sql =
    problemId === undefined
      ? `${ACTIVE_DECISIONS} ORDER BY e.output_id, e.id`
      : `${ACTIVE_DECISIONS} AND e.output_id IN (SELECT id FROM teacher_outputs WHERE problem_id = ?) ORDER BY e.output_id, e.id`;
  return foldStates((problemId === undefined ? cachedStatement(db, sql).all() : cachedStatement(db, sql).all(problemId)) as EventRow[]);
}

/** The decision states in force on the outputs of problems firstId..lastId (a page of an export). */
export function curationStatesOfProblems(db: Db, firstId: number, lastId: number): Map<number, CurationState> {
  const sql = `${ACTIVE_DECISIONS} AND e.output_id IN (SELECT id FROM teacher_outputs WHERE problem_id BETWEEN ? AND ?) ORDER BY e.output_id, e.id`;
  return foldStates(cachedStatement(db, sql).all(firstId, lastId) as EventRow[]);
}

function foldStates(rows: readonly EventRow[]): Map<number, CurationState> {
  const byOutput = new Map<number, EventRow[]>();
  for (const row of rows) {
    const list = byOutput.get(row.output_id);
    if (list) list.push(row);
    else byOutput.set(row.output_id, [row]);
  }
  const states = new Map<number, CurationState>();
  for (const [outputId, active] of byOutput) states.set(outputId, foldState(outputId, active));
  return states;
}

export function listEvents(db: Db, outputId?: number): CurationEvent[] {
  const rows = (
    outputId === undefined
      ? cachedStatement(db, 'SELECT * FROM curation_events ORDER BY id').all()
      : cachedStatement(db, 'SELECT * FROM curation_events WHERE output_id = ? ORDER BY id').all(outputId)
  ) as EventRow[];
  return rows.map(eventFromRow);
}
