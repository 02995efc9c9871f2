// The in-host test suite's entry. esbuild bundles it with every test file of this folder into
// dist/test/suite.js. Two ways in:
//   - the code-server harness (test/e2e/run.ts) loads it as extensionTestsPath and calls run(),
//     which builds its own mocha;
//   - @vscode/test-cli (.vscode-test.mjs, where a VS Code desktop exists) requires it as a test
//     file of its mocha (MAPD_TEST_RUNNER=vscode-test): the test files register on load.
//
// Which files run: every *.test.ts here in the normal (trusted) run; only *.restricted.test.ts in
// the restricted-mode run (MAPD_E2E_MODE=restricted). Files use mocha's TDD globals (`suite`,
// `test`, `suiteSetup`, `setup`, ...). Each result is appended as one JSON line to
// MAPD_E2E_RESULTS, which the harness prints as it arrives.
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import type MochaType from 'mocha';
import type * as VscodeApi from 'vscode';

export interface TestResult {
  title: string;
  file: string | undefined;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

const SUFFIX = '.test.ts';

// dist/test/suite.js sits two levels below the repository root.
const repoRoot = (): string => process.env.MAPD_REPO_ROOT ?? path.resolve(__dirname, '../..');
const suiteDir = (): string => path.join(repoRoot(), 'test/e2e/suite');
const mode = (): string => process.env.MAPD_E2E_MODE ?? 'trusted';

/** mocha from the repository's node_modules (not bundled: its parallel runner resolves files at run time). */
function loadMocha(): typeof MochaType {
  // mocha 12 is an ES module: required from CommonJS, the class is its default export.
  const loaded = createRequire(path.join(repoRoot(), 'package.json'))('mocha') as { default?: typeof MochaType } & typeof MochaType;
  return loaded.default ?? loaded;
}

function selectedFiles(): string[] {
  const restricted = mode() === 'restricted';
  const files = fs
    .readdirSync(suiteDir())
    .filter((name) => name.endsWith(SUFFIX) && name.endsWith(`.restricted${SUFFIX}`) === restricted)
    .sort();
  if (files.length === 0) throw new Error(`no ${mode()} test files in ${suiteDir()}`);
  return files;
}

/**
 * One SQLite library per process. When the extension under test carries its own better-sqlite3
 * (the .vsix), the suite's copy and the extension's would each hold POSIX locks on the same
 * database file, and closing it through one drops the other's locks, so writes went missing
 * (sqlite.org/howtocorrupt.html, "multiple copies of SQLite in the same program"). The suite's
 * `require('better-sqlite3')` therefore resolves to the extension's copy when it has one.
 */
function shareTheExtensionsSqlite(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vscode = require('vscode') as typeof VscodeApi;
  const extension = vscode.extensions.all.find((e) => (e.packageJSON as { name?: string }).name === 'mapd-curator');
  const own = extension && path.join(extension.extensionPath, 'dist/node_modules/better-sqlite3');
  if (!own || !fs.existsSync(own)) return;
  const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    return resolve.call(this, request === 'better-sqlite3' ? own : request, ...rest);
  };
}

/** Loads one test file of this folder; its suite()/test() calls register with the current mocha. */
function loadTestFile(file: string): unknown {
  // esbuild turns this pattern into a table of every ./*.test.ts file of this folder. A plain
  // (synchronous) require, because mocha's own loader (@vscode/test-cli) does not await.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`./${file.slice(0, -SUFFIX.length)}.test.ts`);
}

function record(result: TestResult): void {
  const file = process.env.MAPD_E2E_RESULTS;
  if (file) fs.appendFileSync(file, `${JSON.stringify(result)}\n`);
  const mark = result.state === 'passed' ? 'ok' : result.state === 'failed' ? 'FAILED' : 'skipped';
  console.log(`[mapd-e2e] ${mark} ${result.title}${result.error ? `\n${result.error}` : ''}`);
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const frames = (error.stack ?? '')
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .slice(0, 4);
    return [error.message, ...frames.map((frame) => frame.trim())].join('\n');
  }
  return String(error);
}

/** Entry for the code-server harness (extensionTestsPath). */
export async function run(): Promise<void> {
  const Mocha = loadMocha();
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: Number(process.env.MAPD_E2E_TEST_TIMEOUT ?? 60_000),
    reporter: 'dot',
    ...(process.env.MAPD_E2E_GREP ? { grep: process.env.MAPD_E2E_GREP } : {}),
  });
  shareTheExtensionsSqlite();
  for (const file of selectedFiles()) {
    mocha.suite.emit('pre-require', globalThis, file, mocha);
    const module = loadTestFile(file);
    mocha.suite.emit('require', module, file, mocha);
    mocha.suite.emit('post-require', globalThis, file, mocha);
  }
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (test) => record({ title: test.fullTitle(), file: test.file, state: 'passed', durationMs: test.duration ?? 0 }));
    runner.on('pending', (test) => record({ title: test.fullTitle(), file: test.file, state: 'pending', durationMs: 0 }));
    runner.on('fail', (test, error) =>
      record({ title: test.fullTitle(), file: test.file, state: 'failed', durationMs: test.duration ?? 0, error: describeError(error) }),
    );
  });
  if (failures > 0) throw new Error(`${failures} in-host test(s) failed`);
}

// Under @vscode/test-cli this bundle is itself the test file: mocha has set the TDD globals for
// it, so the test files register now, with a root hook that records each result.
if (process.env.MAPD_TEST_RUNNER === 'vscode-test') {
  teardown(function () {
    const test = this.currentTest;
    if (!test) return;
    const state = test.state === 'passed' ? 'passed' : test.state === 'failed' ? 'failed' : 'pending';
    const error = (test as { err?: unknown }).err;
    record({ title: test.fullTitle(), file: test.file, state, durationMs: test.duration ?? 0, ...(state === 'failed' ? { error: describeError(error) } : {}) });
  });
  shareTheExtensionsSqlite();
  for (const file of selectedFiles()) loadTestFile(file);
}
