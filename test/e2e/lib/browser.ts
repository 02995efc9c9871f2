import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

/** Debian's Chromium (no browser download); CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile in profileDir; console errors go to consoleLog. */
export async function launchBrowser(profileDir: string, consoleLog?: string): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}; apt-get install chromium, or set CHROMIUM_PATH`);
  }
  fs.mkdirSync(profileDir, { recursive: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  if (consoleLog) recordConsole(page, consoleLog);
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
    },
  };
}

export function recordConsole(page: Page, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      fs.appendFileSync(file, `[${message.type()}] ${message.text()}\n`);
    }
  });
  page.on('pageerror', (error) => fs.appendFileSync(file, `[pageerror] ${error.message}\n`));
}
