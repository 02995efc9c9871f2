import { groupBy } from '../export/bundles.ts';
import type { Db } from '../store/db.ts';
import { cohensKappa, krippendorffAlpha } from '../stats/nominalAgreement.ts';
import type { CuratorProgress } from './assignment.ts';
import { assignmentProgress } from './assignment.ts';

/**
 * A curator's decision as a nominal category. An edit is a category of its own: it keeps the item
 * but says the text as written was not good enough, which is neither an accept nor a reject. Two
 * edits agree whatever their texts (the texts are compared in the adjudication view, not here).
 */
export type TeamCategory = 'accept' | 'edit' | 'reject';

export interface PairAgreement {
  curators: [string, string];
  /** Items both decided. */
  items: number;
  agreements: number;
  kappa: number | null;
}

export interface GroupAgreement {
  /** Items at least two curators decided (those Krippendorff's alpha counts). */
  items: number;
  alpha: number | null;
  pairs: PairAgreement[];
}

export interface TeamAgreement {
  curators: string[];
  /** Per curator: the items they decided (their progress). */
  decided: Record<string, number>;
  overall: GroupAgreement;
  byTeacher: Record<string, GroupAgreement>;
  byKind: Record<string, GroupAgreement>;
  /** Items with two or more curators' decisions that are not all the same category, and of those the ones an adjudicator settled. */
  disagreements: number;
  adjudicated: number;
  /** With .mapd/team.json: per curator the mistakes assigned and decided; null without one. */
  assignment: { overlap: number; curators: CuratorProgress[] } | null;
}

interface ItemRatings {
  teacher: string;
  kind: string;
  /** curator -> category */
  ratings: Map<string, TeamCategory>;
}

const CATEGORY = { accepted: 'accept', edited: 'edit', rejected: 'reject' } as const;

function groupAgreement(items: readonly ItemRatings[], curators: readonly string[]): GroupAgreement {
  const pairs: PairAgreement[] = [];
  for (let i = 0; i < curators.length; i++) {
    for (let j = i + 1; j < curators.length; j++) {
      const a = curators[i] as string;
      const b = curators[j] as string;
      const both: [string, string][] = [];
      for (const item of items) {
        const x = item.ratings.get(a);
        const y = item.ratings.get(b);
        if (x !== undefined && y !== undefined) both.push([x, y]);
      }
      const k = cohensKappa(both);
      pairs.push({ curators: [a, b], items: k.items, agreements: k.agreements, kappa: k.kappa });
    }
  }
  const alpha = krippendorffAlpha(items.map((item) => [...item.ratings.values()]));
  return { items: alpha.units, alpha: alpha.alpha, pairs };
}

function groupedAgreement(items: readonly ItemRatings[], key: (item: ItemRatings) => string, curators: readonly string[]): Record<string, GroupAgreement> {
  const groups = groupBy(items, key);
  return Object.fromEntries([...groups.keys()].sort().map((k) => [k, groupAgreement(groups.get(k) as ItemRatings[], curators)]));
}

/** Agreement between the team's curators (adjudicators' decisions left out), overall, per teacher and per kind. */
export function teamAgreement(db: Db): TeamAgreement {
  const rows = db
    .prepare(
      `SELECT d.output_id, d.curator, d.decision, o.teacher, o.kind FROM team_decisions d JOIN teacher_outputs o ON o.id = d.output_id
        WHERE d.role = 'curator' ORDER BY d.output_id, d.curator`,
    )
    .all() as { output_id: number; curator: string; decision: keyof typeof CATEGORY; teacher: string; kind: string }[];
  const byOutput = new Map<number, ItemRatings>();
  const decided: Record<string, number> = {};
  for (const row of rows) {
    let item = byOutput.get(row.output_id);
    if (!item) byOutput.set(row.output_id, (item = { teacher: row.teacher, kind: row.kind, ratings: new Map() }));
    item.ratings.set(row.curator, CATEGORY[row.decision]);
    decided[row.curator] = (decided[row.curator] ?? 0) + 1;
  }
  const curators = Object.keys(decided).sort();
  const items = [...byOutput.values()];
  const settled = new Set(
    (db.prepare(`SELECT DISTINCT output_id FROM team_decisions WHERE role = 'adjudicator'`).all() as { output_id: number }[]).map((r) => r.output_id),
  );
  let disagreements = 0;
  let adjudicated = 0;
  for (const [outputId, item] of byOutput) {
    if (new Set(item.ratings.values()).size > 1) {
      disagreements++;
      if (settled.has(outputId)) adjudicated++;
    }
  }
  return {
    curators,
    decided,
    overall: groupAgreement(items, curators),
    byTeacher: groupedAgreement(items, (i) => i.teacher, curators),
    byKind: groupedAgreement(items, (i) => i.kind, curators),
    disagreements,
    adjudicated,
    assignment: assignmentProgress(db),
  };
}
