// Cost per issue: the real definition (workflow/) executed by the local runner
// (local/state-machine-runner, aws-local-stepfunctions) with its Wait states on a scaled clock
// (waitScale), and task doubles that answer like the handlers do on the happy path and carry the
// durations stated in TASK_DURATIONS_MS. Counted from the runner's visit record: state transitions
// (states entered, plus retries), Lambda invocations (Task states entered, plus retries) and
// GB-seconds (each invocation's duration rounded up to 1 ms x the function's memory from
// Pulumi.<stack>.yaml), then priced with PRICES.
//
// The time an execution "spends" is simulated, not slept: every task double advances the
// execution's simulated clock by its stated duration, and ProcessCIFeedback's double also by the
// WaitForCI before it (the runner's scaled Wait only makes the run take real time; its progress
// events arrive asynchronously, too late to drive a clock). So the number of CI polls does not
// depend on how busy this machine is; the visit record is checked against that assumption.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { CiWaitMode, WorkflowState } from "../contract/state";
import { TASK_FUNCTION_ACTIONS } from "../contract/functions";
import type { TaskAction, TaskEvent } from "../contract/task-actions";
import { LOCAL_FUNCTION_ARNS, LOCAL_STATE_MACHINE_ARN } from "../local/factory/task-functions";
import {
  LOCAL_RUN_TABLE_NAME,
  startLocalRunTable,
  type LocalRunTable,
} from "../local/factory/local-run-table";
import { createStateMachineRunner, type TaskFunction } from "../local/state-machine-runner";
import { createTaskTokens, type TaskTokens } from "../local/task-tokens";
import { buildStateMachineDefinition, type AslDefinition } from "../workflow";
import { ROOT } from "./function-builds";
import { round } from "./stats";

/**
 * List prices, USD, region us-east-1 (the Step Functions table lists the same $0.0250 for Europe
 * (Ireland) and Europe (Frankfurt), the dev and prod regions). Checked on 2026-11-26 with the
 * search tool in these pages:
 * - "AWS Step Functions Pricing" (aws.amazon.com/step-functions/pricing/): Standard workflows
 *   $0.025 per 1,000 state transitions; "each retry will be charged as an additional state
 *   transition"; free tier 4,000 per month (ignored here).
 * - "AWS Lambda Pricing Breakdown: Ultimate Guide 2024" (cloudchipr.com, us-east-1): Arm
 *   $0.0000133334 per GB-second for the first 7.5 billion GB-s; requests $0.20 per 1M (also in
 *   "lambda-13-cost.md": arm64 $0.0000133334 / GB-s, $0.20 / 1M requests, 1 ms billing).
 * - "AWS Lambda standardizes billing for INIT Phase" (AWS Compute Blog, via vuink.com): from
 *   August 1, 2025 the INIT phase of ZIP functions on managed runtimes is billed like INVOKE.
 * - "Amazon API Gateway pricing" (aws.amazon.com/api-gateway/pricing/) and "API Gateway Pricing"
 *   (learnaws.org): HTTP APIs $1.00 per million requests (first 300 million, us-east-1).
 */
export const PRICES = {
  region: "us-east-1",
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1_000_000,
  httpApiPerRequest: 1.0 / 1_000_000,
  // "Amazon DynamoDB pricing for on-demand capacity" (aws.amazon.com/dynamodb/pricing/on-demand/),
  // us-east-1 after the November 2024 reduction: $0.625 per million write request units, $0.125
  // per million read request units (every item here is under 1 KB: one unit per request).
  dynamoDbPerWrite: 0.625 / 1_000_000,
  dynamoDbPerRead: 0.125 / 1_000_000,
} as const;

/**
 * Stated durations of one invocation on Lambda (ms), what each double "takes". Reasoning: a GitHub
 * REST round trip from AWS is ~100-200 ms; the throttling plugin spaces content-creating writes
 * 1 s apart (3 s for notifying ones such as comments and pull requests) in every deployed function.
 */
export const TASK_DURATIONS_MS: Record<TaskAction, number> = {
  analyze: 2500, // token, config, permission, labels (write), analysis comment (write, spaced)
  generate: 3500, // tree + blob reads, blob/tree/commit writes spaced 1 s
  validate: 800, // compare / tree reads
  repair: 9000, // check runs, annotations, job log, tree + blob reads, model call, commit + ref writes
  createPullRequest: 5000, // ref write, pull request (notifying write, 3 s spacing), label
  evaluate: 600, // check runs + combined status of the head (reads)
  awaitCi: 900, // pull request read, registration (DynamoDB write), then the same reads as evaluate
  merge: 4500, // mergeability read, merge (write), comment (notifying write), branch delete
  postFeedback: 3500,
  postTimeout: 3500,
  reportFailure: 3500,
  // `/afu9` command runs (not part of an issue's normal path; kept for a complete table)
  readPullRequest: 300, // pull request read
  answerCommand: 3500, // CI reads, reply (notifying write)
  stopRun: 4000, // label, reply
  answerCommandBusy: 3500, // reply
  revise: 6000, // comment + tree reads, commit + ref writes, PR body update
};
/** The webhook function per delivery: verify + parse + StartExecution round trip. */
export const WEBHOOK_DURATION_MS = 60;
/**
 * Webhook deliveries per issue (an API Gateway request and a webhook invocation each) when the
 * caller has no count of its own; `npm run bench` passes the count of a real sandbox run
 * (bench/cost-sandbox-check.ts). The App subscribes to issues and issue_comment: issues.opened,
 * the trigger label's and AFU-9's own labels (issues.labeled), its comments
 * (issue_comment.created) and the issue closed by the merge all come back to the webhook.
 */
export const DEFAULT_DELIVERIES_PER_ISSUE = 8;
/** Used when the cold-start part did not run: INIT (require + factory) per cold function, ms. */
export const DEFAULT_INIT_MS = 300;

export const CI_MINUTES = [2, 10, 30] as const;
export const CI_WAIT_MODES: readonly CiWaitMode[] = ["events", "poll"];
/**
 * events mode: CI events per CI run that the webhook looks up in the run table (scripted CI of two
 * checks: check_run completed x 2, check_suite completed, workflow_run completed). Their webhook
 * invocations are in the deliveries per issue (the App subscribes to them in both modes).
 */
export const CI_EVENT_DELIVERIES = 4;
const STACKS = ["dev", "prod"] as const;

const FUNCTION_OF: Record<TaskAction, keyof typeof LOCAL_FUNCTION_ARNS> = {
  analyze: "issueInterpreter",
  generate: "patchGenerator",
  validate: "patchGenerator",
  repair: "patchGenerator",
  createPullRequest: "prCreator",
  evaluate: "ciFeedback",
  awaitCi: "ciFeedback",
  merge: "ciFeedback",
  postFeedback: "ciFeedback",
  postTimeout: "ciFeedback",
  reportFailure: "ciFeedback",
  readPullRequest: "ciFeedback",
  answerCommand: "ciFeedback",
  stopRun: "ciFeedback",
  answerCommandBusy: "ciFeedback",
  revise: "patchGenerator",
};

interface StackSizing {
  stack: string;
  region: string;
  ciPollSeconds: number;
  ciMaxWaitSeconds: number;
  ciFallbackSeconds: number;
  memoryMb: Record<keyof typeof LOCAL_FUNCTION_ARNS | "webhook", number>;
}

function readStack(stack: string): StackSizing {
  const file = join(ROOT, `Pulumi.${stack}.yaml`);
  const config = (parse(readFileSync(file, "utf8")) as { config: Record<string, unknown> }).config;
  const value = (key: string): number => {
    const raw = config[`afu9:${key}`];
    if (typeof raw !== "number") {
      throw new Error(`bench: ${file} has no number afu9:${key}; the cost figures need it`);
    }
    return raw;
  };
  return {
    stack,
    region: String(config["aws:region"]),
    ciPollSeconds: value("ciPollSeconds"),
    ciMaxWaitSeconds: value("ciMaxWaitSeconds"),
    ciFallbackSeconds: value("ciFallbackSeconds"),
    memoryMb: {
      webhook: value("webhookMemoryMb"),
      issueInterpreter: value("issueInterpreterMemoryMb"),
      patchGenerator: value("patchGeneratorMemoryMb"),
      prCreator: value("prCreatorMemoryMb"),
      ciFeedback: value("ciFeedbackMemoryMb"),
    },
  };
}

export interface CostRow {
  stack: string;
  mode: CiWaitMode;
  ciMinutes: number;
  outcome: string;
  ciPolls: number;
  stateTransitions: number;
  taskInvocations: number;
  webhookInvocations: number;
  lambdaInvocations: number;
  /** Run table requests: the lock, the run record, CI wait registrations, webhook lookups. */
  dynamoDbWrites: number;
  dynamoDbReads: number;
  gbSeconds: number;
  /** Of gbSeconds: the INIT phases of the cold functions. */
  initGbSeconds: number;
  usd: {
    stepFunctions: number;
    lambdaRequests: number;
    lambdaDuration: number;
    apiGateway: number;
    dynamoDb: number;
    total: number;
  };
  /** Simulated execution time (waits + stated task durations), minutes. */
  simulatedMinutes: number;
  /** Wall time of the run on the scaled clock, ms. */
  wallMs: number;
}

export interface CostResult {
  prices: typeof PRICES;
  taskDurationsMs: typeof TASK_DURATIONS_MS;
  webhookDurationMs: number;
  deliveriesPerIssue: number;
  deliveriesSource: string;
  initMs: Record<string, number>;
  initSource: string;
  waitScale: number;
  rows: CostRow[];
}

/**
 * Task doubles for one execution, on the happy path, with a CI that passes after `ciMs`. poll:
 * each ProcessCIFeedback follows one WaitForCI of ciPollSeconds. events: WaitForCI's awaitCi
 * resumes its token when CI finishes (the CI event), or lets the fallback timeout fire first.
 */
function doubles(
  ciMs: number,
  sizing: StackSizing,
  clock: { now: number },
  mode: CiWaitMode,
  tokens: TaskTokens,
) {
  const invocations: { action: TaskAction; ms: number }[] = [];
  let openedAt = 0;
  let polls = 0;
  const run =
    (action: TaskAction, answer: (state: WorkflowState) => unknown): TaskFunction =>
    async (event: TaskEvent) => {
      if (event.action !== action) throw new Error(`double for ${action} got ${event.action}`);
      const ms = TASK_DURATIONS_MS[action];
      clock.now += ms;
      invocations.push({ action, ms });
      return answer(event.state);
    };
  const tasks: Record<string, TaskFunction> = {
    analyze: run("analyze", () => ({
      type: "docs",
      priority: "P3",
      actionable: true,
      reasons: ["bench double"],
      plan: { strategy: "unified-diff", files: ["README.md"] },
      config: null,
    })),
    generate: run("generate", () => ({
      commitSha: "c".repeat(40),
      baseSha: "b".repeat(40),
      strategy: "unified-diff",
      files: [{ path: "README.md", change: "modified", additions: 2, deletions: 0 }],
    })),
    validate: run("validate", () => ({ valid: true, violations: [] })),
    // Red CI is not on this happy path; the runner needs a function for every Task state.
    repair: run("repair", () => {
      throw new Error("bench: the happy path never repairs");
    }),
    createPullRequest: run("createPullRequest", () => {
      openedAt = clock.now;
      return {
        number: 7,
        url: "https://github.com/acme/widgets/pull/7",
        branch: "afu9/issue-1",
        headSha: "c".repeat(40),
        created: true,
        openedAt: new Date(openedAt).toISOString(),
      };
    }),
    evaluate: run("evaluate", () => {
      // poll: every ProcessCIFeedback follows exactly one WaitForCI of ciPollSeconds.
      if (mode === "poll") clock.now += sizing.ciPollSeconds * 1000;
      polls += 1;
      const elapsed = clock.now - openedAt;
      // As the handler decides: success once CI is done, timeout past ciMaxWaitSeconds.
      const outcome =
        elapsed >= ciMs
          ? "success"
          : elapsed >= sizing.ciMaxWaitSeconds * 1000
            ? "timeout"
            : "pending";
      return {
        outcome,
        headSha: "c".repeat(40),
        headIsPatchCommit: true,
        failures: [],
        pendingChecks: outcome === "pending" ? ["build"] : [],
      };
    }),
    merge: run("merge", () => ({ outcome: "merged", sha: "d".repeat(40) })),
    awaitCi: async (event: TaskEvent) => {
      clock.now += TASK_DURATIONS_MS.awaitCi;
      invocations.push({ action: "awaitCi", ms: TASK_DURATIONS_MS.awaitCi });
      const ciDoneAt = openedAt + ciMs;
      const fallbackEndsAt = clock.now + sizing.ciFallbackSeconds * 1000;
      // This entry reads CI first: already done (after a fallback) resumes at once.
      if (ciDoneAt <= fallbackEndsAt) {
        // CI finishes within this wait: its event resumes the token.
        clock.now = Math.max(clock.now, ciDoneAt);
        tokens.succeed(String(event.taskToken), { source: "check_suite" });
      } else {
        // No event before the fallback: the task's TimeoutSeconds fires (States.Timeout).
        clock.now = fallbackEndsAt;
      }
      return { registeredHead: "c".repeat(40), resumed: false };
    },
    postFeedback: run("postFeedback", () => ({})),
    postTimeout: run("postTimeout", () => ({})),
    reportFailure: run("reportFailure", () => ({})),
  };
  // The runner needs a function for every Task state; the actions an issue's path never meets
  // (`/afu9` command runs, the lock's busy answer) fail loudly if a scenario reaches them.
  for (const action of Object.values(TASK_FUNCTION_ACTIONS).flat()) {
    tasks[action] ??= run(action, () => {
      throw new Error(`bench: the issue path never runs ${action}`);
    });
  }
  return { tasks, invocations, polls: () => polls };
}

/** Task states whose Resource is a Lambda function (invoked directly or with a task token). */
function isLambdaTask(definition: AslDefinition, name: string): boolean {
  const state = definition.States[name];
  return (
    state?.Type === "Task" &&
    (state.Resource.startsWith("arn:aws:lambda:") ||
      state.Resource === "arn:aws:states:::lambda:invoke.waitForTaskToken")
  );
}

function isDynamoDbTask(definition: AslDefinition, name: string): boolean {
  const state = definition.States[name];
  return state?.Type === "Task" && state.Resource.startsWith("arn:aws:states:::dynamodb:");
}

async function runScenario(
  sizing: StackSizing,
  mode: CiWaitMode,
  ciMinutes: number,
  waitScale: number,
  initMs: Record<string, number>,
  issueDeliveries: number,
  table: LocalRunTable,
): Promise<CostRow> {
  const definition = buildStateMachineDefinition({
    functionArns: LOCAL_FUNCTION_ARNS,
    ciPollSeconds: sizing.ciPollSeconds,
    ciMaxWaitSeconds: sizing.ciMaxWaitSeconds,
    ciWaitMode: mode,
    ciFallbackSeconds: sizing.ciFallbackSeconds,
    runLock: { tableName: LOCAL_RUN_TABLE_NAME, stateMachineArn: LOCAL_STATE_MACHINE_ARN },
  });
  const clock = { now: Date.parse("2026-01-01T00:00:00Z") };
  const started = clock.now;
  const tokens = createTaskTokens();
  const { tasks, invocations, polls } = doubles(ciMinutes * 60_000, sizing, clock, mode, tokens);
  if (mode === "poll") delete tasks.awaitCi;
  const deliveries = issueDeliveries;
  const runner = createStateMachineRunner({
    definition,
    tasks,
    waitScale,
    retryDelayMs: 0,
    taskTokens: tokens,
    serviceIntegrations: {
      ...table.integrations,
      "arn:aws:states:::states:startExecution": async () => {
        throw new Error("bench: no follow-up run is expected");
      },
    },
  });
  const t0 = performance.now();
  const issueNumber = Math.floor(Math.random() * 1e9);
  const report = await runner.run({
    delivery: {
      id: `bench-${issueNumber}`,
      event: "issues",
      action: "labeled",
      label: "afu9",
      receivedAt: Math.floor(Date.now() / 1000),
      fingerprint: "0".repeat(64),
    },
    installationId: 1,
    repository: { id: 1, owner: "acme", name: "widgets", defaultBranch: "main" },
    issue: {
      number: issueNumber,
      title: "Docs: say how to run the tests",
      body: "",
      user: "maintainer",
      authorAssociation: "MEMBER",
      labels: ["afu9"],
    },
    sender: { login: "maintainer", id: 1 },
    settings: {
      dryRun: false,
      ciPollSeconds: sizing.ciPollSeconds,
      ciMaxWaitSeconds: sizing.ciMaxWaitSeconds,
      ciNoChecksGraceSeconds: 300,
    },
  });
  const wallMs = performance.now() - t0;
  const waits = report.visits.filter((v) => v.name === "WaitForCI").length;
  // poll: one evaluation per wait; events: a fallback timeout re-enters WaitForCI without one.
  if (mode === "poll" && waits !== polls()) {
    throw new Error(
      `bench: ${waits} WaitForCI entries but ${polls()} CI evaluations: the definition no longer ` +
        `waits once before each ProcessCIFeedback; update the simulated clock in bench/cost-per-issue.ts`,
    );
  }
  const retries = report.visits.reduce((sum, v) => sum + v.retries, 0);
  const stateTransitions = report.visits.length + retries;
  const taskInvocations =
    report.visits.filter((v) => isLambdaTask(definition, v.name)).length + retries;
  // Each DynamoDB state is one write; in events mode each registration (awaitCi) is one more, and
  // each CI event at the webhook one strongly consistent read.
  const dynamoDbWrites =
    report.visits.filter((v) => isDynamoDbTask(definition, v.name)).length +
    invocations.filter((i) => i.action === "awaitCi").length;
  const dynamoDbReads = mode === "events" ? CI_EVENT_DELIVERIES : 0;
  if (taskInvocations !== invocations.length) {
    throw new Error(
      `bench: ${taskInvocations} Task entries but ${invocations.length} double calls (retries?)`,
    );
  }
  const gb = (fn: keyof StackSizing["memoryMb"]) => sizing.memoryMb[fn] / 1024;
  const invokeGbSeconds =
    invocations.reduce((sum, i) => sum + (Math.ceil(i.ms) / 1000) * gb(FUNCTION_OF[i.action]), 0) +
    deliveries * (Math.ceil(WEBHOOK_DURATION_MS) / 1000) * gb("webhook");
  // INIT billed once per function that ran (each cold once per issue; ci-feedback stays warm
  // between 60 s polls, the others are idle for minutes between issues).
  const used = new Set<keyof StackSizing["memoryMb"]>([
    "webhook",
    ...invocations.map((i) => FUNCTION_OF[i.action]),
  ]);
  const initGbSeconds = [...used].reduce(
    (sum, fn) => sum + (Math.ceil(initMs[fn] ?? DEFAULT_INIT_MS) / 1000) * gb(fn),
    0,
  );
  const gbSeconds = invokeGbSeconds + initGbSeconds;
  const lambdaInvocations = taskInvocations + deliveries;
  const usd = {
    stepFunctions: stateTransitions * PRICES.stepFunctionsPerTransition,
    lambdaRequests: lambdaInvocations * PRICES.lambdaPerRequest,
    lambdaDuration: gbSeconds * PRICES.lambdaArmPerGbSecond,
    apiGateway: deliveries * PRICES.httpApiPerRequest,
    dynamoDb: dynamoDbWrites * PRICES.dynamoDbPerWrite + dynamoDbReads * PRICES.dynamoDbPerRead,
    total: 0,
  };
  usd.total =
    usd.stepFunctions + usd.lambdaRequests + usd.lambdaDuration + usd.apiGateway + usd.dynamoDb;
  const merged = report.visits.some((v) => v.name === "Merged");
  return {
    stack: sizing.stack,
    mode,
    ciMinutes,
    outcome: `${report.status}${merged ? " (Merged)" : ` (${report.visits.at(-1)?.name})`}`,
    ciPolls: polls(),
    stateTransitions,
    taskInvocations,
    webhookInvocations: deliveries,
    lambdaInvocations,
    dynamoDbWrites,
    dynamoDbReads,
    gbSeconds: round(gbSeconds, 3),
    initGbSeconds: round(initGbSeconds, 3),
    usd: {
      stepFunctions: round(usd.stepFunctions, 6),
      lambdaRequests: round(usd.lambdaRequests, 6),
      lambdaDuration: round(usd.lambdaDuration, 6),
      apiGateway: round(usd.apiGateway, 6),
      dynamoDb: round(usd.dynamoDb, 6),
      total: round(usd.total, 6),
    },
    simulatedMinutes: round((clock.now - started) / 60_000, 1),
    wallMs: round(wallMs, 0),
  };
}

/**
 * @param initMs INIT duration per function key (webhook, issueInterpreter, ...), e.g. measured by
 *   the cold-start part; missing keys use DEFAULT_INIT_MS.
 */
export async function runCostBench(
  initMs: Record<string, number> = {},
  initSource = `stated default ${DEFAULT_INIT_MS} ms`,
  deliveries: { count: number; source: string } = {
    count: DEFAULT_DELIVERIES_PER_ISSUE,
    source: "stated default",
  },
  waitScale = 0.0005,
): Promise<CostResult> {
  const rows: CostRow[] = [];
  const table = await startLocalRunTable();
  try {
    for (const stack of STACKS) {
      const sizing = readStack(stack);
      for (const mode of CI_WAIT_MODES) {
        rows.push(
          ...(await Promise.all(
            CI_MINUTES.map((minutes) =>
              runScenario(sizing, mode, minutes, waitScale, initMs, deliveries.count, table),
            ),
          )),
        );
      }
    }
  } finally {
    await table.close();
  }
  return {
    prices: PRICES,
    taskDurationsMs: TASK_DURATIONS_MS,
    webhookDurationMs: WEBHOOK_DURATION_MS,
    deliveriesPerIssue: deliveries.count,
    deliveriesSource: deliveries.source,
    initMs,
    initSource,
    waitScale,
    rows,
  };
}
