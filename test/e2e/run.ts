// The integration harness: the extension in a real VS Code (code-server) driven by Chromium.
//   1. the mocha suite test/e2e/suite/*.test.ts inside the extension host (trusted workspace)
//   2. the same runner on *.restricted.test.ts in an untrusted workspace (restricted mode)
//   3. the Playwright scenarios test/e2e/scenarios/*.ts against the workbench
// Prints every result, then a last line "N passed, N failed"; exits non-zero on any failure.
// Failures leave screenshots and logs in test-results/e2e/. See test/e2e/README.md.
//
// Usage: node test/e2e/run.ts [--vsix FILE] [--only suite,restricted,scenarios] [--grep TEXT]
//                             [--runner harness|test-cli] [--no-build] [--keep]
// --runner test-cli runs the suite through @vscode/test-cli's own mocha runner (as
// .vscode-test.mjs does in VS Code desktop) instead of dist/test/suite.js's run().
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser } from './lib/browser.ts';
import type { Browser } from './lib/browser.ts';
import { installCodeServer, installVsix, sleep, startCodeServer, tail } from './lib/codeServer.ts';
import type { CodeServer } from './lib/codeServer.ts';
import { REPO_ROOT, RESULTS_DIR, sharedDataDir } from './lib/paths.ts';
import { waitForWorkbench, workbenchUrl } from './lib/workbench.ts';
import type { Scenario, ScenarioContext } from './lib/scenario.ts';

type Phase = 'suite' | 'restricted' | 'scenarios';
const PHASES: Phase[] = ['suite', 'restricted', 'scenarios'];

interface Outcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

const { values: flags } = parseArgs({
  options: {
    vsix: { type: 'string' },
    only: { type: 'string' },
    grep: { type: 'string' },
    runner: { type: 'string', default: 'harness' },
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log('usage: node test/e2e/run.ts [--vsix FILE] [--only suite,restricted,scenarios] [--grep TEXT] [--runner harness|test-cli] [--no-build] [--keep]');
  process.exit(0);
}
const phases = new Set<Phase>(flags.only ? (flags.only.split(',').map((p) => p.trim()) as Phase[]) : PHASES);
for (const phase of phases) if (!PHASES.includes(phase)) throw new Error(`--only: unknown phase "${phase}" (one of ${PHASES.join(', ')})`);
if (flags.runner !== 'harness' && flags.runner !== 'test-cli') throw new Error(`--runner: "${flags.runner}" is not harness or test-cli`);
const vsix = flags.vsix ? path.resolve(flags.vsix) : undefined;
if (vsix && !fs.existsSync(vsix)) throw new Error(`--vsix: ${vsix} does not exist`);
const SUITE_TIMEOUT_MS = Number(process.env.MAPD_E2E_SUITE_TIMEOUT ?? 600_000);
const SCENARIO_TIMEOUT_MS = Number(process.env.MAPD_E2E_SCENARIO_TIMEOUT ?? 180_000);
const ARTIFACTS = path.join(RESULTS_DIR, 'e2e');

const outcomes: Outcome[] = [];
const runRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-e2e-'));
const cleanups: (() => Promise<void>)[] = [];
process.on('exit', () => {
  if (!flags.keep) fs.rmSync(runRoot, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\ne2e: ${signal}, stopping`);
    process.exit(130); // the exit hooks kill the code-server process groups and the temp folder
  });
}

function report(outcome: Outcome): void {
  outcomes.push(outcome);
  const mark = outcome.state === 'passed' ? 'ok  ' : outcome.state === 'failed' ? 'FAIL' : 'skip';
  const time = outcome.durationMs >= 1000 ? `${(outcome.durationMs / 1000).toFixed(1)} s` : `${outcome.durationMs} ms`;
  console.log(`  ${mark} ${outcome.title} (${time})`);
  if (outcome.error) console.log(outcome.error.replace(/^/gm, '         '));
}

function build(): void {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the build failed (node esbuild.js)');
  console.log(`e2e: built in ${Date.now() - started} ms`);
}

/** An empty extension that only carries extensionTestsPath when the real one comes from a .vsix. */
function stubExtension(): string {
  const dir = path.join(runRoot, 'stub-extension');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'mapd-e2e-runner', publisher: 'mapd-test', version: '0.0.0', engines: { vscode: '*' } }),
  );
  return dir;
}

async function startServer(entry: string, name: string, trust: boolean, env: Record<string, string>): Promise<CodeServer> {
  const root = path.join(runRoot, name);
  if (vsix) installVsix(entry, root, vsix);
  // The in-host suite's chat models come from a test-only provider extension (test/e2e/lmProvider);
  // against an installed .vsix the extensions folder is the installer's, and those tests skip.
  const server = await startCodeServer(entry, { root, trust, env, ...(vsix ? {} : { linkExtension: path.join(REPO_ROOT, 'test/e2e/lmProvider') }) });
  cleanups.push(() => server.stop());
  return server;
}

async function saveArtifacts(name: string, server: CodeServer, page?: Page): Promise<void> {
  const dir = path.join(ARTIFACTS, name);
  fs.mkdirSync(dir, { recursive: true });
  if (page) await page.screenshot({ path: path.join(dir, 'workbench.png') }).catch(() => undefined);
  fs.copyFileSync(server.logFile, path.join(dir, 'server.log'));
  const logs = path.join(server.userDataDir, 'logs');
  if (fs.existsSync(logs)) fs.cpSync(logs, path.join(dir, 'vscode-logs'), { recursive: true });
  console.log(`  artifacts: ${path.relative(REPO_ROOT, dir)}/`);
}

/** Runs the in-host mocha suite once; every test result is reported as it arrives. */
async function runSuite(entry: string, mode: 'trusted' | 'restricted'): Promise<void> {
  const name = mode === 'trusted' ? 'suite' : 'restricted';
  console.log(`\n== in-host suite, ${mode} workspace`);
  const workspace = path.join(runRoot, name, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const resultsFile = path.join(runRoot, name, 'results.jsonl');
  fs.writeFileSync(resultsFile, '');
  const root = path.join(runRoot, name);
  const env: Record<string, string> = {
    MAPD_E2E_MODE: mode,
    MAPD_E2E_RESULTS: resultsFile,
    MAPD_E2E_USER_DATA: path.join(root, 'user-data'),
    MAPD_REPO_ROOT: REPO_ROOT,
    MAPD_E2E_EXTENSION: vsix ? 'vsix' : 'source',
    ...(flags.grep ? { MAPD_E2E_GREP: flags.grep } : {}),
  };
  const suiteBundle = path.join(REPO_ROOT, 'dist/test/suite.js');
  let extensionTestsPath = suiteBundle;
  if (flags.runner === 'test-cli') {
    // What @vscode/test-cli passes to its runner (see its out/runner.cjs).
    extensionTestsPath = path.join(REPO_ROOT, 'node_modules/@vscode/test-cli/out/runner.cjs');
    env.MAPD_TEST_RUNNER = 'vscode-test';
    env.VSCODE_TEST_OPTIONS = JSON.stringify({
      mochaOpts: { ui: 'tdd', timeout: 60_000, ...(flags.grep ? { grep: flags.grep } : {}) },
      files: [suiteBundle],
      preload: [],
      colorDefault: false,
    });
  }
  const shared = sharedDataDir();
  if (shared) env.MAPD_SHARED_DATA = shared;
  const server = await startServer(entry, name, mode === 'trusted', env);
  const browser = await launchBrowser(path.join(root, 'browser'), path.join(root, 'browser-console.log'));
  cleanups.push(() => browser.close());
  const started = Date.now();
  const before = outcomes.length;
  let exitCode: number | undefined;
  await browser.page.exposeFunction('codeAutomationExit', (code: number) => {
    exitCode = code;
  });
  await browser.page.exposeFunction('codeAutomationLog', () => undefined);
  await browser.page.goto(
    workbenchUrl({
      serverUrl: server.url,
      folder: workspace,
      extensionDevelopmentPath: vsix ? stubExtension() : REPO_ROOT,
      extensionTestsPath,
    }),
  );

  let offset = 0;
  const drain = (): void => {
    const text = fs.readFileSync(resultsFile, 'utf8');
    const complete = text.lastIndexOf('\n') + 1;
    for (const line of text.slice(offset, complete).split('\n')) {
      if (!line.trim()) continue;
      const result = JSON.parse(line) as Outcome;
      report({ ...result, title: `${mode === 'restricted' ? '[restricted] ' : ''}${result.title}` });
    }
    offset = complete;
  };
  while (exitCode === undefined && Date.now() - started < SUITE_TIMEOUT_MS) {
    drain();
    await sleep(200);
  }
  drain();
  const ran = outcomes.length - before;
  const failed = outcomes.slice(before).some((o) => o.state === 'failed');
  if (exitCode === undefined) {
    report({
      title: `${name}: the extension host did not finish within ${SUITE_TIMEOUT_MS / 1000} s`,
      state: 'failed',
      durationMs: Date.now() - started,
      error: tail(server.logFile, 15),
    });
  } else if (exitCode !== 0 && !failed) {
    report({
      title: `${name}: the extension host exited with code ${exitCode}`,
      state: 'failed',
      durationMs: Date.now() - started,
      error: 'a test file failed to load or the runner crashed; see the extension host log in the artifacts',
    });
  } else if (ran === 0) {
    report({ title: `${name}: no test ran`, state: 'failed', durationMs: Date.now() - started });
  }
  if (outcomes.slice(before).some((o) => o.state === 'failed')) await saveArtifacts(name, server, browser.page);
  console.log(`  (${name} took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  await browser.close();
  await server.stop();
}

async function runScenarios(entry: string): Promise<void> {
  const dir = path.join(REPO_ROOT, 'test/e2e/scenarios');
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .sort()
    : [];
  const selected = files.filter((f) => !flags.grep || f.includes(flags.grep));
  console.log(`\n== UI scenarios (${selected.length})`);
  if (selected.length === 0) return;
  const shared = sharedDataDir();
  const server = await startServer(entry, 'scenarios', true, shared ? { MAPD_SHARED_DATA: shared } : {});
  let browser: Browser | undefined;
  for (const file of selected) {
    const name = file.replace(/\.ts$/, '');
    const started = Date.now();
    const workspaceDir = path.join(runRoot, 'scenarios', name, 'workspace');
    fs.mkdirSync(workspaceDir, { recursive: true });
    const shotsDir = path.join(ARTIFACTS, 'scenarios', name);
    let page: Page | undefined;
    try {
      const scenario = (await import(pathToFileURL(path.join(dir, file)).href)) as Scenario;
      if (typeof scenario.default !== 'function') throw new Error(`${file} has no default export function`);
      await scenario.prepare?.({ workspaceDir, repoRoot: REPO_ROOT });
      browser ??= await launchBrowser(path.join(runRoot, 'scenarios', 'browser'), path.join(runRoot, 'scenarios', 'browser-console.log'));
      page = await browser.context.newPage();
      const context: ScenarioContext = {
        page,
        workspaceDir,
        serverUrl: server.url,
        repoRoot: REPO_ROOT,
        screenshot: async (shot) => {
          fs.mkdirSync(shotsDir, { recursive: true });
          const file = path.join(shotsDir, `${shot}.png`);
          await page!.screenshot({ path: file });
          return file;
        },
      };
      await page.goto(workbenchUrl({ serverUrl: server.url, folder: workspaceDir, extensionDevelopmentPath: vsix ? undefined : REPO_ROOT }));
      await waitForWorkbench(page);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${SCENARIO_TIMEOUT_MS / 1000} s`)), SCENARIO_TIMEOUT_MS);
      });
      try {
        await Promise.race([scenario.default(context), timeout]);
      } finally {
        clearTimeout(timer);
      }
      report({ title: `scenario ${name}`, state: 'passed', durationMs: Date.now() - started });
    } catch (error) {
      const message = error instanceof Error ? `${error.message}\n${(error.stack ?? '').split('\n').slice(1, 5).join('\n')}` : String(error);
      report({ title: `scenario ${name}`, state: 'failed', durationMs: Date.now() - started, error: message });
      fs.mkdirSync(shotsDir, { recursive: true });
      if (page) await page.screenshot({ path: path.join(shotsDir, 'failure.png') }).catch(() => undefined);
      await saveArtifacts(path.join('scenarios', name), server);
    } finally {
      await page?.close().catch(() => undefined);
    }
  }
  await browser?.close();
  await server.stop();
}

async function main(): Promise<number> {
  const started = Date.now();
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  if (!flags['no-build']) build();
  const entry = installCodeServer();
  console.log(`e2e: extension ${vsix ? `from ${path.relative(REPO_ROOT, vsix)}` : 'from source'}; shared data ${sharedDataDir() ?? 'absent'}`);
  try {
    if (phases.has('suite')) await runSuite(entry, 'trusted');
    if (phases.has('restricted')) await runSuite(entry, 'restricted');
    if (phases.has('scenarios')) await runScenarios(entry);
  } catch (error) {
    report({ title: 'harness', state: 'failed', durationMs: 0, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
  const passed = outcomes.filter((o) => o.state === 'passed').length;
  const failed = outcomes.filter((o) => o.state === 'failed').length;
  const skipped = outcomes.filter((o) => o.state === 'pending').length;
  console.log(`\ne2e: ${((Date.now() - started) / 1000).toFixed(1)} s${skipped ? `, ${skipped} skipped` : ''}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

process.exitCode = await main();
