import { UserError } from '../../core/errors.ts';

/**
 * Commands run without dialogs when given an argument object with a "file" (scripts, tests,
 * other extensions). Anything else (no argument, a tree node from a menu) means: ask the user.
 * The shapes are documented in commands.ts.
 */
export type CommandArgs = Record<string, unknown> & { file: string };

export function scriptedArgs(arg: unknown): CommandArgs | undefined {
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) return undefined;
  const record = arg as Record<string, unknown>;
  if (!('file' in record)) return undefined;
  if (typeof record.file !== 'string' || record.file.trim() === '') throw argError('file', 'a file path');
  return record as CommandArgs;
}

export function optionalStringArg(args: CommandArgs, field: string): string | undefined {
  const value = args[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw argError(field, 'a non-empty string');
  return value;
}

export function booleanArg(args: CommandArgs, field: string): boolean {
  const value = args[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw argError(field, 'true or false');
  return value;
}

/** A field mapping for generic JSON Lines: every value a field name. */
export function mappingArg(args: CommandArgs, field: string): Record<string, string> | undefined {
  const value = args[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw argError(field, 'an object of field names, e.g. {"question": "q", "answer": "a"}');
  }
  return value as Record<string, string>;
}

/** An AbortSignal that cancels the command's work like its notification's Cancel button (scripts, tests). */
export function signalArg(args: CommandArgs, field: string): AbortSignal | undefined {
  const value = args[field];
  if (value === undefined || value === null) return undefined;
  if (!(value instanceof AbortSignal)) throw argError(field, 'an AbortSignal');
  return value;
}

/** A scripted call's malformed argument: which field, and what it should be. */
export function argError(field: string, expected: string): UserError {
  return new UserError(`the command's argument "${field}" should be ${expected}`, { where: 'command argument', next: 'Fix the call' });
}
