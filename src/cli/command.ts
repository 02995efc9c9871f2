import type { ParseArgsConfig } from 'node:util';

/** What a CLI command writes to; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
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
