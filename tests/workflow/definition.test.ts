// The state machine document: valid ASL, the exact states and wiring of the workflow spec, and a
// graph walk proving every path ends and the only loop is the counted CI poll loop.
import validateAsl from "asl-validator";
import {
  ISSUE_MAIN_PATH,
  buildStateMachineDefinition,
  validateWorkflowSettings,
  PATCH_REFUSAL_ERRORS,
  WORKFLOW_STATE_NAMES,
  RUN_END_STATES,
  type AslDefinition,
  type AslState,
  type ChoiceCondition,
  type TaskState,
  type WorkflowSettings,
} from "../../workflow";
import { ARNS, settings, PATH_TO_FIRST_CI_CHECK } from "./fixtures";

const TRANSIENT = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
];
const TERMINAL_TYPES = new Set(["Succeed", "Fail"]);

function nextsOfCondition(rule: ChoiceCondition & { Next?: string }): string[] {
  return rule.Next ? [rule.Next] : [];
}

/** Every state a state can transition to (Next, Catch targets, Choice targets and Default). */
function successors(state: AslState): string[] {
  switch (state.Type) {
    case "Task":
      return [state.Next, ...state.Catch.map((c) => c.Next)];
    case "Pass":
    case "Wait":
      return [state.Next];
    case "Choice":
      return [...state.Choices.flatMap(nextsOfCondition), state.Default];
    case "Succeed":
    case "Fail":
      return [];
  }
}

function reachableFrom(
  def: AslDefinition,
  start: string,
  without = new Set<string>(),
): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name) || without.has(name)) continue;
    seen.add(name);
    queue.push(...successors(def.States[name]));
  }
  return seen;
}

/** True when the graph minus `without` has a cycle (depth-first search, grey/black marking). */
function hasCycle(def: AslDefinition, without: Set<string>): boolean {
  const state = new Map<string, "open" | "done">();
  const visit = (name: string): boolean => {
    if (without.has(name)) return false;
    if (state.get(name) === "open") return true;
    if (state.get(name) === "done") return false;
    state.set(name, "open");
    const cyclic = successors(def.States[name]).some(visit);
    state.set(name, "done");
    return cyclic;
  };
  return Object.keys(def.States).some(visit);
}

/** Asserts each consecutive pair is a transition of the definition and the last state is an end. */
function expectPath(def: AslDefinition, path: string[]): void {
  for (let i = 0; i + 1 < path.length; i++) {
    expect({ from: path[i], to: successors(def.States[path[i]]) }).toEqual({
      from: path[i],
      to: expect.arrayContaining([path[i + 1]]),
    });
  }
  expect(TERMINAL_TYPES.has(def.States[path[path.length - 1]].Type)).toBe(true);
}

function taskStates(def: AslDefinition): [string, TaskState][] {
  return Object.entries(def.States).filter((e): e is [string, TaskState] => e[1].Type === "Task");
}

// The structure below is the poll mode's (WaitForCI a Wait state); events mode: its own block.
const definition = buildStateMachineDefinition(settings({ ciWaitMode: "poll" }));
const events = buildStateMachineDefinition(settings());
const UP_TO_PR = PATH_TO_FIRST_CI_CHECK;
/** Every locked run ends through its End<State> pass, the record, the release and the route. */
const release = (end: string) => [`End${end}`, "RecordRun", "ReleaseIssueLock", "RouteRunEnd", end];

function lambdaTasks(def: AslDefinition): [string, TaskState][] {
  return taskStates(def).filter(([, state]) => state.Resource.startsWith("arn:aws:lambda:"));
}

describe("buildStateMachineDefinition: ASL validity", () => {
  it.each([
    ["poll", definition],
    ["events", events],
  ])("passes asl-validator with ARN and path checks on (%s mode)", (_mode, def) => {
    // asl-validator annotates the document it checks, so it gets a copy.
    const result = validateAsl(structuredClone(def), { checkArn: true, checkPaths: true });
    expect(result.errorsText()).toBe("");
    expect(result.isValid).toBe(true);
  });

  it("is rejected by asl-validator when a transition target is missing (the check can fail)", () => {
    const broken = structuredClone(definition) as AslDefinition;
    (broken.States.WaitForCI as { Next: string }).Next = "NoSuchState";
    const result = validateAsl(broken);
    expect(result.isValid).toBe(false);
    expect(result.errorsText()).toMatch(/NoSuchState/);
  });

  it("is plain JSON data and does not share objects between calls or mutate the settings", () => {
    const input = settings();
    const before = structuredClone(input);
    const first = buildStateMachineDefinition(input);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    expect(input).toEqual(before);
    const second = buildStateMachineDefinition(input);
    (second.States.AnalyzeIssue as TaskState).Retry[0].ErrorEquals.push("X");
    expect((first.States.AnalyzeIssue as TaskState).Retry[0].ErrorEquals).toEqual(TRANSIENT);
  });
});

describe("buildStateMachineDefinition: states and graph", () => {
  it("has exactly the workflow's states, starting at AcquireIssueLock", () => {
    expect(definition.StartAt).toBe("AcquireIssueLock");
    expect(Object.keys(definition.States).sort()).toEqual([...WORKFLOW_STATE_NAMES].sort());
    expect(Object.keys(events.States).sort()).toEqual([...WORKFLOW_STATE_NAMES].sort());
    expect(Object.keys(definition.States)).toEqual([
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
      "EndStopped",
      "EndRevisionRefused",
      "EndFailed",
      "RecordRun",
      "ReleaseIssueLock",
      "HandOffIssueLock",
      "StartFollowUpRun",
      "ReleaseHandedOffLock",
      "RouteRunEnd",
      "Failed",
    ]);
  });

  it("ISSUE_MAIN_PATH is a path of the definition from StartAt to Merged", () => {
    expect(ISSUE_MAIN_PATH[0]).toBe(definition.StartAt);
    expectPath(definition, [...ISSUE_MAIN_PATH]);
    expect(definition.States[ISSUE_MAIN_PATH.at(-1)!].Type).toBe("Succeed");
  });

  it("reaches every state from StartAt", () => {
    const reachable = reachableFrom(definition, definition.StartAt);
    const unreachable = Object.keys(definition.States).filter((name) => !reachable.has(name));
    expect(unreachable).toEqual([]);
  });

  it("lets every state reach an end state (Succeed or Fail)", () => {
    const stuck = Object.keys(definition.States).filter(
      (name) =>
        ![...reachableFrom(definition, name)].some((n) =>
          TERMINAL_TYPES.has(definition.States[n].Type),
        ),
    );
    expect(stuck).toEqual([]);
  });

  it.each([
    ["poll", definition],
    ["events", events],
  ])(
    "has two loops (%s mode): the counted CI poll and the lock retry when a lock vanished",
    (_mode, def) => {
      expect(hasCycle(def, new Set(["CountCIPoll"]))).toBe(true);
      expect(hasCycle(def, new Set(["CoalesceDelivery"]))).toBe(true);
      // Without both the graph is acyclic: CountCIPoll's count is bounded by the Choice states;
      // CoalesceDelivery returns to AcquireIssueLock only when the holder released meanwhile.
      expect(hasCycle(def, new Set(["CountCIPoll", "CoalesceDelivery"]))).toBe(false);
    },
  );

  it.each([
    ["success", [...UP_TO_PR, "AutoMerge", "CheckMergeResult", ...release("Merged")]],
    ["CI failure", [...UP_TO_PR, "PostFeedback", ...release("CIFailed")]],
    [
      "pending loop, then success",
      [...UP_TO_PR, "CountCIPoll", "WaitForCI", "ProcessCIFeedback", "CheckCIStatus", "AutoMerge"],
    ],
    ["timeout", [...UP_TO_PR, "PostTimeout", ...release("CITimedOut")]],
    [
      "not actionable",
      ["AcquireIssueLock", "AnalyzeIssue", "CheckIfActionable", ...release("NotActionable")],
    ],
    [
      "a delivery for a locked issue",
      ["AcquireIssueLock", "RouteLockedDelivery", "CoalesceDelivery", "DeliveryCoalesced"],
    ],
    [
      "the lock vanished while coalescing",
      ["AcquireIssueLock", "RouteLockedDelivery", "CoalesceDelivery", "AcquireIssueLock"],
    ],
    [
      "a command for a locked issue queues",
      ["AcquireIssueLock", "RouteLockedDelivery", "CoalesceCommand", "CommandQueued"],
    ],
    [
      "a command that finds a delivery already queued is answered busy",
      ["CoalesceCommand", "AnswerCommandBusy", "CommandBusy"],
    ],
    [
      "a command run: retry or merge",
      [
        "AnalyzeIssue",
        "CheckIfActionable",
        "ReadCommandPullRequest",
        "StartCommandCIWait",
        "RouteCommand",
        "AnswerCommand",
        "CountCIPoll",
        "WaitForCI",
      ],
    ],
    [
      "a command wakes the CI wait: stop",
      [
        "WaitForCI",
        "ProcessCIFeedback",
        "CheckCIStatus",
        "TakeWakeCommand",
        "RouteCommand",
        "StopRun",
        ...release("Stopped"),
      ],
    ],
    [
      "revise pushes a commit and waits for CI",
      ["RouteCommand", "RevisePullRequest", "CheckRevision", "CountCIPoll", "WaitForCI"],
    ],
    ["revise refused", ["RevisePullRequest", "CheckRevision", ...release("RevisionRefused")]],
    [
      "a different delivery waited: hand-off and follow-up",
      [
        "EndMerged",
        "RecordRun",
        "ReleaseIssueLock",
        "HandOffIssueLock",
        "StartFollowUpRun",
        "RouteRunEnd",
        "Merged",
      ],
    ],
    [
      "the follow-up cannot start",
      ["HandOffIssueLock", "StartFollowUpRun", "ReleaseHandedOffLock", "RouteRunEnd", "Failed"],
    ],
    [
      "patch rejected",
      [
        "AnalyzeIssue",
        "CheckIfActionable",
        "GeneratePatch",
        "ValidatePatch",
        "CheckPatchValid",
        ...release("PatchRejected"),
      ],
    ],
    [
      "head moved at merge: evaluate again",
      [...UP_TO_PR, "AutoMerge", "CheckMergeResult", "CountCIPoll", "WaitForCI"],
    ],
    [
      "unknown CI outcome",
      [...UP_TO_PR, "UnknownCIOutcome", "ReportFailure", ...release("Failed")],
    ],
    ["error while analysing", ["AnalyzeIssue", "ReportFailure", ...release("Failed")]],
    ["the lock cannot be taken", ["AcquireIssueLock", "ReportFailure", ...release("Failed")]],
    ["refused change", ["AnalyzeIssue", "CheckIfActionable", "GeneratePatch", "ValidatePatch"]],
  ])("has the %s path", (_name, path) => {
    const last = path[path.length - 1];
    if (TERMINAL_TYPES.has(definition.States[last].Type)) {
      expectPath(definition, path);
    } else {
      expectPath(definition, [...path, ...pathToEnd(definition, last)]);
    }
  });

  it("sends every Lambda Task's errors to ReportFailure at $.error, and ReportFailure's to EndFailed", () => {
    for (const [name, state] of lambdaTasks(definition)) {
      const expected =
        name === "ReportFailure"
          ? { ErrorEquals: ["States.ALL"], Next: "EndFailed", ResultPath: "$.reportFailureError" }
          : { ErrorEquals: ["States.ALL"], Next: "ReportFailure", ResultPath: "$.error" };
      // GeneratePatch first sends refusals of the author's input to ValidatePatch, which names them.
      const refusals =
        name === "GeneratePatch"
          ? [
              {
                ErrorEquals: PATCH_REFUSAL_ERRORS,
                Next: "ValidatePatch",
                ResultPath: "$.patchRefusal",
              },
            ]
          : [];
      expect({ name, Catch: state.Catch }).toEqual({ name, Catch: [...refusals, expected] });
    }
    expect((definition.States.ReportFailure as TaskState).Next).toBe("EndFailed");
    expect(definition.States.Failed).toMatchObject({ Type: "Fail", Error: "AFU9.WorkflowFailed" });
  });

  it("retries exactly Lambda's transient errors on every Lambda Task, with capped, jittered backoff", () => {
    const tasks = lambdaTasks(definition);
    expect(tasks.map(([name]) => name)).toEqual([
      "AnswerCommandBusy",
      "AnalyzeIssue",
      "GeneratePatch",
      "ValidatePatch",
      "CreatePullRequest",
      "DescribeDryRun",
      "ProcessCIFeedback",
      "AutoMerge",
      "RepairPatch",
      "PostFeedback",
      "PostTimeout",
      "ReadCommandPullRequest",
      "AnswerCommand",
      "StopRun",
      "RevisePullRequest",
      "ReportFailure",
    ]);
    for (const [name, state] of tasks) {
      expect({ name, Retry: state.Retry }).toEqual({
        name,
        Retry: [
          {
            ErrorEquals: TRANSIENT,
            IntervalSeconds: 2,
            MaxAttempts: 3,
            BackoffRate: 2,
            MaxDelaySeconds: 30,
            JitterStrategy: "FULL",
          },
          {
            ErrorEquals: ["AFU9.GitHubRateLimited"],
            IntervalSeconds: 60,
            MaxAttempts: 4,
            BackoffRate: 2,
            MaxDelaySeconds: 600,
            JitterStrategy: "FULL",
          },
        ],
      });
    }
  });

  it.each([
    ["AnalyzeIssue", ARNS.issueInterpreter, "analyze", "$.analysis", "CheckIfActionable"],
    ["GeneratePatch", ARNS.patchGenerator, "generate", "$.patch", "ValidatePatch"],
    ["ValidatePatch", ARNS.patchGenerator, "validate", "$.validation", "CheckPatchValid"],
    ["CreatePullRequest", ARNS.prCreator, "createPullRequest", "$.pr", "StartCIWait"],
    ["DescribeDryRun", ARNS.prCreator, "createPullRequest", "$.pr", "EndDryRun"],
    ["ProcessCIFeedback", ARNS.ciFeedback, "evaluate", "$.ci", "CheckCIStatus"],
    ["AutoMerge", ARNS.ciFeedback, "merge", "$.merge", "CheckMergeResult"],
    ["RepairPatch", ARNS.patchGenerator, "repair", "$.repair", "CheckRepairResult"],
    ["PostFeedback", ARNS.ciFeedback, "postFeedback", null, "EndCIFailed"],
    ["PostTimeout", ARNS.ciFeedback, "postTimeout", null, "EndCITimedOut"],
    ["ReportFailure", ARNS.ciFeedback, "reportFailure", null, "EndFailed"],
  ])("%s invokes %s directly with action %s into %s, then %s", (name, arn, action, path, next) => {
    expect(definition.States[name]).toMatchObject({
      Type: "Task",
      Resource: arn,
      Parameters: { action, "state.$": "$" },
      ResultPath: path,
      Next: next,
    });
  });

  it("routes the Choice states exactly as the spec says", () => {
    expect(definition.States.CheckIfActionable).toMatchObject({
      Choices: [
        {
          And: [
            { Not: { Variable: "$.command", IsPresent: true } },
            { Variable: "$.analysis.actionable", BooleanEquals: true },
          ],
          Next: "GeneratePatch",
        },
        { Variable: "$.analysis.actionable", BooleanEquals: true, Next: "ReadCommandPullRequest" },
      ],
      Default: "EndNotActionable",
    });
    const valid = { Variable: "$.validation.valid", BooleanEquals: true };
    expect(definition.States.CheckPatchValid).toMatchObject({
      Choices: [
        {
          And: [valid, { Variable: "$.analysis.dryRun", IsPresent: true }],
          Next: "DescribeDryRun",
        },
        { ...valid, Next: "CreatePullRequest" },
      ],
      Default: "EndPatchRejected",
    });
    const outcome = (value: string) => ({ Variable: "$.ci.outcome", StringEquals: value });
    const bound = { Variable: "$.ciWait.polls", NumericGreaterThanEquals: 60 };
    expect(definition.States.CheckCIStatus).toMatchObject({
      Choices: [
        { Variable: "$.ciWake.command", IsPresent: true, Next: "TakeWakeCommand" },
        { Not: { Variable: "$.ci.outcome", IsPresent: true }, Next: "UnknownCIOutcome" },
        { ...outcome("success"), Next: "AutoMerge" },
        {
          And: [
            outcome("failure"),
            {
              And: [
                { Variable: "$.analysis.repair.maxRounds", IsPresent: true },
                { Variable: "$.ci.headIsPatchCommit", BooleanEquals: true },
              ],
            },
          ],
          Next: "RepairPatch",
        },
        { ...outcome("failure"), Next: "PostFeedback" },
        { Or: [outcome("timeout"), outcome("no-ci")], Next: "PostTimeout" },
        { And: [outcome("pending"), bound], Next: "PostTimeout" },
        { ...outcome("pending"), Next: "CountCIPoll" },
      ],
      Default: "UnknownCIOutcome",
    });
    const backToWait = {
      Or: [
        { Variable: "$.merge.outcome", StringEquals: "head-moved" },
        { Variable: "$.merge.outcome", StringEquals: "waiting" },
      ],
    };
    expect(definition.States.CheckMergeResult).toMatchObject({
      Choices: [
        { And: [backToWait, bound], Next: "PostTimeout" },
        { ...backToWait, Next: "CountCIPoll" },
      ],
      Default: "EndMerged",
    });
    expect(definition.States.CheckRepairResult).toMatchObject({
      Choices: [
        {
          And: [{ Variable: "$.repair.outcome", StringEquals: "pushed" }, bound],
          Next: "PostTimeout",
        },
        { Variable: "$.repair.outcome", StringEquals: "pushed", Next: "CountCIPoll" },
      ],
      Default: "PostFeedback",
    });
    expect(definition.States.RouteCommand).toMatchObject({
      Choices: [
        { Variable: "$.command.name", StringEquals: "stop", Next: "StopRun" },
        { Variable: "$.command.name", StringEquals: "revise", Next: "RevisePullRequest" },
      ],
      Default: "AnswerCommand",
    });
    const pushed = { Variable: "$.revision.outcome", StringEquals: "pushed" };
    expect(definition.States.CheckRevision).toMatchObject({
      Choices: [
        { And: [pushed, bound], Next: "PostTimeout" },
        { ...pushed, Next: "CountCIPoll" },
      ],
      Default: "EndRevisionRefused",
    });
    expect(definition.States.TakeWakeCommand).toEqual({
      Type: "Pass",
      Comment: expect.any(String),
      InputPath: "$.ciWake.command",
      ResultPath: "$.command",
      Next: "RouteCommand",
    });
    expect(definition.States.StartCIWait).toEqual({
      Type: "Pass",
      Comment: expect.any(String),
      Result: { polls: 0 },
      ResultPath: "$.ciWait",
      Next: "WaitForCI",
    });
    expect(definition.States.CountCIPoll).toEqual({
      Type: "Pass",
      Comment: expect.any(String),
      Parameters: { "polls.$": "States.MathAdd($.ciWait.polls, 1)" },
      ResultPath: "$.ciWait",
      Next: "WaitForCI",
    });
  });
});

/** Shortest path (breadth-first) from `start` to any end state, excluding `start` itself. */
function pathToEnd(def: AslDefinition, start: string): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (TERMINAL_TYPES.has(def.States[name].Type)) {
      const path = [];
      for (let at = name; at !== start; at = previous.get(at) as string) path.unshift(at);
      return path;
    }
    for (const next of successors(def.States[name])) {
      if (!seen.has(next)) {
        seen.add(next);
        previous.set(next, name);
        queue.push(next);
      }
    }
  }
  throw new Error(`no end state reachable from ${start}`);
}

describe("buildStateMachineDefinition: values derived from the settings", () => {
  it.each([
    // [ciPollSeconds, ciMaxWaitSeconds, maxPolls, TimeoutSeconds = (maxPolls+1)*(poll+60) + 7200]
    [60, 3600, 60, 61 * 120 + 7200],
    [60, 600, 10, 11 * 120 + 7200],
    [45, 100, 3, 4 * 105 + 7200],
    [30, 30, 1, 2 * 90 + 7200],
  ])("poll %i s, max wait %i s: maxPolls %i, TimeoutSeconds %i", (poll, max, polls, timeout) => {
    const def = buildStateMachineDefinition(
      settings({ ciPollSeconds: poll, ciMaxWaitSeconds: max, ciWaitMode: "poll" }),
    );
    expect(def.States.WaitForCI).toEqual({
      Type: "Wait",
      Comment: expect.any(String),
      Seconds: poll,
      Next: "ProcessCIFeedback",
    });
    const bounds = JSON.stringify(def).match(/"NumericGreaterThanEquals":\d+/g);
    // CheckCIStatus, CheckMergeResult, CheckRepairResult and CheckRevision: one bound.
    expect(bounds).toEqual(Array(4).fill(`"NumericGreaterThanEquals":${polls}`));
    expect(def.TimeoutSeconds).toBe(timeout);
  });
});

describe("validateWorkflowSettings", () => {
  const bad = (patch: object): WorkflowSettings =>
    ({ ...settings({ ciWaitMode: "poll" }), ...patch }) as WorkflowSettings;

  it("accepts the stack defaults and returns them unchanged", () => {
    const good = settings();
    expect(validateWorkflowSettings(good)).toBe(good);
  });

  it.each([
    [
      "a function ARN that is not a Lambda function ARN",
      bad({ functionArns: { ...ARNS, prCreator: "arn:aws:s3:::bucket" } }),
      /functionArns\.prCreator must be a Lambda function ARN \(arn:aws:lambda:<region>:<account-id>:function:<name>\), got "arn:aws:s3:::bucket"/,
    ],
    [
      "a missing function ARN",
      bad({ functionArns: { ...ARNS, ciFeedback: undefined } }),
      /functionArns\.ciFeedback must be a Lambda function ARN .*got undefined/,
    ],
    [
      "no functionArns",
      bad({ functionArns: undefined }),
      /functionArns must be an object with issueInterpreter/,
    ],
    [
      "a fractional poll interval",
      bad({ ciPollSeconds: 1.5 }),
      /ciPollSeconds must be a whole number of seconds >= 1, got 1.5/,
    ],
    [
      "a zero poll interval",
      bad({ ciPollSeconds: 0 }),
      /ciPollSeconds must be a whole number of seconds >= 1, got 0/,
    ],
    [
      "a string max wait",
      bad({ ciMaxWaitSeconds: "600" }),
      /ciMaxWaitSeconds must be a whole number of seconds >= 1, got "600"/,
    ],
    [
      "a max wait shorter than one poll",
      bad({ ciPollSeconds: 60, ciMaxWaitSeconds: 30 }),
      /ciMaxWaitSeconds \(30\) must be at least ciPollSeconds \(60\)/,
    ],
    [
      "more polls than the execution history holds",
      bad({ ciPollSeconds: 1, ciMaxWaitSeconds: 2001 }),
      /needs 2001 CI polls; at most 2000 fit Step Functions' 25,000-event execution history: raise ciPollSeconds/,
    ],
    [
      "an execution longer than a year",
      bad({ ciPollSeconds: 20000, ciMaxWaitSeconds: 20000 * 1600 }),
      /above Step Functions' one-year limit: lower ciMaxWaitSeconds/,
    ],
  ])("rejects %s, naming the field", (_name, input, message) => {
    expect(() => buildStateMachineDefinition(input)).toThrow(message);
    expect(() => validateWorkflowSettings(input)).toThrow(/^workflow settings: /);
  });

  it("accepts ARNs of other partitions and qualified (alias) ARNs", () => {
    const arns = {
      issueInterpreter: "arn:aws-cn:lambda:cn-north-1:123456789012:function:afu9-interpreter",
      patchGenerator: "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:afu9_patch",
      prCreator: "arn:aws:lambda:us-east-1:123456789012:function:afu9-pr:live",
      ciFeedback: "arn:aws:lambda:ap-southeast-2:123456789012:function:afu9-ci:7",
    };
    expect(() => buildStateMachineDefinition(settings({ functionArns: arns }))).not.toThrow();
  });
});

describe("buildStateMachineDefinition: events mode and the run lock", () => {
  it("WaitForCI is a .waitForTaskToken Task with the fallback timeout; on States.Timeout it counts a poll and waits (reading CI) again", () => {
    const def = buildStateMachineDefinition(settings({ ciFallbackSeconds: 240 }));
    expect(def.States.WaitForCI).toEqual({
      Type: "Task",
      Comment: expect.any(String),
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: {
        FunctionName: ARNS.ciFeedback,
        Payload: {
          action: "awaitCi",
          "state.$": "$",
          "taskToken.$": "$$.Task.Token",
          maxPolls: Math.ceil(3600 / 240) + 200,
        },
      },
      TimeoutSeconds: 240,
      ResultPath: "$.ciWake",
      Retry: (def.States.ProcessCIFeedback as TaskState).Retry,
      Catch: [
        { ErrorEquals: ["States.Timeout"], Next: "CountCIPoll", ResultPath: "$.ciWake" },
        { ErrorEquals: ["States.ALL"], Next: "ReportFailure", ResultPath: "$.error" },
      ],
      Next: "ProcessCIFeedback",
    });
  });

  it.each([
    // [fallback, max wait, maxPolls = ceil(max/fallback) + 200 wakes, TimeoutSeconds]
    [300, 3600, 12 + 200, 13 * 360 + 200 * 60 + 7200],
    [300, 1800, 6 + 200, 7 * 360 + 200 * 60 + 7200],
    [60, 600, 10 + 200, 11 * 120 + 200 * 60 + 7200],
  ])(
    "fallback %i s, max wait %i s: bound %i, TimeoutSeconds %i, lock TTL twice that + 600",
    (fallback, max, polls, timeout) => {
      const def = buildStateMachineDefinition(
        settings({ ciFallbackSeconds: fallback, ciMaxWaitSeconds: max }),
      );
      const bounds = JSON.stringify(def).match(/"NumericGreaterThanEquals":\d+/g);
      expect(bounds).toEqual(Array(4).fill(`"NumericGreaterThanEquals":${polls}`));
      expect(def.TimeoutSeconds).toBe(timeout);
      const lockValues = (def.States.AcquireIssueLock as TaskState).Parameters
        .ExpressionAttributeValues as Record<string, unknown>;
      expect(lockValues[":expiresAt"]).toEqual({
        "N.$": `States.Format('{}', States.MathAdd($.delivery.receivedAt, ${2 * timeout + 600}))`,
      });
    },
  );

  it("takes the issue's lock first: free, already handed to this delivery, or expired", () => {
    expect(events.StartAt).toBe("AcquireIssueLock");
    expect(events.States.AcquireIssueLock).toMatchObject({
      Resource: "arn:aws:states:::dynamodb:updateItem",
      Parameters: {
        TableName: "afu9-dev-runs",
        Key: { pk: { "S.$": "States.Format('issue#{}#{}', $.repository.id, $.issue.number)" } },
        ConditionExpression: "attribute_not_exists(pk) OR holder = :holder OR expiresAt < :now",
      },
      ResultPath: null,
      Catch: [
        {
          ErrorEquals: ["DynamoDB.ConditionalCheckFailedException"],
          Next: "RouteLockedDelivery",
          ResultPath: null,
        },
        { ErrorEquals: ["States.ALL"], Next: "ReportFailure", ResultPath: "$.error" },
      ],
      Next: "AnalyzeIssue",
    });
    expect(events.States.RouteLockedDelivery).toMatchObject({
      Choices: [{ Variable: "$.command", IsPresent: true, Next: "CoalesceCommand" }],
      Default: "CoalesceDelivery",
    });
    expect(events.States.CoalesceDelivery).toMatchObject({
      Parameters: {
        ConditionExpression: "attribute_exists(pk) AND holder <> :holder",
        ExpressionAttributeValues: expect.objectContaining({
          ":input": { "S.$": "States.JsonToString($)" },
          ":name": { "S.$": "States.Format('{}-f', $$.Execution.Name)" },
        }),
      },
      Catch: [
        expect.objectContaining({ Next: "AcquireIssueLock" }),
        expect.objectContaining({ Next: "ReportFailure" }),
      ],
      Next: "DeliveryCoalesced",
    });
    // A waiting command is never replaced: an issue delivery keeps it (if_not_exists), and a
    // second command cannot queue where anything waits (it is answered busy instead).
    expect((events.States.CoalesceDelivery as TaskState).Parameters.UpdateExpression).toBe(
      "SET pendingInput = if_not_exists(pendingCommandInput, :input), " +
        "pendingName = if_not_exists(pendingCommandName, :name), " +
        "pendingHolder = if_not_exists(pendingCommandHolder, :holder), " +
        "pendingFingerprint = if_not_exists(pendingCommandFingerprint, :fingerprint)",
    );
    expect(events.States.CoalesceCommand).toMatchObject({
      Parameters: {
        ConditionExpression:
          "attribute_exists(pk) AND holder <> :holder AND attribute_not_exists(pendingHolder)",
      },
      Catch: [
        { ErrorEquals: ["DynamoDB.ConditionalCheckFailedException"], Next: "AnswerCommandBusy" },
        expect.objectContaining({ Next: "ReportFailure" }),
      ],
      Next: "CommandQueued",
    });
  });

  it("every end state of a locked run passes the release, and the release routes back to it", () => {
    for (const end of RUN_END_STATES) {
      expect(events.States[`End${end}`]).toMatchObject({
        Type: "Pass",
        Parameters: { end },
        ResultPath: "$.runEnd",
        Next: "RecordRun",
      });
      // Nothing reaches the end state itself except the route after the release.
      const into = Object.entries(events.States)
        .filter(([, state]) => successors(state).includes(end))
        .map(([name]) => name);
      expect({ end, into }).toEqual({ end, into: ["RouteRunEnd"] });
    }
    expect(events.States.RecordRun).toMatchObject({ Next: "ReleaseIssueLock" });
    expect(events.States.ReleaseIssueLock).toMatchObject({
      Resource: "arn:aws:states:::dynamodb:deleteItem",
      Parameters: {
        ConditionExpression:
          "holder = :holder AND (attribute_not_exists(pendingHolder) OR pendingFingerprint = :fingerprint)",
      },
      Next: "RouteRunEnd",
    });
    expect(events.States.StartFollowUpRun).toMatchObject({
      Resource: "arn:aws:states:::states:startExecution",
      Parameters: {
        StateMachineArn: "arn:aws:states:eu-central-1:123456789012:stateMachine:afu9-dev",
        "Name.$": "$.followUp.name",
        "Input.$": "States.StringToJson($.followUp.input)",
      },
    });
    expect((events.States.RouteRunEnd as { Default: string }).Default).toBe("Failed");
  });

  it.each([
    [
      "an unknown wait mode",
      { ciWaitMode: "sometimes" },
      /ciWaitMode must be "events" or "poll", got "sometimes"/,
    ],
    [
      "a fallback longer than the max wait",
      { ciFallbackSeconds: 900, ciMaxWaitSeconds: 600 },
      /ciMaxWaitSeconds \(600\) must be at least ciFallbackSeconds \(900\)/,
    ],
    [
      "a table name DynamoDB refuses",
      {
        runLock: {
          tableName: "ab",
          stateMachineArn: "arn:aws:states:eu-central-1:123456789012:stateMachine:x",
        },
      },
      /runLock.tableName must be a DynamoDB table name/,
    ],
    [
      "a state machine ARN that is not one",
      {
        runLock: {
          tableName: "runs",
          stateMachineArn: "arn:aws:lambda:eu-central-1:123456789012:function:x",
        },
      },
      /runLock.stateMachineArn must be a state machine ARN/,
    ],
  ])("rejects %s, naming the field", (_name, patch, message) => {
    expect(() =>
      buildStateMachineDefinition({ ...settings(), ...patch } as WorkflowSettings),
    ).toThrow(message);
  });
});
