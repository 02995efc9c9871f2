import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { JobProgress } from '../../../src/core/jobs/progress.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { activeExtension, hasSharedData, sharedData, workspaceDir } from './helpers.ts';

/**
 * The editor's own language models as teachers (provider "vscode-lm"), through a test-only
 * provider extension (test/e2e/lmProvider) that answers deterministically: Set Up Teachers lists
 * them, Collect Critiques runs them through the ledger, a rerun comes from the cache, and a
 * blocked model and a missing one stop their teacher with a clear reason.
 */
const PROVIDER = 'mapd-test.mapd-test-lm';

suite('editor models: vscode-lm teachers', function () {
  this.timeout(120_000);
  let folder: string;
  let scratch: string;
  let dbFile: string;
  const previous: Record<string, unknown> = {};

  suiteSetup(async function () {
    if (!vscode.extensions.getExtension(PROVIDER) || !hasSharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_false_round0.json')) this.skip();
    await vscode.extensions.getExtension(PROVIDER)?.activate();
    await activeExtension();
    folder = workspaceDir();
    scratch = fs.mkdtempSync(path.join(folder, '.mapd-editor-models-suite-'));
    dbFile = path.join(scratch, 'curation.db');
    const config = vscode.workspace.getConfiguration('mapd');
    for (const key of ['databasePath', 'teachers']) previous[key] = config.inspect(key)?.workspaceValue;
    await config.update('databasePath', path.relative(folder, dbFile), vscode.ConfigurationTarget.Workspace);
    await config.update('teachers', [], vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('mapd.newProject', {});
    await vscode.commands.executeCommand('mapd.importOutputs', { file: sharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_false_round0.json') });
  });

  suiteTeardown(async function () {
    const config = vscode.workspace.getConfiguration('mapd');
    for (const [key, value] of Object.entries(previous)) await config.update(key, value, vscode.ConfigurationTarget.Workspace);
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  const firstMistakes = (n: number): number[] => {
    const db = openStore(dbFile, { readonly: true });
    try {
      return (
        db.prepare('SELECT DISTINCT problem_id FROM student_answers WHERE correct = 0 ORDER BY problem_id LIMIT ?').all(n) as { problem_id: number }[]
      ).map((r) => r.problem_id);
    } finally {
      db.close();
    }
  };

  test('Set Up Teachers adds the editor models as vscode-lm teachers', async function () {
    const added = (await vscode.commands.executeCommand('mapd.setUpTeachers', { pick: ['test-echo', 'test-blocked'] })) as string[];
    assert.deepEqual(added, ['echo', 'blocked']);
    const teachers =
      vscode.workspace.getConfiguration('mapd').get<{ id: string; provider: string; vendor: string; family: string; model: string }[]>('teachers') ?? [];
    assert.deepEqual(
      teachers.map((t) => [t.id, t.provider, t.vendor, t.family, t.model]),
      [
        ['echo', 'vscode-lm', 'mapd-test', 'echo', 'test-echo'],
        ['blocked', 'vscode-lm', 'mapd-test', 'blocked', 'test-blocked'],
      ],
    );
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('mapd.setUpTeachers', { pick: ['no-such-model'] })),
      /offers no chat model no-such-model/,
    );
  });

  test('collect with the editor models: answers and counted tokens in the ledger, a rerun from the cache, blocked and missing models stop with a reason', async function () {
    const config = vscode.workspace.getConfiguration('mapd');
    const teachers = config.get<Record<string, unknown>[]>('teachers') ?? [];
    await config.update(
      'teachers',
      [...teachers, { id: 'missing', provider: 'vscode-lm', vendor: 'mapd-test', family: 'nothing', model: 'test-nothing' }],
      vscode.ConfigurationTarget.Workspace,
    );
    const problemIds = firstMistakes(3);
    const run = async () => (await vscode.commands.executeCommand('mapd.collectCritiques', { jobs: ['critiques', 'rationales'], problemIds })) as JobProgress[];
    const first = await run();
    const db = openStore(dbFile, { readonly: true });
    try {
      const outputs = db.prepare("SELECT teacher, kind, text FROM teacher_outputs WHERE source = 'api' ORDER BY teacher, kind").all() as {
        teacher: string;
        kind: string;
        text: string;
      }[];
      assert.equal(outputs.filter((o) => o.teacher === 'echo').length, 6, 'a critique and a rationale per mistake');
      assert.ok(
        outputs.every((o) => o.teacher === 'echo'),
        'only the echo model answered',
      );
      assert.ok(outputs.some((o) => o.kind === 'critique' && /correct answer is/.test(o.text)));
      const calls = db
        .prepare("SELECT teacher, status, tokens_in, tokens_out, cost, error FROM calls WHERE teacher IN ('echo', 'blocked', 'missing')")
        .all() as { teacher: string; status: string; tokens_in: number | null; tokens_out: number | null; cost: number | null; error: string | null }[];
      const echo = calls.filter((c) => c.teacher === 'echo');
      assert.ok(
        echo.length >= 6 && echo.every((c) => c.status === 'ok' && (c.tokens_in ?? 0) > 0 && (c.tokens_out ?? 0) > 0 && c.cost === null),
        'tokens counted, cost unknown without a price',
      );
      const blocked = calls.find((c) => c.teacher === 'blocked');
      assert.match(blocked?.error ?? '', /blocked the request .*quota or rate limit/);
      const missing = calls.find((c) => c.teacher === 'missing');
      assert.match(missing?.error ?? '', /no chat model in the editor matches vendor mapd-test, family nothing, id test-nothing/);
      // A model that cannot answer stops its teacher: the calls already in flight, then none (not one per item of both jobs).
      assert.ok(calls.filter((c) => c.teacher === 'blocked').length <= 3);
      const request = db.prepare("SELECT request FROM calls WHERE teacher = 'echo' LIMIT 1").get() as { request: string };
      assert.equal((JSON.parse(request.request) as { temperature: unknown }).temperature, null, 'no temperature: the API has none');
    } finally {
      db.close();
    }
    assert.ok(
      first.some((r) => r.failed > 0),
      'the blocked and missing teachers failed',
    );
    const again = await run();
    assert.deepEqual(
      again.map((r) => r.done),
      [0, 0],
      'nothing new to ask: echo answered from the ledger',
    );
  });
});
