import type { CliCommand } from './command.ts';

/** Every `mapd` subcommand, in the order --help lists them. Each lives in its own module. */
export const COMMANDS: CliCommand[] = [];
