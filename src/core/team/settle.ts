import { groupBy } from '../export/bundles.ts';
import type { CurationState } from '../model.ts';
import type { Db } from '../store/db.ts';
import { allCurationStates } from '../store/events.ts';
import type { TeamDecision } from './teamStore.ts';
import { teamDecisions } from './teamStore.ts';
import { cachedStatement } from '../store/db.ts';

/**
 * How the export settles an item no adjudicator decided, when the team's decisions were synced:
 *   majority   the decision more than half of the curators who decided it took (one curator: theirs);
 *              a tie leaves it undecided. Of edits, the text most of them wrote (a tie: the earliest).
 *   unanimous  at least two curators decided it and all took the same decision (edits: the same text).
 *   mine       the local curator's own decisions (this database's log), as without a team.
 * An adjudicator's decision settles the item under every rule.
 */
export type TeamRule = 'majority' | 'unanimous' | 'mine';
export const TEAM_RULES: readonly TeamRule[] = ['majority', 'unanimous', 'mine'];
export const DEFAULT_TEAM_RULE: TeamRule = 'majority';

function state(d: TeamDecision, curator: string): CurationState {
  return {
    outputId: d.outputId,
    decision: d.decision === 'rejected' ? 'rejected' : 'accepted',
    editedText: d.decision === 'edited' ? d.text : null,
    lastEventAt: d.at,
    curator,
  };
}

/** What a decision trains: the category, and for an edit its text. */
const verdictOf = (d: TeamDecision): string => (d.decision === 'edited' ? `edited\u0000${d.text ?? ''}` : d.decision);

/** The curators' decisions on one item settled by the rule; undefined when the rule leaves it open. */
function settle(decisions: readonly TeamDecision[], rule: 'majority' | 'unanimous'): CurationState | undefined {
  const first = decisions[0];
  if (!first) return undefined;
  if (rule === 'unanimous') {
    if (decisions.length < 2 || !decisions.every((d) => verdictOf(d) === verdictOf(first))) return undefined;
    return state(first, `unanimous: ${decisions.map((d) => d.curator).join(', ')}`);
  }
  const byCategory = groupBy(decisions, (d) => d.decision);
  const winner = [...byCategory.values()].find((list) => list.length * 2 > decisions.length);
  if (!winner) return undefined;
  // Among edits: the text most of them wrote, then the earliest.
  const byText = groupBy(winner, verdictOf);
  const chosen = [...byText.values()].sort(
    (a, b) => b.length - a.length || ((a[0] as TeamDecision).at < (b[0] as TeamDecision).at ? -1 : 1),
  )[0] as TeamDecision[];
  const pick = [...chosen].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))[0] as TeamDecision;
  return state(pick, `majority: ${winner.map((d) => d.curator).join(', ')}`);
}

/**
 * The decision states the export uses: undefined when no team decisions were synced (the local
 * log decides, as ever). Otherwise per output: the latest adjudicator's decision, else the rule.
 */
export function settledStates(db: Db, rule: TeamRule = DEFAULT_TEAM_RULE): Map<number, CurationState> | undefined {
  if (cachedStatement(db, 'SELECT 1 FROM team_events LIMIT 1').get() === undefined) return undefined;
  const states = rule === 'mine' ? allCurationStates(db) : new Map<number, CurationState>();
  const byOutput = groupBy(teamDecisions(db), (d) => d.outputId);
  for (const [outputId, decisions] of byOutput) {
    const adjudications = decisions
      .filter((d) => d.role === 'adjudicator')
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.curator < b.curator ? -1 : 1));
    const last = adjudications[adjudications.length - 1];
    if (last) {
      states.set(outputId, state(last, `adjudicated by ${last.curator}`));
      continue;
    }
    if (rule === 'mine') continue;
    const settled = settle(
      decisions.filter((d) => d.role === 'curator'),
      rule,
    );
    if (settled) states.set(outputId, settled);
  }
  return states;
}
