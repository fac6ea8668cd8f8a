// Shared settings for the workflow tests: real-looking Lambda ARNs, one per task function.
import type { WorkflowSettings } from "../../workflow";

export const ARNS = {
  issueInterpreter: "arn:aws:lambda:eu-central-1:123456789012:function:afu9-dev-issue-interpreter",
  patchGenerator: "arn:aws:lambda:eu-central-1:123456789012:function:afu9-dev-patch-generator",
  prCreator: "arn:aws:lambda:eu-central-1:123456789012:function:afu9-dev-pr-creator",
  ciFeedback: "arn:aws:lambda:eu-central-1:123456789012:function:afu9-dev-ci-feedback",
} as const;

export function settings(overrides: Partial<WorkflowSettings> = {}): WorkflowSettings {
  return { functionArns: { ...ARNS }, ciPollSeconds: 60, ciMaxWaitSeconds: 3600, ...overrides };
}

/** The states every run that reaches CI passes, in order, up to its first CI verdict. */
export const PATH_TO_FIRST_CI_CHECK = [
  "AnalyzeIssue",
  "CheckIfActionable",
  "GeneratePatch",
  "ValidatePatch",
  "CheckPatchValid",
  "CreatePullRequest",
  "CheckDryRun",
  "StartCIWait",
  "WaitForCI",
  "ProcessCIFeedback",
  "CheckCIStatus",
];
