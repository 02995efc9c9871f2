import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { activeExtension, findFiles, hasSharedData, logsRoot, sharedData, waitFor, workspaceDir } from './helpers.ts';

/**
 * The project feature inside a real extension host: a project created and filled through the
 * commands (run with arguments, so no dialog opens) whose counts the Problems view shows. The
 * suite works on its own database file (mapd.databasePath), so other suites sharing the
 * workspace neither disturb it nor see it. Activation, command registration and the log channel
 * itself are covered by activation.test.ts.
 */

interface TreeSnapshot {
  labels: string[];
  children: Record<string, { label: string; description: string; problemId: number | undefined }[]>;
  selected: number[];
  visible: boolean;
}

async function snapshot(children = 10): Promise<TreeSnapshot> {
  return (await vscode.commands.executeCommand('mapd._test.treeSnapshot', { children })) as TreeSnapshot;
}

/** Runs a command and returns the error it rejects with (it must reject). */
async function rejection(command: string, arg: unknown): Promise<Error> {
  try {
    await vscode.commands.executeCommand(command, arg);
  } catch (error) {
    return error as Error;
  }
  assert.fail(`${command} should have failed`);
}

suite('project: commands and problems view', function () {
  this.timeout(120_000);
  let folder: string;
  let scratch: string;
  let dbRelative: string;
  let previousDbPath: string | undefined;

  suiteSetup(async function () {
    await activeExtension();
    folder = workspaceDir();
    scratch = fs.mkdtempSync(path.join(folder, '.mapd-project-suite-'));
    dbRelative = path.relative(folder, path.join(scratch, 'curation.db'));
    const config = vscode.workspace.getConfiguration('mapd');
    previousDbPath = config.inspect<string>('databasePath')?.workspaceValue;
    await config.update('databasePath', dbRelative, vscode.ConfigurationTarget.Workspace);
  });

  suiteTeardown(async function () {
    await vscode.workspace.getConfiguration('mapd').update('databasePath', previousDbPath, vscode.ConfigurationTarget.Workspace);
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('the test hook and the Problems view are there', async function () {
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has('mapd._test.treeSnapshot'));
    const views = ((await activeExtension()).packageJSON as { contributes: { views: Record<string, { id: string }[]> } }).contributes.views;
    assert.ok(
      Object.values(views)
        .flat()
        .some((v) => v.id === 'mapd.problems'),
    );
  });

  test('the Problems view is empty before a project exists', async function () {
    assert.deepEqual((await snapshot()).labels, []);
  });

  test('New Curation Project creates the database, and says so when it exists', async function () {
    const created = (await vscode.commands.executeCommand('mapd.newProject', {})) as string;
    assert.equal(created, path.join(folder, dbRelative));
    assert.ok(fs.existsSync(created));
    // Beside it, the ignore file that keeps each curator's database out of git (the team shares .mapd/decisions).
    assert.match(fs.readFileSync(path.join(path.dirname(created), '.gitignore'), 'utf8'), new RegExp(`^${path.basename(created).replace('.', '\\.')}$`, 'm'));
    const again = (await vscode.commands.executeCommand('mapd.newProject', {})) as string;
    assert.equal(again, created);
  });

  test('importing a missing file fails with a message naming it', async function () {
    const missing = path.join(scratch, 'nowhere.jsonl');
    const error = await rejection('mapd.importProblems', { file: missing, task: 'gsm8k' });
    assert.match(error.message, /no such file/);
    assert.ok(error.message.includes(missing));
  });

  test('a bad row stops an import; skipBad imports the rest and reports the line', async function () {
    const file = path.join(scratch, 'mine.jsonl');
    fs.writeFileSync(
      file,
      [
        JSON.stringify({ question: 'Ann has 3 apples and buys 4 more. How many apples?', answer: 'She has 3 + 4 = 7.\n#### 7' }),
        '{"question": "broken',
        JSON.stringify({ question: 'Bo has 10 pens and loses 2. How many pens?', answer: '10 - 2 = 8\n#### 8' }),
      ].join('\n') + '\n',
    );
    const error = await rejection('mapd.importProblems', { file, task: 'gsm8k', split: 'mine' });
    assert.ok(error.message.includes(`${file}:2`), error.message);
    assert.deepEqual((await snapshot()).labels, [], 'a failed import writes nothing');

    const report = (await vscode.commands.executeCommand('mapd.importProblems', { file, task: 'gsm8k', split: 'mine', skipBad: true })) as {
      inserted: number;
      skipped: { line: number }[];
    };
    assert.equal(report.inserted, 2);
    assert.deepEqual(
      report.skipped.map((s) => s.line),
      [2],
    );
    assert.deepEqual((await snapshot()).labels, ['Mistakes (0)', 'Correct (0)', 'Unanswered (2)']);
  });

  test('Import Problems → Import Student Answers: the tree shows the counts and answers', async function () {
    if (!hasSharedData('svamp', 'chilled_split', 'train.json')) this.skip();
    const train = sharedData('svamp', 'chilled_split', 'train.json');
    const problems = (await vscode.commands.executeCommand('mapd.importProblems', { file: train, task: 'svamp', split: 'train' })) as {
      task: string;
      split: string;
      inserted: number;
      existing: number;
    };
    assert.deepEqual([problems.task, problems.split, problems.inserted, problems.existing], ['svamp', 'train', 700, 0]);
    const before = await snapshot(10);
    assert.deepEqual(before.labels, ['Mistakes (0)', 'Correct (0)', 'Unanswered (702)']);

    // The first ten SVAMP problems in file order (the tree lists problems in import order);
    // the two from the gsm8k file above come first.
    const rows = (before.children['Unanswered (702)'] ?? []).slice(2);
    assert.equal(rows.length, 8);
    const lines = rows.map((row, i) => {
      const id = row.label.slice(0, row.label.indexOf(': '));
      const gold = row.label.slice(row.label.indexOf(': ') + 2).replace(/^gold /, '');
      const output = i < 3 ? 'Let me think. The answer is 99999.' : `So the result is ${gold}. The answer is ${gold}.`;
      return JSON.stringify({ id, output });
    });
    const answersFile = path.join(scratch, 'answers.jsonl');
    fs.writeFileSync(answersFile, lines.join('\n') + '\n');
    const answers = (await vscode.commands.executeCommand('mapd.importAnswers', {
      file: answersFile,
      student: 'suite-student',
      task: 'svamp',
      split: 'train',
    })) as {
      imported: number;
      correct: number;
      mistakes: number;
    };
    assert.deepEqual([answers.imported, answers.correct, answers.mistakes], [8, 5, 3]);

    const after = await snapshot(5);
    assert.deepEqual(after.labels, ['Mistakes (3)', 'Correct (5)', 'Unanswered (694)']);
    const mistakes = after.children['Mistakes (3)'] ?? [];
    assert.equal(mistakes.length, 3);
    for (const [i, row] of mistakes.entries()) {
      const before = rows[i]?.label ?? '';
      assert.equal(row.description, rows[i]?.description, 'the same question');
      assert.equal(row.label, `${before.slice(0, before.indexOf(': '))}: 99999 ≠ ${before.slice(before.indexOf(': ') + 2).replace(/^gold /, '')}`);
    }
  });

  test('Import Teacher Outputs (the MAPD release) adds critiques, rationales and peer scores', async function () {
    if (!hasSharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_rationale_round0.json')) this.skip();
    const feedbackFile = sharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_feedback_round0.json');
    const rationaleFile = sharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_rationale_round0.json');
    const releaseIds = new Set((JSON.parse(fs.readFileSync(feedbackFile, 'utf8')) as { id: number }[]).map((r) => r.id));
    assert.equal(releaseIds.size, 387);

    const feedback = (await vscode.commands.executeCommand('mapd.importOutputs', { file: feedbackFile })) as {
      format: string;
      outputs: number;
      answers: number;
      reviews: number;
    };
    assert.equal(feedback.format, 'mapd-release');
    assert.equal(feedback.outputs, 3 * 387);
    assert.equal(feedback.answers, 387);
    const rationales = (await vscode.commands.executeCommand('mapd.importOutputs', { file: rationaleFile })) as { outputs: number; reviews: number };
    assert.equal(rationales.outputs, 3 * 387);
    assert.equal(rationales.reviews, 6 * 387);
    const again = (await vscode.commands.executeCommand('mapd.importOutputs', { file: rationaleFile })) as { outputs: number; reviews: number };
    assert.deepEqual([again.outputs, again.reviews], [0, 0], 'a re-import adds nothing');

    // The release's mistakes join ours (first 3 SVAMP problems wrong, next 5 right, by index).
    const ours = { wrong: [0, 1, 2], right: [3, 4, 5, 6, 7] };
    const mistakes = new Set([...ours.wrong, ...releaseIds]);
    const correct = ours.right.filter((i) => !releaseIds.has(i));
    const answered = new Set([...mistakes, ...ours.right]);
    const { labels } = await snapshot(0);
    assert.deepEqual(labels, [`Mistakes (${mistakes.size})`, `Correct (${correct.length})`, `Unanswered (${702 - answered.size})`]);
  });

  test('a problem shown in the curation panel is revealed and selected in the Problems view', async function () {
    await vscode.commands.executeCommand('mapd.problems.focus');
    await waitFor('the Problems view to be visible', async () => ((await snapshot(0)).visible ? true : undefined));
    const top = await snapshot(3);
    const mistakeLabel = top.labels[0] ?? '';
    const target = top.children[mistakeLabel]?.[2]?.problemId;
    assert.ok(target, `no third mistake under ${mistakeLabel}`);
    try {
      await vscode.commands.executeCommand('mapd.openCuration', target);
      await waitFor(`problem ${target} selected in the tree`, async () => ((await snapshot(0)).selected.includes(target) ? true : undefined), 30_000);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  test('Refresh and Show Log run; every import is in the log', async function () {
    await vscode.commands.executeCommand('mapd.refresh');
    await vscode.commands.executeCommand('mapd.showLog');
    const root = logsRoot();
    if (!root) this.skip();
    const log = await waitFor('the import lines in MAPD Curator.log', () => {
      const text = findFiles(root, /^MAPD Curator\.log$/)
        .map((file) => fs.readFileSync(file, 'utf8'))
        .find((t) => t.includes('import outputs:'));
      return text;
    });
    assert.match(log, /\[info\] import problems: .*train\.json \(task svamp, split train\)/);
    assert.match(log, /\[info\] import answers: Imported 8 student answers/);
    assert.match(log, /\[warning\] +skipped .*mine\.jsonl:2: /);
    assert.match(log, /\[error\] import problems: .*no such file/);
  });

  test('a second split imports beside the first, its split inferred from the file name', async function () {
    if (!hasSharedData('svamp', 'chilled_split', 'dev.json')) this.skip();
    const unanswered = async (): Promise<number> => Number(/^Unanswered \((\d+)\)$/.exec((await snapshot(0)).labels[2] ?? '')?.[1]);
    const before = await unanswered();
    const report = (await vscode.commands.executeCommand('mapd.importProblems', { file: sharedData('svamp', 'chilled_split', 'dev.json'), task: 'svamp' })) as {
      split: string;
      inserted: number;
    };
    assert.deepEqual([report.split, report.inserted], ['dev', 100]);
    assert.equal(await unanswered(), before + 100);
  });

  test("a cancelled import (its signal, like the notification's Cancel button) imports nothing", async function () {
    const file = path.join(scratch, 'big.jsonl');
    const rows: string[] = [];
    for (let i = 0; i < 100_000; i++)
      rows.push(JSON.stringify({ question: `Cy has ${i} marbles and finds 4 more. How many marbles?`, answer: `${i} + 4 = ${i + 4}\n#### ${i + 4}` }));
    fs.writeFileSync(file, rows.join('\n') + '\n');
    const before = (await snapshot(0)).labels;
    const controller = new AbortController();
    // The worker is parsing or writing by then (100,000 rows take over a second); either way nothing lands.
    setTimeout(() => controller.abort(), 200);
    const error = await rejection('mapd.importProblems', { file, task: 'gsm8k', split: 'big', signal: controller.signal });
    assert.equal(error.message, 'Import cancelled; nothing was imported');
    assert.deepEqual((await snapshot(0)).labels, before);
    // The project is still usable: a small import after it lands.
    const small = path.join(scratch, 'small.jsonl');
    fs.writeFileSync(small, rows.slice(0, 3).join('\n') + '\n');
    const report = (await vscode.commands.executeCommand('mapd.importProblems', { file: small, task: 'gsm8k', split: 'big' })) as { inserted: number };
    assert.equal(report.inserted, 3);
  });
});
