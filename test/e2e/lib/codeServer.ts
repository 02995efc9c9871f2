import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './paths.ts';

/** A code-server process of our own, in its own process group, with private state folders. */
export interface CodeServer {
  url: string;
  port: number;
  /** Everything it writes: home, user data, extensions, its log. Deleted by the caller. */
  root: string;
  logFile: string;
  userDataDir: string;
  extensionsDir: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Folder for this server's private state (created). */
  root: string;
  /** false runs with workspace trust on, so an unconfirmed folder opens in restricted mode. */
  trust: boolean;
  /** Extra environment for the server and so for its extension host. */
  env?: Record<string, string>;
  port?: number;
  host?: string;
  /** Extra settings for the user settings.json. */
  settings?: Record<string, unknown>;
  /**
   * "Install" the extension in this folder as a link in the extensions folder, so it loads as a
   * user would have it (no [Extension Development Host] marks); used by the demo screenshots.
   */
  linkExtension?: string;
}

/** Installs code-server once (cached in .cache/code-server) and returns its entry script. */
export function installCodeServer(): string {
  const result = spawnSync('bash', [path.join(REPO_ROOT, 'scripts/install-code-server.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const entry = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || !fs.existsSync(entry)) {
    throw new Error(`installing code-server failed (exit ${result.status}); see .cache/code-server/install-*.log`);
  }
  return entry;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Settings that keep the workbench quiet, offline and deterministic. */
const BASE_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'github.copilot.enable': { '*': false },
  'git.enabled': false,
  'npm.autoDetect': 'off',
  'typescript.tsserver.experimental.enableProjectDiagnostics': false,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'window.dialogStyle': 'custom',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.panel.opensMaximized': 'never',
};

export async function startCodeServer(entry: string, options: StartOptions): Promise<CodeServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const root = options.root;
  const dirs = {
    home: path.join(root, 'home'),
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...options.settings }, null, 2));
  if (options.linkExtension) {
    const manifest = JSON.parse(fs.readFileSync(path.join(options.linkExtension, 'package.json'), 'utf8')) as {
      publisher: string;
      name: string;
      version: string;
    };
    fs.symlinkSync(options.linkExtension, path.join(dirs.extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`));
  }
  const logFile = path.join(root, 'server.log');
  const log = fs.openSync(logFile, 'a');
  const args = [
    entry,
    '--bind-addr',
    `${host}:${port}`,
    '--auth',
    'none',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (options.trust) args.push('--disable-workspace-trust');
  const child = spawn(process.execPath, args, {
    cwd: root,
    detached: true, // own process group: stop() ends the server, its extension host and terminals
    stdio: ['ignore', log, log],
    env: { ...isolatedEnv(dirs.home), ...options.env },
  });
  fs.closeSync(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('code-server did not start');
  trackGroup(pgid);

  const stop = async (): Promise<void> => {
    untrackGroup(pgid);
    if (exited) return;
    killGroup(pgid, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (!exited && Date.now() < deadline) await sleep(100);
    killGroup(pgid, 'SIGKILL');
  };

  const url = `http://${host}:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await healthy(url))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not become healthy; its log:\n${tail(logFile, 30)}`);
    }
    await sleep(150);
  }
  return { url, port, root, logFile, userDataDir: dirs.userData, extensionsDir: dirs.extensions, stop };
}

/** Installs a .vsix into a server's extensions folder (the server need not run). */
export function installVsix(entry: string, root: string, vsix: string): void {
  const home = path.join(root, 'home');
  fs.mkdirSync(home, { recursive: true });
  const result = spawnSync(
    process.execPath,
    [
      entry,
      '--user-data-dir',
      path.join(root, 'user-data'),
      '--extensions-dir',
      path.join(root, 'extensions'),
      '--install-extension',
      path.resolve(vsix),
      '--force',
    ],
    { env: isolatedEnv(home), encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`installing ${vsix} failed:\n${result.stdout}\n${result.stderr}`);
}

/** HOME and XDG_* inside the server's root: code-server writes its config and caches there. */
function isolatedEnv(home: string): NodeJS.ProcessEnv {
  fs.mkdirSync(path.join(home, '.run'), { recursive: true, mode: 0o700 });
  // VSCODE_* from a surrounding VS Code terminal would leak into the server's extension host.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VSCODE_')));
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
    XDG_RUNTIME_DIR: path.join(home, '.run'),
    NODE_OPTIONS: '',
  };
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

export function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

// Process groups still running; killed if this process exits or is interrupted.
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const group of liveGroups) killGroup(group, 'SIGKILL');
  });
}

function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}
