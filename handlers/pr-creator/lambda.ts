// Lambda entry for the pr-creator function: used as the CallbackFunction's callbackFactory, so it
// runs once per container (deps are built here) and returns the per-invocation handler.
import type { PullRequestRef } from "../../contract/state";
import { createTaskDeps } from "../runtime/task-deps";
import { createTaskHandler, type TaskHandler } from "../runtime/task-handler";
import type { TaskDeps } from "../shared/types";
import { createPullRequest } from "./create-pull-request";

export function createPrCreatorHandler(
  deps: TaskDeps = createTaskDeps({ serviceName: "afu9-pr-creator" }),
): TaskHandler<PullRequestRef> {
  return createTaskHandler<PullRequestRef>(
    "pr-creator",
    {
      createPullRequest: (state) => createPullRequest(state, deps),
    },
    deps.deadline,
  );
}
