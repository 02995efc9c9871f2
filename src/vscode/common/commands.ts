import * as vscode from 'vscode';
import { UserError } from '../../core/errors.ts';
import type { ProblemNode } from '../project/problemTree.ts';
import type { Services } from '../services.ts';
import { runCommand } from './run.ts';

/**
 * How every MAPD command is called. From the UI (palette, menu, keybinding, a tree node, an
 * explorer Uri) it asks through dialogs and shows what happened. Given a plain argument object
 * (scripts, tests, other extensions) it is a scripted call: no dialog opens, the object is read
 * by the readers below, and the returned promise carries the result or rejects with the error.
 * Each feature's index.ts lists its commands' argument shapes.
 */
export type CommandArgs = Readonly<Record<string, unknown>>;

/** The one scripted-call rule: a plain object argument. Tree nodes and Uris are UI calls. */
export function scriptedArgs(arg: unknown): CommandArgs | undefined {
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) return undefined;
  const prototype: unknown = Object.getPrototypeOf(arg);
  if (prototype !== Object.prototype && prototype !== null) return undefined; // a Uri, a TreeItem, …
  return isTreeNode(arg as CommandArgs) ? undefined : (arg as CommandArgs);
}

const TREE_KINDS: readonly ProblemNode['kind'][] = ['group', 'range', 'problem', 'message'];

/** A Problems view node handed over by a menu: plain data, told apart by its kind and its id. */
function isTreeNode(arg: CommandArgs): boolean {
  return typeof arg.id === 'string' && TREE_KINDS.includes(arg.kind as ProblemNode['kind']) && arg.id.startsWith(`${String(arg.kind)}:`);
}

/**
 * Registers a command by the rule above. A scripted call's argument object goes through
 * parseArgs first (a malformed one rejects the call, naming the field); `before` runs ahead of
 * both (e.g. the workspace-trust check, which must win over an argument error).
 */
export function registerScriptable<A, R>(
  services: Services,
  id: string,
  name: string,
  parseArgs: (args: CommandArgs) => A,
  work: (args: A | undefined) => Promise<R>,
  before?: () => void,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, (arg: unknown) => {
    const scripted = scriptedArgs(arg);
    services.log.info(`${name}${scripted ? ' (scripted)' : ''}`);
    return runCommand(services, name, scripted === undefined, () => {
      before?.();
      return work(scripted === undefined ? undefined : parseArgs(scripted));
    });
  });
}

// ---- the argument readers: undefined and null mean "not given"

/** A scripted call's malformed argument: which field, and what it should be. */
export function argError(field: string, expected: string): UserError {
  return new UserError(`the command's argument "${field}" should be ${expected}`, { where: 'command argument', next: 'Fix the call' });
}

function missing(field: string): UserError {
  return new UserError(`the command's argument "${field}" is missing`, { where: 'command argument', next: 'Fix the call' });
}

interface StringOptions {
  /** Whether "" is a value (an API key of "" deletes it); by default it is an error. */
  empty?: boolean;
  /** What the field holds, for the error ("a file path"); by default "a non-empty string". */
  expected?: string;
}

export function stringArg(args: CommandArgs, field: string, options: StringOptions & { required: true }): string;
export function stringArg(args: CommandArgs, field: string, options?: StringOptions & { required?: false }): string | undefined;
export function stringArg(args: CommandArgs, field: string, options: StringOptions & { required?: boolean } = {}): string | undefined {
  const value = args[field];
  if (value === undefined || value === null) {
    if (options.required) throw missing(field);
    return undefined;
  }
  if (typeof value !== 'string' || (!options.empty && value.trim() === ''))
    throw argError(field, options.expected ?? (options.empty ? 'text' : 'a non-empty string'));
  return value;
}

/** One of a fixed set of words (a format, a kind); the default when not given. */
export function oneOfArg<T extends string>(args: CommandArgs, field: string, allowed: readonly T[], fallback?: T): T {
  const value = args[field] ?? fallback;
  if (value === undefined) throw missing(field);
  if (!allowed.includes(value as T)) throw argError(field, `one of ${allowed.join(', ')}`);
  return value as T;
}

export function stringListArg(args: CommandArgs, field: string): string[] | undefined {
  const value = args[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw argError(field, 'a list of names');
  return value as string[];
}

export function booleanArg(args: CommandArgs, field: string): boolean {
  const value = args[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw argError(field, 'true or false');
  return value;
}

export function numberArg(args: CommandArgs, field: string): number | undefined {
  const value = args[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw argError(field, 'a number');
  return value;
}

export function numberListArg(args: CommandArgs, field: string): number[] | undefined {
  const value = args[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) throw argError(field, 'a list of numbers');
  return value as number[];
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
