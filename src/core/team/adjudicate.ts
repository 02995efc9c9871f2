import { UserError } from '../errors.ts';
import { identityOf } from '../decisions/identity.ts';
import type { Db } from '../store/db.ts';
import { nowIso } from '../store/db.ts';
import type { TeamEvent } from './eventLine.ts';
import { teamEventId } from './eventLine.ts';
import { appendNewEvents, decisionFile, decisionsFolder } from './sync.ts';
import { addTeamEvents, rebuildTeamDecisions } from './teamStore.ts';

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
