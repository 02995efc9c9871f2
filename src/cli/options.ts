import path from 'node:path';
import type { Db } from '../core/store/db.ts';
import { DEFAULT_DB_RELATIVE_PATH, openStore } from '../core/store/db.ts';
import type { CliIo, OptionSpec, ParsedCommandArgs } from './command.ts';

/** Every command's --db option. */
export const DB_OPTION: OptionSpec = { db: { type: 'string' } };

export const DB_HELP = '  --db PATH        the project database (default .mapd/curation.db in the current folder)';

export function dbPath(args: ParsedCommandArgs, io: CliIo): string {
  const value = args.values.db;
  return path.resolve(io.cwd, typeof value === 'string' ? value : DEFAULT_DB_RELATIVE_PATH);
}

/** Opens the project database for the command's work and always closes it. */
export function withDb<T>(args: ParsedCommandArgs, io: CliIo, work: (db: Db) => T, options: { readonly?: boolean } = {}): T {
  const db = openStore(dbPath(args, io), options);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** A usage mistake: one line on stderr and exit code 2. */
export function usageError(io: CliIo, command: string, message: string): number {
  io.stderr(`mapd ${command}: ${message}. Run mapd ${command} --help.\n`);
  return 2;
}

export function stringValue(args: ParsedCommandArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** The single FILE argument, resolved against the working folder, or undefined when not exactly one. */
export function singleFile(args: ParsedCommandArgs, io: CliIo): string | undefined {
  if (args.positionals.length !== 1) return undefined;
  return path.resolve(io.cwd, args.positionals[0] as string);
}

/** Shows a path relative to the working folder when that is shorter, as people typed it. */
export function shownPath(file: string, io: CliIo): string {
  const relative = path.relative(io.cwd, file);
  return relative && !relative.startsWith('..') && relative.length < file.length ? relative : file;
}
