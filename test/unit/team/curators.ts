import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../../src/core/store/db.ts';
import { inTransaction, openStore } from '../../../src/core/store/db.ts';
import { recordDecision, undoLastDecision } from '../../../src/core/store/events.ts';
import { seedSvampRelease } from '../export/seed.ts';

/** One simulated curator: their own project folder on the SVAMP release, as a clone of the team's repository would be. */
export interface Curator {
  name: string;
  folder: string;
  dbFile: string;
  db: Db;
}

export function curatorProject(root: string, name: string): Curator {
  const folder = path.join(root, name);
  fs.mkdirSync(folder, { recursive: true });
  const dbFile = path.join(folder, '.mapd', 'curation.db');
  const db = openStore(dbFile);
  seedSvampRelease(db);
  return { name, folder, dbFile, db };
}

/**
 * How a simulated curator decides the SVAMP rationales: for the i-th rationale (by id), a verdict
 * from the peer score, with the curator's own leanings. Deterministic: the same everywhere.
 */
export type Leaning = (i: number, score: number | null) => 'accept' | 'reject' | 'edit';

/** The peers' verdict as it stands: accept above 3 (the paper's rule), else reject. */
export const follower: Leaning = (_i, score) => (score !== null && score > 3 ? 'accept' : 'reject');
/** Follows the peers, but edits every 7th and overrules the peers on every 5th. */
export const sceptic: Leaning = (i, score) =>
  i % 7 === 0 ? 'edit' : i % 5 === 0 ? (follower(i, score) === 'accept' ? 'reject' : 'accept') : follower(i, score);
/** Follows the peers, but edits every 7th like the sceptic and rejects every 4th. */
export const strict: Leaning = (i, score) => (i % 7 === 0 ? 'edit' : i % 4 === 0 ? 'reject' : follower(i, score));

/**
 * The curator decides the first `count` rationales (with a step of `step`) through the real store;
 * the last decision is undone and taken again, so undo events travel too.
 */
export function decide(curator: Curator, leaning: Leaning, options: { count: number; step?: number; offset?: number }): number {
  const rows = curator.db
    .prepare(
      `SELECT o.id, AVG(r.score) AS score FROM teacher_outputs o LEFT JOIN peer_reviews r ON r.output_id = o.id
        WHERE o.kind = 'rationale' GROUP BY o.id ORDER BY o.id`,
    )
    .all() as { id: number; score: number | null }[];
  const step = options.step ?? 1;
  let decided = 0;
  inTransaction(curator.db, () => {
    for (let i = options.offset ?? 0; i < rows.length && decided < options.count; i += step) {
      const row = rows[i] as { id: number; score: number | null };
      const action = leaning(i, row.score);
      recordDecision(curator.db, {
        outputId: row.id,
        action,
        curator: curator.name,
        ...(action === 'edit' ? { text: `The answer, step by step (edited, item ${i}).` } : {}),
      });
      decided++;
    }
  });
  const last = undoLastDecision(curator.db, curator.name)[0];
  if (last)
    recordDecision(curator.db, {
      outputId: last.outputId,
      action: last.action as 'accept' | 'reject' | 'edit',
      curator: curator.name,
      ...(last.text ? { text: last.text } : {}),
    });
  return decided;
}

/** The team's decisions in force, named by output identity (never ids), for comparing two projects. */
export function teamState(db: Db): string[] {
  return (
    db
      .prepare(
        `SELECT p.task || '/' || p.split || '/' || p.source_id || '/' || o.kind || '/' || o.teacher || '/' || o.sample || ' ' || d.role || ' ' || d.curator || ' ' || d.decision || ' ' || COALESCE(d.text, '') AS line
          FROM team_decisions d JOIN teacher_outputs o ON o.id = d.output_id JOIN problems p ON p.id = o.problem_id ORDER BY line`,
      )
      .all() as { line: string }[]
  ).map((r) => r.line);
}

export function teamEventIds(db: Db): string[] {
  return (db.prepare('SELECT id FROM team_events ORDER BY id').all() as { id: string }[]).map((r) => r.id);
}
