import { UserError } from '../errors.ts';
import type { TaskName } from '../model.ts';
import { arc } from './arc.ts';
import { commonsenseqa } from './commonsenseqa.ts';
import { gsm8k } from './gsm8k.ts';
import { jsonl } from './jsonl.ts';
import { logiqa } from './logiqa.ts';
import { strategyqa } from './strategyqa.ts';
import { svamp } from './svamp.ts';
import type { TaskSpec } from './types.ts';

export type { AnswerType, FieldMapping, ParseOptions, ParsedProblems, TaskSpec } from './types.ts';
export { guessTask } from './guess.ts';
export { jsonlTaskFor } from './jsonl.ts';

/** Every task, in the order pickers list them. */
export const TASKS: readonly TaskSpec[] = [gsm8k, svamp, strategyqa, logiqa, commonsenseqa, arc, jsonl];

/** The task of that name; a UserError listing the known ones for any other. */
export function getTask(name: string): TaskSpec {
  const wanted = name.trim().toLowerCase();
  const task = TASKS.find((t) => t.name === wanted);
  if (!task) {
    throw new UserError(`unknown task ${JSON.stringify(name)}`, { next: `Use one of: ${TASKS.map((t) => t.name).join(', ')}` });
  }
  return task;
}

export function isTaskName(name: string): name is TaskName {
  return TASKS.some((t) => t.name === name);
}
