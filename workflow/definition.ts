// The AFU-9 state machine as data: a pure builder (settings in, Amazon States Language out), so the
// same document is deployed by Pulumi and executed locally by aws-local-stepfunctions.
// No Pulumi, no I/O: the CodeFactoryWorkflow component resolves the function ARNs and calls this
// in an apply.
import { FACTORY_ERRORS, factoryError } from "../contract/errors";
import type { TaskAction } from "../contract/task-actions";
import type {
  AslDefinition,
  AslState,
  CatchRule,
  ChoiceRule,
  ChoiceState,
  PassState,
  RetryRule,
  TaskState,
  WaitState,
} from "./asl-types";

export interface WorkflowSettings {
  functionArns: {
    issueInterpreter: string;
    patchGenerator: string;
    prCreator: string;
    ciFeedback: string;
  };
  /** WaitForCI seconds (stack config, 60 by default). */
  ciPollSeconds: number;
  /** CI waiting bound (stack config). */
  ciMaxWaitSeconds: number;
}

/** Every state of the machine, in the order a successful run meets them, then the side exits. */
export const WORKFLOW_STATE_NAMES = [
  "AnalyzeIssue",
  "CheckIfActionable",
  "NotActionable",
  "GeneratePatch",
  "ValidatePatch",
  "CheckPatchValid",
  "PatchRejected",
  "CreatePullRequest",
  "CheckDryRun",
  "DryRun",
  "StartCIWait",
  "WaitForCI",
  "ProcessCIFeedback",
  "CheckCIStatus",
  "CountCIPoll",
  "UnknownCIOutcome",
  "AutoMerge",
  "CheckMergeResult",
  "Merged",
  "PostFeedback",
  "CIFailed",
  "PostTimeout",
  "CITimedOut",
  "ReportFailure",
  "Failed",
] as const;

export type WorkflowStateName = (typeof WORKFLOW_STATE_NAMES)[number];

/** Error name of the Fail state: what the ExecutionsFailed alarm and the console show. */
export const WORKFLOW_FAILED_ERROR = FACTORY_ERRORS.WorkflowFailed;
/** Error put at $.error when ProcessCIFeedback returns an outcome CheckCIStatus does not know. */
export const UNKNOWN_CI_OUTCOME_ERROR = FACTORY_ERRORS.UnknownCIOutcome;

/**
 * GeneratePatch errors that refuse the user's input (a diff that is corrupt or does not apply, an
 * unsafe path, nothing to apply): ValidatePatch names them as violations and the run ends
 * PatchRejected, not Failed (which is the operator's alarm).
 */
export const PATCH_REFUSAL_ERRORS = [
  FACTORY_ERRORS.PatchCorrupt,
  FACTORY_ERRORS.PatchDoesNotApply,
  FACTORY_ERRORS.PatchUnsupported,
  FACTORY_ERRORS.PatchUnsafe,
  FACTORY_ERRORS.NoPatchStrategy,
  FACTORY_ERRORS.IssueTextChanged,
];

/** Lambda's transient invocation errors (AWS's recommended Retry list for Lambda tasks). */
export const TRANSIENT_LAMBDA_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
] as const;

/**
 * A task that GitHub rate-limited beyond what one invocation may wait (the task functions report
 * it under this name) is retried minutes later: 1, 2, 4, 8 min (full jitter, capped at 10 min).
 */
export const GITHUB_RATE_LIMIT_RETRY: RetryRule = {
  ErrorEquals: [FACTORY_ERRORS.GitHubRateLimited],
  IntervalSeconds: 60,
  MaxAttempts: 4,
  BackoffRate: 2,
  MaxDelaySeconds: 600,
  JitterStrategy: "FULL",
};

/** Retry policy of every Task: 2 s, 4 s, 8 s (full jitter, capped at 30 s), then Catch. */
export const LAMBDA_RETRY: RetryRule = {
  ErrorEquals: [...TRANSIENT_LAMBDA_ERRORS],
  IntervalSeconds: 2,
  MaxAttempts: 3,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
  JitterStrategy: "FULL",
};

/**
 * Budget for everything except the CI loop (analyse, generate, validate, create PR, merge,
 * comments), retries included: far above the sum of the functions' timeouts (30+60+60+60+30 s...)
 * times their attempts, so the normal paths always end before the execution timeout does. A task
 * that GitHub rate-limits waits at most 1+2+4+8 min of GITHUB_RATE_LIMIT_RETRY on top.
 */
export const TASK_MARGIN_SECONDS = 2 * 60 * 60;
/** Per CI poll: one ProcessCIFeedback invocation (30 s function timeout) with room for a retry. */
export const POLL_OVERHEAD_SECONDS = 60;
/**
 * Step Functions keeps at most 25,000 events per execution; one CI poll writes about 11
 * (Wait, Task with its scheduled/started/succeeded events, Choice, Pass). 2,000 polls stay clear.
 */
export const MAX_CI_POLLS = 2000;
/** A Standard workflow runs at most one year. */
export const MAX_EXECUTION_SECONDS = 365 * 24 * 60 * 60;

const LAMBDA_FUNCTION_ARN =
  /^arn:aws(-[a-z]+)*:lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$/;

const FUNCTION_ARN_KEYS = [
  "issueInterpreter",
  "patchGenerator",
  "prCreator",
  "ciFeedback",
] as const;

function settingsError(message: string): Error {
  return factoryError("InvalidWorkflowSettings", `workflow settings: ${message}`);
}

/**
 * The CI poll bound: after this many counted pending evaluations the ASL itself sends the run to
 * PostTimeout, even if the CI feedback handler never reports `timeout`.
 */
export function maxCiPolls(settings: Pick<WorkflowSettings, "ciPollSeconds" | "ciMaxWaitSeconds">) {
  return Math.ceil(settings.ciMaxWaitSeconds / settings.ciPollSeconds);
}

/** The execution's TimeoutSeconds: every poll (wait + evaluation) plus the task margin. */
export function executionTimeoutSeconds(
  settings: Pick<WorkflowSettings, "ciPollSeconds" | "ciMaxWaitSeconds">,
): number {
  // maxPolls + 1 evaluations happen before the bound forces PostTimeout (see CheckCIStatus).
  const polls = maxCiPolls(settings) + 1;
  return polls * (settings.ciPollSeconds + POLL_OVERHEAD_SECONDS) + TASK_MARGIN_SECONDS;
}

export interface CiTimingProblem {
  field: "ciPollSeconds" | "ciMaxWaitSeconds";
  message: string;
}

/**
 * What is wrong with the CI timing, every problem at once (the stack config reports them beside
 * its other problems); empty when the definition can be built from it.
 */
export function ciTimingProblems(
  settings: Pick<WorkflowSettings, "ciPollSeconds" | "ciMaxWaitSeconds">,
): CiTimingProblem[] {
  const problems: CiTimingProblem[] = [];
  for (const field of ["ciPollSeconds", "ciMaxWaitSeconds"] as const) {
    const value: unknown = settings[field];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      problems.push({
        field,
        message: `${field} must be a whole number of seconds >= 1, got ${JSON.stringify(value)}`,
      });
    }
  }
  if (problems.length > 0) return problems;
  const { ciPollSeconds: pollSeconds, ciMaxWaitSeconds: maxWaitSeconds } = settings;
  if (maxWaitSeconds < pollSeconds) {
    return [
      {
        field: "ciMaxWaitSeconds",
        message:
          `ciMaxWaitSeconds (${maxWaitSeconds}) must be at least ciPollSeconds (${pollSeconds}): ` +
          `raise ciMaxWaitSeconds or lower ciPollSeconds`,
      },
    ];
  }
  const polls = maxCiPolls(settings);
  if (polls > MAX_CI_POLLS) {
    problems.push({
      field: "ciPollSeconds",
      message:
        `ciMaxWaitSeconds / ciPollSeconds = ${maxWaitSeconds} / ${pollSeconds} needs ${polls} CI ` +
        `polls; at most ${MAX_CI_POLLS} fit Step Functions' 25,000-event execution history: ` +
        `raise ciPollSeconds or lower ciMaxWaitSeconds`,
    });
  }
  const timeout = executionTimeoutSeconds(settings);
  if (timeout > MAX_EXECUTION_SECONDS) {
    problems.push({
      field: "ciMaxWaitSeconds",
      message:
        `ciMaxWaitSeconds ${maxWaitSeconds} with ciPollSeconds ${pollSeconds} gives an execution ` +
        `timeout of ${timeout} s, above Step Functions' one-year limit: lower ciMaxWaitSeconds`,
    });
  }
  return problems;
}

/** Throws an error naming the bad field and the expected form; returns the settings unchanged. */
export function validateWorkflowSettings(settings: WorkflowSettings): WorkflowSettings {
  if (typeof settings !== "object" || settings === null) {
    throw settingsError(`expected an object, got ${JSON.stringify(settings)}`);
  }
  const arns: unknown = settings.functionArns;
  if (typeof arns !== "object" || arns === null) {
    throw settingsError(
      `functionArns must be an object with ${FUNCTION_ARN_KEYS.join(", ")}, got ${JSON.stringify(arns)}`,
    );
  }
  for (const key of FUNCTION_ARN_KEYS) {
    const arn = (arns as Record<string, unknown>)[key];
    if (typeof arn !== "string" || !LAMBDA_FUNCTION_ARN.test(arn)) {
      throw settingsError(
        `functionArns.${key} must be a Lambda function ARN ` +
          `(arn:aws:lambda:<region>:<account-id>:function:<name>), got ${JSON.stringify(arn)}`,
      );
    }
  }
  const [timing] = ciTimingProblems(settings);
  if (timing) throw settingsError(timing.message);
  return settings;
}

/** A Lambda Task: direct function ARN, `{ action, state }` event, transient-error Retry, Catch. */
export function lambdaTask(args: {
  comment: string;
  functionArn: string;
  action: TaskAction;
  resultPath: string | null;
  next: WorkflowStateName;
  catchTo: WorkflowStateName;
  /** Where the caught error goes; `$.error` keeps the state document's CaughtError contract. */
  errorPath: string;
  /** Errors caught before the catch-all, each to its own state and path. */
  catchFirst?: CatchRule[];
}): TaskState {
  return {
    Type: "Task",
    Comment: args.comment,
    Resource: args.functionArn,
    Parameters: { action: args.action, "state.$": "$" },
    ResultPath: args.resultPath,
    Retry: [
      { ...LAMBDA_RETRY, ErrorEquals: [...LAMBDA_RETRY.ErrorEquals] },
      { ...GITHUB_RATE_LIMIT_RETRY, ErrorEquals: [...GITHUB_RATE_LIMIT_RETRY.ErrorEquals] },
    ],
    Catch: [...(args.catchFirst ?? []), catchAll(args.catchTo, args.errorPath)],
    Next: args.next,
  };
}

function catchAll(next: WorkflowStateName, resultPath: string): CatchRule {
  return { ErrorEquals: ["States.ALL"], Next: next, ResultPath: resultPath };
}

function choice(
  comment: string,
  rules: ChoiceRule<WorkflowStateName>[],
  defaultNext: WorkflowStateName,
): ChoiceState {
  return { Type: "Choice", Comment: comment, Choices: rules, Default: defaultNext };
}

function ciOutcomeIs(outcome: string) {
  return { Variable: "$.ci.outcome", StringEquals: outcome };
}

function pollBoundReached(maxPolls: number) {
  return { Variable: "$.ciWait.polls", NumericGreaterThanEquals: maxPolls };
}

export function buildStateMachineDefinition(settings: WorkflowSettings): AslDefinition {
  validateWorkflowSettings(settings);
  const arns = settings.functionArns;
  const maxPolls = maxCiPolls(settings);
  // Every task reports unrecoverable errors through ReportFailure (a comment on the issue).
  const task = (
    comment: string,
    functionArn: string,
    action: TaskAction,
    resultPath: string | null,
    next: WorkflowStateName,
  ) =>
    lambdaTask({
      comment,
      functionArn,
      action,
      resultPath,
      next,
      catchTo: "ReportFailure",
      errorPath: "$.error",
    });

  const states: Record<WorkflowStateName, AslState> = {
    AnalyzeIssue: task(
      "Classify the issue, load .github/afu9.yml, decide whether AFU-9 acts",
      arns.issueInterpreter,
      "analyze",
      "$.analysis",
      "CheckIfActionable",
    ),
    CheckIfActionable: choice(
      "Act only on issues the interpreter marked actionable",
      [{ Variable: "$.analysis.actionable", BooleanEquals: true, Next: "GeneratePatch" }],
      "NotActionable",
    ),
    NotActionable: { Type: "Succeed", Comment: "Analysed and labelled; nothing to change" },
    GeneratePatch: lambdaTask({
      comment: "Write the change as an unreferenced commit through the Git Data API",
      functionArn: arns.patchGenerator,
      action: "generate",
      resultPath: "$.patch",
      next: "ValidatePatch",
      catchTo: "ReportFailure",
      errorPath: "$.error",
      // A refusal of the issue's change is the author's business: ValidatePatch comments it.
      catchFirst: [
        {
          ErrorEquals: [...PATCH_REFUSAL_ERRORS],
          Next: "ValidatePatch",
          ResultPath: "$.patchRefusal",
        },
      ],
    }),
    ValidatePatch: task(
      "Check the commit against protected paths and size limits",
      arns.patchGenerator,
      "validate",
      "$.validation",
      "CheckPatchValid",
    ),
    CheckPatchValid: choice(
      "Open a pull request only for a valid patch",
      [{ Variable: "$.validation.valid", BooleanEquals: true, Next: "CreatePullRequest" }],
      "PatchRejected",
    ),
    PatchRejected: { Type: "Succeed", Comment: "ValidatePatch already commented the violations" },
    CreatePullRequest: task(
      "Point afu9/issue-<n> at the commit and open (or reuse) the pull request",
      arns.prCreator,
      "createPullRequest",
      "$.pr",
      "CheckDryRun",
    ),
    CheckDryRun: choice(
      "A dry run opened no pull request: there is no CI to wait for",
      [{ Variable: "$.pr.dryRun", IsPresent: true, Next: "DryRun" }],
      "StartCIWait",
    ),
    DryRun: {
      Type: "Succeed",
      Comment: "Dry run: CreatePullRequest commented what it would do; nothing was written",
    },
    StartCIWait: pass({
      Comment: "Reset the CI poll counter",
      Result: { polls: 0 },
      ResultPath: "$.ciWait",
      Next: "WaitForCI",
    }),
    WaitForCI: wait(settings.ciPollSeconds, "ProcessCIFeedback"),
    ProcessCIFeedback: task(
      "Evaluate check runs and commit statuses of the pull request head",
      arns.ciFeedback,
      "evaluate",
      "$.ci",
      "CheckCIStatus",
    ),
    CheckCIStatus: choice(
      `Route on the CI outcome; pending loops at most ${maxPolls} times before PostTimeout`,
      [
        // A missing outcome would make the string rules below fail the run without a comment.
        { Not: { Variable: "$.ci.outcome", IsPresent: true }, Next: "UnknownCIOutcome" },
        { ...ciOutcomeIs("success"), Next: "AutoMerge" },
        { ...ciOutcomeIs("failure"), Next: "PostFeedback" },
        { Or: [ciOutcomeIs("timeout"), ciOutcomeIs("no-ci")], Next: "PostTimeout" },
        // The ASL bounds the loop itself, whatever the handler's wall clock says.
        { And: [ciOutcomeIs("pending"), pollBoundReached(maxPolls)], Next: "PostTimeout" },
        { ...ciOutcomeIs("pending"), Next: "CountCIPoll" },
      ],
      "UnknownCIOutcome",
    ),
    CountCIPoll: pass({
      Comment: "Count one more CI poll",
      Parameters: { "polls.$": "States.MathAdd($.ciWait.polls, 1)" },
      ResultPath: "$.ciWait",
      Next: "WaitForCI",
    }),
    UnknownCIOutcome: pass({
      Comment: "An unknown CI outcome is an error: describe it at $.error for ReportFailure",
      Parameters: {
        Error: UNKNOWN_CI_OUTCOME_ERROR,
        "Cause.$":
          "States.Format('ProcessCIFeedback returned no known CI outcome: {}', States.JsonToString($.ci))",
      },
      ResultPath: "$.error",
      Next: "ReportFailure",
    }),
    AutoMerge: task(
      "Merge pinned to the evaluated head SHA (or dry-run / disabled / not mergeable)",
      arns.ciFeedback,
      "merge",
      "$.merge",
      "CheckMergeResult",
    ),
    CheckMergeResult: choice(
      "A moved head means CI must be evaluated again (counted against the same poll bound)",
      [
        {
          And: [
            { Variable: "$.merge.outcome", StringEquals: "head-moved" },
            pollBoundReached(maxPolls),
          ],
          Next: "PostTimeout",
        },
        { Variable: "$.merge.outcome", StringEquals: "head-moved", Next: "CountCIPoll" },
      ],
      "Merged",
    ),
    Merged: {
      Type: "Succeed",
      Comment: "Merged, dry-run, disabled or not mergeable: AutoMerge already commented",
    },
    PostFeedback: task(
      "Comment the failing checks on the pull request",
      arns.ciFeedback,
      "postFeedback",
      null,
      "CIFailed",
    ),
    CIFailed: { Type: "Succeed", Comment: "CI failed; the feedback comment is posted" },
    PostTimeout: task(
      "Comment that CI did not finish (or never started) in time",
      arns.ciFeedback,
      "postTimeout",
      null,
      "CITimedOut",
    ),
    CITimedOut: { Type: "Succeed", Comment: "CI timed out; the timeout comment is posted" },
    ReportFailure: lambdaTask({
      comment: "Comment the unrecoverable error ($.error) on the issue",
      functionArn: arns.ciFeedback,
      action: "reportFailure",
      resultPath: null,
      next: "Failed",
      // Nowhere left to report to: fail, keeping the original $.error beside the report's error.
      catchTo: "Failed",
      errorPath: "$.reportFailureError",
    }),
    Failed: {
      Type: "Fail",
      Comment: "An unrecoverable error; ReportFailure commented it on the issue when it could",
      Error: WORKFLOW_FAILED_ERROR,
      Cause:
        "A workflow step failed: the input of ReportFailure in the execution history holds $.error",
    },
  };

  return {
    Comment: "AFU-9 CodeFactory: GitHub issue in, merged pull request out",
    StartAt: "AnalyzeIssue",
    TimeoutSeconds: executionTimeoutSeconds(settings),
    States: states,
  };
}

function pass(state: Omit<PassState, "Type">): PassState {
  return { Type: "Pass", ...state };
}

function wait(seconds: number, next: WorkflowStateName): WaitState {
  return {
    Type: "Wait",
    Comment: "Give CI time before the next evaluation",
    Seconds: seconds,
    Next: next,
  };
}
