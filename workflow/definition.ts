// The AFU-9 state machine as data: a pure builder (settings in, Amazon States Language out), so the
// same document is deployed by Pulumi and executed locally by aws-local-stepfunctions.
// No Pulumi, no I/O: the CodeFactoryWorkflow component resolves the function ARNs and calls this
// in an apply.
import { FACTORY_ERRORS, factoryError } from "../contract/errors";
import type { TaskAction } from "../contract/task-actions";
import type { CiWaitMode } from "../contract/state";
import type {
  AslDefinition,
  AslState,
  CatchRule,
  ChoiceCondition,
  ChoiceRule,
  ChoiceState,
  PassState,
  RetryRule,
  TaskState,
  WaitState,
} from "./asl-types";
import {
  endStateName,
  RUN_END_STATES,
  runEndPass,
  runLockEntryStates,
  runLockExitStates,
  type RunEndState,
} from "./run-lock-states";

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
  /** How WaitForCI waits (default `events`); `poll` is a Wait of ciPollSeconds. */
  ciWaitMode?: CiWaitMode;
  /** `events` mode: WaitForCI's TimeoutSeconds, after which CI is evaluated anyway (default 300). */
  ciFallbackSeconds?: number;
  /** The run table and the state machine's own ARN (the follow-up run is an execution of it). */
  runLock: { tableName: string; stateMachineArn: string };
}

/**
 * Long enough that a CI of up to about 40 minutes meets at most one fallback (each costs 2 state
 * transitions and one ci-feedback invocation), short enough that a lost CI delivery delays a merge
 * by at most 20 minutes.
 */
export const DEFAULT_CI_FALLBACK_SECONDS = 1200;
/**
 * `events` mode: CI events may resume WaitForCI while CI is still pending (one check of many
 * finished); each such wake counts against the loop bound, so the bound allows this many on top
 * of the fallback timeouts.
 */
export const MAX_CI_EVENT_WAKES = 200;

/** Every state of the machine, in the order a successful run meets them, then the side exits. */
export const WORKFLOW_STATE_NAMES = [
  "AcquireIssueLock",
  "RouteLockedDelivery",
  "CoalesceDelivery",
  "DeliveryCoalesced",
  "CoalesceCommand",
  "CommandQueued",
  "AnswerCommandBusy",
  "CommandBusy",
  "AnalyzeIssue",
  "CheckIfActionable",
  "NotActionable",
  "GeneratePatch",
  "ValidatePatch",
  "CheckPatchValid",
  "PatchRejected",
  "CreatePullRequest",
  "DescribeDryRun",
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
  "RepairPatch",
  "CheckRepairResult",
  "PostFeedback",
  "CIFailed",
  "PostTimeout",
  "CITimedOut",
  "ReadCommandPullRequest",
  "StartCommandCIWait",
  "TakeWakeCommand",
  "RouteCommand",
  "AnswerCommand",
  "StopRun",
  "Stopped",
  "RevisePullRequest",
  "CheckRevision",
  "RevisionRefused",
  "ReportFailure",
  "EndNotActionable",
  "EndPatchRejected",
  "EndDryRun",
  "EndMerged",
  "EndCIFailed",
  "EndCITimedOut",
  "EndFailed",
  "EndStopped",
  "EndRevisionRefused",
  "RecordRun",
  "ReleaseIssueLock",
  "HandOffIssueLock",
  "StartFollowUpRun",
  "ReleaseHandedOffLock",
  "RouteRunEnd",
  "Failed",
] as const;

export type WorkflowStateName = (typeof WORKFLOW_STATE_NAMES)[number];

/**
 * The path of an issue whose first CI verdict is green and whose PR is merged: what pictures of
 * the machine draw as its main line (the commands, repairs and failures branch off it).
 */
export const ISSUE_MAIN_PATH: readonly WorkflowStateName[] = [
  "AcquireIssueLock",
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
  "AutoMerge",
  "CheckMergeResult",
  "EndMerged",
  "RecordRun",
  "ReleaseIssueLock",
  "RouteRunEnd",
  "Merged",
];

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
type CiLoopSettings = Pick<
  WorkflowSettings,
  "ciPollSeconds" | "ciMaxWaitSeconds" | "ciWaitMode" | "ciFallbackSeconds"
>;

/** Seconds one WaitForCI waits at most: the poll interval, or the events mode's fallback. */
export function ciWaitSeconds(settings: CiLoopSettings): number {
  return (settings.ciWaitMode ?? "events") === "poll"
    ? settings.ciPollSeconds
    : (settings.ciFallbackSeconds ??
        Math.min(DEFAULT_CI_FALLBACK_SECONDS, settings.ciMaxWaitSeconds));
}

export function maxCiPolls(settings: CiLoopSettings) {
  const timeouts = Math.ceil(settings.ciMaxWaitSeconds / ciWaitSeconds(settings));
  return (settings.ciWaitMode ?? "events") === "poll" ? timeouts : timeouts + MAX_CI_EVENT_WAKES;
}

/**
 * The execution's TimeoutSeconds: every full wait (+ evaluation) the CI bound allows, in events
 * mode each allowed wake's evaluation on top, plus the task margin.
 */
export function executionTimeoutSeconds(settings: CiLoopSettings): number {
  const wait = ciWaitSeconds(settings);
  // timeouts + 1 evaluations happen before the bound forces PostTimeout (see CheckCIStatus).
  const timeouts = Math.ceil(settings.ciMaxWaitSeconds / wait) + 1;
  const wakes = maxCiPolls(settings) + 1 - timeouts;
  return (
    timeouts * (wait + POLL_OVERHEAD_SECONDS) + wakes * POLL_OVERHEAD_SECONDS + TASK_MARGIN_SECONDS
  );
}

/**
 * A lock outlives every run that may hold it. Its expiry counts from the holder's delivery, and a
 * follow-up run's delivery arrived while the previous run was running (at most one execution
 * timeout earlier than the follow-up starts): two execution timeouts plus ten minutes.
 */
export function lockTtlSeconds(settings: CiLoopSettings): number {
  return 2 * executionTimeoutSeconds(settings) + 600;
}

export interface CiTimingProblem {
  field: "ciPollSeconds" | "ciMaxWaitSeconds" | "ciFallbackSeconds";
  message: string;
}

/**
 * What is wrong with the CI timing, every problem at once (the stack config reports them beside
 * its other problems); empty when the definition can be built from it.
 */
export function ciTimingProblems(settings: CiLoopSettings): CiTimingProblem[] {
  const problems: CiTimingProblem[] = [];
  const mode = settings.ciWaitMode ?? "events";
  const fields = ["ciPollSeconds", "ciMaxWaitSeconds"] as const;
  for (const field of [
    ...fields,
    ...(settings.ciFallbackSeconds !== undefined ? (["ciFallbackSeconds"] as const) : []),
  ]) {
    const value: unknown = settings[field];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      problems.push({
        field,
        message: `${field} must be a whole number of seconds >= 1, got ${JSON.stringify(value)}`,
      });
    }
  }
  if (problems.length > 0) return problems;
  // The wait that bounds the loop: the poll interval, or the events mode's fallback.
  const waitKey = mode === "poll" ? "ciPollSeconds" : "ciFallbackSeconds";
  const pollSeconds = ciWaitSeconds(settings);
  const maxWaitSeconds = settings.ciMaxWaitSeconds;
  if (maxWaitSeconds < pollSeconds) {
    return [
      {
        field: "ciMaxWaitSeconds",
        message:
          `ciMaxWaitSeconds (${maxWaitSeconds}) must be at least ${waitKey} (${pollSeconds}): ` +
          `raise ciMaxWaitSeconds or lower ${waitKey}`,
      },
    ];
  }
  const polls = maxCiPolls(settings);
  if (polls > MAX_CI_POLLS) {
    problems.push({
      field: waitKey,
      message:
        `ciMaxWaitSeconds / ${waitKey} = ${maxWaitSeconds} / ${pollSeconds} needs ${polls} CI ` +
        `polls; at most ${MAX_CI_POLLS} fit Step Functions' 25,000-event execution history: ` +
        `raise ${waitKey} or lower ciMaxWaitSeconds`,
    });
  }
  const timeout = executionTimeoutSeconds(settings);
  if (timeout > MAX_EXECUTION_SECONDS) {
    problems.push({
      field: "ciMaxWaitSeconds",
      message:
        `ciMaxWaitSeconds ${maxWaitSeconds} with ${waitKey} ${pollSeconds} gives an execution ` +
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
  const mode = settings.ciWaitMode ?? "events";
  if (mode !== "events" && mode !== "poll") {
    throw settingsError(`ciWaitMode must be "events" or "poll", got ${JSON.stringify(mode)}`);
  }
  const lock: unknown = settings.runLock;
  const table = (lock as { tableName?: unknown } | undefined)?.tableName;
  if (typeof table !== "string" || !/^[A-Za-z0-9_.-]{3,255}$/.test(table)) {
    throw settingsError(
      `runLock.tableName must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -), got ${JSON.stringify(table)}`,
    );
  }
  const ownArn = (lock as { stateMachineArn?: unknown }).stateMachineArn;
  if (
    typeof ownArn !== "string" ||
    !/^arn:aws(-[a-z]+)*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/.test(ownArn)
  ) {
    throw settingsError(
      `runLock.stateMachineArn must be a state machine ARN ` +
        `(arn:aws:states:<region>:<account-id>:stateMachine:<name>), got ${JSON.stringify(ownArn)}`,
    );
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

function repairAllowed() {
  return {
    And: [
      { Variable: "$.analysis.repair.maxRounds", IsPresent: true },
      { Variable: "$.ci.headIsPatchCommit", BooleanEquals: true },
    ],
  };
}

function mergeGoesBackToWait() {
  return {
    Or: [
      { Variable: "$.merge.outcome", StringEquals: "head-moved" },
      { Variable: "$.merge.outcome", StringEquals: "waiting" },
    ],
  };
}

function pollBoundReached(maxPolls: number) {
  return { Variable: "$.ciWait.polls", NumericGreaterThanEquals: maxPolls };
}

/**
 * Choice rules of a state whose `rule` sends the run back to the CI wait: through CountCIPoll
 * while the loop bound allows, to PostTimeout once it is reached (the ASL bounds the loop itself,
 * whatever a handler's wall clock says).
 */
function backToCiWait(rule: ChoiceCondition, maxPolls: number): ChoiceRule<WorkflowStateName>[] {
  return [
    { And: [rule, pollBoundReached(maxPolls)], Next: "PostTimeout" },
    { ...rule, Next: "CountCIPoll" },
  ];
}

export function buildStateMachineDefinition(settings: WorkflowSettings): AslDefinition {
  validateWorkflowSettings(settings);
  const arns = settings.functionArns;
  const maxPolls = maxCiPolls(settings);
  const lock = {
    ...settings.runLock,
    lockTtlSeconds: lockTtlSeconds(settings),
  };
  const end = (state: RunEndState) => endStateName(state) as WorkflowStateName;
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
    ...runLockEntryStates(lock, "AnalyzeIssue", "ReportFailure", "AnswerCommandBusy"),
    AnswerCommandBusy: lambdaTask({
      comment: "A command that cannot queue behind the active run: reply why (it holds no lock)",
      functionArn: arns.ciFeedback,
      action: "answerCommandBusy",
      resultPath: null,
      next: "CommandBusy",
      catchTo: "ReportFailure",
      errorPath: "$.error",
    }),
    CommandBusy: {
      Type: "Succeed",
      Comment: "Another delivery already waits on the issue's lock: the command's author was told",
    },

    AnalyzeIssue: task(
      "Classify the issue, load .github/afu9.yml, decide whether AFU-9 acts (a command run: " +
        "the config and whether the PR is still this issue's open factory PR)",
      arns.issueInterpreter,
      "analyze",
      "$.analysis",
      "CheckIfActionable",
    ),
    CheckIfActionable: choice(
      "Act only on issues the interpreter marked actionable; a /afu9 command acts on its PR",
      [
        {
          And: [
            { Not: { Variable: "$.command", IsPresent: true } },
            { Variable: "$.analysis.actionable", BooleanEquals: true },
          ],
          Next: "GeneratePatch",
        },
        { Variable: "$.analysis.actionable", BooleanEquals: true, Next: "ReadCommandPullRequest" },
      ],
      end("NotActionable"),
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
      "Open a pull request only for a valid patch; in a dry run only describe it",
      [
        {
          And: [
            { Variable: "$.validation.valid", BooleanEquals: true },
            { Variable: "$.analysis.dryRun", IsPresent: true },
          ],
          Next: "DescribeDryRun",
        },
        { Variable: "$.validation.valid", BooleanEquals: true, Next: "CreatePullRequest" },
      ],
      end("PatchRejected"),
    ),
    PatchRejected: { Type: "Succeed", Comment: "ValidatePatch already commented the violations" },
    CreatePullRequest: task(
      "Point afu9/issue-<n> at the commit and open (or reuse) the pull request",
      arns.prCreator,
      "createPullRequest",
      "$.pr",
      "StartCIWait",
    ),
    DescribeDryRun: task(
      "Dry run: comment on the issue the branch and pull request AFU-9 would create; write nothing",
      arns.prCreator,
      "createPullRequest",
      "$.pr",
      end("DryRun"),
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
    WaitForCI:
      (settings.ciWaitMode ?? "events") === "poll"
        ? wait(settings.ciPollSeconds, "ProcessCIFeedback")
        : awaitCiTask(arns.ciFeedback, ciWaitSeconds(settings), maxPolls),

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
        // A /afu9 command woke the wait: act on it (AnswerCommand then replaces $.ciWake).
        { Variable: "$.ciWake.command", IsPresent: true, Next: "TakeWakeCommand" },
        // A missing outcome would make the string rules below fail the run without a comment.
        { Not: { Variable: "$.ci.outcome", IsPresent: true }, Next: "UnknownCIOutcome" },
        { ...ciOutcomeIs("success"), Next: "AutoMerge" },
        // Red CI on AFU-9's own head is repaired when the analysis allowed it (AI on, rounds > 0).
        { And: [ciOutcomeIs("failure"), repairAllowed()], Next: "RepairPatch" },
        { ...ciOutcomeIs("failure"), Next: "PostFeedback" },
        { Or: [ciOutcomeIs("timeout"), ciOutcomeIs("no-ci")], Next: "PostTimeout" },
        ...backToCiWait(ciOutcomeIs("pending"), maxPolls),
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
      "A moved head means CI must be evaluated again, a merge held back by the review gate waits " +
        "for the next review or CI event (both counted against the same poll bound)",
      [...backToCiWait(mergeGoesBackToWait(), maxPolls)],
      end("Merged"),
    ),
    Merged: {
      Type: "Succeed",
      Comment: "Merged, dry-run, disabled or not mergeable: AutoMerge already commented",
    },
    RepairPatch: task(
      "Red CI: gather its evidence, push one repair commit on the PR branch, or stop with a reason",
      arns.patchGenerator,
      "repair",
      "$.repair",
      "CheckRepairResult",
    ),
    CheckRepairResult: choice(
      "A pushed repair commit goes back to the CI wait (counted against the same poll bound)",
      [...backToCiWait({ Variable: "$.repair.outcome", StringEquals: "pushed" }, maxPolls)],
      "PostFeedback",
    ),
    PostFeedback: task(
      "Comment the failing checks on the pull request",
      arns.ciFeedback,
      "postFeedback",
      null,
      end("CIFailed"),
    ),
    CIFailed: { Type: "Succeed", Comment: "CI failed; the feedback comment is posted" },
    PostTimeout: task(
      "Comment that CI did not finish (or never started) in time",
      arns.ciFeedback,
      "postTimeout",
      null,
      end("CITimedOut"),
    ),
    CITimedOut: { Type: "Succeed", Comment: "CI timed out; the timeout comment is posted" },

    ReadCommandPullRequest: task(
      "The PR the command is about, as CreatePullRequest would have described it",
      arns.ciFeedback,
      "readPullRequest",
      "$.pr",
      "StartCommandCIWait",
    ),
    StartCommandCIWait: pass({
      Comment: "A command run counts its CI polls like an issue run",
      Result: { polls: 0 },
      ResultPath: "$.ciWait",
      Next: "RouteCommand",
    }),
    TakeWakeCommand: {
      Type: "Pass",
      Comment: "The command that woke the wait becomes the run's command",
      InputPath: "$.ciWake.command",
      ResultPath: "$.command",
      Next: "RouteCommand",
    },
    RouteCommand: choice(
      "revise pushes a commit, stop ends the run, retry and merge evaluate CI (help never gets here)",
      [
        { Variable: "$.command.name", StringEquals: "stop", Next: "StopRun" },
        { Variable: "$.command.name", StringEquals: "revise", Next: "RevisePullRequest" },
      ],
      "AnswerCommand",
    ),
    AnswerCommand: task(
      "retry / merge: read CI now and reply; then the CI wait, which resumes at once when CI is " +
        "final (the command counts as one poll)",
      arns.ciFeedback,
      "answerCommand",
      "$.ciWake",
      "CountCIPoll",
    ),
    StopRun: task(
      "stop: label the PR afu9:stopped and reply; the PR stays open",
      arns.ciFeedback,
      "stopRun",
      "$.stopped",
      end("Stopped"),
    ),
    Stopped: { Type: "Succeed", Comment: "Stopped by /afu9 stop; the PR stays open" },
    RevisePullRequest: task(
      "revise: the comment's diff or edit blocks (or the model), validated, one commit on the PR",
      arns.patchGenerator,
      "revise",
      "$.revision",
      "CheckRevision",
    ),
    CheckRevision: choice(
      "A pushed revision goes to the CI wait (counted against the same poll bound)",
      backToCiWait({ Variable: "$.revision.outcome", StringEquals: "pushed" }, maxPolls),
      end("RevisionRefused"),
    ),
    RevisionRefused: {
      Type: "Succeed",
      Comment: "Nothing pushed: RevisePullRequest replied what the revision needs",
    },
    ReportFailure: lambdaTask({
      comment: "Comment the unrecoverable error ($.error) on the issue",
      functionArn: arns.ciFeedback,
      action: "reportFailure",
      resultPath: null,
      next: end("Failed"),
      // Nowhere left to report to: fail, keeping the original $.error beside the report's error.
      catchTo: end("Failed"),
      errorPath: "$.reportFailureError",
    }),
    ...endPasses(),
    ...runLockExitStates(lock),
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
    StartAt: "AcquireIssueLock",
    TimeoutSeconds: executionTimeoutSeconds(settings),
    States: states,
  };
}

function endPasses(): Record<`End${RunEndState}`, PassState> {
  const passes = {} as Record<`End${RunEndState}`, PassState>;
  for (const state of RUN_END_STATES) passes[`End${state}`] = runEndPass(state);
  return passes;
}

/**
 * WaitForCI in `events` mode: the ci-feedback function registers the task token under the pull
 * request's repository and head SHA (the webhook resumes it on CI events) and resumes it at once
 * when CI is already final. On the fallback timeout the run counts one more poll and waits again:
 * that entry reads CI once more and resumes at once when the verdict is final, or when the count
 * reached the loop bound (passed as maxPolls), so CheckCIStatus ends the loop. A lost CI delivery
 * delays a merge by at most one fallback and never loses it; a fallback costs 2 transitions.
 */
function awaitCiTask(ciFeedbackArn: string, fallbackSeconds: number, maxPolls: number): TaskState {
  return {
    Type: "Task",
    Comment: `Wait for a CI event (the webhook resumes this token), at most ${fallbackSeconds} s`,
    Resource: LAMBDA_INVOKE_WAIT_FOR_TOKEN,
    Parameters: {
      FunctionName: ciFeedbackArn,
      Payload: {
        action: "awaitCi",
        "state.$": "$",
        "taskToken.$": "$$.Task.Token",
        maxPolls,
      },
    },
    TimeoutSeconds: fallbackSeconds,
    ResultPath: "$.ciWake",
    Retry: [
      { ...LAMBDA_RETRY, ErrorEquals: [...LAMBDA_RETRY.ErrorEquals] },
      { ...GITHUB_RATE_LIMIT_RETRY, ErrorEquals: [...GITHUB_RATE_LIMIT_RETRY.ErrorEquals] },
    ],
    Catch: [
      { ErrorEquals: ["States.Timeout"], Next: "CountCIPoll", ResultPath: "$.ciWake" },
      catchAll("ReportFailure", "$.error"),
    ],
    Next: "ProcessCIFeedback",
  };
}

export const LAMBDA_INVOKE_WAIT_FOR_TOKEN = "arn:aws:states:::lambda:invoke.waitForTaskToken";

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
