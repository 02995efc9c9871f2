import fs from 'node:fs';
import { UserError, fileLine } from '../errors.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/**
 * Reads a data file as UTF-8 text for import, refusing what is clearly not one: a missing path,
 * a folder, an empty file, a binary file, text in another encoding. A byte-order mark is dropped.
 */
export function readTextFile(file: string): string {
  let buffer: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw new UserError('is a folder, not a data file', { where: file, next: 'Choose a .json, .jsonl or .txt file' });
    buffer = fs.readFileSync(file);
  } catch (error) {
    throw readFailure(file, error);
  }
  checkTextHead(file, buffer, buffer.length);
  let text: string;
  try {
    text = strictUtf8.decode(buffer);
  } catch {
    const lenient = lenientUtf8.decode(buffer);
    const bad = lenient.indexOf('\ufffd');
    const line = bad === -1 ? undefined : lineAt(lenient, bad);
    throw new UserError('the file is not valid UTF-8 text', { where: fileLine(file, line), next: 'Save the file as UTF-8 and import it again' });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw emptyFile(file);
  return text;
}

/** A data file that cannot be read, as the user's error (a UserError thrown while reading passes as it is). */
export function readFailure(file: string, error: unknown): UserError {
  if (error instanceof UserError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new UserError('no such file', { where: file, next: 'Check the path' });
  return new UserError(`cannot read the file (${code ?? (error as Error).message})`, { where: file, next: 'Check its permissions' });
}

/**
 * The checks a data file's first bytes allow (readTextFile's, for a file read in pieces too): not
 * empty, not UTF-16, not binary. `head` is the start of the file, `size` its length in bytes.
 */
export function checkTextHead(file: string, head: Uint8Array, size: number): void {
  if (size === 0) throw emptyFile(file);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new UserError('this is UTF-16 text, not UTF-8', { where: file, next: 'Save the file as UTF-8 and import it again' });
  }
  // A NUL byte never occurs in JSON or text datasets; it marks a binary file (archive, database, image).
  if (head.subarray(0, Math.min(head.length, 65536)).includes(0)) {
    throw new UserError('this is a binary file, not text', { where: file, next: "Choose the dataset's .json, .jsonl or .txt file (unpack archives first)" });
  }
}

export function emptyFile(file: string): UserError {
  return new UserError('the file is empty', { where: file, next: 'Choose a file that holds the data' });
}

/** The 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  let at = text.indexOf('\n');
  while (at !== -1 && at < offset) {
    line++;
    at = text.indexOf('\n', at + 1);
  }
  return line;
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
  return parseJsonLines(file, readTextFile(file), options);
}

/** readJsonLines on text already read (`file` names it in messages). */
export function parseJsonLines(file: string, text: string, options: { skipBad?: boolean } = {}): JsonLinesResult {
  const lines = splitLines(text);
  const endsWithNewline = endsWithLineBreak(text);
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
  if (records.length === 0 && skipped.length === 0)
    throw new UserError('the file holds no records', { where: file, next: 'Choose a file with one JSON object per line' });
  return { records, skipped };
}

/** Whether the text's last line is complete: a line break after its last non-blank character. */
function endsWithLineBreak(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && (text.charAt(i) === ' ' || text.charAt(i) === '\t' || text.charAt(i) === '\r')) i--;
  return i >= 0 && text.charAt(i) === '\n';
}

/** The parsed object, or a sentence saying why the line is not one. */
export function jsonLineProblem(text: string, isLastLineWithoutNewline: boolean): Record<string, unknown> | string {
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
  return parseJsonDocument(file, readTextFile(file));
}

/** readJsonDocument on text already read. */
export function parseJsonDocument(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw jsonDocumentError(file, text, error);
  }
}

/** The UserError for a document JSON.parse refused: the line of the fault, or truncation. */
function jsonDocumentError(file: string, text: string, error: unknown): UserError {
  const message = (error as Error).message;
  const position = /position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : undefined;
  const trimmedLength = text.trimEnd().length;
  if (/end of JSON input/i.test(message) || (offset !== undefined && offset >= trimmedLength)) {
    return new UserError('the file ends before its JSON is complete: it looks truncated', {
      where: fileLine(file, lineAt(text, trimmedLength)),
      next: 'Copy or download the file again',
    });
  }
  const line = offset === undefined ? undefined : lineAt(text, offset);
  return new UserError(`not valid JSON (${truncate(message)})`, {
    where: fileLine(file, line),
    next: 'Fix the file, or check that it is the dataset file you meant',
  });
}

/** True when the text's first non-blank line is itself a complete JSON object. */
export function looksLikeJsonLines(text: string): boolean {
  return firstLineIsJson(text, true);
}

function firstLineIsJson(text: string, objectOnly = false): boolean {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const trimmed = text.slice(start, end).trim();
    if (trimmed !== '') {
      if (objectOnly && (!trimmed.startsWith('{') || !trimmed.endsWith('}'))) return false;
      try {
        JSON.parse(trimmed);
        return true;
      } catch {
        return false;
      }
    }
    start = end + 1;
  }
  return false;
}

/** One record of a dataset file, before it is checked to be an object. */
export interface RawRecord {
  /** 1-based line where the record starts. */
  line: number;
  value: unknown;
  /** 0-based position among the file's records, bad ones included (ids of id-less datasets). */
  index?: number;
}

export interface RawRecords {
  records: RawRecord[];
  /** Lines that were not JSON, collected only with skipBad. */
  skipped: LineIssue[];
  /** Which shape the file had. */
  shape: 'json-lines' | 'json-array';
}

/**
 * Reads a dataset file of JSON records in any of the shapes datasets ship: JSON Lines (whatever the
 * file's suffix), a JSON array, or an object holding the array under `arrayKey` (BIG-bench's
 * "examples"). Each record keeps the line where it starts, so messages can point at it.
 */
export function readJsonRecords(file: string, options: { skipBad?: boolean; arrayKey?: string; text?: string } = {}): RawRecords {
  const text = options.text ?? readTextFile(file);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // Several values, the first complete on its own line: JSON Lines, whatever the values are.
    if (firstLineIsJson(text)) {
      const { records, skipped } = parseJsonLines(file, text, options);
      return { records: withRecordIndexes(text, records), skipped, shape: 'json-lines' };
    }
    throw jsonDocumentError(file, text, error);
  }
  if (Array.isArray(document)) {
    return { records: withLines(document, elementStartLines(text)), skipped: [], shape: 'json-array' };
  }
  if (document !== null && typeof document === 'object') {
    const holder = document as Record<string, unknown>;
    if (options.arrayKey !== undefined && Array.isArray(holder[options.arrayKey])) {
      const elements = holder[options.arrayKey] as unknown[];
      return { records: withLines(elements, elementStartLines(text, options.arrayKey)), skipped: [], shape: 'json-array' };
    }
    // A JSON Lines file with a single record parses as one object.
    return { records: [{ line: lineAt(text, text.search(/\S/)), value: document }], skipped: [], shape: 'json-lines' };
  }
  throw new UserError(`expected JSON records (one object per line, or an array of objects), found ${describeJsonType(document)}`, {
    where: file,
    next: 'Choose the dataset file itself',
  });
}

/** JSON Lines records numbered by their position among the non-blank lines, skipped ones included. */
function withRecordIndexes(text: string, records: JsonRecord[]): RawRecord[] {
  const ordinals = new Map<number, number>();
  let ordinal = 0;
  for (const { line, text: lineText } of splitLines(text)) if (lineText.trim() !== '') ordinals.set(line, ordinal++);
  return records.map((r) => ({ line: r.line, value: r.value, index: ordinals.get(r.line) }));
}

function withLines(values: unknown[], lines: number[]): RawRecord[] {
  return values.map((value, index) => ({ line: lines[index] ?? index + 1, value }));
}

/**
 * The 1-based line where each element of a JSON array starts: the top-level array, or the array
 * under `arrayKey` in a top-level object. One pass over the text; the text must be valid JSON.
 */
export function elementStartLines(text: string, arrayKey?: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let targetDepth = arrayKey === undefined ? 1 : -1;
  let expectingElement = false;
  let lastRootString = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) {
      line++;
      continue;
    }
    if (code === 32 || code === 9 || code === 13) continue;
    if (expectingElement && depth === targetDepth && code !== 93 /* ] */) {
      lines.push(line);
      expectingElement = false;
    }
    if (code === 34 /* " */) {
      const start = i;
      i++;
      while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */) i += 2;
        else if (c === 34) break;
        else i++;
      }
      if (depth === 1) lastRootString = text.slice(start + 1, i);
      continue;
    }
    if (code === 91 /* [ */ || code === 123 /* { */) {
      depth++;
      if (code === 91 && targetDepth === -1 && depth === 2 && lastRootString === arrayKey) targetDepth = 2;
      if (code === 91 && depth === targetDepth) expectingElement = true;
    } else if (code === 93 || code === 125) {
      if (depth === targetDepth && code === 93) {
        expectingElement = false;
        if (arrayKey !== undefined) targetDepth = -2; // only the first array under that key
      }
      depth--;
    } else if (code === 44 /* , */ && depth === targetDepth) {
      expectingElement = true;
    }
  }
  return lines;
}
