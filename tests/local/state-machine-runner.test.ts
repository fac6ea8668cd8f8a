// The real definition executed by the real ASL interpreter (aws-local-stepfunctions). The task
// functions are in-test fakes standing in for the Lambdas: what is under test is the ASL (routing,
// Retry, Catch, the poll bound) and the runner (task mapping, Wait scaling, the visit record).
import { buildStateMachineDefinition, type WorkflowSettings } from "../../workflow";
import {
  createStateMachineRunner,
  type ProgressUpdate,
  type StateMachineRunnerOptions,
  type TaskFunction,
} from "../../local/state-machine-runner";
import type { CiEvaluation, CiOutcome, ExecutionInput, MergeResult } from "../../contract/state";
import type { TaskAction, TaskEvent } from "../../contract/task-actions";
import { startLocalRunTable, type LocalRunTable } from "../../local/factory/local-run-table";
import { ARNS, settings, PATH_TO_FIRST_CI_CHECK, pipelineStates } from "../workflow/fixtures";
import { issueTextSha256 } from "../../handlers/shared/issue-text";

// 60 s polls, 180 s bound: maxPolls = 3. The poll loop (events mode: tests/e2e).
const SETTINGS: WorkflowSettings = settings({
  ciPollSeconds: 60,
  ciMaxWaitSeconds: 180,
  ciWaitMode: "poll",
  runLock: { tableName: "afu9-local-runs", stateMachineArn: settings().runLock.stateMachineArn },
});
const definition = buildStateMachineDefinition(SETTINGS);

const INPUT: ExecutionInput = {
  delivery: {
    id: "d-1",
    event: "issues",
    action: "opened",
    receivedAt: 1_790_000_000,
    fingerprint: "f".repeat(64),
  },
  installationId: 42,
  repository: { id: 7, owner: "acme", name: "widgets", defaultBranch: "main" },
  issue: {
    number: 12,
    title: "Fix typo in README",
    textSha256: issueTextSha256(
      "Fix typo in README",
      "```diff\n--- a/README.md\n+++ b/README.md\n```",
    ),
    user: "alice",
    authorAssociation: "MEMBER",
    labels: ["afu9"],
  },
  sender: { login: "alice", id: 1 },
  settings: {
    dryRun: false,
    ciPollSeconds: 60,
    ciMaxWaitSeconds: 180,
    ciNoChecksGraceSeconds: 120,
  },
};

const UP_TO_CI = PATH_TO_FIRST_CI_CHECK;
const POLL_AGAIN = ["CountCIPoll", "WaitForCI", "ProcessCIFeedback", "CheckCIStatus"];
const MERGE = ["AutoMerge", "CheckMergeResult", "Merged"];

function evaluation(outcome: string): CiEvaluation {
  return {
    outcome: outcome as CiOutcome,
    headSha: "c0ffee",
    headIsPatchCommit: true,
    failures: outcome === "failure" ? [{ kind: "check", name: "test", conclusion: "failure" }] : [],
    pendingChecks: outcome === "pending" ? ["test"] : [],
  };
}

/** The `/afu9` command actions: runs started by commands only (tests/e2e/pr-commands.test.ts). */
type CommandAction =
  "readPullRequest" | "answerCommand" | "stopRun" | "answerCommandBusy" | "revise";
type FakeAction = Exclude<TaskAction, "awaitCi" | CommandAction>;

/** Fake task functions with happy defaults; `script` overrides actions; every call is recorded. */
function fakeTasks(script: Partial<Record<FakeAction, TaskFunction>> = {}) {
  const calls: TaskEvent[] = [];
  // awaitCi is WaitForCI's action in events mode only.
  const defaults: Record<FakeAction, TaskFunction> = {
    analyze: async () => ({
      type: "docs",
      priority: "P3",
      actionable: true,
      reasons: ["trusted author, unified diff"],
      plan: { strategy: "unified-diff", files: ["README.md"] },
      config: null,
    }),
    generate: async () => ({
      commitSha: "c0ffee",
      baseSha: "ba5e",
      strategy: "unified-diff",
      files: [],
    }),
    validate: async () => ({ valid: true, violations: [] }),
    repair: async () => ({
      outcome: "stopped",
      rounds: [],
      stop: "rounds-used-up",
      usage: { calls: 0, inputTokens: 0, outputTokens: 0 },
      budget: { maxCalls: 0, maxTokens: 0 },
    }),
    createPullRequest: async () => ({
      number: 13,
      url: "https://github.com/acme/widgets/pull/13",
      branch: "afu9/issue-12",
      headSha: "c0ffee",
      created: true,
      openedAt: "2026-01-01T00:00:00.000Z",
    }),
    evaluate: async () => evaluation("success"),
    merge: async (): Promise<MergeResult> => ({ outcome: "merged", sha: "merged-sha" }),
    postFeedback: async () => ({ commented: true }),
    postTimeout: async () => ({ commented: true }),
    reportFailure: async () => ({ commented: true }),
  };
  const tasks: Record<string, TaskFunction> = {};
  for (const action of Object.keys(defaults) as FakeAction[]) {
    tasks[action] = async (event) => {
      calls.push(event);
      return (script[action] ?? defaults[action])(event);
    };
  }
  for (const action of [
    "readPullRequest",
    "answerCommand",
    "stopRun",
    "answerCommandBusy",
    "revise",
  ] satisfies CommandAction[]) {
    tasks[action] = async (event) => {
      calls.push(event);
      throw new Error(`no run of these tests is started by a command (${action})`);
    };
  }
  const actions = () => calls.map((c) => c.action);
  return { tasks, calls, actions };
}

/** Returns the given results in turn, repeating the last one. */
function sequence<T>(...results: T[]): () => Promise<T> {
  let i = 0;
  return async () => results[Math.min(i++, results.length - 1)];
}

/** Throws an error of this name `times` times, then answers like `then` (or echoes the action). */
function failingWith(
  name: string,
  message = `${name} from the fake`,
  times = Infinity,
  then?: TaskFunction,
) {
  let failures = 0;
  return async (event: TaskEvent) => {
    if (failures++ < times) throw Object.assign(new Error(message), { name });
    return then ? then(event) : { recovered: event.action };
  };
}

// The run lock's DynamoDB states run against a real (local) table.
let table: LocalRunTable;
beforeAll(async () => {
  table = await startLocalRunTable();
});
afterAll(async () => {
  await table?.close();
});

/** The DynamoDB states on the local table; no follow-up run is expected in these tests. */
function integrations() {
  return {
    ...table.integrations,
    "arn:aws:states:::states:startExecution": async () => {
      throw new Error("no follow-up run is expected in these tests");
    },
  };
}

/** The run's output without the run lock's bookkeeping ($.runEnd). */
function pipelineOutput(output: unknown): unknown {
  const rest = { ...((output ?? {}) as Record<string, unknown>) };
  delete rest.runEnd;
  return rest;
}

function run(tasks: Record<string, TaskFunction>, extra: Partial<StateMachineRunnerOptions> = {}) {
  const runner = createStateMachineRunner({
    definition,
    tasks,
    serviceIntegrations: integrations(),
    waitScale: 0,
    retryDelayMs: 0,
    ...extra,
  });
  return runner.run(INPUT);
}

const names = (report: { visits: { name: string }[] }) =>
  pipelineStates(report.visits.map((v) => v.name));

describe("state machine runner: the workflow's paths on the real ASL interpreter", () => {
  it("success: analyses, patches, opens the PR, waits for CI, merges", async () => {
    const fake = fakeTasks();
    const report = await run(fake.tasks);
    expect(report.status).toBe("SUCCEEDED");
    expect(names(report)).toEqual([...UP_TO_CI, ...MERGE]);
    expect(fake.actions()).toEqual([
      "analyze",
      "generate",
      "validate",
      "createPullRequest",
      "evaluate",
      "merge",
    ]);
    // Each task sees the state so far: the ResultPaths of the spec at work.
    const merge = fake.calls[5];
    expect(merge).toEqual({
      action: "merge",
      state: expect.objectContaining({
        issue: INPUT.issue,
        analysis: expect.objectContaining({ actionable: true }),
        patch: expect.objectContaining({ commitSha: "c0ffee" }),
        validation: { valid: true, violations: [] },
        pr: expect.objectContaining({ number: 13 }),
        ciWait: { polls: 0 },
        ci: evaluation("success"),
      }),
    });
    expect(pipelineOutput(report.output)).toEqual({
      ...merge.state,
      merge: { outcome: "merged", sha: "merged-sha" },
    });
    expect(report.error).toBeUndefined();
  });

  it("CI failure: posts feedback and ends in CIFailed, the comment's result not stored", async () => {
    const fake = fakeTasks({ evaluate: sequence(evaluation("failure")) });
    const report = await run(fake.tasks);
    expect(report.status).toBe("SUCCEEDED");
    expect(names(report)).toEqual([...UP_TO_CI, "PostFeedback", "CIFailed"]);
    expect(fake.calls.at(-1)?.state.ci?.failures).toEqual([
      { kind: "check", name: "test", conclusion: "failure" },
    ]);
    expect(report.output).not.toHaveProperty("commented");
    expect(pipelineOutput(report.output)).toEqual(fake.calls.at(-1)?.state);
  });

  it("pending twice, then success: loops through CountCIPoll and merges", async () => {
    const fake = fakeTasks({
      evaluate: sequence(evaluation("pending"), evaluation("pending"), evaluation("success")),
    });
    const report = await run(fake.tasks);
    expect(names(report)).toEqual([...UP_TO_CI, ...POLL_AGAIN, ...POLL_AGAIN, ...MERGE]);
    expect(fake.actions().filter((a) => a === "evaluate")).toHaveLength(3);
    expect(report.output).toMatchObject({ ciWait: { polls: 2 }, merge: { outcome: "merged" } });
  });

  it("pending forever: the ASL's poll bound ends the loop in PostTimeout -> CITimedOut", async () => {
    const fake = fakeTasks({ evaluate: sequence(evaluation("pending")) });
    const report = await run(fake.tasks);
    expect(report.status).toBe("SUCCEEDED");
    // maxPolls = ceil(180 / 60) = 3 counted polls, so 4 evaluations, then the timeout comment.
    expect(names(report)).toEqual([
      ...UP_TO_CI,
      ...POLL_AGAIN,
      ...POLL_AGAIN,
      ...POLL_AGAIN,
      "PostTimeout",
      "CITimedOut",
    ]);
    expect(fake.actions().filter((a) => a === "evaluate")).toHaveLength(4);
    expect(fake.calls.at(-1)).toMatchObject({
      action: "postTimeout",
      state: { ciWait: { polls: 3 } },
    });
  });

  it("the poll bound follows the settings (600 s / 60 s: 10 counted polls)", async () => {
    const fake = fakeTasks({ evaluate: sequence(evaluation("pending")) });
    const long = buildStateMachineDefinition(settings({ ...SETTINGS, ciMaxWaitSeconds: 600 }));
    const report = await run(fake.tasks, { definition: long });
    expect(names(report).filter((n) => n === "CountCIPoll")).toHaveLength(10);
    expect(names(report).slice(-2)).toEqual(["PostTimeout", "CITimedOut"]);
  });

  it.each(["timeout", "no-ci"])(
    "CI outcome %s from the handler: PostTimeout -> CITimedOut",
    async (outcome) => {
      const fake = fakeTasks({ evaluate: sequence(evaluation(outcome)) });
      const report = await run(fake.tasks);
      expect(names(report)).toEqual([...UP_TO_CI, "PostTimeout", "CITimedOut"]);
    },
  );

  it("not actionable: stops after the analysis, no other task runs", async () => {
    const fake = fakeTasks({
      analyze: async () => ({
        type: "question",
        priority: "P3",
        actionable: false,
        reasons: ["question"],
        plan: null,
        config: null,
      }),
    });
    const report = await run(fake.tasks);
    expect(report.status).toBe("SUCCEEDED");
    expect(names(report)).toEqual(["AnalyzeIssue", "CheckIfActionable", "NotActionable"]);
    expect(fake.actions()).toEqual(["analyze"]);
  });

  it("patch rejected: no pull request is created", async () => {
    const fake = fakeTasks({
      validate: async () => ({
        valid: false,
        violations: [
          { rule: "protected-path", path: ".github/workflows/ci.yml", message: "protected" },
        ],
      }),
    });
    const report = await run(fake.tasks);
    expect(names(report)).toEqual([
      "AnalyzeIssue",
      "CheckIfActionable",
      "GeneratePatch",
      "ValidatePatch",
      "CheckPatchValid",
      "PatchRejected",
    ]);
    expect(fake.actions()).not.toContain("createPullRequest");
  });

  it("a moved head at merge re-evaluates CI, then merges", async () => {
    const fake = fakeTasks({
      merge: sequence<MergeResult>(
        { outcome: "head-moved", reason: "pushed" },
        { outcome: "merged", sha: "m" },
      ),
    });
    const report = await run(fake.tasks);
    expect(names(report)).toEqual([
      ...UP_TO_CI,
      "AutoMerge",
      "CheckMergeResult",
      ...POLL_AGAIN,
      ...MERGE,
    ]);
  });

  it("a head that keeps moving is bounded by the same poll count", async () => {
    const fake = fakeTasks({ merge: sequence<MergeResult>({ outcome: "head-moved" }) });
    const report = await run(fake.tasks);
    expect(names(report).filter((n) => n === "AutoMerge")).toHaveLength(4);
    expect(names(report).slice(-4)).toEqual([
      "AutoMerge",
      "CheckMergeResult",
      "PostTimeout",
      "CITimedOut",
    ]);
  });
});

describe("state machine runner: errors, Retry and Catch", () => {
  it("a task error goes to ReportFailure with $.error, then Failed", async () => {
    const fake = fakeTasks({ generate: failingWith("Error", "no diff in the issue body") });
    const report = await run(fake.tasks);
    expect(report.status).toBe("FAILED");
    expect(report.error).toEqual({
      Error: "AFU9.WorkflowFailed",
      Cause:
        "A workflow step failed: the input of ReportFailure in the execution history holds $.error",
    });
    expect(names(report)).toEqual([
      "AnalyzeIssue",
      "CheckIfActionable",
      "GeneratePatch",
      "ReportFailure",
      "Failed",
    ]);
    // A plain Error is not one of Lambda's transient errors: no retry.
    expect(fake.actions()).toEqual(["analyze", "generate", "reportFailure"]);
    const generate = report.visits.find((v) => v.name === "GeneratePatch")!;
    expect(generate).toMatchObject({ retries: 0, caught: true });
    const reported = fake.calls[2].state.error;
    expect(reported?.Error).toBe("Error");
    // Lambda's error payload, as a real execution's history carries it.
    expect(JSON.parse(reported?.Cause ?? "")).toEqual({
      errorType: "Error",
      errorMessage: "no diff in the issue body",
      trace: expect.arrayContaining([expect.stringContaining("no diff in the issue body")]),
    });
  });

  it("keeps the error name of a custom error for Catch", async () => {
    const fake = fakeTasks({ createPullRequest: failingWith("BranchProtectedError") });
    const report = await run(fake.tasks);
    expect(names(report).slice(-2)).toEqual(["ReportFailure", "Failed"]);
    expect(fake.calls.at(-1)?.state.error?.Error).toBe("BranchProtectedError");
  });

  it("retries Lambda.ServiceException and carries on when the retry succeeds", async () => {
    const analyze = failingWith("Lambda.ServiceException", "Lambda is unavailable", 1);
    const fake = fakeTasks({
      analyze: async (event) => {
        await analyze(event);
        return {
          type: "docs",
          priority: "P3",
          actionable: false,
          reasons: [],
          plan: null,
          config: null,
        };
      },
    });
    const report = await run(fake.tasks);
    expect(report.status).toBe("SUCCEEDED");
    expect(names(report)).toEqual(["AnalyzeIssue", "CheckIfActionable", "NotActionable"]);
    expect(report.visits.find((v) => v.name === "AnalyzeIssue")).toMatchObject({
      retries: 1,
      errors: [{ Error: "Lambda.ServiceException" }],
    });
    expect(report.visits.find((v) => v.name === "AnalyzeIssue")?.caught).toBeUndefined();
    expect(fake.actions()).toEqual(["analyze", "analyze"]);
  });

  it("retries a task GitHub rate-limited (AFU9.GitHubRateLimited) and carries on", async () => {
    const fake = fakeTasks({
      createPullRequest: failingWith("AFU9.GitHubRateLimited", "GitHub rate limit", 2, (event) =>
        fakeTasks().tasks.createPullRequest(event),
      ),
    });
    const report = await run(fake.tasks);
    expect(report.status).toBe("SUCCEEDED");
    expect(report.visits.find((v) => v.name === "CreatePullRequest")).toMatchObject({
      retries: 2,
      errors: [{ Error: "AFU9.GitHubRateLimited" }, { Error: "AFU9.GitHubRateLimited" }],
    });
    expect(fake.actions().filter((a) => a === "createPullRequest")).toHaveLength(3);
  });

  it("gives up after 3 retries of a transient error and reports the failure", async () => {
    const fake = fakeTasks({ evaluate: failingWith("Lambda.TooManyRequestsException") });
    const report = await run(fake.tasks);
    expect(fake.actions().filter((a) => a === "evaluate")).toHaveLength(4);
    expect(names(report).slice(-3)).toEqual(["ProcessCIFeedback", "ReportFailure", "Failed"]);
    expect(report.visits.find((v) => v.name === "ProcessCIFeedback")).toMatchObject({
      retries: 3,
      caught: true,
    });
    expect(fake.calls.at(-1)?.state.error?.Error).toBe("Lambda.TooManyRequestsException");
  });

  it("a failing ReportFailure still ends in Failed", async () => {
    const fake = fakeTasks({
      analyze: failingWith("Error"),
      reportFailure: failingWith("Error", "GitHub down"),
    });
    const report = await run(fake.tasks);
    expect(report.status).toBe("FAILED");
    expect(report.error?.Error).toBe("AFU9.WorkflowFailed");
    expect(names(report)).toEqual(["AnalyzeIssue", "ReportFailure", "Failed"]);
  });

  it("a result without the field a Choice reads fails the run with States.Runtime (no Catch on Choice)", async () => {
    // Step Functions semantics the handlers must respect: Choice states cannot catch, so a task
    // result missing `actionable` ends the execution without a ReportFailure comment.
    const fake = fakeTasks({ analyze: async () => ({ type: "docs" }) });
    const report = await run(fake.tasks);
    expect(report.status).toBe("FAILED");
    expect(report.error?.Error).toBe("States.Runtime");
    expect(names(report)).toEqual(["AnalyzeIssue", "CheckIfActionable"]);
    expect(fake.actions()).toEqual(["analyze"]);
  });

  it.each([
    ["an unknown outcome", { outcome: "green" }, '{"outcome":"green"}'],
    ["no outcome", { headSha: "c0ffee" }, '{"headSha":"c0ffee"}'],
    ["nothing at all", undefined, "null"],
  ])(
    "%s from ProcessCIFeedback is reported as AFU9.UnknownCIOutcome",
    async (_n, result, shown) => {
      const fake = fakeTasks({ evaluate: async () => result });
      const report = await run(fake.tasks);
      expect(names(report).slice(-4)).toEqual([
        "CheckCIStatus",
        "UnknownCIOutcome",
        "ReportFailure",
        "Failed",
      ]);
      expect(fake.calls.at(-1)?.state.error).toEqual({
        Error: "AFU9.UnknownCIOutcome",
        Cause: `ProcessCIFeedback returned no known CI outcome: ${shown}`,
      });
    },
  );
});

describe("state machine runner: mapping, waits, progress", () => {
  it("maps tasks by function ARN to one function per Lambda that dispatches on the action", async () => {
    const fake = fakeTasks();
    const byFunction =
      (...actions: TaskAction[]): TaskFunction =>
      async (event) => {
        if (!actions.includes(event.action)) throw new Error(`unexpected action ${event.action}`);
        return fake.tasks[event.action](event);
      };
    const report = await run({
      [ARNS.issueInterpreter]: byFunction("analyze"),
      [ARNS.patchGenerator]: byFunction("generate", "validate"),
      [ARNS.prCreator]: byFunction("createPullRequest"),
      [ARNS.ciFeedback]: byFunction(
        "evaluate",
        "merge",
        "postFeedback",
        "postTimeout",
        "reportFailure",
      ),
    });
    expect(report.status).toBe("SUCCEEDED");
    expect(names(report)).toEqual([...UP_TO_CI, ...MERGE]);
  });

  it("an action key wins over the ARN key of the same Lambda", async () => {
    const fake = fakeTasks();
    const { merge, ...others } = fake.tasks;
    void merge;
    const report = await run({
      ...others,
      [ARNS.ciFeedback]: async () => ({ outcome: "disabled" }),
    });
    // Only AutoMerge (no "merge" key) went to the ARN function.
    expect(report.output).toMatchObject({
      ci: { outcome: "success" },
      merge: { outcome: "disabled" },
    });
  });

  it("gives each task its own JSON copy and stores undefined as null, like Lambda", async () => {
    const fake = fakeTasks({
      analyze: async (event) => {
        event.state.issue.title = "changed by the handler";
        return {
          type: "docs",
          priority: "P3",
          actionable: false,
          reasons: [],
          plan: null,
          config: null,
        };
      },
    });
    const noResult = await run(fakeTasks({ evaluate: async () => undefined }).tasks);
    expect(noResult.visits.map((v) => v.name)).toContain("UnknownCIOutcome");
    const report = await run(fake.tasks);
    expect(report.output).toMatchObject({ issue: { title: "Fix typo in README" } });
  });

  it("scales Wait states: 60 s at 0.001 waits about 60 ms", async () => {
    const runner = createStateMachineRunner({
      serviceIntegrations: integrations(),
      definition,
      tasks: fakeTasks({ evaluate: sequence(evaluation("pending"), evaluation("success")) }).tasks,
      waitScale: 0.001,
      retryDelayMs: 0,
    });
    expect(runner.waitOverridesMs).toEqual({ WaitForCI: 60 });
    const report = await runner.run(INPUT);
    const waits = report.visits.filter((v) => v.name === "WaitForCI");
    expect(waits).toHaveLength(2);
    for (const wait of waits) {
      expect(wait.durationMs).toBeGreaterThanOrEqual(55);
      expect(wait.durationMs).toBeLessThan(1000);
    }
    expect(report.durationMs).toBeGreaterThanOrEqual(110);
  });

  it("reports progress live, in order, with timings", async () => {
    const updates: string[] = [];
    const onProgress = (u: ProgressUpdate) => updates.push(`${u.kind}:${u.visit.name}`);
    const happy = fakeTasks().tasks;
    const fake = fakeTasks({
      analyze: failingWith("Lambda.SdkClientException", "reset", 1, happy.analyze),
    });
    const report = await run(fake.tasks, { onProgress });
    expect(updates.slice(2, 8)).toEqual([
      "entered:AnalyzeIssue",
      "failed:AnalyzeIssue",
      "retried:AnalyzeIssue",
      "exited:AnalyzeIssue",
      "entered:CheckIfActionable",
      "exited:CheckIfActionable",
    ]);
    expect(updates.at(-1)).toBe("exited:Merged");
    let previous = 0;
    for (const visit of report.visits) {
      expect(visit.enteredAtMs).toBeGreaterThanOrEqual(previous);
      expect(visit.durationMs).toBeGreaterThanOrEqual(0);
      previous = visit.enteredAtMs;
    }
  });

  it("reports TIMED_OUT when the definition's TimeoutSeconds passes", async () => {
    const runner = createStateMachineRunner({
      serviceIntegrations: integrations(),
      definition: { ...definition, TimeoutSeconds: 1 },
      tasks: fakeTasks().tasks,
      waitScale: 1, // the real 60 s WaitForCI outlasts the 1 s execution timeout
    });
    const report = await runner.run(INPUT);
    expect(report.status).toBe("TIMED_OUT");
    expect(report.error).toEqual({ Error: "States.Timeout", Cause: "execution exceeded 1 s" });
    expect(names(report).at(-1)).toBe("WaitForCI");
  });

  it("aborts a run through an AbortSignal", async () => {
    const controller = new AbortController();
    const runner = createStateMachineRunner({
      serviceIntegrations: integrations(),
      definition,
      tasks: fakeTasks({ evaluate: sequence(evaluation("pending")) }).tasks,
      waitScale: 1, // a real 60 s wait: only the abort ends this run quickly
    });
    const running = runner.run(INPUT, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const report = await running;
    expect(report.status).toBe("ABORTED");
    expect(names(report).at(-1)).toBe("WaitForCI");
    expect(report.durationMs).toBeLessThan(5000);
  });

  it("refuses a definition Task without a local function (nothing may call AWS)", () => {
    const { evaluate, ...others } = fakeTasks().tasks;
    void evaluate;
    expect(() =>
      createStateMachineRunner({ definition, tasks: others, serviceIntegrations: integrations() }),
    ).toThrow(
      `state machine runner: no local function for Task state "ProcessCIFeedback" (action "evaluate", resource ${ARNS.ciFeedback}): add tasks["evaluate"]`,
    );
  });

  it("refuses a task key that matches nothing, and a negative wait scale", () => {
    const tasks = { ...fakeTasks().tasks, analyse: async () => ({}) };
    expect(() =>
      createStateMachineRunner({ definition, tasks, serviceIntegrations: integrations() }),
    ).toThrow(/tasks "analyse" match no Task state's action or Resource/);
    expect(() =>
      createStateMachineRunner({
        definition,
        tasks: fakeTasks().tasks,
        waitScale: -1,
        serviceIntegrations: integrations(),
      }),
    ).toThrow(/waitScale must be a number >= 0/);
  });
});
