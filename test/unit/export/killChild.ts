// Child process of the interrupted-export test: exports every format and, after each page, says
// so on stdout and pauses, so the parent can kill it mid-write.
import { openStore } from '../../../src/core/store/db.ts';
import { exportTargets, exportTrainingSet } from '../../../src/core/export/export.ts';

const [dbPath, outDir] = process.argv.slice(2) as [string, string];
const db = openStore(dbPath);
const pause = new Int32Array(new SharedArrayBuffer(4));
await exportTrainingSet(
  db,
  exportTargets('all', outDir),
  {},
  {
    onProgress: (done, total) => {
      process.stdout.write(`progress ${done}/${total}\n`);
      Atomics.wait(pause, 0, 0, 200);
    },
  },
);
process.stdout.write('done\n');
