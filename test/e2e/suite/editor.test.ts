import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { findMistake, projectSummary, queryMistakes } from '../../../src/core/curation/agentQueries.ts';
import { openStore } from '../../../src/core/store/db.ts';
import { activeExtension, hasSharedData, sharedData, workspaceDir } from './helpers.ts';

/**
 * At home in VS Code: the walkthrough's contribution and its buttons, and the language model
 * tools a chat agent reads the project through, invoked as an agent does (vscode.lm.invokeTool),
 * returning what the panel shows — read from the same store by the same core in this test.
 */
const TOOLS = ['mapd_currentMistake', 'mapd_findMistakes', 'mapd_projectStatistics', 'mapd_proposeDecision'];

async function invoke(name: string, input: object): Promise<Record<string, unknown>> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
  return JSON.parse(text) as Record<string, unknown>;
}

suite('editor: walkthrough and language model tools', function () {
  this.timeout(120_000);
  let folder: string;
  let scratch: string;
  let dbFile: string;
  let previous: unknown;

  suiteSetup(async function () {
    if (!hasSharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_rationale_round0.json')) this.skip();
    await activeExtension();
    folder = workspaceDir();
    scratch = fs.mkdtempSync(path.join(folder, '.mapd-editor-suite-'));
    dbFile = path.join(scratch, 'curation.db');
    const config = vscode.workspace.getConfiguration('mapd');
    previous = config.inspect('databasePath')?.workspaceValue;
    await config.update('databasePath', path.relative(folder, dbFile), vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('mapd.newProject', {});
    for (const part of ['false', 'feedback', 'rationale'])
      await vscode.commands.executeCommand('mapd.importOutputs', { file: sharedData('mapd_release', `Llama-2-7b-chat-hf_svamp_${part}_round0.json`) });
  });

  suiteTeardown(async function () {
    await vscode.workspace.getConfiguration('mapd').update('databasePath', previous, vscode.ConfigurationTarget.Workspace);
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) if (tab.label === 'MAPD Curation') await vscode.window.tabGroups.close(tab);
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('the walkthrough is contributed, and every button in it runs a command that exists', async function () {
    const pkg = (await activeExtension()).packageJSON as {
      contributes: { walkthroughs: { id: string; steps: { id: string; description: string; completionEvents: string[]; media: { markdown: string } }[] }[] };
    };
    const walkthrough = pkg.contributes.walkthroughs.find((w) => w.id === 'gettingStarted');
    assert.ok(walkthrough);
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['project', 'problems', 'student', 'teachers', 'collect', 'curate', 'export'],
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    const root = (await activeExtension()).extensionPath;
    for (const step of walkthrough.steps) {
      const commands = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1] as string);
      assert.ok(commands.length > 0, `${step.id} has a button`);
      for (const command of commands) assert.ok(registered.has(command), `${step.id}: ${command} is a command`);
      assert.ok(step.completionEvents.length > 0, `${step.id} says when it is done`);
      assert.ok(fs.existsSync(path.join(root, step.media.markdown)), `${step.id}: ${step.media.markdown}`);
    }
  });

  test('the tools are registered, and read what the panel shows', async function () {
    const names = new Set(vscode.lm.tools.map((t) => t.name));
    for (const name of TOOLS) assert.ok(names.has(name), `${name} registered`);
    const db = openStore(dbFile, { readonly: true });
    try {
      const mistake = await invoke('mapd_currentMistake', { sourceId: 'chal-777' });
      assert.deepEqual(mistake, JSON.parse(JSON.stringify(findMistake(db, null, { sourceId: 'chal-777' }))));
      assert.equal((mistake.items as unknown[]).length, 6);
      const found = await invoke('mapd_findMistakes', { order: 'disagreement', limit: 5 });
      assert.deepEqual(found, JSON.parse(JSON.stringify(queryMistakes(db, null, { order: 'disagreement', limit: 5 }))));
      assert.equal(found.matching, 387);
      const stats = await invoke('mapd_projectStatistics', {});
      assert.deepEqual(stats, JSON.parse(JSON.stringify(projectSummary(db))));
      const missing = await invoke('mapd_currentMistake', { sourceId: 'no-such-id' });
      assert.match(String(missing.error), /No mistake no-such-id/);
    } finally {
      db.close();
    }
  });

  test('propose opens the panel on the item and decides nothing', async function () {
    const db = openStore(dbFile, { readonly: true });
    const events = () => (db.prepare('SELECT COUNT(*) AS n FROM curation_events').get() as { n: number }).n;
    try {
      const before = events();
      const mistake = findMistake(db, null, { sourceId: 'chal-777' });
      const item = mistake!.items.find((i) => i.kind === 'rationale')!;
      const answer = await invoke('mapd_proposeDecision', {
        sourceId: 'chal-777',
        outputId: item.outputId,
        action: 'accept',
        reason: 'reaches the gold answer',
      });
      assert.deepEqual([answer.opened, answer.decided, answer.outputId], [true, false, item.outputId]);
      assert.ok(
        vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'MAPD Curation'),
        'the panel is open',
      );
      assert.equal(events(), before, 'no decision was written');
      const wrong = await invoke('mapd_proposeDecision', { sourceId: 'chal-777', outputId: 999999, action: 'accept' });
      assert.match(String(wrong.error), /No output 999999/);
    } finally {
      db.close();
    }
  });
});
