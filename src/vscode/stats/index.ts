import * as vscode from 'vscode';
import type { Feature } from '../services.ts';
import { runCommand } from '../common/run.ts';
import { registerStatsPanel } from './statsPanel.ts';

/**
 * The statistics panel.
 *   mapd.showStatistics()                          the statistics panel -> CurationStats it shows
 * It works in an untrusted workspace: it only reads the local project.
 */
export const statsFeature: Feature = (services) => {
  const stats = registerStatsPanel(services);
  return [
    ...stats.disposables,
    vscode.commands.registerCommand('mapd.showStatistics', () => runCommand(services, 'statistics', true, () => Promise.resolve(stats.show()))),
  ];
};
