import { UserError } from '../errors.ts';
import { identityOf } from '../decisions/identity.ts';
import type { Db } from '../store/db.ts';
import { nowIso } from '../store/db.ts';
import type { TeamEvent } from './eventLine.ts';
import { teamEventId } from './eventLine.ts';
import { appendNewEvents, decisionFile, decisionsFolder } from './sync.ts';
import type { IdentityColumns } from './teamStore.ts';
import { addTeamEvents, identityFromColumns, rebuildTeamDecisions } from './teamStore.ts';

export interface AdjudicationInput {
  dbFile: string;
  /** The adjudicator: their own decision file records it. */
  curator: string;
  outputId: number;
  action: 'accept' | 'reject' | 'edit';
  text?: string;
}

/**
 * Records an adjudicator's decision, which settles the item for the team (export, the "curators
 * disagree" view): appended to the adjudicator's own decision file (so it travels by git like any
 * decision) and added to the team table at once. The local working log is not touched.
 */
export function recordAdjudication(db: Db, input: AdjudicationInput): TeamEvent {
  if (input.action === 'edit' && (input.text === undefined || input.text.trim() === '')) throw new UserError('an edit needs the new, non-empty text');
  const output = identityOf(db, input.outputId);
  if (!output) throw new UserError(`no critique or rationale ${input.outputId} in this project`, { next: 'Refresh the panel and try again' });
  const content = {
    curator: input.curator,
    role: 'adjudicator' as const,
    action: input.action,
    output,
    text: input.action === 'edit' ? (input.text as string) : null,
    undoes: null,
    at: nowIso(),
  };
  const event: TeamEvent = { id: teamEventId(content), ...content };
  appendNewEvents(decisionFile(decisionsFolder(input.dbFile), input.curator), [event]);
  addTeamEvents(db, [event]);
  rebuildTeamDecisions(db, input.outputId);
  return event;
}

interface AdjudicationRow extends IdentityColumns {
  id: string;
  output_id: number | null;
  problem_id: number | null;
}

/**
 * Takes back the adjudicator's latest adjudication still in force (undo in the adjudication view):
 * an undo event in their own file, the item open again for the team. Returns the output and
 * problem it was on (null when not in this project), or undefined when there is nothing to undo.
 */
export function undoLastAdjudication(db: Db, input: { dbFile: string; curator: string }): { outputId: number | null; problemId: number | null } | undefined {
  const last = db
    .prepare(
      `SELECT e.id, e.output_id, (SELECT o.problem_id FROM teacher_outputs o WHERE o.id = e.output_id) AS problem_id, e.task, e.split, e.source_id, e.kind, e.teacher, e.sample, e.student FROM team_events e
        WHERE e.role = 'adjudicator' AND e.curator = ? AND e.action <> 'undo'
          AND NOT EXISTS (SELECT 1 FROM team_events u WHERE u.action = 'undo' AND u.undoes = e.id)
        ORDER BY e.at DESC, e.id DESC LIMIT 1`,
    )
    .get(input.curator) as AdjudicationRow | undefined;
  if (!last) return undefined;
  const content = {
    curator: input.curator,
    role: 'adjudicator' as const,
    action: 'undo' as const,
    output: identityFromColumns(last),
    text: null,
    undoes: last.id,
    at: nowIso(),
  };
  const event: TeamEvent = { id: teamEventId(content), ...content };
  appendNewEvents(decisionFile(decisionsFolder(input.dbFile), input.curator), [event]);
  addTeamEvents(db, [event]);
  if (last.output_id !== null) rebuildTeamDecisions(db, last.output_id);
  return { outputId: last.output_id, problemId: last.problem_id };
}
