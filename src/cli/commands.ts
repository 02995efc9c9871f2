import type { CliCommand } from './command.ts';
import { askCommand } from './ask.ts';
import { collectCommand } from './collect.ts';
import { examCommand } from './exam.ts';
import { answersCommand } from './answers.ts';
import { extractCommand } from './extract.ts';
import { importCommand } from './import.ts';
import { importOutputsCommand } from './importOutputs.ts';
import { statsCommand } from './stats.ts';
import { orderKeysCommand } from './orderKeys.ts';
import { exportCommand } from './export.ts';
import { importDecisionsCommand } from './importDecisions.ts';
import { syncCommand } from './sync.ts';
import { compareCommand } from './compare.ts';
import { finetuneCommand } from './finetune.ts';
import { studentsCommand } from './students.ts';

/** Every `mapd` subcommand, in the order --help lists them. Each lives in its own module. */
export const COMMANDS: CliCommand[] = [
  importCommand,
  answersCommand,
  importOutputsCommand,
  extractCommand,
  statsCommand,
  orderKeysCommand,
  examCommand,
  collectCommand,
  askCommand,
  exportCommand,
  importDecisionsCommand,
  syncCommand,
  studentsCommand,
  compareCommand,
  finetuneCommand,
];
