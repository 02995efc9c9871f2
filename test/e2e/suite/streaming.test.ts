import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../../src/core/store/db.ts';
import { startFakeServer } from '../../servers/fakeServer.ts';
import type { FakeServer } from '../../servers/fakeServer.ts';
import { activeExtension, workspaceDir } from './helpers.ts';

/**
 * Ask Teacher streams: against a local OpenAI-protocol server that sends its answer slowly, in
 * pieces, the answer view holds part of the text before the call ends, then all of it; Stop in
 * the middle ends the call with a cancelled ledger row and no answer; a cached answer shows whole.
 */
const KEY = 'sk-mapd-E2E-STREAM-9c2d';
const ANSWER = 'First, 290 / 2 = 145. Then nothing else changes. The answer is 145.';

suite('streaming: Ask Teacher', function () {
  this.timeout(60_000);
  let folder: string;
  let scratch: string;
  let dbFile: string;
  let server: FakeServer;
  const previous: Record<string, unknown> = {};

  suiteSetup(async function () {
    await activeExtension();
    folder = workspaceDir();
    scratch = fs.mkdtempSync(path.join(folder, '.mapd-stream-suite-'));
    dbFile = path.join(scratch, 'curation.db');
    server = await startFakeServer({
      protocol: 'openai',
      apiKey: KEY,
      streamPieces: 8,
      streamDelayMs: 150,
      responder: (input) => (input.messages.some((m) => m.content.includes('long one')) ? 'y'.repeat(400) : ANSWER),
    });
    const config = vscode.workspace.getConfiguration('mapd');
    for (const key of ['databasePath', 'teachers']) previous[key] = config.inspect(key)?.workspaceValue;
    await config.update('databasePath', path.relative(folder, dbFile), vscode.ConfigurationTarget.Workspace);
    await config.update(
      'teachers',
      [{ id: 'slow', provider: 'openai-compatible', model: 'm', baseUrl: server.baseUrl, maxRetries: 0 }],
      vscode.ConfigurationTarget.Workspace,
    );
    await vscode.commands.executeCommand('mapd.newProject', {});
    await vscode.commands.executeCommand('mapd.setApiKey', { teacher: 'slow', key: KEY });
  });

  suiteTeardown(async function () {
    const config = vscode.workspace.getConfiguration('mapd');
    for (const [key, value] of Object.entries(previous)) await config.update(key, value, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('mapd.setApiKey', { teacher: 'slow', key: '' }).then(undefined, () => undefined);
    await server?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  const answerText = (): string | undefined =>
    vscode.workspace.textDocuments
      .filter((d) => d.uri.scheme === 'mapd-answer')
      .map((d) => d.getText())
      .at(-1);

  test('the answer view shows part of the answer before the call ends, then all of it; a cached answer shows at once', async function () {
    const before = vscode.workspace.textDocuments.length;
    let done = false;
    const asked = Promise.resolve(
      vscode.commands.executeCommand('mapd.askTeacher', { teacher: 'slow', kind: 'free', text: 'What is 290 / 2?', show: true }),
    ).finally(() => (done = true));
    let partial: string | undefined;
    while (!done) {
      const text = answerText();
      if (vscode.workspace.textDocuments.length > before && text && text.length > 0 && text.length < ANSWER.length) partial = text;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await asked;
    assert.ok(partial && ANSWER.startsWith(partial), `a part was shown before the end: ${JSON.stringify(partial)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(answerText(), ANSWER);
    const requests = server.requests.length;
    await vscode.commands.executeCommand('mapd.askTeacher', { teacher: 'slow', kind: 'free', text: 'What is 290 / 2?', show: true });
    assert.equal(server.requests.length, requests, 'from the ledger');
    assert.equal(answerText(), ANSWER);
  });

  test('Stop in the middle of the stream: the command ends, the ledger row says cancelled', async function () {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('mapd.askTeacher', { teacher: 'slow', kind: 'free', text: 'a long one', show: true, signal: controller.signal }),
      ),
      /cancel/i,
    );
    const db = openStore(dbFile, { readonly: true });
    try {
      const rows = db.prepare("SELECT status, error, response FROM calls WHERE request LIKE '%a long one%'").all() as {
        status: string;
        error: string;
        response: string | null;
      }[];
      assert.deepEqual(
        rows.map((r) => [r.status, r.error, r.response]),
        [['error', 'cancelled', null]],
      );
    } finally {
      db.close();
    }
  });
});
