import { refreshOrderKeys } from '../core/curation/orderKeys.ts';
import type { CliCommand } from './command.ts';
import { DB_HELP, DB_OPTION, withDb } from './options.ts';

/** `mapd order-keys`: the queue-order keys computed ahead (after a big import), so the panel's first ordered use need not wait for its fill. */
export const orderKeysCommand: CliCommand = {
  name: 'order-keys',
  summary: "compute the curation queue's order keys of every mistake written since (after a big import)",
  help: `Usage: mapd order-keys [--db PATH]

Computes the keys the curation panel's orders read (reviewers disagree most, closest to the
threshold, teachers' answers disagree, wrong steps first) for every problem whose answers,
outputs or reviews were written since they were last computed: after the migration or a big
import that is every problem. The panel does this itself in the background; run it ahead to have
the orders ready at once. Progress goes to stderr; in batches, so it can be stopped and resumed.

Options:
${DB_HELP}

Example:
  mapd order-keys --db work/.mapd/curation.db
`,
  options: { ...DB_OPTION },
  run(args, io) {
    const done = withDb(args, io, (db) =>
      refreshOrderKeys(db, (count, total) => io.stderr(`order keys: ${count} of ${total} problems (${Math.floor((100 * count) / total)} %)\n`)),
    );
    io.stdout(done === 0 ? 'order keys: all up to date\n' : `order keys: computed for the mistakes of ${done} problems\n`);
    return Promise.resolve(0);
  },
};
