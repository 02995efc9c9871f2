import { UserError } from '../errors.ts';
import type { TaskName } from '../model.ts';
import { TASK_NAMES } from '../model.ts';
import { getTask } from '../tasks/index.ts';
import type { TaskSpec } from '../tasks/types.ts';

export function isTaskName(name: string): name is TaskName {
  return (TASK_NAMES as readonly string[]).includes(name);
}

/** The task's spec, or a UserError listing the tasks there are. */
export function taskSpec(name: string, where?: string): TaskSpec {
  if (!isTaskName(name)) {
    throw new UserError(`unknown task "${name}"`, { ...(where === undefined ? {} : { where }), next: `Use one of: ${TASK_NAMES.join(', ')}` });
  }
  return getTask(name);
}
