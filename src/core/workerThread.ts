import path from 'node:path';
import { Cancelled, isUserError, UserError } from './errors.ts';

/**
 * What every worker thread of ours (the import, the queue-order keys' fill) shares with its host:
 * where its bundled script is, and how an error crosses the thread as plain data and back.
 */

/** An error as a worker posts it: cancelled, a user's error (its three parts) or an internal one with its stack. */
export type WorkerErrorMessage =
  | { type: 'cancelled' }
  | { type: 'userError'; what: string; where?: string; next?: string }
  | { type: 'internalError'; name: string; message: string; stack?: string };

/** Where a bundled worker is: next to the bundle that holds its runner (dist/). */
export function bundledWorkerFile(fileName: string, runner: string, source: string): string {
  if (typeof __dirname === 'undefined') throw new Error(`${runner}: not running from a bundle; pass workerFile (${source})`);
  return path.join(__dirname, fileName);
}

/** A worker's error as the message it posts. */
export function describeWorkerError(error: unknown): WorkerErrorMessage {
  if (error instanceof Cancelled) return { type: 'cancelled' };
  if (isUserError(error)) {
    return {
      type: 'userError',
      what: error.what,
      ...(error.where === undefined ? {} : { where: error.where }),
      ...(error.next === undefined ? {} : { next: error.next }),
    };
  }
  if (error instanceof Error)
    return { type: 'internalError', name: error.name, message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) };
  return { type: 'internalError', name: 'Error', message: String(error) };
}

/** The host's error for a worker's error message (Cancelled as the caller words it). */
export function workerError(message: WorkerErrorMessage, cancelled: () => Cancelled): Error {
  switch (message.type) {
    case 'cancelled':
      return cancelled();
    case 'userError':
      return new UserError(message.what, {
        ...(message.where === undefined ? {} : { where: message.where }),
        ...(message.next === undefined ? {} : { next: message.next }),
      });
    case 'internalError': {
      const error = new Error(message.message);
      error.name = message.name;
      if (message.stack !== undefined) error.stack = message.stack;
      return error;
    }
  }
}
