import * as vscode from 'vscode';
import { inertText } from '../../core/inertText.ts';

/**
 * The only door to VS Code's notifications. A notification renders `[label](command:…)` in its
 * message (and in a progress line) as a live link; our messages repeat values from files, model
 * output and server error bodies, so every message passes through `inertText` here, whole. Lint
 * (eslint.config.mjs) refuses `vscode.window.show*Message` and `withProgress` anywhere else, and
 * `MarkdownString` everywhere: hovers and tooltips stay plain strings, which VS Code shows as text.
 */

type Show = <T extends string>(message: string, ...items: T[]) => Thenable<T | undefined>;

function safely(show: Show): Show {
  return (message, ...items) => show(inertText(message), ...items);
}

/* eslint-disable no-restricted-syntax -- this module is the sanctioned sink */
export const showError: Show = safely((m, ...i) => vscode.window.showErrorMessage(m, ...i));
export const showWarning: Show = safely((m, ...i) => vscode.window.showWarningMessage(m, ...i));
export const showInfo: Show = safely((m, ...i) => vscode.window.showInformationMessage(m, ...i));

export interface ProgressLine {
  message?: string;
  increment?: number;
}

/**
 * A progress notification whose title and every reported line are made inert. The token is
 * VS Code's (Cancel button); `cancellable` follows the options given.
 */
export function withNotificationProgress<T>(
  options: { title: string; cancellable: boolean },
  task: (progress: { report(line: ProgressLine): void }, token: vscode.CancellationToken) => Thenable<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: inertText(options.title), cancellable: options.cancellable },
    (progress, token) => task({ report: (line) => progress.report(line.message === undefined ? line : { ...line, message: inertText(line.message) }) }, token),
  );
}
/* eslint-enable no-restricted-syntax */
