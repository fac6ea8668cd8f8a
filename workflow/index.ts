export {
  buildStateMachineDefinition,
  validateWorkflowSettings,
  ciTimingProblems,
  maxCiPolls,
  executionTimeoutSeconds,
  lambdaTask,
  WORKFLOW_STATE_NAMES,
  ISSUE_MAIN_PATH,
  WORKFLOW_FAILED_ERROR,
  UNKNOWN_CI_OUTCOME_ERROR,
  TRANSIENT_LAMBDA_ERRORS,
  LAMBDA_RETRY,
  MAX_CI_POLLS,
  PATCH_REFUSAL_ERRORS,
} from "./definition";
export type { CiTimingProblem, WorkflowSettings, WorkflowStateName } from "./definition";
export type * from "./asl-types";
export {
  ciWaitSeconds,
  lockTtlSeconds,
  DEFAULT_CI_FALLBACK_SECONDS,
  MAX_CI_EVENT_WAKES,
  LAMBDA_INVOKE_WAIT_FOR_TOKEN,
} from "./definition";
export { RUN_END_STATES, RUN_LOCK_STATE_NAMES, type RunEndState } from "./run-lock-states";
