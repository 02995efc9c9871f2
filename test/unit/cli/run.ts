import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAPD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/mapd');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (bin/mapd) as a user would, in cwd. */
export function mapd(cwd: string, args: readonly string[], input?: string): CliRun {
  const result = spawnSync(MAPD, args, { cwd, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, MAPD_DEBUG: '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A running CLI whose stdin the test writes line by line, reading each reply as it comes. */
export function mapdInteractive(cwd: string, args: readonly string[]) {
  const child = spawn(MAPD, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let buffered = '';
  let stderr = '';
  const waiters: ((line: string) => void)[] = [];
  const lines: string[] = [];
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    write: (text: string) => child.stdin.write(text),
    end: () => child.stdin.end(),
    nextLine: () => new Promise<string>((resolve) => (lines.length > 0 ? resolve(lines.shift() as string) : waiters.push(resolve))),
    exited,
    stderr: () => stderr,
  };
}
