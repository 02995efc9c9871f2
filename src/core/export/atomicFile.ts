import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';

/**
 * A file written in the background and swapped in whole: lines go to a temporary file in the
 * target's folder (so the final rename stays on one file system and is atomic), buffered in
 * chunks; commit flushes, fsyncs, renames over the target and fsyncs the folder. Until commit the
 * target — or the previous export at that path — is untouched; abort removes the temporary file.
 * A process killed mid-write leaves only a hidden `.<name>.<pid>.mapd-tmp`, which the next export
 * to the same path removes once that process is gone.
 */
export interface AtomicFile {
  readonly target: string;
  readonly tempPath: string;
  writeLine(line: string): void;
  /** Lines written so far. */
  readonly lines: number;
  commit(): void;
  abort(): void;
}

const CHUNK_BYTES = 1 << 20;
const TEMP_SUFFIX = '.mapd-tmp';

export function tempPathFor(target: string, pid = process.pid): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${pid}${TEMP_SUFFIX}`);
}

export function openAtomicFile(target: string): AtomicFile {
  const resolved = path.resolve(target);
  const dir = path.dirname(resolved);
  try {
    if (fs.statSync(resolved).isDirectory()) throw new UserError('is a folder', { where: target, next: 'Give a file path for the export' });
  } catch (error) {
    if (error instanceof UserError) throw error;
  }
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UserError(`cannot create the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
      where: dir,
      next: 'Choose a folder you can write to',
    });
  }
  removeStaleTemps(resolved);
  const tempPath = tempPathFor(resolved);
  let fd: number;
  try {
    fd = fs.openSync(tempPath, 'w', 0o644);
  } catch (error) {
    throw new UserError(`cannot write here (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
      where: dir,
      next: 'Choose a folder you can write to',
    });
  }
  let buffered: string[] = [];
  let bufferedChars = 0;
  let lines = 0;
  let open = true;

  const flush = (): void => {
    if (buffered.length === 0) return;
    const data = Buffer.from(buffered.join(''), 'utf8');
    buffered = [];
    bufferedChars = 0;
    let offset = 0;
    while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
  };
  const close = (): void => {
    if (!open) return;
    open = false;
    fs.closeSync(fd);
  };

  return {
    target: resolved,
    tempPath,
    get lines() {
      return lines;
    },
    writeLine(line) {
      if (!open) throw new Error('write after commit or abort');
      buffered.push(line, '\n');
      bufferedChars += line.length + 1;
      lines++;
      if (bufferedChars >= CHUNK_BYTES) flush();
    },
    commit() {
      try {
        flush();
        fs.fsyncSync(fd);
        close();
        fs.renameSync(tempPath, resolved);
      } catch (error) {
        this.abort();
        const code = (error as NodeJS.ErrnoException).code;
        throw new UserError(`could not write the export (${code ?? (error as Error).message})`, {
          where: target,
          next: code === 'ENOSPC' ? 'Free some disk space and export again' : 'Check the folder and export again',
        });
      }
      syncFolder(dir);
    },
    abort() {
      try {
        close();
      } catch {
        // Closing a broken descriptor can fail; the file is removed either way.
      }
      fs.rmSync(tempPath, { force: true });
    },
  };
}

/** Makes the rename durable; some file systems refuse to fsync a folder, which is harmless. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Not supported here (e.g. some network or Windows file systems): the rename itself stands.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Removes temporary files an earlier, killed export to this target left behind. */
export function removeStaleTemps(target: string): string[] {
  const dir = path.dirname(target);
  const prefix = `.${path.basename(target)}.`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    const pid = Number(name.slice(prefix.length, -TEMP_SUFFIX.length));
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
