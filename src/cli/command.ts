import type { ParseArgsConfig } from 'node:util';

/** Where a CLI run writes: the process's streams, or a test's. */
export interface CliSink {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stdout is a terminal: data printed there (a teacher's answer) gets its control codes escaped. */
  stdoutIsTerminal?: boolean;
}

/**
 * What a command writes to. `stdout` and `stderr` carry messages (summaries, progress, errors),
 * made inert whole: they repeat file names and values from files, models and servers. `data`
 * carries output that is itself data (a teacher's answer, JSON): as it is into a pipe or a file,
 * control codes escaped on a terminal. See src/core/inertText.ts.
 */
export interface CliIo extends CliSink {
  data: (text: string) => void;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommandArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** One `mapd <name>` subcommand. */
export interface CliCommand {
  name: string;
  summary: string;
  /** Full --help text: usage line, options, an example. */
  help: string;
  options: OptionSpec;
  allowPositionals?: boolean;
  run(args: ParsedCommandArgs, io: CliIo): Promise<number>;
}
