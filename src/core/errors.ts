/**
 * Errors a user can cause (bad data, missing key, unreachable endpoint) are UserErrors: one
 * message that says what went wrong, where, and what to do next. Anything else is a bug and is
 * reported as such by the CLI and the extension, never shown as a raw stack trace to a user.
 */
export class UserError extends Error {
  readonly what: string;
  readonly where: string | undefined;
  readonly next: string | undefined;

  constructor(what: string, options: { where?: string; next?: string; cause?: unknown } = {}) {
    super(formatUserMessage(what, options.where, options.next), { cause: options.cause });
    this.name = 'UserError';
    this.what = what;
    this.where = options.where;
    this.next = options.next;
  }
}

function formatUserMessage(what: string, where: string | undefined, next: string | undefined): string {
  const head = where ? `${where}: ${what}` : what;
  return next ? `${head}. ${next}` : head;
}

/** A location in an input file, as editors and compilers print it. */
export function fileLine(file: string, line?: number, field?: string): string {
  let where = file;
  if (line !== undefined) where += `:${line}`;
  if (field !== undefined) where += ` (field "${field}")`;
  return where;
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/**
 * Work stopped at the user's request: a Cancel button, Ctrl+C, a dismissed picker, or a caller's
 * AbortSignal. It is no failure, so it is not a UserError (row readers skip UserErrors as bad
 * rows; a cancel must never be skipped). The editor logs it and shows no dialog, a scripted
 * caller gets the rejection, the CLI prints the message. The message says what was left as it was.
 */
export class Cancelled extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'Cancelled';
  }
}

export function isCancelled(error: unknown): error is Cancelled {
  return error instanceof Cancelled;
}

/** The message a user sees for any error: UserErrors and Cancelled as they are, anything else marked as a bug. */
export function describeError(error: unknown): string {
  if (error instanceof UserError || error instanceof Cancelled) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `Internal error: ${message}. This is a bug in MAPD Curator; the log has the details.`;
}
