// Shared helpers for the in-host suite (runs inside the extension host, vscode API available).
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'mapd.mapd-curator';

/** The extension under test (from source or from the installed .vsix), activated. */
export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  await extension.activate();
  return extension;
}

/** The workspace folder the harness opened (a fresh temp folder per run). */
export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder.uri.fsPath;
}

/**
 * A file under ../shared/data (the harness passes its location as MAPD_SHARED_DATA).
 * Suites that need it call this.skip() when it is absent: see sharedDataOrSkip.
 */
export function sharedData(...parts: string[]): string {
  const root = process.env.MAPD_SHARED_DATA;
  if (!root) throw new Error('MAPD_SHARED_DATA is not set: run the suite through test/e2e/run.ts');
  return path.join(root, ...parts);
}

export function hasSharedData(...parts: string[]): boolean {
  const root = process.env.MAPD_SHARED_DATA;
  return Boolean(root) && fs.existsSync(path.join(root!, ...parts));
}

/** The server's log folder for this window (the extension's log channel writes a file there). */
export function logsRoot(): string | undefined {
  const userData = process.env.MAPD_E2E_USER_DATA;
  return userData ? path.join(userData, 'logs') : undefined;
}

/** Files under dir (recursive) whose name matches. */
export function findFiles(dir: string, name: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((relative) => name.test(path.basename(relative)))
    .map((relative) => path.join(dir, relative));
}

/** Polls until check returns a value that is not undefined, or fails after timeoutMs. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The commands package.json contributes (read from the loaded extension's manifest). */
export function contributedCommands(extension: vscode.Extension<unknown>): string[] {
  const manifest = extension.packageJSON as { contributes?: { commands?: { command: string }[] } };
  return (manifest.contributes?.commands ?? []).map((entry) => entry.command);
}
