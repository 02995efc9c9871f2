import path from 'node:path';
import type { Db } from '../../../src/core/store/db.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { tempDir } from '../helpers.ts';

/** A fresh project database in a temp folder, closed when the test ends. */
export function freshDb(t: { after: (fn: () => void) => void }): { db: Db; dir: string; file: string } {
  const dir = tempDir(t, 'mapd-import-');
  const file = path.join(dir, 'curation.db');
  const db = openStore(file);
  t.after(() => db.close());
  return { db, dir, file };
}

/** Every row of every data table, to prove that a failed import changed nothing. */
export function snapshot(db: Db): string {
  const tables = ['problems', 'student_answers', 'teacher_outputs', 'peer_reviews', 'curation_events', 'calls'];
  return JSON.stringify(tables.map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY id`).all()));
}

export function count(db: Db, sql: string, ...params: unknown[]): number {
  return db
    .prepare(sql)
    .pluck()
    .get(...params) as number;
}
