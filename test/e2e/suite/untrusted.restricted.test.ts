// Runs only in the harness's restricted-mode pass: the workspace folder is not trusted.
// package.json declares capabilities.untrustedWorkspaces "limited": the extension activates and
// everything local (project, imports, curation) works; only endpoint calls are withheld.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { activeExtension, contributedCommands, workspaceDir } from './helpers.ts';

suite('restricted mode (untrusted workspace)', function () {
  this.timeout(60_000);

  test('the workspace is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('the extension declares limited support and still activates', async () => {
    const extension = await activeExtension();
    assert.equal(extension.isActive, true);
    const capabilities = (extension.packageJSON as { capabilities?: { untrustedWorkspaces?: { supported?: unknown } } }).capabilities;
    assert.equal(capabilities?.untrustedWorkspaces?.supported, 'limited');
  });

  test('its commands are registered', async () => {
    const extension = await activeExtension();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributedCommands(extension).filter((command) => !registered.has(command));
    assert.deepEqual(missing, []);
  });

  test('local work goes on: a new project and an import from a local file', async () => {
    await activeExtension();
    const folder = workspaceDir();
    const created = (await vscode.commands.executeCommand('mapd.newProject', {})) as string;
    assert.ok(fs.existsSync(created), `no project database at ${created}`);
    assert.ok(created.startsWith(folder));
    const problems = path.join(folder, 'two-problems.jsonl');
    fs.writeFileSync(
      problems,
      [
        { question: 'A jar holds 3 red and 4 blue marbles. How many marbles are in the jar?', answer: '3 + 4 = 7\n#### 7' },
        { question: 'Sam reads 5 pages a day for 6 days. How many pages does he read?', answer: '5 * 6 = 30\n#### 30' },
      ]
        .map((row) => JSON.stringify(row))
        .join('\n') + '\n',
    );
    await vscode.commands.executeCommand('mapd.importProblems', { file: problems, task: 'gsm8k' });
    const tree = (await vscode.commands.executeCommand('mapd._test.treeSnapshot', { children: 0 })) as { labels: string[] };
    assert.deepEqual(tree.labels, ['Mistakes (0)', 'Correct (0)', 'Unanswered (2)']);
  });

  test('nothing is sent to endpoints: teacher and exam commands refuse, saying why', async () => {
    await activeExtension();
    for (const [command, args] of [
      ['mapd.askTeacher', { teacher: 'gpt', kind: 'critique', problemId: 1 }],
      ['mapd.collectCritiques', { teachers: ['gpt'], jobs: ['critiques'] }],
      ['mapd.runExam', {}],
    ] as const) {
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand(command, args)), /not trusted/, `${command} ran in an untrusted workspace`);
    }
  });
});
