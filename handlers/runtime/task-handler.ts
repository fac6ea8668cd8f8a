// The one shape of a task function: dispatch `{ action, state }` to the function's actions, map
// errors to the names Step Functions reacts to, refuse an action the function does not have.
// Every task Lambda entry and the local factory build their handlers with it, so a rate limit or
// an unknown action behaves the same locally and on AWS.
import { factoryError } from "../../contract/errors";
import type { WorkflowState } from "../../contract/state";
import type { TaskAction, TaskEvent } from "../../contract/task-actions";
import type { InvocationDeadline } from "./invocation-deadline";
import { asTaskError } from "./task-errors";

/** An action sees the state; the whole event too when it needs more (a task token). */
export type TaskActionHandlers<R> = Partial<
  Record<TaskAction, (state: WorkflowState, event: TaskEvent) => Promise<R>>
>;

/** Lambda passes its context second; the local factory and tests call with the event only. */
export type TaskHandler<R> = (event: TaskEvent, context?: unknown) => Promise<R>;

/**
 * `functionName` appears in the unknown-action error, which names the actions it does have. With
 * a `deadline`, each invocation runs under its Lambda context's remaining time.
 */
export function createTaskHandler<R>(
  functionName: string,
  actions: TaskActionHandlers<R>,
  deadline?: InvocationDeadline,
): TaskHandler<R> {
  return async (event: TaskEvent, context?: unknown) => {
    const run = Object.prototype.hasOwnProperty.call(actions, event?.action)
      ? actions[event.action]
      : undefined;
    if (!run) {
      throw factoryError(
        "UnknownAction",
        `the ${functionName} function handles ${Object.keys(actions)
          .map((action) => `"${action}"`)
          .join(", ")}, not ${JSON.stringify(event?.action)}: ` +
          `check the state machine's Parameters for this task`,
      );
    }
    try {
      return await (deadline
        ? deadline.run(context, () => run(event.state, event))
        : run(event.state, event));
    } catch (error) {
      throw asTaskError(error);
    }
  };
}
