// Regenerates docs/demo.png: the demo project (demo/sample) in code-server, the MAPD Curator view
// open and the first mistake in the curation panel. Made by the harness, never by hand.
// Usage: node scripts/screenshots.ts [--out docs/demo.png]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkWorkbench } from '../test/e2e/check-workbench.ts';
import { launchBrowser } from '../test/e2e/lib/browser.ts';
import { installCodeServer, startCodeServer } from '../test/e2e/lib/codeServer.ts';
import { REPO_ROOT } from '../test/e2e/lib/paths.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/demo.png' } } });
const out = path.resolve(REPO_ROOT, values.out);

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-screenshots-'));
try {
  run(process.execPath, ['esbuild.js']);
  const entry = installCodeServer();
  const workspace = path.join(root, 'mapd-demo');
  run('bash', ['scripts/demo-project.sh', workspace]);
  const server = await startCodeServer(entry, {
    root: path.join(root, 'server'),
    trust: true,
    linkExtension: REPO_ROOT,
    settings: { 'workbench.colorTheme': 'Default Light Modern', 'window.zoomLevel': 0, 'breadcrumbs.enabled': false },
  });
  const browser = await launchBrowser(path.join(root, 'browser'));
  try {
    await checkWorkbench(browser.page, { serverUrl: server.url, folder: workspace, mistakes: 8, openFirstMistake: true, screenshot: out });
  } finally {
    await browser.close();
    await server.stop();
  }
  console.log(`screenshots: ${path.relative(REPO_ROOT, out)} (${Math.round(fs.statSync(out).size / 1024)} KiB)`);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
