// One run per issue, in the ASL itself: Step Functions' direct DynamoDB integration takes the
// issue's lock before anything writes, a delivery for a locked issue is recorded on the lock
// (coalesced) and its execution ends, and every end state passes through the release, which hands
// the lock to exactly one follow-up run when something different arrived meanwhile.
//
// Lock item (pk `issue#<repository id>#<issue number>`): holder (the holding run's delivery id),
// fingerprint (what it acts on), expiresAt (epoch seconds; the table's TTL attribute and the
// takeover condition for a crashed run), startedAt; while deliveries wait: pendingInput (the
// latest waiting execution input, JSON), pendingName (the follow-up execution's name),
// pendingHolder (its delivery id) and pendingFingerprint; while a `/afu9` command waits, the same
// four again as pendingCommandInput, pendingCommandName, pendingCommandHolder and
// pendingCommandFingerprint: a later issue delivery keeps the waiting command (`if_not_exists`),
// so a queued command is never replaced, and a second command finds the slot taken and is
// answered busy (it never replaces the first either).
// Run record item (pk `run#<execution name>`): issue, outcome, details, delivery, times, TTL.
import type {
  CatchRule,
  ChoiceState,
  JsonValue,
  PassState,
  RetryRule,
  TaskState,
} from "./asl-types";

export const DYNAMODB_UPDATE_ITEM = "arn:aws:states:::dynamodb:updateItem";
export const DYNAMODB_PUT_ITEM = "arn:aws:states:::dynamodb:putItem";
export const DYNAMODB_DELETE_ITEM = "arn:aws:states:::dynamodb:deleteItem";
export const START_EXECUTION = "arn:aws:states:::states:startExecution";

/** What Step Functions reports when a DynamoDB condition does not hold. */
export const CONDITION_FAILED = "DynamoDB.ConditionalCheckFailedException";
export const EXECUTION_ALREADY_EXISTS = "StepFunctions.ExecutionAlreadyExistsException";

/** Run records stay 90 days (the same as Step Functions keeps closed executions). */
export const RUN_RECORD_TTL_SECONDS = 90 * 24 * 60 * 60;

/** DynamoDB's transient errors as the integration reports them: retried 1, 2, 4 s. */
export const DYNAMODB_RETRY: RetryRule = {
  ErrorEquals: [
    "DynamoDB.ProvisionedThroughputExceededException",
    "DynamoDB.RequestLimitExceeded",
    "DynamoDB.ThrottlingException",
    "DynamoDB.InternalServerErrorException",
  ],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  MaxDelaySeconds: 10,
  JitterStrategy: "FULL",
};

/** StartExecution of the follow-up run: a retry with the same name cannot start two. */
const START_RETRY: RetryRule = {
  ErrorEquals: ["States.TaskFailed"],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  MaxDelaySeconds: 10,
  JitterStrategy: "FULL",
};

/** The lock's own states at a run's start and end (the pipeline's states are everything else). */
export const RUN_LOCK_STATE_NAMES = [
  "AcquireIssueLock",
  "RouteLockedDelivery",
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
] as const;

/** The end states a run that holds the lock can reach, each with its record details. */
export const RUN_END_STATES = [
  "NotActionable",
  "PatchRejected",
  "DryRun",
  "Merged",
  "CIFailed",
  "CITimedOut",
  "Stopped",
  "RevisionRefused",
  "Failed",
] as const;
export type RunEndState = (typeof RUN_END_STATES)[number];

export interface RunLockSettings {
  tableName: string;
  /** The state machine's own ARN: the follow-up run is an execution of it. */
  stateMachineArn: string;
  /** Seconds after the delivery at which an unreleased lock expires (TTL and takeover). */
  lockTtlSeconds: number;
}

const LOCK_KEY = { pk: { "S.$": "States.Format('issue#{}#{}', $.repository.id, $.issue.number)" } };
const HOLDER = { "S.$": "$.delivery.id" };
const FINGERPRINT = { "S.$": "$.delivery.fingerprint" };
const epochPlus = (seconds: number) => ({
  "N.$": `States.Format('{}', States.MathAdd($.delivery.receivedAt, ${seconds}))`,
});

function retry(rule: RetryRule): RetryRule {
  return { ...rule, ErrorEquals: [...rule.ErrorEquals] };
}

function catchTo(errors: string[], next: string, resultPath: string | null): CatchRule {
  return { ErrorEquals: errors, Next: next, ResultPath: resultPath };
}

function dynamoTask(
  comment: string,
  resource: string,
  parameters: Record<string, JsonValue>,
  next: string,
  catches: CatchRule[],
  extra: Partial<TaskState> = {},
): TaskState {
  return {
    Type: "Task",
    Comment: comment,
    Resource: resource,
    Parameters: parameters,
    ResultPath: null,
    Retry: [retry(DYNAMODB_RETRY)],
    Catch: catches,
    Next: next,
    ...extra,
  };
}

/**
 * The lock states at the start: AcquireIssueLock, then for a locked issue RouteLockedDelivery:
 * CoalesceDelivery (and DeliveryCoalesced) for issue deliveries, CoalesceCommand (and
 * CommandQueued) for `/afu9` commands, `busyState` for a command that finds another delivery
 * already waiting (or the lock gone between the two writes: it is answered, never dropped).
 */
export function runLockEntryStates(
  settings: RunLockSettings,
  firstState: string,
  failureState: string,
  busyState: string,
) {
  const AcquireIssueLock = dynamoTask(
    "Take the issue's run lock before anything writes (free, ours after a hand-off, or expired)",
    DYNAMODB_UPDATE_ITEM,
    {
      TableName: settings.tableName,
      Key: LOCK_KEY,
      UpdateExpression:
        "SET holder = :holder, fingerprint = :fingerprint, expiresAt = :expiresAt, startedAt = :startedAt",
      ConditionExpression: "attribute_not_exists(pk) OR holder = :holder OR expiresAt < :now",
      ExpressionAttributeValues: {
        ":holder": HOLDER,
        ":fingerprint": FINGERPRINT,
        ":expiresAt": epochPlus(settings.lockTtlSeconds),
        ":now": { "N.$": "States.Format('{}', $.delivery.receivedAt)" },
        ":startedAt": { "S.$": "$$.Execution.StartTime" },
      },
    },
    firstState,
    [
      catchTo([CONDITION_FAILED], "RouteLockedDelivery", null),
      catchTo(["States.ALL"], failureState, "$.error"),
    ],
  );
  const RouteLockedDelivery: ChoiceState = {
    Type: "Choice",
    Comment: "The issue is locked: a command queues in its own slot, any other delivery coalesces",
    Choices: [{ Variable: "$.command", IsPresent: true, Next: "CoalesceCommand" }],
    Default: "CoalesceDelivery",
  };
  const CoalesceCommand = dynamoTask(
    "Another run holds the issue: queue this command as the one follow-up run, if none waits yet",
    DYNAMODB_UPDATE_ITEM,
    {
      TableName: settings.tableName,
      Key: LOCK_KEY,
      UpdateExpression:
        "SET pendingInput = :input, pendingName = :name, pendingHolder = :holder, pendingFingerprint = :fingerprint, " +
        "pendingCommandInput = :input, pendingCommandName = :name, pendingCommandHolder = :holder, pendingCommandFingerprint = :fingerprint",
      ConditionExpression:
        "attribute_exists(pk) AND holder <> :holder AND attribute_not_exists(pendingHolder)",
      ExpressionAttributeValues: {
        ":input": { "S.$": "States.JsonToString($)" },
        ":name": { "S.$": "States.Format('{}-f', $$.Execution.Name)" },
        ":holder": HOLDER,
        ":fingerprint": FINGERPRINT,
      },
    },
    "CommandQueued",
    [
      catchTo([CONDITION_FAILED], busyState, null),
      catchTo(["States.ALL"], failureState, "$.error"),
    ],
  );
  const CoalesceDelivery = dynamoTask(
    "Another run holds the issue: record this delivery on its lock for one follow-up run",
    DYNAMODB_UPDATE_ITEM,
    {
      TableName: settings.tableName,
      Key: LOCK_KEY,
      // A waiting command keeps its place: this delivery then leaves the pending slot as it is.
      UpdateExpression:
        "SET pendingInput = if_not_exists(pendingCommandInput, :input), " +
        "pendingName = if_not_exists(pendingCommandName, :name), " +
        "pendingHolder = if_not_exists(pendingCommandHolder, :holder), " +
        "pendingFingerprint = if_not_exists(pendingCommandFingerprint, :fingerprint)",
      // The lock vanished meanwhile (its run ended): take it instead.
      ConditionExpression: "attribute_exists(pk) AND holder <> :holder",
      ExpressionAttributeValues: {
        ":input": { "S.$": "States.JsonToString($)" },
        ":name": { "S.$": "States.Format('{}-f', $$.Execution.Name)" },
        ":holder": HOLDER,
        ":fingerprint": FINGERPRINT,
      },
    },
    "DeliveryCoalesced",
    [
      catchTo([CONDITION_FAILED], "AcquireIssueLock", null),
      catchTo(["States.ALL"], failureState, "$.error"),
    ],
  );
  return {
    AcquireIssueLock,
    RouteLockedDelivery,
    CoalesceDelivery,
    DeliveryCoalesced: {
      Type: "Succeed" as const,
      Comment: "Recorded on the active run's lock; that run starts the follow-up when it ends",
    },
    CoalesceCommand,
    CommandQueued: {
      Type: "Succeed" as const,
      Comment: "The command waits on the active run's lock; that run starts it when it ends",
    },
  };
}

/** What the run record says about each end, from the parts of the state that end has. */
const END_DETAILS: Record<RunEndState, Record<string, JsonValue>> = {
  NotActionable: { type: { "S.$": "$.analysis.type" } },
  PatchRejected: {
    violations: { "N.$": "States.Format('{}', States.ArrayLength($.validation.violations))" },
  },
  DryRun: { commitSha: { "S.$": "$.pr.headSha" } },
  Merged: {
    pullRequest: { "N.$": "States.Format('{}', $.pr.number)" },
    headSha: { "S.$": "$.ci.headSha" },
    merge: { "S.$": "$.merge.outcome" },
  },
  CIFailed: {
    pullRequest: { "N.$": "States.Format('{}', $.pr.number)" },
    headSha: { "S.$": "$.ci.headSha" },
  },
  CITimedOut: {
    pullRequest: { "N.$": "States.Format('{}', $.pr.number)" },
    headSha: { "S.$": "$.ci.headSha" },
  },
  Stopped: {
    pullRequest: { "N.$": "States.Format('{}', $.pr.number)" },
    by: { "S.$": "$.stopped.by" },
  },
  RevisionRefused: {
    pullRequest: { "N.$": "States.Format('{}', $.pr.number)" },
    reason: { "S.$": "$.revision.reason" },
  },
  Failed: { error: { "S.$": "$.error.Error" } },
};

export function endStateName(end: RunEndState): string {
  return `End${end}`;
}

/** `End<State>`: names the end and its record details at $.runEnd, then RecordRun. */
export function runEndPass(end: RunEndState): PassState {
  return {
    Type: "Pass",
    Comment: `The run ends ${end}: record it, release the lock`,
    Parameters: { end, details: END_DETAILS[end] },
    ResultPath: "$.runEnd",
    Next: "RecordRun",
  };
}

/** The shared tail every locked run ends through: record, release or hand off, route. */
export function runLockExitStates(settings: RunLockSettings) {
  const RecordRun = dynamoTask(
    "Write the run record (issue, outcome, pull request, head SHA, times)",
    DYNAMODB_PUT_ITEM,
    {
      TableName: settings.tableName,
      Item: {
        pk: { "S.$": "States.Format('run#{}', $$.Execution.Name)" },
        issue: {
          "S.$": "States.Format('{}/{}#{}', $.repository.owner, $.repository.name, $.issue.number)",
        },
        outcome: { "S.$": "$.runEnd.end" },
        details: { "M.$": "$.runEnd.details" },
        delivery: HOLDER,
        receivedAt: { "N.$": "States.Format('{}', $.delivery.receivedAt)" },
        startedAt: { "S.$": "$$.Execution.StartTime" },
        expiresAt: epochPlus(RUN_RECORD_TTL_SECONDS),
      },
    },
    "ReleaseIssueLock",
    // A record that cannot be written must not keep the lock: release anyway.
    [catchTo(["States.ALL"], "ReleaseIssueLock", "$.runRecordError")],
  );
  const ReleaseIssueLock = dynamoTask(
    "Free the issue: delete our lock unless a different delivery waits on it",
    DYNAMODB_DELETE_ITEM,
    {
      TableName: settings.tableName,
      Key: LOCK_KEY,
      ConditionExpression:
        "holder = :holder AND (attribute_not_exists(pendingHolder) OR pendingFingerprint = :fingerprint)",
      ExpressionAttributeValues: { ":holder": HOLDER, ":fingerprint": FINGERPRINT },
    },
    "RouteRunEnd",
    [
      catchTo([CONDITION_FAILED], "HandOffIssueLock", null),
      // The lock then expires by its TTL; the run's own end stands.
      catchTo(["States.ALL"], "RouteRunEnd", "$.lockReleaseError"),
    ],
  );
  const HandOffIssueLock = dynamoTask(
    "Hand the lock to the waiting delivery (one follow-up run for everything that arrived)",
    DYNAMODB_UPDATE_ITEM,
    {
      TableName: settings.tableName,
      Key: LOCK_KEY,
      UpdateExpression:
        "SET holder = pendingHolder, fingerprint = pendingFingerprint REMOVE pendingInput, pendingName, pendingHolder, pendingFingerprint, " +
        "pendingCommandInput, pendingCommandName, pendingCommandHolder, pendingCommandFingerprint",
      // Not ours any more (it expired and was taken over): nothing to hand off.
      ConditionExpression: "holder = :holder AND attribute_exists(pendingHolder)",
      ExpressionAttributeValues: { ":holder": HOLDER },
      ReturnValues: "ALL_OLD",
    },
    "StartFollowUpRun",
    [catchTo(["States.ALL"], "RouteRunEnd", "$.lockReleaseError")],
    {
      ResultSelector: {
        "name.$": "$.Attributes.pendingName.S",
        "holder.$": "$.Attributes.pendingHolder.S",
        "input.$": "$.Attributes.pendingInput.S",
      },
      ResultPath: "$.followUp",
    },
  );
  const StartFollowUpRun: TaskState = {
    Type: "Task",
    Comment: "Start the follow-up run with the latest waiting delivery (it holds the lock already)",
    Resource: START_EXECUTION,
    Parameters: {
      StateMachineArn: settings.stateMachineArn,
      "Name.$": "$.followUp.name",
      "Input.$": "States.StringToJson($.followUp.input)",
    },
    ResultPath: null,
    Retry: [retry(START_RETRY)],
    Catch: [
      // A retried start whose first attempt went through: the follow-up runs.
      catchTo([EXECUTION_ALREADY_EXISTS], "RouteRunEnd", null),
      catchTo(["States.ALL"], "ReleaseHandedOffLock", "$.followUpError"),
    ],
    Next: "RouteRunEnd",
  };
  const ReleaseHandedOffLock = dynamoTask(
    "The follow-up could not start: free the lock handed to it so the issue is not blocked",
    DYNAMODB_DELETE_ITEM,
    {
      TableName: settings.tableName,
      Key: LOCK_KEY,
      ConditionExpression: "holder = :holder",
      ExpressionAttributeValues: { ":holder": { "S.$": "$.followUp.holder" } },
    },
    "RouteRunEnd",
    [catchTo(["States.ALL"], "RouteRunEnd", "$.lockReleaseError")],
  );
  const RouteRunEnd: ChoiceState = {
    Type: "Choice",
    Comment: "The lock is released (or handed off): end in the state the run reached",
    Choices: RUN_END_STATES.filter((end) => end !== "Failed").map((end) => ({
      Variable: "$.runEnd.end",
      StringEquals: end,
      Next: end,
    })),
    Default: "Failed",
  };
  return {
    RecordRun,
    ReleaseIssueLock,
    HandOffIssueLock,
    StartFollowUpRun,
    ReleaseHandedOffLock,
    RouteRunEnd,
  };
}
