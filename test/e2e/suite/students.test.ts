import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Comparison } from '../../../src/core/eval/compare.ts';
import type { FinetuneJob } from '../../../src/core/store/finetuneJobs.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { getStudent } from '../../../src/core/store/students.ts';
import { startFakeServer } from '../../servers/fakeServer.ts';
import type { FakeServer } from '../../servers/fakeServer.ts';
import { activeExtension, hasSharedData, sharedData, workspaceDir } from './helpers.ts';

/**
 * Students and rounds in a real extension host: two students' answers on the SVAMP test split
 * compared by command, and a fine-tuning job run through the OpenAI files + fine-tuning protocol
 * (a local server of ours, the real openai SDK) that registers the new student.
 */
const KEY = 'sk-mapd-E2E-FINETUNE-7f3a';

suite('students: compare and fine-tune', function () {
  this.timeout(120_000);
  let folder: string;
  let scratch: string;
  let dbFile: string;
  let server: FakeServer;
  const previous: Record<string, unknown> = {};

  suiteSetup(async function () {
    if (!hasSharedData('svamp', 'chilled_split', 'test.json')) this.skip();
    await activeExtension();
    folder = workspaceDir();
    scratch = fs.mkdtempSync(path.join(folder, '.mapd-students-suite-'));
    dbFile = path.join(scratch, 'curation.db');
    server = await startFakeServer({ protocol: 'openai', apiKey: KEY, fineTune: { pollsToFinish: 3 } });
    const config = vscode.workspace.getConfiguration('mapd');
    for (const key of ['databasePath', 'student']) previous[key] = config.inspect(key)?.workspaceValue;
    await config.update('databasePath', path.relative(folder, dbFile), vscode.ConfigurationTarget.Workspace);
    await config.update(
      'student',
      { id: 'gpt-4o-mini', provider: 'openai', model: 'gpt-4o-mini-2024-07-18', baseUrl: server.baseUrl },
      vscode.ConfigurationTarget.Workspace,
    );
    await vscode.commands.executeCommand('mapd.newProject', {});
    const test = sharedData('svamp', 'chilled_split', 'test.json');
    await vscode.commands.executeCommand('mapd.importProblems', { file: test, task: 'svamp', split: 'test' });
    // base right on the first 100 problems, tuned on the first 130 but 10 of base's.
    const problems = JSON.parse(fs.readFileSync(test, 'utf8')) as { ID: string; Answer: number }[];
    const line = (p: { ID: string; Answer: number }, right: boolean, student: string) =>
      JSON.stringify({ id: p.ID, student, output: `The answer is ${right ? p.Answer : p.Answer + 1}.` });
    const answers = path.join(scratch, 'answers.jsonl');
    fs.writeFileSync(
      answers,
      [...problems.map((p, i) => line(p, i < 100, 'base')), ...problems.map((p, i) => line(p, i >= 10 && i < 130, 'tuned'))].join('\n'),
    );
    await vscode.commands.executeCommand('mapd.importAnswers', { file: answers });
  });

  suiteTeardown(async function () {
    await vscode.commands.executeCommand('mapd.chooseStudent', { student: null }).then(undefined, () => undefined);
    const config = vscode.workspace.getConfiguration('mapd');
    for (const [key, value] of Object.entries(previous)) await config.update(key, value, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('mapd.setApiKey', { teacher: 'gpt-4o-mini', key: '' }).then(undefined, () => undefined);
    await server?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('Compare Students: accuracies, flips and McNemar on the test split', async function () {
    const c = (await vscode.commands.executeCommand('mapd.compareStudents', { students: ['base', 'tuned'], split: 'test' })) as Comparison;
    assert.deepEqual([c.paired, c.a.correct, c.b.correct, c.wrongToRight.length, c.rightToWrong.length], [200, 100, 120, 30, 10]);
    assert.ok(c.pValue > 0 && c.pValue < 0.01, String(c.pValue));
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('mapd.compareStudents', { students: ['base'], split: 'test' })), /argument "students"/);
  });

  test("Choose Student: the Problems view shows the chosen student's mistakes; the choice survives as workspace state", async function () {
    const labels = async () => ((await vscode.commands.executeCommand('mapd._test.treeSnapshot', { children: 1 })) as { labels: string[] }).labels;
    // base is wrong on 100 of the 200 test problems, tuned on 80; every student: a problem either got wrong.
    assert.equal(await vscode.commands.executeCommand('mapd.chooseStudent', { student: 'tuned' }), 'tuned');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(
      (await labels()).some((l) => /^Mistakes \(80\)$/.test(l)),
      (await labels()).join(' | '),
    );
    await vscode.commands.executeCommand('mapd.chooseStudent', { student: 'base' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(
      (await labels()).some((l) => /^Mistakes \(100\)$/.test(l)),
      (await labels()).join(' | '),
    );
    await vscode.commands.executeCommand('mapd.chooseStudent', { student: null });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(
      (await labels()).some((l) => /^Mistakes \(110\)$/.test(l)),
      (await labels()).join(' | '),
    );
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('mapd.chooseStudent', { student: 'nobody' })), /argument "student"/);
  });

  test('Fine-tune Student: upload, job, events, success; the new student is trained from the base on the export', async function () {
    await vscode.commands.executeCommand('mapd.setApiKey', { teacher: 'gpt-4o-mini', key: KEY });
    const chat = path.join(scratch, 'chat.jsonl');
    fs.writeFileSync(
      chat,
      `${JSON.stringify({
        messages: [
          { role: 'user', content: 'q' },
          { role: 'assistant', content: 'a' },
        ],
      })}\n`,
    );
    const job = (await vscode.commands.executeCommand('mapd.fineTuneStudent', {
      export: path.relative(folder, chat),
      name: 'gpt-mapd-r1',
      suffix: 'r1',
      pollMs: 5,
    })) as FinetuneJob;
    assert.equal(job.status, 'succeeded');
    assert.match(job.fineTunedModel ?? '', /^ft:gpt-4o-mini-2024-07-18:local:r1:/);
    assert.equal(server.fineTuning.calls.get('create'), 1);
    const db = openStore(dbFile, { readonly: true });
    try {
      const student = getStudent(db, 'gpt-mapd-r1');
      assert.deepEqual([student?.trainedFrom, student?.trainedOn, student?.model], ['gpt-4o-mini', chat, job.fineTunedModel]);
    } finally {
      db.close();
    }
  });
});
