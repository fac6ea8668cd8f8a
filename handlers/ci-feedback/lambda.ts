// Lambda entry for the ci-feedback function: used as the CallbackFunction's callbackFactory, so it
// runs once per container (deps are built here) and returns the per-invocation handler for the CI
// states' actions. ReportFailure runs in this function too (a comment on the issue needs nothing
// more than the CI comments do), so a failing run costs no extra cold start.
import type { CiEvaluation, MergeResult } from "../../contract/state";
import { reportFailure } from "../report-failure/report-failure";
import { createTaskDeps } from "../runtime/task-deps";
import { createTaskHandler, type TaskHandler } from "../runtime/task-handler";
import type { TaskDeps } from "../shared/types";
import { evaluateCi } from "./evaluate";
import { mergePullRequest } from "./merge";
import { postFeedback } from "./post-feedback";
import { postTimeout } from "./post-timeout";

export type CiFeedbackResult = CiEvaluation | MergeResult | Record<string, never>;

export function createCiFeedbackHandler(
  deps: TaskDeps = createTaskDeps({ serviceName: "afu9-ci-feedback" }),
): TaskHandler<CiFeedbackResult> {
  return createTaskHandler<CiFeedbackResult>(
    "ci-feedback",
    {
      evaluate: (state) => evaluateCi(state, deps),
      merge: (state) => mergePullRequest(state, deps),
      postFeedback: (state) => postFeedback(state, deps),
      postTimeout: (state) => postTimeout(state, deps),
      reportFailure: (state) => reportFailure(state, deps),
    },
    deps.deadline,
  );
}
