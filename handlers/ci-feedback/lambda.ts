// Lambda entry for the ci-feedback function: used as the CallbackFunction's callbackFactory, so it
// runs once per container (deps are built here) and returns the per-invocation handler for the CI
// states' actions. ReportFailure runs in this function too (a comment on the issue needs nothing
// more than the CI comments do), so a failing run costs no extra cold start.
import type {
  CiEvaluation,
  CiWake,
  MergeResult,
  PullRequestRef,
  WorkflowState,
} from "../../contract/state";
import { SFNClient } from "@aws-sdk/client-sfn";
import { reportFailure } from "../report-failure/report-failure";
import { lazyRunTable } from "../run-table/clients";
import { createTaskDeps } from "../runtime/task-deps";
import { createTaskHandler, type TaskHandler } from "../runtime/task-handler";
import type { TaskDeps } from "../shared/types";
import { awaitCi, type AwaitCiResult, type CiWaitDeps } from "./await-ci";
import { evaluateCi } from "./evaluate";
import { mergePullRequest } from "./merge";
import { postFeedback } from "./post-feedback";
import { postTimeout } from "./post-timeout";
import { answerCommand, answerCommandBusy, readCommandPullRequest, stopRun } from "./commands";

export type CiFeedbackResult =
  | CiEvaluation
  | MergeResult
  | AwaitCiResult
  | PullRequestRef
  | CiWake
  | NonNullable<WorkflowState["stopped"]>
  | Record<string, never>;

/** The run table and Step Functions, built on first use (only WaitForCI in events mode needs them). */
export function lambdaCiWaitDeps(): CiWaitDeps {
  let sfn: SFNClient | undefined;
  return {
    runTable: lazyRunTable(),
    sfn: () => (sfn ??= new SFNClient({ maxAttempts: 3 })),
  };
}

export function createCiFeedbackHandler(
  deps: TaskDeps = createTaskDeps({ serviceName: "afu9-ci-feedback" }),
  ciWait: CiWaitDeps = lambdaCiWaitDeps(),
): TaskHandler<CiFeedbackResult> {
  return createTaskHandler<CiFeedbackResult>(
    "ci-feedback",
    {
      evaluate: (state) => evaluateCi(state, deps),
      awaitCi: (_state, event) => awaitCi(event, deps, ciWait),
      merge: (state) => mergePullRequest(state, deps),
      postFeedback: (state) => postFeedback(state, deps),
      postTimeout: (state) => postTimeout(state, deps),
      reportFailure: (state) => reportFailure(state, deps),
      readPullRequest: (state) => readCommandPullRequest(state, deps),
      answerCommand: (state) => answerCommand(state, deps),
      stopRun: (state) => stopRun(state, deps),
      answerCommandBusy: (state) => answerCommandBusy(state, deps),
    },
    deps.deadline,
  );
}
