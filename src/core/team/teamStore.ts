import type { OutputIdentity } from '../decisions/identity.ts';
import { resolveIdentity } from '../decisions/identity.ts';
import type { Db } from '../store/db.ts';
import { cachedStatement, inTransaction } from '../store/db.ts';
import { foldState } from '../store/events.ts';
import type { TeamEvent, TeamRole } from './eventLine.ts';

/** A curator's (or an adjudicator's) decision in force on one output, from the team's events. */
export interface TeamDecision {
  outputId: number;
  role: TeamRole;
  curator: string;
  decision: 'accepted' | 'edited' | 'rejected';
  text: string | null;
  at: string;
}

/**
 * Adds events to the team table; an event already there (same content hash) is left as it is, so
 * adding the same events twice, or in another order, gives the same table. Returns how many were new.
 * The output is resolved here; one not in this project is kept unresolved for a later sync.
 */
export function addTeamEvents(db: Db, events: readonly TeamEvent[]): number {
  const insert = cachedStatement(
    db,
    `INSERT OR IGNORE INTO team_events (id, curator, role, action, task, split, source_id, kind, teacher, sample, student, output_id, text, undoes, at)
      VALUES (@id, @curator, @role, @action, @task, @split, @sourceId, @kind, @teacher, @sample, @student, @outputId, @text, @undoes, @at)`,
  );
  return inTransaction(db, () => {
    let added = 0;
    for (const e of events) {
      const found = resolveIdentity(db, e.output);
      added += insert.run({
        id: e.id,
        curator: e.curator,
        role: e.role,
        action: e.action,
        ...e.output,
        outputId: 'outputId' in found ? found.outputId : null,
        text: e.text,
        undoes: e.undoes,
        at: e.at,
      }).changes;
    }
    return added;
  });
}

/** The output identity as team_events stores it, one column each. */
export interface IdentityColumns {
  task: string;
  split: string;
  source_id: string;
  kind: 'critique' | 'rationale';
  teacher: string;
  sample: number;
  student: string | null;
}

export function identityFromColumns(row: IdentityColumns): OutputIdentity {
  return { task: row.task, split: row.split, sourceId: row.source_id, kind: row.kind, teacher: row.teacher, sample: row.sample, student: row.student };
}

/** Resolves events whose output was not in this project when they were read (imported since). Returns how many stay unresolved. */
export function resolvePendingTeamEvents(db: Db): number {
  const pending = cachedStatement(
    db,
    'SELECT id, task, split, source_id, kind, teacher, sample, student FROM team_events WHERE output_id IS NULL',
  ).all() as (IdentityColumns & { id: string })[];
  const update = cachedStatement(db, 'UPDATE team_events SET output_id = ? WHERE id = ?');
  let unresolved = 0;
  inTransaction(db, () => {
    for (const row of pending) {
      const identity = identityFromColumns(row);
      const found = resolveIdentity(db, identity);
      if ('outputId' in found) update.run(found.outputId, row.id);
      else unresolved++;
    }
  });
  return unresolved;
}

interface ActiveRow {
  output_id: number;
  role: TeamRole;
  curator: string;
  action: string;
  text: string | null;
  at: string;
}

/**
 * Rebuilds team_decisions (of one output, or all) from team_events: per output, role and curator, the events no undo
 * names, in time order (then id, so ties fold the same everywhere), folded as the local log folds.
 * A derived table: the same events always give the same rows.
 */
export function rebuildTeamDecisions(db: Db, outputId?: number): void {
  inTransaction(db, () => {
    // One output (an adjudication in the panel) or all (a sync).
    const only = outputId === undefined ? '' : 'AND e.output_id = @outputId';
    const params = outputId === undefined ? {} : { outputId };
    cachedStatement(db, `DELETE FROM team_decisions ${outputId === undefined ? '' : 'WHERE output_id = @outputId'}`).run(params);
    const rows = cachedStatement(
      db,
      `SELECT e.output_id, e.role, e.curator, e.action, e.text, e.at FROM team_events e
        WHERE e.output_id IS NOT NULL AND e.action <> 'undo' ${only}
          AND NOT EXISTS (SELECT 1 FROM team_events u WHERE u.action = 'undo' AND u.undoes = e.id)
        ORDER BY e.output_id, e.role, e.curator, e.at, e.id`,
    ).all(params) as ActiveRow[];
    const insert = cachedStatement(
      db,
      'INSERT INTO team_decisions (output_id, role, curator, decision, text, at) VALUES (@outputId, @role, @curator, @decision, @text, @at)',
    );
    let start = 0;
    for (let i = 1; i <= rows.length; i++) {
      const first = rows[start] as ActiveRow;
      const row = rows[i];
      if (row && row.output_id === first.output_id && row.role === first.role && row.curator === first.curator) continue;
      const state = foldState(first.output_id, rows.slice(start, i));
      if (state.decision !== 'undecided') {
        const decision = state.decision === 'rejected' ? 'rejected' : state.editedText !== null ? 'edited' : 'accepted';
        insert.run({
          outputId: first.output_id,
          role: first.role,
          curator: first.curator,
          decision,
          text: decision === 'edited' ? state.editedText : null,
          at: state.lastEventAt,
        });
      }
      start = i;
    }
  });
}

/** Every team decision in force, by output then role and curator. */
export function teamDecisions(db: Db): TeamDecision[] {
  return (
    cachedStatement(db, 'SELECT * FROM team_decisions ORDER BY output_id, role, curator').all() as {
      output_id: number;
      role: TeamRole;
      curator: string;
      decision: TeamDecision['decision'];
      text: string | null;
      at: string;
    }[]
  ).map((r) => ({ outputId: r.output_id, role: r.role, curator: r.curator, decision: r.decision, text: r.text, at: r.at }));
}

/** Whether a sync brought in team events or an assignment (team.json): the team's statistics then apply. */
export function hasTeamData(db: Db): boolean {
  return cachedStatement(db, 'SELECT 1 FROM team_events UNION ALL SELECT 1 FROM team_assignments LIMIT 1').get() !== undefined;
}
