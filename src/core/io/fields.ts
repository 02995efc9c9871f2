import { UserError, fileLine } from '../errors.ts';
import { describeJsonType } from './textFile.ts';

/** Where a record came from, for error messages. */
export interface RecordPlace {
  file: string;
  line?: number;
}

function fieldError(place: RecordPlace, field: string, expected: string, found: unknown): UserError {
  const what =
    found === undefined ? `missing field "${field}" (expected ${expected})` : `field "${field}" should be ${expected}, found ${describeJsonType(found)}`;
  return new UserError(what, { where: fileLine(place.file, place.line), next: 'Fix the record, or map the right field' });
}

export function requireString(record: Record<string, unknown>, field: string, place: RecordPlace, options: { allowEmpty?: boolean } = {}): string {
  const value = record[field];
  if (typeof value !== 'string') throw fieldError(place, field, 'a string', value);
  if (!options.allowEmpty && value.trim() === '')
    throw new UserError(`field "${field}" is empty`, { where: fileLine(place.file, place.line), next: 'Fill it in or remove the record' });
  return value;
}

export function optionalString(record: Record<string, unknown>, field: string, place: RecordPlace): string | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw fieldError(place, field, 'a string', value);
  return value;
}

/** A string or a number, as a string: ids and gold answers come as either. */
export function requireScalarText(record: Record<string, unknown>, field: string, place: RecordPlace): string {
  const value = record[field];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw fieldError(place, field, 'a string or a number', value);
}

export function optionalScalarText(record: Record<string, unknown>, field: string, place: RecordPlace): string | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  return requireScalarText(record, field, place);
}

export function requireStringArray(record: Record<string, unknown>, field: string, place: RecordPlace): string[] {
  const value = record[field];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw fieldError(place, field, 'an array of strings', value);
  return value as string[];
}

export function requireObject(record: Record<string, unknown>, field: string, place: RecordPlace): Record<string, unknown> {
  const value = record[field];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fieldError(place, field, 'an object', value);
  return value as Record<string, unknown>;
}

/**
 * The value at a field path: "question" or, for nested records, "question.stem". A path with a
 * dot is first tried as a plain key, since some datasets have dotted key names.
 */
export function fieldAt(record: Record<string, unknown>, path: string): unknown {
  if (path in record || !path.includes('.')) return record[path];
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function requireBoolean(record: Record<string, unknown>, field: string, place: RecordPlace): boolean {
  const value = record[field];
  if (typeof value !== 'boolean') throw fieldError(place, field, 'true or false', value);
  return value;
}

/** A field that is present but whose value cannot be read as the expected kind. */
export function badField(place: RecordPlace, field: string, what: string): UserError {
  return new UserError(`field "${field}" ${what}`, { where: fileLine(place.file, place.line), next: 'Fix the record, or map the right field' });
}

export function requireNumber(record: Record<string, unknown>, field: string, place: RecordPlace): number {
  const value = record[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw fieldError(place, field, 'a number', value);
  return value;
}
