import { parseArgs } from 'node:util';
import { describeError, isCancelled, isUserError } from '../core/errors.ts';
import { inertText, terminalSafe } from '../core/inertText.ts';
import type { CliCommand, CliIo, CliSink } from './command.ts';
import { COMMANDS } from './commands.ts';

function usage(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'mapd — MAPD Curator, headless',
    '',
    'Usage: mapd <command> [options]   (mapd <command> --help for its options)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --db PATH (default .mapd/curation.db in the current folder).',
    '',
  ].join('\n');
}

/** Messages inert whole; data as it is, but for control codes on a terminal (see CliIo). */
function safeIo(sink: CliSink): CliIo {
  return {
    ...sink,
    stdout: (text) => sink.stdout(inertText(text)),
    stderr: (text) => sink.stderr(inertText(text)),
    data: sink.stdoutIsTerminal ? (text) => sink.stdout(terminalSafe(text)) : sink.stdout,
  };
}

/** Runs one CLI invocation; returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], sink: CliSink, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const io = safeIo(sink);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage(commands));
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`mapd: unknown command "${name}". Run mapd --help for the list.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return 0;
  }
  let args;
  try {
    args = parseArgs({ args: [...rest], options: command.options, allowPositionals: command.allowPositionals ?? false, strict: true });
  } catch (error) {
    io.stderr(`mapd ${name}: ${(error as Error).message}. Run mapd ${name} --help.\n`);
    return 2;
  }
  try {
    return await command.run(args as never, io);
  } catch (error) {
    io.stderr(`mapd ${name}: ${describeError(error)}\n`);
    if (!isUserError(error) && !isCancelled(error) && io.env.MAPD_DEBUG) io.stderr(`${(error as Error).stack ?? ''}\n`);
    return 1;
  }
}
