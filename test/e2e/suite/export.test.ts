import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../../src/core/store/db.ts';
import type { ExportSummary } from '../../../src/core/export/export.ts';
import type { ReimportResult } from '../../../src/core/decisions/reimport.ts';
import type { CurationStats } from '../../../src/core/stats/curation.ts';
import type { SyncResult } from '../../../src/core/team/sync.ts';
import { applyScript } from '../../unit/export/script.ts';
import { activeExtension, hasSharedData, sharedData, waitFor, workspaceDir } from './helpers.ts';
import { FOLDER_EXPORT_FILES } from '../../shared/exportFolder.ts';

/**
 * Export and statistics inside a real extension host: the paper's SVAMP release imported through
 * the commands, the scripted decisions of the unit tests written to the same database, then the
 * export command run with arguments (no dialogs) and the statistics panel opened. The suite works
 * on its own database file (mapd.databasePath).
 */
suite('export and statistics', function () {
  this.timeout(180_000);
  let folder: string;
  let scratch: string;
  let previousDbPath: string | undefined;

  suiteSetup(async function () {
    if (!hasSharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_rationale_round0.json')) this.skip();
    await activeExtension();
    folder = workspaceDir();
    scratch = fs.mkdtempSync(path.join(folder, '.mapd-export-suite-'));
    const config = vscode.workspace.getConfiguration('mapd');
    previousDbPath = config.inspect<string>('databasePath')?.workspaceValue;
    await config.update('databasePath', path.relative(folder, path.join(scratch, 'curation.db')), vscode.ConfigurationTarget.Workspace);
    const dbFile = (await vscode.commands.executeCommand('mapd.newProject', {})) as string;
    for (const kind of ['feedback', 'rationale']) {
      await vscode.commands.executeCommand('mapd.importOutputs', { file: sharedData('mapd_release', `Llama-2-7b-chat-hf_svamp_${kind}_round0.json`) });
    }
    // The decisions a curator would make in the panel, written through the store (WAL: the extension's own connection sees them).
    const db = openStore(dbFile);
    try {
      applyScript(db);
    } finally {
      db.close();
    }
  });

  suiteTeardown(async function () {
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) if (tab.label === 'MAPD Statistics') await vscode.window.tabGroups.close(tab);
    if (folder) await vscode.workspace.getConfiguration('mapd').update('databasePath', previousDbPath, vscode.ConfigurationTarget.Workspace);
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('Export Training Set with arguments writes every format and the dataset card with the expected counts', async function () {
    const out = path.join(scratch, 'training');
    const summary = (await vscode.commands.executeCommand('mapd.exportTrainingSet', { format: 'all', out })) as ExportSummary;
    assert.equal(summary.counts.rationaleExamples, 256);
    assert.equal(summary.counts.feedbackExamples, 194);
    assert.equal(summary.counts.excludedInconsistent, 253);
    assert.deepEqual(fs.readdirSync(out).sort(), [...FOLDER_EXPORT_FILES]);
    assert.match(fs.readFileSync(path.join(out, 'README.md'), 'utf8'), /^---\npretty_name: /);
    const lines = (name: string) => fs.readFileSync(path.join(out, name), 'utf8').trimEnd().split('\n');
    assert.equal(lines('prompt_completion.jsonl').length, 450);
    assert.equal(lines('mapd.jsonl').length, 450);
    assert.equal(lines('chat.jsonl').length, 450);
    assert.equal(lines('records.jsonl').length, 1259);
    const chat = JSON.parse(lines('chat.jsonl')[0]!) as { messages: { role: string; content: string }[] };
    assert.deepEqual(
      chat.messages.map((m) => m.role),
      ['user', 'assistant'],
    );

    // One format, relative to the workspace, with options.
    const relative = path.relative(folder, path.join(scratch, 'all-accepted.jsonl'));
    const one = (await vscode.commands.executeCommand('mapd.exportTrainingSet', {
      format: 'mapd',
      out: relative,
      allAccepted: true,
      keepInconsistent: true,
    })) as ExportSummary;
    assert.equal(one.files.length, 1);
    assert.equal(one.counts.excludedInconsistent, 0);
    assert.equal(
      fs.readFileSync(path.join(scratch, 'all-accepted.jsonl'), 'utf8').trimEnd().split('\n').length,
      one.counts.rationaleExamples + one.counts.feedbackExamples,
    );
  });

  test('bad arguments reject with a message naming the field', async function () {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('mapd.exportTrainingSet', { format: 'csv', out: 'x' })), /argument "format"/);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('mapd.exportTrainingSet', { format: 'mapd', out: 'x', allAccepted: 'yes' })),
      /argument "allAccepted"/,
    );
  });

  test('Show Statistics opens the panel with the curation statistics', async function () {
    const stats = (await vscode.commands.executeCommand('mapd.showStatistics')) as CurationStats;
    assert.equal(stats.totals.decided, 1259);
    assert.equal(stats.teachers.length, 3);
    assert.equal(stats.humanVsPeer.items, 774);
    assert.ok(stats.humanVsPeer.kappa !== null);
    assert.equal(stats.export.counts.rationaleExamples, 256);
    const tab = await waitFor('the statistics tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'MAPD Statistics'));
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    assert.match((tab.input as vscode.TabInputWebview).viewType, /mapd\.statistics$/);
  });

  test('Import Decisions re-applies the exported records to a second project holding the same outputs', async function () {
    const records = path.join(scratch, 'training', 'records.jsonl');
    assert.ok(fs.existsSync(records), 'the export test wrote the records file');
    await vscode.workspace
      .getConfiguration('mapd')
      .update('databasePath', path.relative(folder, path.join(scratch, 'second.db')), vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('mapd.newProject', {});
    for (const kind of ['feedback', 'rationale']) {
      await vscode.commands.executeCommand('mapd.importOutputs', { file: sharedData('mapd_release', `Llama-2-7b-chat-hf_svamp_${kind}_round0.json`) });
    }
    const first = (await vscode.commands.executeCommand('mapd.importDecisions', { file: path.relative(folder, records) })) as ReimportResult;
    assert.deepEqual([first.records, first.applied, first.unchanged, first.missing.length, first.conflicts.length], [1259, 1259, 0, 0, 0]);
    const stats = (await vscode.commands.executeCommand('mapd.showStatistics')) as CurationStats;
    assert.equal(stats.totals.decided, 1259);
    assert.equal(stats.export.counts.rationaleExamples, 256, 'the second project exports what the first did');
    // Again: everything is already in force; nothing is written twice.
    const again = (await vscode.commands.executeCommand('mapd.importDecisions', { file: records })) as ReimportResult;
    assert.deepEqual([again.applied, again.unchanged], [0, 1259]);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('mapd.importDecisions', { file: '' })), /argument "file"/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('mapd.importDecisions', { file: 'no-such-records.jsonl' })), /no-such-records\.jsonl/);
  });

  test("Sync Decisions writes the curator's file beside the database, reads it back; a second sync adds nothing; the export settles the same", async function () {
    // The second project's decisions name alice (the records' curator): she is the curator here.
    const config = vscode.workspace.getConfiguration('mapd');
    const previousCurator = config.inspect<string>('curator')?.workspaceValue;
    await config.update('curator', 'alice', vscode.ConfigurationTarget.Workspace);
    try {
      const first = (await vscode.commands.executeCommand('mapd.syncDecisions', {})) as SyncResult;
      assert.equal(first.file, path.join(scratch, 'decisions', 'alice.jsonl'));
      assert.deepEqual(
        [first.appended, first.files.length, first.files[0]?.added, first.bad.length, first.curators, first.decidedOutputs],
        [1259, 1, 1259, 0, 1, 1259],
      );
      assert.equal(fs.readFileSync(first.file, 'utf8').trimEnd().split('\n').length, 1259);
      const again = (await vscode.commands.executeCommand('mapd.syncDecisions', {})) as SyncResult;
      assert.deepEqual([again.appended, again.files[0]?.added], [0, 0]);
      const stats = (await vscode.commands.executeCommand('mapd.showStatistics')) as CurationStats;
      assert.deepEqual(stats.team?.curators, ['alice']);
      assert.equal(stats.team?.decided.alice, 1259);
      const summary = (await vscode.commands.executeCommand('mapd.exportTrainingSet', {
        format: 'mapd',
        out: path.join(scratch, 'team.jsonl'),
        teamRule: 'majority',
      })) as ExportSummary;
      assert.equal(summary.counts.rationaleExamples, 256, "one curator's majority is their own decisions");
    } finally {
      await config.update('curator', previousCurator, vscode.ConfigurationTarget.Workspace);
    }
  });
});
