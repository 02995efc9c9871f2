import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { Cancelled, UserError } from '../../../src/core/errors.ts';
import { importProblemsFile, importStudentAnswersFile, importTeacherOutputsFile } from '../../../src/core/import/index.ts';
import type { ImportKind, ImportOptionsByKind, ImportReportByKind, RunImportHooks } from '../../../src/core/import/runInWorker.ts';
import { runImportInWorker } from '../../../src/core/import/runInWorker.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { insertProblems } from '../../../src/core/store/problems.ts';
import { writeFile } from '../helpers.ts';
import { importSvampFixture, jsonl } from './fixtures.ts';
import { count, freshDb, snapshot } from './store.ts';

// The source runs unbundled here: the worker is the .ts entry itself (type stripping works in workers).
const WORKER = fileURLToPath(new URL('../../../src/core/import/worker.ts', import.meta.url));

function inWorker<K extends ImportKind>(
  kind: K,
  dbPath: string,
  file: string,
  options: ImportOptionsByKind[K],
  hooks: RunImportHooks = {},
): Promise<ImportReportByKind[K]> {
  return runImportInWorker(kind, dbPath, file, options, { ...hooks, workerFile: WORKER });
}

const ROWS = 100_000;

/** A gsm8k-format file of our own with `rows` problems (ids are record indexes). */
function bigProblemsFile(dir: string, rows = ROWS): string {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++)
    lines.push(
      JSON.stringify({ question: `Ann has ${i} apples and buys 4 more. How many apples does she have?`, answer: `${i} + 4 = ${i + 4}\n#### ${i + 4}` }),
    );
  return writeFile(dir, 'big.jsonl', `${lines.join('\n')}\n`);
}

test('a large import through the worker reports progress as it goes and the same counts as the direct import', async (t) => {
  const viaWorker = freshDb(t);
  const file = bigProblemsFile(viaWorker.dir);
  const progress: [number, number][] = [];
  const report = await inWorker(
    'problems',
    viaWorker.file,
    file,
    { task: 'gsm8k', split: 'train' },
    { onProgress: (done, total) => progress.push([done, total]) },
  );
  assert.ok(progress.length > 1, `${progress.length} progress messages`);
  assert.deepEqual(progress.at(-1), [ROWS, ROWS]);
  assert.ok(
    progress.every(([done], i) => i === 0 || done > (progress[i - 1] as [number, number])[0]),
    'progress only moves forward',
  );

  const direct = freshDb(t);
  const expected = importProblemsFile(direct.db, file, { task: 'gsm8k', split: 'train' });
  assert.deepEqual(report, expected);
  assert.equal(report.inserted, ROWS);
  // The host's own connection sees the worker's commit.
  assert.equal(count(viaWorker.db, 'SELECT COUNT(*) FROM problems'), ROWS);
});

test("answers and teacher outputs through the worker give the direct import's reports", async (t) => {
  const viaWorker = freshDb(t);
  const direct = freshDb(t);
  importSvampFixture(viaWorker.db, viaWorker.dir);
  importSvampFixture(direct.db, direct.dir);
  const answers = writeFile(
    viaWorker.dir,
    'answers.jsonl',
    jsonl([
      { id: 'chal-1', output: 'The answer is 5.', student: 'llama' },
      { id: 'chal-2', output: 'The answer is 14.', student: 'llama' },
    ]),
  );
  const outputs = writeFile(
    viaWorker.dir,
    'outputs.jsonl',
    jsonl([
      { id: 'chal-2', kind: 'critique', teacher: 'gpt-4o', text: 'Multiply: 12 × 2 = 24.', reviews: [{ reviewer: 'claude', score: 5 }] },
      { id: 'chal-2', kind: 'rationale', teacher: 'gpt-4o', text: '12 * 2 = 24. The answer is 24.' },
    ]),
  );
  assert.deepEqual(await inWorker('answers', viaWorker.file, answers, {}), importStudentAnswersFile(direct.db, answers));
  assert.deepEqual(await inWorker('outputs', viaWorker.file, outputs, {}), importTeacherOutputsFile(direct.db, outputs));
  for (const table of ['student_answers', 'teacher_outputs', 'peer_reviews']) {
    assert.equal(count(viaWorker.db, `SELECT COUNT(*) FROM ${table}`), count(direct.db, `SELECT COUNT(*) FROM ${table}`), table);
  }
});

test('an import cancelled after its first progress message leaves the database as it was', async (t) => {
  const { db, dir, file: dbPath } = freshDb(t);
  importSvampFixture(db, dir);
  const before = snapshot(db);
  const file = bigProblemsFile(dir);
  const controller = new AbortController();
  let messages = 0;
  const run = inWorker(
    'problems',
    dbPath,
    file,
    { task: 'gsm8k', split: 'train' },
    {
      signal: controller.signal,
      onProgress: () => {
        messages++;
        controller.abort();
      },
    },
  );
  await assert.rejects(run, (error: unknown) => error instanceof Cancelled && error.message === 'Import cancelled; nothing was imported');
  assert.ok(messages >= 1);
  assert.equal(snapshot(db), before);
  assert.equal(count(db, 'SELECT COUNT(*) FROM problems'), 3);
  // The database is still usable: the same import then runs to the end.
  const report = await inWorker('problems', dbPath, file, { task: 'gsm8k', split: 'train' });
  assert.equal(report.inserted, ROWS);
});

test('an already aborted signal imports nothing and starts no worker', async (t) => {
  const { db, dir, file: dbPath } = freshDb(t);
  const file = bigProblemsFile(dir, 10);
  await assert.rejects(inWorker('problems', dbPath, file, { task: 'gsm8k' }, { signal: AbortSignal.abort() }), Cancelled);
  assert.equal(count(db, 'SELECT COUNT(*) FROM problems'), 0);
});

test("a bad row gives the direct import's UserError; nothing is written", async (t) => {
  const { db, dir, file: dbPath } = freshDb(t);
  const file = writeFile(
    dir,
    'broken.jsonl',
    jsonl([{ question: 'Ann has 3 apples and buys 4 more. How many?', answer: '3 + 4 = 7\n#### 7' }, '{"question": "broken']),
  );
  const direct = (() => {
    try {
      importProblemsFile(db, file, { task: 'gsm8k' });
    } catch (error) {
      return error;
    }
    assert.fail('the direct import should fail');
  })();
  assert.ok(direct instanceof UserError);
  await assert.rejects(inWorker('problems', dbPath, file, { task: 'gsm8k' }), (error: unknown) => {
    assert.ok(error instanceof UserError);
    assert.deepEqual([error.message, error.what, error.where, error.next], [direct.message, direct.what, direct.where, direct.next]);
    assert.ok(error.where?.endsWith('broken.jsonl:2'), error.where);
    return true;
  });
  assert.equal(count(db, 'SELECT COUNT(*) FROM problems'), 0);
  // A missing file is the same UserError as well.
  await assert.rejects(
    inWorker('outputs', dbPath, path.join(dir, 'nowhere.jsonl'), {}),
    (error: unknown) => error instanceof UserError && error.message.includes('nowhere.jsonl'),
  );
});

test('a second connection reads and writes while the worker imports', async (t) => {
  const { dir, file: dbPath } = freshDb(t);
  const panel = openStore(dbPath);
  t.after(() => panel.close());
  // Small enough that the import commits well inside the writer's 5 s busy timeout on a loaded machine.
  const rows = 20_000;
  const file = bigProblemsFile(dir, rows);
  let readDuringImport: number | undefined;
  let wrote = false;
  const report = await inWorker(
    'problems',
    dbPath,
    file,
    { task: 'gsm8k', split: 'train' },
    {
      onProgress: () => {
        if (wrote) return;
        wrote = true;
        // Reads see the state before the import's commit; the write waits for it (busy timeout), never fails.
        readDuringImport = count(panel, 'SELECT COUNT(*) FROM problems');
        insertProblems(panel, 'gsm8k', 'panel', undefined, [{ sourceId: 'p-1', question: 'Q?', goldAnswer: '1' }]);
      },
    },
  );
  assert.ok(wrote);
  assert.equal(readDuringImport, 0);
  assert.equal(report.inserted, rows);
  assert.equal(count(panel, 'SELECT COUNT(*) FROM problems WHERE split = ?', 'panel'), 1);
  assert.equal(count(panel, 'SELECT COUNT(*) FROM problems'), rows + 1);
});
