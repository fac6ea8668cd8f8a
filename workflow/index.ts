export {
  buildStateMachineDefinition,
  validateWorkflowSettings,
  ciTimingProblems,
  maxCiPolls,
  executionTimeoutSeconds,
  lambdaTask,
  WORKFLOW_STATE_NAMES,
  WORKFLOW_FAILED_ERROR,
  UNKNOWN_CI_OUTCOME_ERROR,
  TRANSIENT_LAMBDA_ERRORS,
  LAMBDA_RETRY,
  MAX_CI_POLLS,
  PATCH_REFUSAL_ERRORS,
} from "./definition";
export type { CiTimingProblem, WorkflowSettings, WorkflowStateName } from "./definition";
export type * from "./asl-types";
