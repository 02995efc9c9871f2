// @vscode/test-cli configuration: the same in-host mocha suite (test/e2e/suite, bundled to
// dist/test/suite.js by `npm run build`) in VS Code desktop, where one exists:
//   npm run build && VSCODE_EXECUTABLE_PATH=/path/to/code npx vscode-test
// Without VSCODE_EXECUTABLE_PATH, test-cli downloads VS Code stable (impossible offline). Here and
// in CI the code-server harness runs the suite instead: node test/e2e/run.ts (it can also drive
// this very runner inside code-server: --runner test-cli).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { defineConfig } from '@vscode/test-cli';

const root = import.meta.dirname;
const shared = process.env.MAPD_SHARED_DATA ?? path.resolve(root, '../shared/data');
const executable = process.env.VSCODE_EXECUTABLE_PATH;
// test-electron's default user data folder; the log-channel test reads the logs below it.
const userData = path.join(root, '.vscode-test', 'user-data');

/** A fresh workspace folder per run, as the code-server harness gives. */
function workspace(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mapd-vscode-test-${name}-`));
}

const common = {
  files: 'dist/test/suite.js',
  extensionDevelopmentPath: root,
  mocha: { ui: 'tdd', timeout: 60_000 },
  ...(executable ? { useInstallation: { fromPath: executable } } : {}),
};
const env = (mode) => ({
  MAPD_TEST_RUNNER: 'vscode-test',
  MAPD_E2E_MODE: mode,
  MAPD_REPO_ROOT: root,
  MAPD_E2E_USER_DATA: userData,
  MAPD_E2E_EXTENSION: 'source',
  ...(fs.existsSync(shared) ? { MAPD_SHARED_DATA: shared } : {}),
});

export default defineConfig([
  {
    ...common,
    label: 'in-host',
    workspaceFolder: workspace('trusted'),
    launchArgs: ['--disable-workspace-trust', '--disable-extensions'],
    env: env('trusted'),
  },
  {
    ...common,
    label: 'restricted',
    workspaceFolder: workspace('restricted'),
    launchArgs: ['--disable-extensions'],
    env: env('restricted'),
  },
]);
