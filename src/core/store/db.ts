import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';

export type Db = Database.Database;

export const DEFAULT_DB_RELATIVE_PATH = '.mapd/curation.db';

export interface OpenOptions {
  /** Open an existing database only; never create or migrate. */
  readonly?: boolean;
}

/**
 * Opens (creating and migrating as needed) a curation project's database: WAL so readers never
 * block the writer, foreign keys on, a busy timeout so a second process waits instead of failing.
 * A database written by a newer version of the schema is refused, never altered.
 */
export function openStore(file: string, options: OpenOptions = {}): Db {
  if (!options.readonly) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  else if (!fs.existsSync(file)) {
    throw new UserError('no curation project database here', { where: file, next: 'Create one with "MAPD: New Curation Project" or `mapd import --db PATH`' });
  }
  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw new UserError(`cannot open the database (${(error as Error).message})`, { where: file, next: 'Check the path and its permissions', cause: error });
  }
  try {
    db.pragma('busy_timeout = 5000');
    // The version is checked before anything that writes, so a newer database stays untouched.
    const version = schemaVersion(db, file);
    if (version > SCHEMA_VERSION) {
      throw new UserError(`the database has schema version ${version}, newer than this MAPD Curator understands (${SCHEMA_VERSION})`, {
        where: file,
        next: 'Update MAPD Curator; the database was left untouched',
      });
    }
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (version < SCHEMA_VERSION) {
      if (options.readonly) {
        // A reader of a project made by an older version (mapd stats, export): upgrade it once
        // (migrations are append-only and keep every row), then read it as asked.
        db.close();
        openStore(file).close();
        return openStore(file, options);
      }
      migrate(db, version);
    }
  } catch (error) {
    if (db.open) db.close();
    throw error;
  }
  return db;
}

function schemaVersion(db: Db, file: string): number {
  try {
    // user_version alone does not read the file; the schema query fails on a non-database.
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    return db.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    throw new UserError('not an SQLite database', { where: file, next: 'Point MAPD at a curation project database (default .mapd/curation.db)', cause: error });
  }
}

function migrate(db: Db, from: number): void {
  const apply = db.transaction(() => {
    for (let version = from; version < SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    }
  });
  apply.immediate();
}

/** Runs fn in one IMMEDIATE transaction: all of its writes land, or none do. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/** ISO time with milliseconds, the form every time column holds. */
export function nowIso(): string {
  return new Date().toISOString();
}

const statementCache = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The connection's prepared statement for sql, prepared on first use: store functions run once
 * per row of an import or a job, and preparing costs more than running a simple statement.
 */
export function cachedStatement(db: Db, sql: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
