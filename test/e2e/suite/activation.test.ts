import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';
import { activeExtension, contributedCommands, findFiles, logsRoot, waitFor } from './helpers.ts';

suite('activation', () => {
  test('the extension activates', async () => {
    const extension = await activeExtension();
    assert.equal(extension.isActive, true);
    assert.equal((extension.packageJSON as { displayName: string }).displayName, 'MAPD Curator');
  });

  test('the extension under test is the one the harness loaded (source or .vsix)', async () => {
    const extension = await activeExtension();
    const from = process.env.MAPD_E2E_EXTENSION;
    const repoRoot = process.env.MAPD_REPO_ROOT;
    if (from === 'source') assert.equal(fs.realpathSync(extension.extensionPath), fs.realpathSync(repoRoot!));
    if (from === 'vsix') {
      assert.notEqual(fs.realpathSync(extension.extensionPath), fs.realpathSync(repoRoot!));
      assert.ok(fs.existsSync(`${extension.extensionPath}/dist/node_modules/better-sqlite3/package.json`), 'the .vsix carries better-sqlite3');
    }
  });

  test('every command in contributes.commands is registered', async () => {
    const extension = await activeExtension();
    const contributed = contributedCommands(extension);
    assert.ok(contributed.length >= 4, `only ${contributed.length} commands contributed`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('the log output channel "MAPD Curator" exists and records activation', async () => {
    await activeExtension();
    const root = logsRoot();
    assert.ok(root, 'MAPD_E2E_USER_DATA is not set: run the suite through test/e2e/run.ts');
    // A log channel (createOutputChannel(name, {log: true})) is backed by "<name>.log" in the
    // extension host's log folder; the plain-text channels are not.
    const file = await waitFor('MAPD Curator.log', () =>
      findFiles(root, /^MAPD Curator\.log$/).find((candidate) => fs.readFileSync(candidate, 'utf8').includes('MAPD Curator activated')),
    );
    assert.match(fs.readFileSync(file, 'utf8'), /\[info\] MAPD Curator activated/);
  });
});
