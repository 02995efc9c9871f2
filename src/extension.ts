import type * as vscode from 'vscode';
import { FEATURES } from './vscode/features.ts';
import { createServices } from './vscode/services.ts';

/**
 * Activation stays light: features register commands and views; the database opens on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  const services = createServices(context);
  for (const register of FEATURES) context.subscriptions.push(...register(services));
  services.log.info('MAPD Curator activated');
}

export function deactivate(): void {
  // Disposables registered in activate close the database and the log.
}
