// The local factory: the deployed pipeline composed on one machine. An HTTP server turns each
// POST /webhook into the API Gateway event and calls the webhook handler's own processor; its
// StartExecution lands in the local Step Functions, which runs the definition built by workflow/
// on the real ASL interpreter, the Task states calling the real handler modules in process.
import type { SecretBundle } from "../../contract/environment";
import type { GitHubClientFactory, TaskDeps } from "../../handlers/shared/types";
import type { CiWaitMode, FactorySettings } from "../../contract/state";
import { DEFAULT_ISSUE_ACTIONS, DEFAULT_MAX_BODY_BYTES } from "../../handlers/webhook/config";
import { createWebhookProcessor } from "../../handlers/webhook/handle-webhook";
import { buildStateMachineDefinition, type AslDefinition } from "../../workflow";
import { createDashboard, type DashboardSandbox } from "../dashboard/dashboard";
import type { Clock } from "../../handlers/shared/types";
import { startLocalRunTable, type LocalRunTable } from "./local-run-table";
import type { TaskFunction } from "../state-machine-runner";
import { createGitHubWriteLog } from "./github-write-log";
import { startFactoryServer, type JsonRoute } from "./http-server";
import {
  createLocalStepFunctions,
  type LocalExecution,
  type LocalStepFunctions,
} from "./local-step-functions";
import type { FactoryOutput } from "./output";
import { createRunRecords, type RunRecords } from "./run-records";
import { createScaledClock } from "./scaled-clock";
import { LOCAL_RUN_TABLE_NAME } from "./local-run-table";
import {
  LOCAL_FUNCTION_ARNS,
  LOCAL_STATE_MACHINE_ARN,
  createLocalTaskFunctions,
} from "./task-functions";

export interface LocalFactoryOptions {
  /** HTTP port on 127.0.0.1; 0 = any free port. */
  port: number;
  /** Deliveries must be signed with this (or `previousWebhookSecret`). */
  webhookSecret: string;
  previousWebhookSecret?: string;
  /** Installation-scoped GitHub clients (the sandbox simulator or real GitHub). */
  github: GitHubClientFactory;
  /** The execution settings the webhook copies into every run (also build the definition). */
  settings: FactorySettings;
  /**
   * Time compression: Wait states last `timeScale` times their Seconds, the handlers' clock runs
   * 1/timeScale times faster (so their CI timeout and no-CI grace agree with the scaled waits),
   * and their sleeps are scaled alike. 1 = real time.
   */
  timeScale: number;
  /** Pause before each ASL Retry attempt, ms; unset = the definition's backoff in real seconds. */
  retryDelayMs?: number;
  /** How WaitForCI waits (default events) and the events mode's fallback seconds (default 300). */
  ciWait?: { mode: CiWaitMode; fallbackSeconds?: number };
  /** The webhook's clock (tests move it past a lock's expiry); default the system clock. */
  webhookClock?: Pick<Clock, "now">;
  output: FactoryOutput;
  /** Extra JSON routes ("METHOD /path"), e.g. the sandbox's issue filing. */
  routes?: Record<string, JsonRoute>;
  /**
   * Replaces the task functions of an execution (tests that need a misbehaving function, e.g. a
   * version skew returning an unknown CI outcome). Receives the real ones.
   */
  wrapTasks?(tasks: Record<string, TaskFunction>): Record<string, TaskFunction>;
  /** The task functions' environment (e.g. AFU9_AI_CONFIG); default process.env. */
  taskEnv?: Record<string, string | undefined>;
  /** Keep finished runs in <dataDir>/runs (read back on start); unset = memory only. */
  dataDir?: string;
  /** The dashboard's sandbox side (repository view, sample issues); unset in real-GitHub mode. */
  sandbox?: DashboardSandbox;
  /** Real-GitHub mode: the web host the dashboard links issues and PRs to. */
  gitHubWebUrl?: string;
  /** Told when each execution ends, beside the run (the sandbox's notifier; see local-notifier). */
  executionObserver?: ExecutionObserver;
}

export interface ExecutionObserver {
  executionFinished(execution: LocalExecution): void;
}

export interface LocalFactory {
  url: string;
  webhookUrl: string;
  definition: AslDefinition;
  stepFunctions: LocalStepFunctions;
  /** The run table (dynalite): run locks, CI wait registrations, run records. */
  runTable: LocalRunTable;
  executions(): LocalExecution[];
  /** What the dashboard shows: every run with its states and GitHub writes. */
  runs: RunRecords;
  /** Resolves when no execution is running. */
  idle(): Promise<void>;
  /** Webhook deliveries per outcome (the webhook's Deliveries metric). */
  deliveries(): Record<string, number>;
  close(): Promise<void>;
}

export async function createLocalFactory(options: LocalFactoryOptions): Promise<LocalFactory> {
  const { output, settings } = options;
  const ciWaitMode = options.ciWait?.mode ?? "events";
  const definition = buildStateMachineDefinition({
    functionArns: LOCAL_FUNCTION_ARNS,
    ciPollSeconds: settings.ciPollSeconds,
    ciMaxWaitSeconds: settings.ciMaxWaitSeconds,
    ciWaitMode,
    ciFallbackSeconds: options.ciWait?.fallbackSeconds,
    runLock: { tableName: LOCAL_RUN_TABLE_NAME, stateMachineArn: LOCAL_STATE_MACHINE_ARN },
  });
  const clock = createScaledClock(options.timeScale);
  const runs = createRunRecords({ dataDir: options.dataDir });
  const dashboard = createDashboard({
    mode: options.sandbox ? "sandbox" : "github",
    runs,
    definition,
    dataDir: options.dataDir,
    webUrl: options.gitHubWebUrl,
    sandbox: options.sandbox,
  });
  const writeLog = createGitHubWriteLog();
  writeLog.onWrite((executionName, write) => {
    runs.wrote(executionName, write);
    dashboard.changed();
  });
  const github = writeLog.recording(options.github);
  const runTable = await startLocalRunTable();

  const stepFunctions = createLocalStepFunctions({
    definition,
    stateMachineArn: LOCAL_STATE_MACHINE_ARN,
    waitScale: options.timeScale,
    retryDelayMs: options.retryDelayMs,
    serviceIntegrations: runTable.integrations,
    tasksFor(executionName) {
      const deps: TaskDeps = {
        github,
        clock,
        logger: output.logger({ execution: executionName }),
      };
      const tasks = createLocalTaskFunctions(
        deps,
        { runTable: () => runTable, sfn: () => stepFunctions.client },
        options.taskEnv,
      );
      return writeLog.scoped(executionName, options.wrapTasks ? options.wrapTasks(tasks) : tasks);
    },
    onStarted: (execution) => {
      runs.started(execution);
      dashboard.changed();
      output.executionStarted(execution);
    },
    onProgress: (execution, update) => {
      if (update.kind === "entered") runs.entered(execution, update.visit);
      dashboard.changed();
      output.progress(execution, update);
    },
    onFinished: (execution) => {
      runs.finished(execution);
      dashboard.changed();
      output.executionFinished(execution);
      options.executionObserver?.executionFinished(execution);
    },
  });

  const bundle: SecretBundle = {
    // The webhook never reads the App key; the bundle type carries it for the task functions.
    githubAppPrivateKey: "",
    githubWebhookSecret: options.webhookSecret,
    ...(options.previousWebhookSecret
      ? { githubWebhookSecretPrevious: options.previousWebhookSecret }
      : {}),
  };
  const deliveries: Record<string, number> = {};
  const processWebhook = createWebhookProcessor({
    stateMachineArn: LOCAL_STATE_MACHINE_ARN,
    settings,
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    issueActions: [...DEFAULT_ISSUE_ACTIONS],
    secrets: { get: async () => bundle, refresh: async () => bundle },
    sfn: stepFunctions.client,
    ciWait: ciWaitMode === "events" ? { runTable: () => runTable } : undefined,
    commands: { github: options.github },
    clock: options.webhookClock ?? { now: () => Date.now() },
    logger: output.logger({ service: "webhook" }),
    metrics: {
      count(name, dimensions, value = 1) {
        if (name !== "Deliveries") return;
        const key = dimensions.outcome ?? "unknown";
        deliveries[key] = (deliveries[key] ?? 0) + value;
      },
    },
  });

  const summary = (execution: LocalExecution) => ({
    name: execution.name,
    issue: execution.input.issue?.number,
    repository: `${execution.input.repository?.owner}/${execution.input.repository?.name}`,
    status: execution.status,
    states: execution.report?.visits.map((v) => v.name),
    error: execution.report?.error,
    durationMs: execution.report?.durationMs,
  });

  let server;
  try {
    server = await startFactoryServer({
      port: options.port,
      handleWebhook: async (event) => {
        const answer = await processWebhook(event);
        // A delivery means something changed on GitHub (a label, a comment, a check).
        dashboard.changed();
        return answer;
      },
      pages: (request, response, url, body) => dashboard.handle(request, response, url, body),
      routes: {
        "GET /": () => ({
          status: 200,
          body: { webhook: "POST /webhook", executions: stepFunctions.executions().length },
        }),
        "GET /executions": () => ({
          status: 200,
          body: stepFunctions.executions().map(summary),
        }),
        ...options.routes,
      },
    });
  } catch (error) {
    await runTable.close();
    if ((error as { code?: string }).code === "EADDRINUSE") {
      throw new Error(
        `port ${options.port} on 127.0.0.1 is in use: stop the other process or choose another ` +
          `port with --port <n> (or AFU9_LOCAL_PORT)`,
        { cause: error },
      );
    }
    throw error;
  }

  return {
    url: server.url,
    webhookUrl: server.webhookUrl,
    definition,
    stepFunctions,
    runTable,
    executions: () => stepFunctions.executions(),
    runs,
    idle: () => stepFunctions.idle(),
    deliveries: () => ({ ...deliveries }),
    async close() {
      stepFunctions.abortAll();
      dashboard.close();
      await server.close();
      await stepFunctions.idle();
      await runTable.close();
    },
  };
}
