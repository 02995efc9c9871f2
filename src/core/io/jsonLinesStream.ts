import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { UserError, fileLine } from '../errors.ts';
import type { LineIssue, RawRecord } from './textFile.ts';
import { checkTextHead, emptyFile, jsonLineProblem, lineAt, looksLikeJsonLines, readFailure } from './textFile.ts';

/**
 * A JSON Lines file read in pieces (issue 11: importing 1M problems with bounded memory): the
 * same records, line numbers, record indexes and messages as readJsonRecords gives for a JSON
 * Lines file, one record at a time, without the whole text or an array of its records.
 */

const CHUNK_BYTES = 4 << 20;

export interface TextLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
  /** The file ends on this line without a line break (a cut-off last line reads as truncated). */
  last: boolean;
}

/**
 * The file's lines, read CHUNK_BYTES at a time (LF or CRLF, a UTF-8 byte-order mark dropped), with
 * readTextFile's refusals: a folder, a missing, empty, UTF-16, binary or not-UTF-8 file.
 */
export function* textLines(file: string): Generator<TextLine> {
  let fd: number;
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw new UserError('is a folder, not a data file', { where: file, next: 'Choose a .json, .jsonl or .txt file' });
    size = stat.size;
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw readFailure(file, error);
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let carry: Buffer = Buffer.alloc(0);
    let line = 1;
    let first = true;
    let blankOnly = true;
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null);
      let bytes = carry.length === 0 ? buffer.subarray(0, read) : Buffer.concat([carry, buffer.subarray(0, read)]);
      if (first) {
        checkTextHead(file, bytes, size);
        if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
        first = false;
      }
      const end = read === 0 ? bytes.length : bytes.lastIndexOf(10) + 1;
      // Whole lines only (a long line waits for the next piece); at the end of the file, the rest.
      if (end > 0) {
        const piece = bytes.subarray(0, end);
        if (!isUtf8(piece)) throw notUtf8(file, line, piece);
        const text = piece.toString('utf8');
        let start = 0;
        while (start < text.length) {
          let stop = text.indexOf('\n', start);
          const last = stop === -1;
          if (last) stop = text.length;
          const lineText = text.charCodeAt(stop - 1) === 13 ? text.slice(start, stop - 1) : text.slice(start, stop);
          if (blankOnly && lineText.trim() !== '') blankOnly = false;
          yield { line, text: lineText, last };
          line++;
          start = stop + 1;
        }
      }
      if (read === 0) break;
      carry = Buffer.from(bytes.subarray(end));
    }
    if (blankOnly) throw emptyFile(file);
  } finally {
    fs.closeSync(fd);
  }
}

function notUtf8(file: string, firstLine: number, piece: Buffer): UserError {
  const lenient = piece.toString('utf8');
  const bad = lenient.indexOf('\ufffd');
  const line = bad === -1 ? undefined : firstLine + lineAt(lenient, bad) - 1;
  return new UserError('the file is not valid UTF-8 text', { where: fileLine(file, line), next: 'Save the file as UTF-8 and import it again' });
}

/**
 * Whether readJsonRecords would read the file as JSON Lines: its first non-blank line is a whole
 * JSON object (a JSON array or a pretty-printed document is read whole). Reads only that far.
 */
export function isJsonLinesFile(file: string): boolean {
  for (const { text } of textLines(file)) if (text.trim() !== '') return looksLikeJsonLines(text);
  return false;
}

/**
 * How many records a JSON Lines file holds, for a progress bar: its lines with a character other
 * than space, tab or CR, counted on the bytes in one pass (no decoding, no parsing). A line of
 * other Unicode blanks only counts here though it is no record: an upper bound, exact for real files.
 */
export function countJsonLines(file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw readFailure(file, error);
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let records = 0;
    let content = false;
    for (let read = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null); read > 0; read = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null)) {
      let start = 0;
      while (start < read) {
        let stop = buffer.indexOf(10, start);
        const ends = stop !== -1 && stop < read;
        if (!ends) stop = read;
        for (let i = start; !content && i < stop; i++) {
          const byte = buffer[i] as number;
          if (byte !== 32 && byte !== 9 && byte !== 13) content = true;
        }
        if (ends) {
          if (content) records++;
          content = false;
        }
        start = stop + 1;
      }
    }
    return content ? records + 1 : records;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The records of a JSON Lines file one at a time, as readJsonRecords gives them: `index` counts
 * the non-blank lines, bad ones included. A line that is not a JSON object is an error naming it,
 * unless skipBad: then it is added to `skipped` and passed over.
 */
export function* jsonLineRecords(file: string, skipBad: boolean, skipped: LineIssue[]): Generator<RawRecord> {
  let index = 0;
  for (const { line, text, last } of textLines(file)) {
    if (text.trim() === '') continue;
    const value = jsonLineProblem(text, last);
    const ordinal = index++;
    if (typeof value === 'string') {
      if (!skipBad) throw new UserError(value, { where: fileLine(file, line), next: 'Fix or remove that line (or import with "skip bad rows")' });
      skipped.push({ file, line, message: value });
      continue;
    }
    yield { line, value, index: ordinal };
  }
}
