import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../../src/core/store/db.ts';
import { exportTargets, exportTrainingSet } from '../../../src/core/export/export.ts';
import { openAtomicFile, tempPathFor } from '../../../src/core/export/atomicFile.ts';
import { tempDir } from '../helpers.ts';
import { seedSynthetic } from './synthetic.ts';
import { FOLDER_EXPORT_FILES } from '../../shared/exportFolder.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'killChild.ts');

test('an export killed mid-write leaves the previous files intact; the next export clears its temp files', async (t) => {
  const dir = tempDir(t, 'mapd-kill-');
  const dbPath = path.join(dir, 'curation.db');
  const out = path.join(dir, 'out');
  const db = openStore(dbPath);
  t.after(() => db.close());
  seedSynthetic(db, 800, 2000);
  // The previous export: what must survive.
  fs.mkdirSync(out);
  const previous = { 'mapd.jsonl': '{"previous":"mapd"}\n', 'chat.jsonl': '{"previous":"chat"}\n', 'records.jsonl': '{"previous":"records"}\n' };
  for (const [name, content] of Object.entries(previous)) fs.writeFileSync(path.join(out, name), content);

  const child = spawn(process.execPath, [CHILD, dbPath, out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  // Kill once the child is past a page and has flushed at least one chunk to its temp file.
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const temp = tempPathFor(path.join(out, 'mapd.jsonl'), child.pid);
      if (/progress (\d+)/.test(stdout) && fs.existsSync(temp) && fs.statSync(temp).size > 0) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`child ended before it could be killed: ${stdout} ${stderr}`)));
  });
  assert.equal(await exited, 'SIGKILL');
  assert.ok(!stdout.includes('done'), 'killed before it finished');

  for (const [name, content] of Object.entries(previous)) assert.equal(fs.readFileSync(path.join(out, name), 'utf8'), content, `${name} untouched`);
  // What the kill left: only hidden temp files of the dead process, each a partial write.
  const litter = fs.readdirSync(out).filter((n) => !(n in previous));
  assert.ok(litter.length > 0 && litter.every((n) => n.startsWith('.') && n.endsWith(`.${child.pid}.mapd-tmp`)), litter.join(', '));

  // The next export to the same place replaces the files whole and removes the dead process's temp files.
  const summary = await exportTrainingSet(db, exportTargets('all', out));
  assert.deepEqual(fs.readdirSync(out).sort(), [...FOLDER_EXPORT_FILES]);
  const lines = fs.readFileSync(path.join(out, 'mapd.jsonl'), 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, summary.counts.rationaleExamples + summary.counts.feedbackExamples);
  assert.ok(lines.every((l) => JSON.parse(l) && true));
});

test('an export that fails or is cancelled midway leaves the previous file and no temp file', async (t) => {
  const dir = tempDir(t, 'mapd-abort-');
  const db = openStore(path.join(dir, 'curation.db'));
  t.after(() => db.close());
  seedSynthetic(db, 600);
  const target = path.join(dir, 'train.jsonl');
  fs.writeFileSync(target, 'previous\n');
  const controller = new AbortController();
  await assert.rejects(exportTrainingSet(db, { mapd: target }, {}, { signal: controller.signal, onProgress: () => controller.abort() }), /export cancelled/);
  assert.equal(fs.readFileSync(target, 'utf8'), 'previous\n');
  assert.deepEqual(
    fs.readdirSync(dir).filter((n) => n.endsWith('.mapd-tmp')),
    [],
  );

  // A file that cannot be written where the target should go: the folder is in the way.
  fs.mkdirSync(path.join(dir, 'taken.jsonl'));
  await assert.rejects(exportTrainingSet(db, { mapd: path.join(dir, 'taken.jsonl') }), /is a folder/);
});

test('the atomic file writes lines in order and becomes visible only on commit', (t) => {
  const dir = tempDir(t);
  const target = path.join(dir, 'x.jsonl');
  const file = openAtomicFile(target);
  for (let i = 0; i < 50_000; i++) file.writeLine(JSON.stringify({ i, text: 'é'.repeat(i % 50) }));
  assert.equal(fs.existsSync(target), false);
  file.commit();
  const lines = fs.readFileSync(target, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 50_000);
  assert.deepEqual(JSON.parse(lines[49_999]!), { i: 49_999, text: 'é'.repeat(49_999 % 50) });
  assert.deepEqual(fs.readdirSync(dir), ['x.jsonl']);
});
