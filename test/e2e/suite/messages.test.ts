import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { LINK_PAYLOADS, PAYLOAD_WORDS, notificationLinks } from '../../shared/links.ts';
import { activeExtension, workspaceDir } from './helpers.ts';

/**
 * No notification the extension shows can carry a live link that came from data. The suite
 * drives the commands as a user does (no argument: dialogs, pickers, notifications), answering
 * the dialogs itself and capturing every message, its buttons and every progress title and line
 * the extension hands to VS Code — by replacing those functions on the `vscode.window` object the
 * extension itself uses (this suite is loaded from the extension's own folder, so both share one
 * API object). The untrusted values: ids, kinds and field names in imported files, the files'
 * own names, and an endpoint's error body.
 */

interface Shown {
  kind: string;
  text: string;
}

type Window = Record<string, unknown>;
const PATCHED = [
  'showErrorMessage',
  'showWarningMessage',
  'showInformationMessage',
  'withProgress',
  'showOpenDialog',
  'showQuickPick',
  'showInputBox',
] as const;

suite('messages: no live link from data', function () {
  this.timeout(180_000);
  const shown: Shown[] = [];
  const answers: { file?: string; task?: string; input?: string } = {};
  const original: Window = {};
  let scratch: string;
  let previous: Record<string, unknown> = {};
  let errorServer: http.Server;
  let sharesApi = false;

  suiteSetup(async function () {
    // The capture works only when this suite and the extension share one API object: the suite is
    // loaded from the extension's own folder (a run from source). Against an installed .vsix the
    // suite lives elsewhere, its window functions are not the extension's, and a real dialog would
    // wait for a click: the tests are skipped there (the source run covers them).
    sharesApi = __filename.startsWith((await activeExtension()).extensionPath + path.sep);
    const folder = workspaceDir();
    scratch = fs.mkdtempSync(path.join(folder, '.mapd-messages-suite-'));
    const config = vscode.workspace.getConfiguration('mapd');
    previous = { databasePath: config.inspect('databasePath')?.workspaceValue, teachers: config.inspect('teachers')?.workspaceValue };
    await config.update('databasePath', path.relative(folder, path.join(scratch, 'curation.db')), vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('mapd.newProject', {});
    const problems = path.join(scratch, 'problems.jsonl');
    fs.writeFileSync(problems, `${JSON.stringify({ question: 'Tom has 2 apples and buys 3. How many?', answer: '2 + 3 = 5\n#### 5' })}\n`);
    await vscode.commands.executeCommand('mapd.importProblems', { file: problems, task: 'gsm8k', split: 'train' });

    // An OpenAI-protocol endpoint whose error body carries the payload.
    errorServer = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const message = decodeURIComponent(req.url?.split('/')[1] ?? '');
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } }));
      });
    });
    await new Promise<void>((resolve) => errorServer.listen(0, '127.0.0.1', resolve));

    const window = vscode.window as unknown as Window;
    for (const name of PATCHED) original[name] = window[name];
    const record =
      (kind: string) =>
      (message: string, ...items: unknown[]) => {
        shown.push({ kind, text: String(message) });
        for (const item of items) if (typeof item === 'string') shown.push({ kind: `${kind} button`, text: item });
        return Promise.resolve(undefined);
      };
    window.showErrorMessage = record('error');
    window.showWarningMessage = record('warning');
    window.showInformationMessage = record('info');
    window.withProgress = (
      options: vscode.ProgressOptions,
      task: (p: vscode.Progress<{ message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>,
    ) => {
      shown.push({ kind: 'progress title', text: options.title ?? '' });
      const token = new vscode.CancellationTokenSource().token;
      return task({ report: (line) => shown.push({ kind: 'progress line', text: line.message ?? '' }) }, token);
    };
    window.showOpenDialog = () => Promise.resolve(answers.file ? [vscode.Uri.file(answers.file)] : undefined);
    window.showQuickPick = (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) =>
      Promise.resolve(items).then(
        (list) =>
          (answers.task ? list.find((i) => (i as { task?: string }).task === answers.task) : undefined) ??
          list.find((i) => i.label === 'Free text…') ??
          list[0],
      );
    window.showInputBox = (options?: vscode.InputBoxOptions) => Promise.resolve(answers.input ?? options?.value ?? '');
  });

  suiteTeardown(async function () {
    const window = vscode.window as unknown as Window;
    for (const name of PATCHED) if (original[name]) window[name] = original[name];
    const config = vscode.workspace.getConfiguration('mapd');
    for (const [key, value] of Object.entries(previous)) await config.update(key, value, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('mapd.setApiKey', { teacher: 'linky', key: '' }).then(undefined, () => undefined);
    errorServer?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** A file whose name carries the payload (as far as a file name can). */
  function payloadFile(index: number, payload: string, label: string, line: unknown): string {
    // eslint-disable-next-line no-control-regex
    const name = `${label}-${index}-${payload.replace(/[/\u0000-\u001f\u007f-\u009f]/g, '_')}.jsonl`;
    const file = path.join(scratch, name);
    fs.writeFileSync(file, `${JSON.stringify(line)}\n`);
    return file;
  }

  /** Runs a command from the "UI" and returns what it showed. */
  async function shownBy(command: string, setup: typeof answers): Promise<Shown[]> {
    Object.assign(answers, { file: undefined, task: undefined, input: undefined }, setup);
    const from = shown.length;
    await vscode.commands.executeCommand(command);
    return shown.slice(from);
  }

  test('the capture sees what the extension shows', async function () {
    if (!sharesApi) this.skip();
    const said = await shownBy('mapd.newProject', {});
    assert.match(said[0]?.text ?? '', /already has a curation project/);
  });

  test('Ask Teacher and Collect Critiques with no teacher configured offer Open Settings at mapd.teachers', async function () {
    if (!sharesApi) this.skip();
    await vscode.workspace.getConfiguration('mapd').update('teachers', [], vscode.ConfigurationTarget.Workspace);
    const window = vscode.window as unknown as Window;
    const commands = vscode.commands as unknown as Record<string, unknown>;
    const execute = commands.executeCommand as typeof vscode.commands.executeCommand;
    const opened: unknown[][] = [];
    const recordError = window.showErrorMessage;
    window.showErrorMessage = (message: string, ...items: string[]) => {
      shown.push({ kind: 'error', text: message });
      for (const item of items) shown.push({ kind: 'error button', text: item });
      return Promise.resolve(items.includes('Open Settings') ? 'Open Settings' : undefined);
    };
    commands.executeCommand = (command: string, ...rest: unknown[]) => {
      if (command === 'workbench.action.openSettings') return Promise.resolve(void opened.push([command, ...rest]));
      return execute(command, ...rest);
    };
    try {
      for (const command of ['mapd.askTeacher', 'mapd.collectCritiques']) {
        const said = await shownBy(command, {});
        assert.deepEqual(
          said.filter((s) => s.kind.startsWith('error')).map((s) => s.text),
          ['no teachers are configured. Add teachers to the setting mapd.teachers', 'Open Settings'],
          command,
        );
        for (let i = 0; i < 50 && opened.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
        assert.deepEqual(opened.splice(0), [['workbench.action.openSettings', 'mapd.teachers']], command);
      }
    } finally {
      commands.executeCommand = execute;
      window.showErrorMessage = recordError;
    }
  });

  test('Cancel pressed on an import, an export or an ask: the command ends quietly, no dialog', async function () {
    if (!sharesApi) this.skip();
    const port = (errorServer.address() as AddressInfo).port;
    await vscode.workspace
      .getConfiguration('mapd')
      .update(
        'teachers',
        [{ id: 'linky', provider: 'openai-compatible', model: 'm', baseUrl: `http://127.0.0.1:${port}/x`, maxRetries: 0 }],
        vscode.ConfigurationTarget.Workspace,
      );
    const window = vscode.window as unknown as Window;
    const saved = { withProgress: window.withProgress, showQuickPick: window.showQuickPick };
    // The user presses Cancel as soon as the notification appears.
    window.withProgress = (
      options: vscode.ProgressOptions,
      task: (p: vscode.Progress<{ message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>,
    ) => {
      shown.push({ kind: 'progress title', text: options.title ?? '' });
      const source = new vscode.CancellationTokenSource();
      source.cancel();
      return task({ report: () => undefined }, source.token);
    };
    // The first choice of each picker; no extra export options.
    window.showQuickPick = (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) =>
      Promise.resolve(items).then((list) => (options?.canPickMany ? [] : (list.find((i) => i.label === 'Free text…') ?? list[0])));
    try {
      const problems = payloadFile(99, 'cancelled', 'cancel', { question: 'Two plus two?', answer: '2 + 2 = 4\n#### 4', id: 'c-1' });
      const exportFolder = path.join(scratch, 'cancelled-export');
      for (const [command, setup] of [
        ['mapd.importProblems', { file: problems, task: 'gsm8k', input: 'train' }],
        ['mapd.exportTrainingSet', { file: exportFolder }],
        ['mapd.askTeacher', { input: 'a question' }],
      ] as const) {
        const said = await shownBy(command, setup);
        assert.ok(
          said.some((m) => m.kind === 'progress title'),
          `${command}: its progress notification opened`,
        );
        assert.deepEqual(
          said.filter((m) => m.kind !== 'progress title'),
          [],
          `${command}: nothing but the progress was shown`,
        );
      }
      assert.ok(!fs.existsSync(path.join(exportFolder, 'mapd.jsonl')), 'the cancelled export wrote nothing');
    } finally {
      Object.assign(window, saved);
    }
  });

  test('imports, summaries, progress and endpoint errors: every message inert, the value readable', async function () {
    if (!sharesApi) this.skip();
    const endpoint = (payload: string) => [
      {
        id: 'linky',
        provider: 'openai-compatible',
        model: 'm',
        baseUrl: `http://127.0.0.1:${(errorServer.address() as AddressInfo).port}/${encodeURIComponent(payload)}`,
        maxRetries: 0,
      },
    ];
    await vscode.workspace.getConfiguration('mapd').update('teachers', endpoint('x'), vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('mapd.setApiKey', { teacher: 'linky', key: 'sk-test-key' });
    const cases: { what: string; said: Shown[]; payload: string }[] = [];
    for (const [index, payload] of LINK_PAYLOADS.entries()) {
      const unknownId = payloadFile(index, payload, 'bad-id', { id: payload, teacher: 'gpt', kind: 'critique', text: 'hi' });
      cases.push({ what: 'teacher outputs with an unknown id', payload, said: await shownBy('mapd.importOutputs', { file: unknownId }) });
      const badKind = payloadFile(index, payload, 'bad-kind', { id: '1', teacher: 'gpt', kind: payload, text: 'hi' });
      cases.push({ what: 'teacher outputs with a bad kind', payload, said: await shownBy('mapd.importOutputs', { file: badKind }) });
      const named = payloadFile(index, payload, 'named', { question: 'One plus one?', answer: '1 + 1 = 2\n#### 2', id: `q-${index}` });
      cases.push({
        what: 'problems from a file so named',
        payload,
        said: await shownBy('mapd.importProblems', { file: named, task: 'gsm8k', input: 'train' }),
      });
      // The server repeats the payload from the request path in its error body.
      await vscode.workspace.getConfiguration('mapd').update('teachers', endpoint(payload), vscode.ConfigurationTarget.Workspace);
      cases.push({
        what: 'Ask Teacher against an endpoint whose error body carries the value',
        payload,
        said: await shownBy('mapd.askTeacher', { input: 'a question' }),
      });
    }
    let messages = 0;
    for (const c of cases) {
      assert.ok(c.said.length > 0, `${c.what}: something was shown`);
      for (const s of c.said) {
        messages += 1;
        assert.deepEqual(notificationLinks(s.text), [], `${c.what} (${s.kind}): a live link in ${JSON.stringify(s.text)}`);
      }
      const all = c.said.map((s) => s.text).join('\n');
      for (const word of PAYLOAD_WORDS) if (c.payload.includes(word)) assert.ok(all.includes(word), `${c.what}: "${word}" still readable in ${all}`);
    }
    assert.ok(messages >= cases.length);
  });
});
