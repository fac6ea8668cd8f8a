// Shared settings for the workflow tests: real-looking Lambda ARNs, one per task function.
import { RUN_LOCK_STATE_NAMES, type WorkflowSettings } from "../../workflow";

export const ARNS = {
  issueInterpreter: "arn:aws:lambda:eu-central-1:123456789012:function:afu9-dev-issue-interpreter",
  patchGenerator: "arn:aws:lambda:eu-central-1:123456789012:function:afu9-dev-patch-generator",
  prCreator: "arn:aws:lambda:eu-central-1:123456789012:function:afu9-dev-pr-creator",
  ciFeedback: "arn:aws:lambda:eu-central-1:123456789012:function:afu9-dev-ci-feedback",
} as const;

export const STATE_MACHINE_ARN = "arn:aws:states:eu-central-1:123456789012:stateMachine:afu9-dev";
export const TABLE_NAME = "afu9-dev-runs";

export function settings(overrides: Partial<WorkflowSettings> = {}): WorkflowSettings {
  return {
    functionArns: { ...ARNS },
    ciPollSeconds: 60,
    ciMaxWaitSeconds: 3600,
    runLock: { tableName: TABLE_NAME, stateMachineArn: STATE_MACHINE_ARN },
    ...overrides,
  };
}

/** The run lock's own states, which the pipeline's paths below leave out. */
export function pipelineStates(names: string[]): string[] {
  return names.filter((name) => !(RUN_LOCK_STATE_NAMES as readonly string[]).includes(name));
}

/** The states every run that reaches CI passes, in order, up to its first CI verdict. */
export const PATH_TO_FIRST_CI_CHECK = [
  "AnalyzeIssue",
  "CheckIfActionable",
  "GeneratePatch",
  "ValidatePatch",
  "CheckPatchValid",
  "CreatePullRequest",
  "StartCIWait",
  "WaitForCI",
  "ProcessCIFeedback",
  "CheckCIStatus",
];
