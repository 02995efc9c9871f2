import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../../src/core/store/db.ts';
import { startFakeServer } from '../../servers/fakeServer.ts';
import type { FakeServer } from '../../servers/fakeServer.ts';
import { activeExtension, findFiles, hasSharedData, logsRoot, sharedData, workspaceDir } from './helpers.ts';

/**
 * Teachers inside a real extension host: local protocol servers started by the suite, teachers
 * configured in settings, keys set through "MAPD: Set API Key…" (the servers refuse any other
 * key, so a passing call proves the key came from secret storage), then Ask Teacher and Collect
 * Critiques on an imported project; the store holds the outputs and no trace of the key.
 */
const KEY = 'sk-mapd-E2ELEAKCHECK-41c9d0a7b2e35f68';

suite('teachers: keys, ask, collect', function () {
  this.timeout(120_000);
  let folder: string;
  let scratch: string;
  let dbFile: string;
  let openai: FakeServer;
  let anthropic: FakeServer;
  const previous: Record<string, unknown> = {};

  suiteSetup(async function () {
    if (!hasSharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_false_round0.json')) this.skip();
    await activeExtension();
    folder = workspaceDir();
    scratch = fs.mkdtempSync(path.join(folder, '.mapd-teachers-suite-'));
    dbFile = path.join(scratch, 'curation.db');
    openai = await startFakeServer({ protocol: 'openai', apiKey: KEY, latencyMs: 5 });
    anthropic = await startFakeServer({ protocol: 'anthropic', apiKey: KEY, latencyMs: 5 });
    const config = vscode.workspace.getConfiguration('mapd');
    for (const key of ['databasePath', 'teachers']) previous[key] = config.inspect(key)?.workspaceValue;
    await config.update('databasePath', path.relative(folder, dbFile), vscode.ConfigurationTarget.Workspace);
    await config.update(
      'teachers',
      [
        { id: 'gpt', provider: 'openai-compatible', model: 'gpt-3.5-turbo', baseUrl: openai.baseUrl, price: { input: 0.5, output: 1.5 }, maxRetries: 0 },
        { id: 'claude', provider: 'anthropic', model: 'claude-test', baseUrl: anthropic.baseUrl, price: { input: 1, output: 5 }, maxRetries: 0 },
      ],
      vscode.ConfigurationTarget.Workspace,
    );
    await vscode.commands.executeCommand('mapd.newProject', {});
    await vscode.commands.executeCommand('mapd.importOutputs', { file: sharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_false_round0.json') });
  });

  suiteTeardown(async function () {
    const config = vscode.workspace.getConfiguration('mapd');
    for (const [key, value] of Object.entries(previous)) await config.update(key, value, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('mapd.setApiKey', { teacher: 'gpt', key: '' }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('mapd.setApiKey', { teacher: 'claude', key: '' }).then(undefined, () => undefined);
    await openai?.close();
    await anthropic?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  function firstMistakes(n: number): number[] {
    const db = openStore(dbFile);
    try {
      return (db.prepare('SELECT DISTINCT problem_id AS id FROM student_answers WHERE correct = 0 ORDER BY problem_id LIMIT ?').all(n) as { id: number }[]).map(
        (r) => r.id,
      );
    } finally {
      db.close();
    }
  }

  test('without a key, Ask Teacher fails with a message that says how to set one', async function () {
    const [problemId] = firstMistakes(1);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('mapd.askTeacher', { teacher: 'claude', kind: 'critique', problemId })),
      /no API key for "claude".*Set API Key/,
    );
  });

  test('Set API Key, then Ask Teacher answers and keeps a candidate critique', async function () {
    assert.equal(await vscode.commands.executeCommand('mapd.setApiKey', { teacher: 'gpt', key: KEY }), true);
    assert.equal(await vscode.commands.executeCommand('mapd.setApiKey', { teacher: 'claude', key: KEY }), true);
    const [problemId] = firstMistakes(1);
    const result = (await vscode.commands.executeCommand('mapd.askTeacher', { teacher: 'gpt', kind: 'critique', problemId, keep: true })) as {
      text: string;
      kept?: { outputId: number; kind: string };
    };
    assert.ok(result.text.length > 0);
    assert.equal(result.kept?.kind, 'critique');
    assert.equal(openai.requests.length, 1);
  });

  test('Collect Critiques on three mistakes: critiques and peer reviews in the store, the kept one not asked again', async function () {
    const problemIds = firstMistakes(3);
    const results = (await vscode.commands.executeCommand('mapd.collectCritiques', {
      teachers: ['gpt', 'claude'],
      jobs: ['critiques', 'review'],
      problemIds,
    })) as {
      job: string;
      done: number;
      existing: number;
      failed: number;
    }[];
    assert.deepEqual(
      results.map((r) => [r.job, r.done, r.existing, r.failed]),
      [
        ['critiques', 5, 1, 0],
        ['review', 6, 0, 0],
      ],
    );
    const db = openStore(dbFile);
    try {
      const outputs = db.prepare(`SELECT teacher, COUNT(*) AS n FROM teacher_outputs WHERE kind = 'critique' GROUP BY teacher ORDER BY teacher`).all();
      assert.deepEqual(outputs, [
        { teacher: 'claude', n: 3 },
        { teacher: 'gpt', n: 3 },
      ]);
      const reviews = db.prepare('SELECT r.reviewer, o.teacher, r.score FROM peer_reviews r JOIN teacher_outputs o ON o.id = r.output_id').all() as {
        reviewer: string;
        teacher: string;
        score: number | null;
      }[];
      assert.equal(reviews.length, 6);
      assert.ok(reviews.every((r) => r.reviewer !== r.teacher && r.score === 4));
      const costs = db.prepare("SELECT teacher, SUM(cost) AS cost FROM calls WHERE status = 'ok' GROUP BY teacher").all() as {
        teacher: string;
        cost: number;
      }[];
      assert.ok(costs.length === 2 && costs.every((c) => c.cost > 0));
    } finally {
      db.close();
    }
  });

  test('no trace of the key in the database or the logs', async function () {
    const needles = [KEY, KEY.slice(8, 22)];
    const files = [dbFile, `${dbFile}-wal`, ...findFiles(logsRoot() ?? '', /\.log$/)];
    for (const file of files) {
      if (!fs.existsSync(file)) continue;
      const bytes = fs.readFileSync(file);
      for (const needle of needles) assert.equal(bytes.indexOf(needle), -1, `${file} holds a piece of the key`);
    }
  });
});
