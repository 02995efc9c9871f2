import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { parseJsonDocument } from '../io/textFile.ts';
import type { Db } from '../store/db.ts';
import { cachedStatement, inTransaction } from '../store/db.ts';

/** `.mapd/team.json`, committed: the team's curators and how many of them decide each mistake. */
export interface TeamConfig {
  curators: string[];
  overlap: number;
}

export function teamConfigFile(dbFile: string): string {
  return path.join(path.dirname(path.resolve(dbFile)), 'team.json');
}

/** The team's configuration, or undefined when the project has no team.json (no assignment: everyone sees every mistake). */
export function readTeamConfig(dbFile: string): TeamConfig | undefined {
  const file = teamConfigFile(dbFile);
  if (!fs.existsSync(file)) return undefined;
  const value = parseJsonDocument(file, fs.readFileSync(file, 'utf8'));
  const next = 'Write {"curators": ["ana", "ben"], "overlap": 2}';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UserError('team.json should be an object', { where: file, next });
  const { curators, overlap } = value as Record<string, unknown>;
  if (!Array.isArray(curators) || curators.length === 0 || !curators.every((c) => typeof c === 'string' && c.trim() !== ''))
    throw new UserError('"curators" should be a list of names', { where: file, next });
  const names = [...new Set(curators as string[])];
  if (typeof overlap !== 'number' || !Number.isInteger(overlap) || overlap < 1 || overlap > names.length)
    throw new UserError(`"overlap" should be a whole number from 1 to ${names.length} (the curators listed)`, { where: file, next });
  return { curators: names, overlap };
}

/**
 * The curators a problem goes to: the `overlap` curators whose hash with the problem's identity
 * (task, split, source id) is highest (rendezvous hashing). The same on every clone, for any order
 * of the list; adding a curator moves only the problems the newcomer now wins.
 */
export function assignees(problem: { task: string; split: string; sourceId: string }, config: TeamConfig): string[] {
  const weight = (curator: string): string =>
    createHash('sha256')
      .update(JSON.stringify([curator, problem.task, problem.split, problem.sourceId]))
      .digest('hex');
  return [...config.curators]
    .map((curator) => ({ curator, weight: weight(curator) }))
    .sort((a, b) => (a.weight < b.weight ? 1 : a.weight > b.weight ? -1 : 0))
    .slice(0, config.overlap)
    .map((a) => a.curator);
}

/** Rebuilds who curates which problem (every problem with critiques or rationales); returns how many are the local curator's. */
export function rebuildAssignments(db: Db, config: TeamConfig | undefined, localCurator: string): number {
  return inTransaction(db, () => {
    cachedStatement(db, 'DELETE FROM team_assignments').run();
    if (!config) return 0;
    const problems = cachedStatement(
      db,
      `SELECT p.id, p.task, p.split, p.source_id FROM problems p WHERE EXISTS (SELECT 1 FROM teacher_outputs o WHERE o.problem_id = p.id AND o.kind <> 'adhoc')`,
    ).all() as { id: number; task: string; split: string; source_id: string }[];
    const insert = cachedStatement(db, 'INSERT INTO team_assignments (problem_id, curator, mine) VALUES (?, ?, ?)');
    let mine = 0;
    for (const p of problems) {
      for (const curator of assignees({ task: p.task, split: p.split, sourceId: p.source_id }, config)) {
        insert.run(p.id, curator, curator === localCurator ? 1 : 0);
        if (curator === localCurator) mine++;
      }
    }
    return mine;
  });
}

export interface CuratorProgress {
  curator: string;
  /** Problems assigned to them. */
  assigned: number;
  /** Of those, the ones they decided an item of (synced decisions). */
  decided: number;
}

/** Progress per curator of the team's assignment; null without team.json (nothing assigned). */
export function assignmentProgress(db: Db): { overlap: number; curators: CuratorProgress[] } | null {
  const rows = db
    .prepare(
      `SELECT a.curator, COUNT(*) AS assigned,
          SUM(EXISTS (SELECT 1 FROM team_decisions d JOIN teacher_outputs o ON o.id = d.output_id
            WHERE o.problem_id = a.problem_id AND d.curator = a.curator AND d.role = 'curator')) AS decided
        FROM team_assignments a GROUP BY a.curator ORDER BY a.curator`,
    )
    .all() as CuratorProgress[];
  if (rows.length === 0) return null;
  const perProblem = db.prepare('SELECT COUNT(*) AS n FROM team_assignments GROUP BY problem_id LIMIT 1').get() as { n: number };
  return { overlap: perProblem.n, curators: rows };
}

/** The "my queue" filter as a condition on a mistake `m`: the local curator is one of its assignees. */
export const ASSIGNED_TO_ME = 'EXISTS (SELECT 1 FROM team_assignments a WHERE a.problem_id = m.problem_id AND a.mine = 1)';
