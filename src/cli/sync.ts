import os from 'node:os';
import { describeSync, syncDecisions } from '../core/team/sync.ts';
import type { CliCommand, CliIo } from './command.ts';
import { DB_HELP, DB_OPTION, dbPath, shownPath, stringValue, withDb } from './options.ts';

/** Whose decisions this is: --curator, else $MAPD_CURATOR, else the login name (as the editor's mapd.curator defaults). */
export function cliCurator(value: string | undefined, io: CliIo): string {
  return value || io.env.MAPD_CURATOR || os.userInfo().username || 'curator';
}

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: "share decisions through git: write yours to .mapd/decisions/, read every curator's",
  help: `Usage: mapd sync [--curator NAME] [--db PATH]

Appends the curator's new decisions (accept, reject, edit, undo) to their own decision file,
.mapd/decisions/<curator>.jsonl beside the database (one event per line, append only, each
event identified by a hash of its content), then reads every curator's file in that folder into
the project's team table. Commit the folder; after a git pull, sync again to bring in the
others' decisions. Idempotent: syncing twice, or reading the files in any order, gives the same
team decisions. The database itself stays local (.mapd/.gitignore, written when missing).
A line that is not an event is reported by file:line (exit code 4); the others are still read.

Options:
  --curator NAME   whose decisions to write (default $MAPD_CURATOR, else the login name)
${DB_HELP}

Example:
  mapd sync --curator ana && git add .mapd/decisions && git commit -m "ana's decisions"
`,
  options: { ...DB_OPTION, curator: { type: 'string' } },
  run(args, io) {
    const curator = cliCurator(stringValue(args, 'curator'), io);
    const dbFile = dbPath(args, io);
    const result = withDb(args, io, (db) => syncDecisions(db, { dbFile, curator }));
    io.stdout(`${describeSync(result, (f) => shownPath(f, io))}\n`);
    for (const issue of result.bad.slice(0, 20)) io.stdout(`  ${shownPath(issue.file, io)}:${issue.line}: ${issue.message}\n`);
    return Promise.resolve(result.bad.length > 0 ? 4 : 0);
  },
};
