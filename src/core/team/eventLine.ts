import { createHash } from 'node:crypto';
import { UserError, fileLine } from '../errors.ts';
import type { OutputIdentity } from '../decisions/identity.ts';
import type { RecordPlace } from '../io/fields.ts';
import { requireObject, requireString } from '../io/fields.ts';

/** A curator's own decision, or an adjudicator's, which settles the item for the team. */
export type TeamRole = 'curator' | 'adjudicator';
export type TeamAction = 'accept' | 'reject' | 'edit' | 'undo';

/**
 * One event of a decision file (.mapd/decisions/<curator>.jsonl): what a curator did to an output
 * named by identity. `id` is a hash of everything else, so the same event read from any file, any
 * number of times, is one row; `undoes` names the id of the event an undo takes back.
 */
export interface TeamEvent {
  id: string;
  curator: string;
  role: TeamRole;
  action: TeamAction;
  output: OutputIdentity;
  /** The new text, for edit; null otherwise. */
  text: string | null;
  undoes: string | null;
  at: string;
}

const ROLES: readonly TeamRole[] = ['curator', 'adjudicator'];
const ACTIONS: readonly TeamAction[] = ['accept', 'reject', 'edit', 'undo'];

/** The content hash that identifies an event: curator, role, action, output identity, text, undone event and time. */
export function teamEventId(event: Omit<TeamEvent, 'id'>): string {
  const o = event.output;
  const content = [
    event.curator,
    event.role,
    event.action,
    o.task,
    o.split,
    o.sourceId,
    o.kind,
    o.teacher,
    o.sample,
    o.student,
    event.text,
    event.undoes,
    event.at,
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32);
}

/** The file line of an event: keys always in this order, so files diff line by line and hash the same everywhere. */
export function teamEventLine(event: TeamEvent): string {
  const o = event.output;
  return JSON.stringify({
    id: event.id,
    curator: event.curator,
    role: event.role,
    action: event.action,
    output: { task: o.task, split: o.split, sourceId: o.sourceId, kind: o.kind, teacher: o.teacher, sample: o.sample, student: o.student },
    text: event.text,
    undoes: event.undoes,
    at: event.at,
  });
}

function oneOf<T extends string>(record: Record<string, unknown>, field: string, choices: readonly T[], place: RecordPlace): T {
  const value = requireString(record, field, place);
  if (!choices.includes(value as T))
    throw new UserError(`unknown ${field} "${value}" (use ${choices.join(', ')})`, { where: fileLine(place.file, place.line) });
  return value as T;
}

function nullableString(record: Record<string, unknown>, field: string, place: RecordPlace): string | null {
  const value = record[field];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new UserError(`field "${field}" should be a string or null`, { where: fileLine(place.file, place.line) });
  return value;
}

/** Reads one parsed line back into an event; a line that is not one, or whose id does not match its content, is a UserError naming file:line. */
export function parseTeamEvent(value: Record<string, unknown>, place: RecordPlace): TeamEvent {
  const output = requireObject(value, 'output', place);
  const kind = requireString(output, 'kind', place);
  if (kind !== 'critique' && kind !== 'rationale') throw new UserError(`unknown output kind "${kind}"`, { where: fileLine(place.file, place.line) });
  const sample = output.sample;
  if (typeof sample !== 'number' || !Number.isInteger(sample))
    throw new UserError('"sample" should be an integer', { where: fileLine(place.file, place.line) });
  const event: Omit<TeamEvent, 'id'> = {
    curator: requireString(value, 'curator', place),
    role: oneOf(value, 'role', ROLES, place),
    action: oneOf(value, 'action', ACTIONS, place),
    output: {
      task: requireString(output, 'task', place),
      split: requireString(output, 'split', place),
      sourceId: requireString(output, 'sourceId', place),
      kind,
      teacher: requireString(output, 'teacher', place),
      sample,
      student: nullableString(output, 'student', place),
    },
    text: nullableString(value, 'text', place),
    undoes: nullableString(value, 'undoes', place),
    at: requireString(value, 'at', place),
  };
  if (event.action === 'edit' && (event.text === null || event.text.trim() === ''))
    throw new UserError('an edit needs its new, non-empty text', { where: fileLine(place.file, place.line) });
  if (event.action === 'undo' && event.undoes === null)
    throw new UserError('an undo needs the id of the event it undoes', { where: fileLine(place.file, place.line) });
  const id = requireString(value, 'id', place);
  if (id !== teamEventId(event))
    throw new UserError('the line\'s "id" does not match its content (edited by hand?)', {
      where: fileLine(place.file, place.line),
      next: 'Restore the line from git',
    });
  return { id, ...event };
}

/**
 * The decision file's name for a curator: lower case, anything but letters, digits, dot, dash and
 * underscore as "_" (no folder, no hidden file), so the name is the same on every file system.
 */
export function curatorFileName(curator: string): string {
  const safe = curator
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '_')
    .replace(/^[.]+/, '_');
  return `${safe === '' ? 'curator' : safe}.jsonl`;
}
