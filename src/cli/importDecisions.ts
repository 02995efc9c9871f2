import { describeReimport, reimportRecords } from '../core/decisions/reimport.ts';
import type { CliCommand } from './command.ts';
import { DB_HELP, DB_OPTION, shownPath, singleFile, usageError, withDb } from './options.ts';

export const importDecisionsCommand: CliCommand = {
  name: 'import-decisions',
  summary: 're-apply the human decisions of an exported records file to this project',
  help: `Usage: mapd import-decisions [--curator NAME] [--db PATH] FILE

Reads a records file written by \`mapd export --format records\` and re-applies its human
decisions (accept, reject, edit with the edited text) to the matching teacher outputs of this
project, matched by task, split, problem source id, kind, teacher and sample (never by database
ids, so it works across projects). All decisions land as one bulk action: one undo in the
curation panel takes them all back. Outputs not in this project are reported, never guessed.

Options:
  --curator NAME   whom the new events name (default: the curator in each record)
${DB_HELP}

Example:
  mapd import-decisions --db other/.mapd/curation.db export/records.jsonl
`,
  options: { ...DB_OPTION, curator: { type: 'string' } },
  allowPositionals: true,
  run(args, io) {
    const file = singleFile(args, io);
    if (!file) return Promise.resolve(usageError(io, 'import-decisions', 'give exactly one FILE'));
    const curator = typeof args.values.curator === 'string' ? args.values.curator : undefined;
    const result = withDb(args, io, (db) => reimportRecords(db, file, curator ? { curator } : {}));
    io.stdout(`${describeReimport(result, shownPath(file, io))}\n`);
    for (const issue of [...result.missing, ...result.conflicts].slice(0, 10)) io.stdout(`  line ${issue.line}: ${issue.message}\n`);
    return Promise.resolve(result.missing.length + result.conflicts.length > 0 ? 4 : 0);
  },
};
