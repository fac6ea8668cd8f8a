// Lambda entry for the pr-creator function: used as the CallbackFunction's callbackFactory, so it
// runs once per container (deps are built here) and returns the per-invocation handler.
import { withTaskErrors } from "../runtime/task-errors";
import { createTaskDeps } from "../runtime/task-deps";
import type { TaskDeps } from "../shared/types";
import type { PullRequestRef } from "../../contract/state";
import type { TaskEvent } from "../../contract/task-actions";
import { createPullRequest } from "./create-pull-request";

export function createPrCreatorHandler(
  deps: TaskDeps = createTaskDeps({ serviceName: "pr-creator" }),
): (event: TaskEvent) => Promise<PullRequestRef> {
  // Rate limits reach Step Functions as AFU9.GitHubRateLimited, which it retries later.
  return withTaskErrors(async (event: TaskEvent) => {
    if (event.action !== "createPullRequest") {
      throw new Error(
        `the pr-creator function handles action "createPullRequest", not "${event.action}": ` +
          `check the state machine's Parameters for this task`,
      );
    }
    return createPullRequest(event.state, deps);
  }, deps.deadline);
}
