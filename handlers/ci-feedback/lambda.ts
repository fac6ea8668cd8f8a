// Lambda entry for the ci-feedback function: used as the CallbackFunction's callbackFactory, so it
// runs once per container (deps are built here) and returns the per-invocation handler, which
// dispatches the CI states' actions.
import { withTaskErrors } from "../runtime/task-errors";
import { createTaskDeps } from "../runtime/task-deps";
import type { TaskDeps } from "../shared/types";
import type { CiEvaluation, MergeResult } from "../../contract/state";
import type { TaskEvent } from "../../contract/task-actions";
import { evaluateCi } from "./evaluate";
import { mergePullRequest } from "./merge";
import { postFeedback } from "./post-feedback";
import { postTimeout } from "./post-timeout";
import { reportFailure } from "./report-failure";

export type CiFeedbackResult = CiEvaluation | MergeResult | Record<string, never>;

export function createCiFeedbackHandler(
  deps: TaskDeps = createTaskDeps({ serviceName: "ci-feedback" }),
): (event: TaskEvent) => Promise<CiFeedbackResult> {
  // Rate limits reach Step Functions as AFU9.GitHubRateLimited, which it retries later.
  return withTaskErrors(async (event: TaskEvent) => {
    switch (event.action) {
      case "evaluate":
        return evaluateCi(event.state, deps);
      case "merge":
        return mergePullRequest(event.state, deps);
      case "postFeedback":
        return postFeedback(event.state, deps);
      case "postTimeout":
        return postTimeout(event.state, deps);
      case "reportFailure":
        return reportFailure(event.state, deps);
      default:
        throw new Error(
          `the ci-feedback function handles actions evaluate, merge, postFeedback, postTimeout ` +
            `and reportFailure, not "${event.action}": check the state machine's Parameters`,
        );
    }
  }, deps.deadline);
}
