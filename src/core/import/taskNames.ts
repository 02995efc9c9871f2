import { UserError, isUserError } from '../errors.ts';
import type { TaskName } from '../model.ts';
import { getTask } from '../tasks/index.ts';
import type { TaskSpec } from '../tasks/types.ts';

/** The task's spec, or a UserError listing the tasks there are (placed at `where` when given). */
export function taskSpec(name: string, where?: string): TaskSpec {
  try {
    return getTask(name);
  } catch (error) {
    if (where === undefined || !isUserError(error)) throw error;
    throw new UserError(error.what, { where, ...(error.next === undefined ? {} : { next: error.next }) });
  }
}

/** A row's or an option's task name, checked; undefined stays undefined. */
export function optionalTaskName(name: string | undefined, where?: string): TaskName | undefined {
  return name === undefined ? undefined : taskSpec(name, where).name;
}
