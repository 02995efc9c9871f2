import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main.ts';
import type { Db } from '../../../src/core/store/db.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { allCurationStates } from '../../../src/core/store/events.ts';
import { tempDir } from '../helpers.ts';
import { seedSvampRelease } from '../export/seed.ts';
import { applyScript } from '../export/script.ts';

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stdin: new PassThrough(), env: {}, cwd });
  return { code, stdout, stderr };
}

/** Decisions in force, named by what identifies an output in any project. */
function decisions(db: Db): Map<string, string> {
  const keyOf = db.prepare(`SELECT p.task || '/' || p.split || '/' || p.source_id || '/' || o.kind || '/' || o.teacher || '/' || o.sample AS key
    FROM teacher_outputs o JOIN problems p ON p.id = o.problem_id WHERE o.id = ?`);
  const result = new Map<string, string>();
  for (const [outputId, state] of allCurationStates(db)) {
    if (state.decision !== 'undecided') result.set((keyOf.get(outputId) as { key: string }).key, `${state.decision}:${state.editedText ?? ''}`);
  }
  return result;
}

test('mapd export --format records, then mapd import-decisions into a fresh project: the same decisions', async (t) => {
  const dir = tempDir(t, 'mapd-cli-decisions-');
  const sourceFile = path.join(dir, 'source.db');
  const freshFile = path.join(dir, 'fresh.db');
  const source = openStore(sourceFile);
  seedSvampRelease(source);
  applyScript(source);
  const expected = decisions(source);
  source.close();
  const fresh = openStore(freshFile);
  seedSvampRelease(fresh);
  fresh.close();

  const exported = await cli(['export', '--format', 'records', '--out', 'records.jsonl', '--db', sourceFile], dir);
  assert.equal(exported.code, 0, exported.stderr);
  const imported = await cli(['import-decisions', '--db', freshFile, 'records.jsonl'], dir);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(
    imported.stdout,
    new RegExp(`${expected.size} decisions applied, 0 already in force, \\d+ without a human decision, 0 not in this project, 0 conflicts`),
  );

  const check = openStore(freshFile);
  t.after(() => check.close());
  assert.ok(expected.size > 100);
  assert.deepEqual(decisions(check), expected);
  const again = await cli(['import-decisions', '--db', freshFile, 'records.jsonl'], dir);
  assert.match(again.stdout, / 0 decisions applied, \d+ already in force/);
});

test('mapd import-decisions refuses a file that is not a records export, naming file and line', async (t) => {
  const dir = tempDir(t, 'mapd-cli-decisions-');
  const dbFile = path.join(dir, 'p.db');
  openStore(dbFile).close();
  const file = path.join(dir, 'x.jsonl');
  (await import('node:fs')).writeFileSync(file, '{"messages": []}\n');
  const run = await cli(['import-decisions', '--db', dbFile, file], dir);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /x\.jsonl:1: not a curation record/);
});
