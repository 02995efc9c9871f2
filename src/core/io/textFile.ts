import fs from 'node:fs';
import { UserError, fileLine } from '../errors.ts';

/**
 * Reads a data file as UTF-8 text for import, refusing what is clearly not one: a missing path,
 * a folder, an empty file, a binary file. A byte-order mark is dropped.
 */
export function readTextFile(file: string): string {
  let buffer: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw new UserError('is a folder, not a data file', { where: file, next: 'Choose a .json, .jsonl or .txt file' });
    buffer = fs.readFileSync(file);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError('no such file', { where: file, next: 'Check the path' });
    throw new UserError(`cannot read the file (${code ?? (error as Error).message})`, { where: file, next: 'Check its permissions' });
  }
  if (buffer.length === 0 || buffer.toString('utf8').trim() === '') {
    throw new UserError('the file is empty', { where: file, next: 'Choose a file that holds the data' });
  }
  // A NUL byte never occurs in JSON or text datasets; it marks a binary file (archive, database, image).
  const head = buffer.subarray(0, Math.min(buffer.length, 65536));
  if (head.includes(0)) {
    throw new UserError('this is a binary file, not text', { where: file, next: 'Choose the dataset\'s .json, .jsonl or .txt file (unpack archives first)' });
  }
  let text = buffer.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

export interface SourceLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

/** Splits text into lines (LF or CRLF), numbering them from 1. */
export function splitLines(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = 0;
  let number = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    lines.push({ line: number, text: line });
    number++;
    start = end + 1;
  }
  // Trailing blank lines (and the empty piece after a final newline) are not records.
  while (lines.length > 0 && (lines[lines.length - 1] as SourceLine).text.trim() === '') lines.pop();
  return lines;
}

export interface JsonRecord {
  line: number;
  value: Record<string, unknown>;
}

export interface LineIssue {
  file: string;
  line: number;
  message: string;
}

export interface JsonLinesResult {
  records: JsonRecord[];
  /** Lines skipped because the caller asked to skip bad rows; empty otherwise. */
  skipped: LineIssue[];
}

/**
 * Parses a JSON Lines file into objects, one per non-blank line. A bad line is an error naming
 * the file and line, unless skipBad is set: then it is collected in `skipped`.
 */
export function readJsonLines(file: string, options: { skipBad?: boolean } = {}): JsonLinesResult {
  const text = readTextFile(file);
  const lines = splitLines(text);
  const endsWithNewline = /\n\s*$/.test(text);
  const records: JsonRecord[] = [];
  const skipped: LineIssue[] = [];
  lines.forEach(({ line, text: lineText }, index) => {
    if (lineText.trim() === '') return;
    const problem = jsonLineProblem(lineText, index === lines.length - 1 && !endsWithNewline);
    if (typeof problem === 'string') {
      if (options.skipBad) skipped.push({ file, line, message: problem });
      else throw new UserError(problem, { where: fileLine(file, line), next: 'Fix or remove that line (or import with "skip bad rows")' });
      return;
    }
    records.push({ line, value: problem });
  });
  if (records.length === 0 && skipped.length === 0) throw new UserError('the file holds no records', { where: file, next: 'Choose a file with one JSON object per line' });
  return { records, skipped };
}

/** The parsed object, or a sentence saying why the line is not one. */
function jsonLineProblem(text: string, isLastLineWithoutNewline: boolean): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message.split('\n')[0] ?? '';
    if (isLastLineWithoutNewline) return `the last line is not complete JSON: the file looks truncated (${truncate(detail)})`;
    return `not valid JSON (${truncate(detail)})`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `expected a JSON object, found ${describeJsonType(value)}`;
  }
  return value as Record<string, unknown>;
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

function truncate(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Parses a whole-file JSON document. Files that are JSON Lines despite a .json name (several
 * datasets ship so) are detected by the caller through `looksLikeJsonLines`.
 */
export function readJsonDocument(file: string): unknown {
  const text = readTextFile(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new UserError(`not valid JSON (${truncate(message)})`, { where: fileLine(file, line), next: 'Fix the file, or check that it is the dataset file you meant' });
  }
}

/** True when the text's first non-blank line is itself a complete JSON object. */
export function looksLikeJsonLines(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() !== '');
  if (!first) return false;
  const trimmed = first.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}
