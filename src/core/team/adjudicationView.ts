import type { MistakeView, TeamItemDecision } from '../curation/view.ts';
import type { Db } from '../store/db.ts';
import { cachedStatement } from '../store/db.ts';

/**
 * The adjudication view of a mistake: each item with every curator's decision in force on it and
 * any adjudicator's, side by side. Only the "curators disagree" filter shows this; every other
 * view leaves `team` out, so a curator deciding an item never sees the others' decisions first.
 */
export function withTeamDecisions(db: Db, view: MistakeView): MistakeView {
  const decisionsOf = cachedStatement(db, 'SELECT curator, role, decision, text FROM team_decisions WHERE output_id = ? ORDER BY role DESC, curator');
  const items = (list: MistakeView['critiques']) =>
    list.map((item) => ({
      ...item,
      team: (decisionsOf.all(item.outputId) as TeamItemDecision[]).map((d) => ({ curator: d.curator, role: d.role, decision: d.decision, text: d.text })),
    }));
  return { ...view, critiques: items(view.critiques), rationales: items(view.rationales) };
}

/**
 * The "curators disagree" filter as a condition on an output `o`: two of the team's curators'
 * decisions in force on it differ (accept / edit / reject, or two edits' texts).
 */
export const CURATORS_DISAGREE_ON_O = `o.id IN (SELECT output_id FROM team_decisions WHERE role = 'curator' AND output_id = o.id
  GROUP BY output_id HAVING COUNT(DISTINCT decision || ':' || COALESCE(text, '')) > 1)`;
