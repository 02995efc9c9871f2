import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import esbuild from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { Db } from '../../src/core/store/db.ts';
import { createCurationSession } from '../../src/vscode/curation/session.ts';
import type { CurationSession } from '../../src/vscode/curation/session.ts';
import type { HostMessage, MistakeOrder, PanelCommand } from '../../src/protocol/curation.ts';
import { CURATION_PAGE, webviewHtml } from '../../src/vscode/webviewHtml.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ORIGIN = 'http://mapd.test';
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The webview bundle built the way esbuild.js builds it (same entry, format and CSS loader). */
export async function buildBundle(): Promise<{ js: string; css: string }> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-webview-'));
  try {
    await esbuild.build({
      entryPoints: [{ in: path.join(ROOT, 'webview-ui/src/curation/main.ts'), out: 'curation' }],
      bundle: true,
      platform: 'browser',
      target: 'chrome120',
      format: 'iife',
      outdir,
      loader: { '.css': 'css' },
      logLevel: 'warning',
    });
    return { js: fs.readFileSync(path.join(outdir, 'curation.js'), 'utf8'), css: fs.readFileSync(path.join(outdir, 'curation.css'), 'utf8') };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

export interface Browser {
  context: BrowserContext;
  bundle: { js: string; css: string };
  close(): Promise<void>;
}

/** One Chromium per test file, with a fresh profile. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mapd-chromium-'));
  const bundle = await buildBundle();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1100, height: 900 },
  });
  return {
    context,
    bundle,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The keybindings package.json contributes for the panel: what VS Code would route to commands. */
export interface Keybinding {
  command: string;
  key: string;
  args?: { index?: number };
  when?: string;
}

export function panelKeybindings(): Keybinding[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { keybindings?: Keybinding[] } };
  return (pkg.contributes.keybindings ?? []).filter((k) => k.command.startsWith('mapd.curation.'));
}

const COMMAND_OF: Record<string, PanelCommand> = {
  'mapd.curation.accept': 'accept',
  'mapd.curation.reject': 'reject',
  'mapd.curation.edit': 'edit',
  'mapd.curation.undo': 'undo',
  'mapd.curation.next': 'next',
  'mapd.curation.previous': 'previous',
  'mapd.curation.nextUndecided': 'nextUndecided',
  'mapd.curation.toggleReviews': 'toggleReviews',
  'mapd.curation.toggleSource': 'toggleSource',
  'mapd.curation.toggleBlind': 'toggleBlind',
  'mapd.curation.nextOrder': 'nextOrder',
  'mapd.curation.previousOrder': 'previousOrder',
  'mapd.curation.focusItem': 'focusItem',
  'mapd.curation.search': 'search',
  'mapd.curation.bulkAccept': 'bulkAccept',
};

export interface PanelPage {
  page: Page;
  session: CurationSession;
  /** Every message the webview posted, in order. */
  fromWebview: unknown[];
  /** Every message the host posted into the webview, in order. */
  toWebview: HostMessage[];
  /** Keys the emulated workbench turned into commands. */
  routed: string[];
  /** Requests the page made to anywhere but its own origin. */
  foreignRequests: string[];
  pageErrors: string[];
  /** Post anything (even malformed) into the webview, as the host would. */
  postRaw(message: unknown): Promise<void>;
  /** Resolves when the host has answered everything the webview asked so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** How late the emulated workbench's Select All lands in the frame (a loaded machine's round trip). */
const SELECT_ALL_ROUND_TRIP_MS = 40;
/** How late the `mapd.curation.editing` context key follows the webview's focus (webview → host → setContext → workbench). */
const CONTEXT_KEY_ROUND_TRIP_MS = 40;

export interface OpenOptions {
  db: Db;
  /** The webview's saved state (acquireVsCodeApi().getState()) at start. */
  state?: unknown;
  /** Emulate VS Code forwarding keys to keybindings (default true). */
  routeKeys?: boolean;
  /** Runs before the page loads (e.g. to add the benchmark's probes). */
  beforeLoad?: (page: Page) => Promise<unknown>;
  /** Whose mistakes at start; the panel's picker changes it as the extension's services would. */
  student?: string | null;
  /** Blind mode at the start (the setting mapd.curation.blind). */
  blind?: boolean;
  /** The queue's order at the start (what workspaceState mapd.curation.order kept). */
  order?: MistakeOrder;
}

/**
 * Opens the panel page: the built bundle under the real CSP, a stub acquireVsCodeApi that records
 * what it posts, and behind it the real host session on a real SQLite store. The stub also plays
 * the part of VS Code's webview frame: key presses that reach the window are matched against
 * package.json's keybindings and relayed as commands. A binding whose `when` names the
 * `mapd.curation.editing` context key sees it as the workbench would: a round trip late.
 */
export async function openPanel(browser: Browser, options: OpenOptions): Promise<PanelPage> {
  const page = await browser.context.newPage();
  const fromWebview: unknown[] = [];
  const toWebview: HostMessage[] = [];
  const routed: string[] = [];
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  let editing = false;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  const deliver = (message: unknown): void => {
    chain = chain.then(async () => {
      if (closed) return;
      await page.evaluate((m) => window.postMessage(m, '*'), message).catch(() => undefined);
    });
  };
  const toPage = (message: HostMessage): void => {
    toWebview.push(message);
    deliver(message);
  };
  let student = options.student ?? null;
  const session: CurationSession = createCurationSession(options.db, {
    curator: () => 'tester',
    student: () => student,
    blind: () => options.blind ?? false,
    order: () => options.order ?? 'problem',
    hooks: {
      onChooseStudent: (chosen) => {
        student = chosen;
        session.reload();
      },
      post: toPage,
      onEditing: (active) => {
        setTimeout(() => (editing = active), CONTEXT_KEY_ROUND_TRIP_MS);
      },
    },
  });

  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(ORIGIN)) foreignRequests.push(request.url());
  });
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort();
    if (url.pathname === '/') {
      const html = webviewHtml(
        { cspSource: ORIGIN, scriptUri: `${ORIGIN}/curation.js`, styleUri: `${ORIGIN}/curation.css`, nonce: 'dGVzdG5vbmNlMTIzNDU2Nw==' },
        CURATION_PAGE,
      );
      return route.fulfill({ contentType: 'text/html', body: html });
    }
    if (url.pathname === '/curation.js') return route.fulfill({ contentType: 'text/javascript', body: browser.bundle.js });
    if (url.pathname === '/curation.css') return route.fulfill({ contentType: 'text/css', body: browser.bundle.css });
    return route.fulfill({ status: 404, body: '' });
  });
  await page.exposeFunction('__mapdToHost', (message: unknown) => {
    fromWebview.push(message);
    session.handle(message);
  });
  await page.exposeFunction('__mapdKey', (key: { key: string; shiftKey: boolean; ctrlKey: boolean; altKey: boolean; metaKey: boolean }) => {
    // The workbench's Select All on a focused webview posts execCommand('selectAll') back into the
    // frame a round trip later (pre/index.html); text typed in between gets selected and replaced.
    if ((key.ctrlKey || key.metaKey) && !key.altKey && key.key.toLowerCase() === 'a') {
      setTimeout(() => void page.evaluate(() => document.execCommand('selectAll')).catch(() => undefined), SELECT_ALL_ROUND_TRIP_MS);
      return;
    }
    for (const binding of panelKeybindings()) {
      if (!keyMatches(binding.key, key)) continue;
      if (editing && binding.when?.includes('!mapd.curation.editing')) continue;
      const command = COMMAND_OF[binding.command];
      if (!command) continue;
      routed.push(binding.command);
      // What panel.ts does with a relayed command: post it to the webview.
      toPage({ type: 'command', command, index: binding.args?.index ?? null });
      return;
    }
  });
  await page.addInitScript(
    ({ state, routeKeys }) => {
      const w = window as unknown as Record<string, unknown>;
      let saved: unknown = state;
      w.__mapdStates = [] as unknown[];
      w.acquireVsCodeApi = () => ({
        postMessage: (message: unknown) => (w.__mapdToHost as (m: unknown) => void)(JSON.parse(JSON.stringify(message))),
        getState: () => saved,
        setState: (next: unknown) => {
          saved = next;
          (w.__mapdStates as unknown[]).push(next);
        },
      });
      // VS Code's webview frame listens on the window (bubbling) and forwards every key to the workbench.
      if (routeKeys) {
        window.addEventListener('keydown', (e) => {
          (w.__mapdKey as (k: unknown) => void)({ key: e.key, shiftKey: e.shiftKey, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey });
        });
      }
    },
    { state: options.state ?? null, routeKeys: options.routeKeys ?? true },
  );
  await options.beforeLoad?.(page);
  await page.goto(`${ORIGIN}/`);
  await page.waitForSelector('body[data-ready="true"]');

  const panel: PanelPage = {
    page,
    session,
    fromWebview,
    toWebview,
    routed,
    foreignRequests,
    pageErrors,
    postRaw: async (message) => {
      deliver(message);
      await chain;
    },
    settle: async () => {
      // Round trips: the page's bindings resolve in order; twice covers a request made by an answer.
      for (let i = 0; i < 3; i++) {
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
        await chain;
      }
    },
    close: async () => {
      closed = true;
      await chain;
      await page.close();
    },
  };
  await panel.settle();
  return panel;
}

function keyMatches(binding: string, key: { key: string; shiftKey: boolean; ctrlKey: boolean; altKey: boolean; metaKey: boolean }): boolean {
  const parts = binding.toLowerCase().split('+');
  const main = parts.pop() as string;
  const wants = {
    shift: parts.includes('shift'),
    ctrl: parts.includes('ctrl'),
    alt: parts.includes('alt'),
    meta: parts.includes('cmd') || parts.includes('meta'),
  };
  if (wants.ctrl !== key.ctrlKey || wants.alt !== key.altKey || wants.meta !== key.metaKey) return false;
  // "/" arrives with or without shift depending on the layout; letters need the shift the binding names.
  if (/^[a-z]$/.test(main) && wants.shift !== key.shiftKey) return false;
  return key.key.toLowerCase() === main;
}

/** Presses each key in turn, letting the panel and its host settle after each. */
export async function press(panel: PanelPage, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    await panel.page.keyboard.press(key);
    await panel.settle();
  }
}
