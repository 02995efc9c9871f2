import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../../src/cli/main.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { tempDir } from '../helpers.ts';
import { seedSvampRelease } from './seed.ts';
import { applyScript } from './script.ts';
import { FOLDER_EXPORT_FILES } from '../../shared/exportFolder.ts';

async function mapd(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stdin: Readable.from([]), env: {}, cwd });
  return { code, stdout, stderr };
}

test('mapd export writes every format; mapd stats --json carries the curation statistics', async (t) => {
  const dir = tempDir(t, 'mapd-cli-export-');
  const db = openStore(path.join(dir, '.mapd', 'curation.db'));
  seedSvampRelease(db);
  applyScript(db);
  db.close();

  const all = await mapd(dir, ['export', '--format', 'all', '--out', 'training']);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'training')).sort(), [...FOLDER_EXPORT_FILES]);
  assert.match(all.stdout, /wrote\s+450 rows {2}training\/mapd\.jsonl/);
  assert.match(all.stdout, /examples\s+256 rationale, 194 feedback/);
  assert.match(all.stdout, /left out\s+253 rationales whose answer differs from gold/);

  const one = await mapd(dir, ['export', '--format', 'chat', '--out', 'chat.jsonl', '--all-accepted', '--keep-inconsistent', '--system', 'Be precise.']);
  assert.equal(one.code, 0, one.stderr);
  const lines = fs.readFileSync(path.join(dir, 'chat.jsonl'), 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 97 + 97 + 129 * 3 + 129 + 129);
  assert.match(one.stdout, /flagged\s+\d+ kept rationales/);

  const bad = await mapd(dir, ['export', '--format', 'csv', '--out', 'x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown format "csv"/);
  const badPairs = await mapd(dir, ['export', '--format', 'preference', '--out', 'p.jsonl', '--pairs', 'edit,votes']);
  assert.equal(badPairs.code, 2);
  assert.match(badPairs.stderr, /unknown pair source "votes" \(use rejection, edit\)/);
  assert.match(
    all.stdout,
    /pairs\s+242 preference pairs \(80 a human's pick over a rejected item, 162 a human edit over the teacher's text; 0 left out as identical or blank\)/,
  );
  const noOut = await mapd(dir, ['export']);
  assert.equal(noOut.code, 2);
  const noDb = await mapd(path.join(dir, 'training'), ['export', '--out', 'x']);
  assert.equal(noDb.code, 1);
  assert.match(noDb.stderr, /no curation project database here/);

  const stats = await mapd(dir, ['stats', '--json']);
  assert.equal(stats.code, 0, stats.stderr);
  const json = JSON.parse(stats.stdout) as {
    problems: number;
    curation: { totals: { decided: number }; humanVsPeer: { items: number }; export: { counts: { rationaleExamples: number } } };
  };
  assert.equal(json.problems, 387);
  assert.equal(json.curation.totals.decided, 1259);
  assert.equal(json.curation.humanVsPeer.items, 387 + 258 + 129);
  assert.equal(json.curation.export.counts.rationaleExamples, 256);
  const table = await mapd(dir, ['stats']);
  assert.match(table.stdout, /human vs peer\s+\d+ of 774 decided items agree/);
});
