// Step Functions on one machine: the webhook handler gets a real SFNClient whose StartExecution and
// DescribeExecution are answered in process (a middleware at the front of the SDK's stack, so the
// handler's code path, including its error handling, is the deployed one). Each started execution
// runs the definition on the real ASL interpreter through local/state-machine-runner.
//
// Start semantics follow STANDARD Step Functions (StartExecution API reference): a name is unique
// per state machine; the same name while that execution runs with the same input returns the
// original execution (idempotent start); a different input, or a name whose execution has ended,
// is ExecutionAlreadyExists. A name is never reused while the process lives (AWS keeps it 90 days).
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  SFNClient,
  StateMachineDoesNotExist,
  TaskDoesNotExist,
  TaskTimedOut,
  type DescribeExecutionCommandInput,
  type SendTaskFailureCommandInput,
  type SendTaskSuccessCommandInput,
  type DescribeExecutionCommandOutput,
  type StartExecutionCommandInput,
  type StartExecutionCommandOutput,
} from "@aws-sdk/client-sfn";
import type { ExecutionInput } from "../../contract/state";
import type { AslDefinition } from "../../workflow";
import {
  createStateMachineRunner,
  type ExecutionReport,
  type ExecutionStatus,
  type ProgressUpdate,
  type ServiceIntegration,
  type StateMachineRunner,
  type TaskFunction,
} from "../state-machine-runner";
import { createTaskTokens, type TaskTokens, type TokenAnswer } from "../task-tokens";

export interface LocalExecution {
  name: string;
  arn: string;
  input: ExecutionInput;
  inputText: string;
  startDate: Date;
  status: "RUNNING" | ExecutionStatus;
  /** Set when the execution has ended. */
  report?: ExecutionReport;
  stopDate?: Date;
  /** Resolves when the execution ends (never rejects: a crash is reported as FAILED). */
  done: Promise<ExecutionReport>;
}

export interface LocalStepFunctionsOptions {
  definition: AslDefinition;
  stateMachineArn: string;
  /** The task functions one execution runs with (built per execution: its logger can name it). */
  tasksFor(executionName: string): Record<string, TaskFunction>;
  /** Multiplies every Wait state's Seconds (see the runner). */
  waitScale?: number;
  /** Pause before each ASL Retry attempt, ms (see the runner). */
  retryDelayMs?: number;
  /** Service integrations other than states:startExecution (which this module answers). */
  serviceIntegrations?: Record<string, ServiceIntegration>;
  /**
   * Executions that run at once; more wait for a free runner (default 16). One process runs
   * every execution and answers the webhook: unbounded, a burst of deliveries would slow the
   * answers GitHub waits for (10 s) and every run alike.
   */
  maxConcurrentExecutions?: number;
  onStarted?(execution: LocalExecution): void;
  onProgress?(execution: LocalExecution, update: ProgressUpdate): void;
  onFinished?(execution: LocalExecution): void;
}

export interface LocalStepFunctions {
  readonly stateMachineArn: string;
  /** A real SFNClient answering StartExecution and DescribeExecution from this process. */
  readonly client: SFNClient;
  /** Every execution started so far, oldest first. */
  executions(): LocalExecution[];
  /** Resolves when no execution is running (including ones started while waiting). */
  idle(): Promise<void>;
  /** Aborts the running executions (server shutdown). */
  abortAll(): void;
  /** The tokens of waiting `.waitForTaskToken` tasks. */
  readonly taskTokens: TaskTokens;
  /** Test hook: the next StartExecution calls fail with this error (count times). */
  failNextStarts(error: Error, count?: number): void;
}

/** Step Functions execution names: 1-80 characters, no whitespace, brackets, wildcards or specials. */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/]{1,80}$/;

/** ... and no control characters (U+0000-001F, U+007F-009F). */
function isExecutionName(name: string): boolean {
  if (!EXECUTION_NAME.test(name)) return false;
  return [...name].every((c) => {
    const code = c.charCodeAt(0);
    return code > 0x1f && (code < 0x7f || code > 0x9f);
  });
}

export const DEFAULT_MAX_CONCURRENT_EXECUTIONS = 16;

const metadata = () => ({ httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 });

/** What a pooled runner is running now: that execution's task functions and progress target. */
interface RunnerSlot {
  tasks: Record<string, TaskFunction>;
  onProgress(update: ProgressUpdate): void;
}

interface PooledRunner {
  runner: StateMachineRunner;
  slot: RunnerSlot;
}

export function createLocalStepFunctions(options: LocalStepFunctionsOptions): LocalStepFunctions {
  const byName = new Map<string, LocalExecution>();
  const aborts = new Map<string, AbortController>();
  const taskKeys = Object.keys(options.tasksFor("definition-check"));
  const taskTokens = createTaskTokens();
  const startFailures: Error[] = [];
  const serviceIntegrations: Record<string, ServiceIntegration> = {
    ...options.serviceIntegrations,
    // The follow-up run: an execution of this state machine, started from one of its states.
    "arn:aws:states:::states:startExecution": async (parameters) => {
      const p = parameters as { StateMachineArn?: string; Name?: string; Input?: unknown };
      try {
        const out = start({
          stateMachineArn: p.StateMachineArn,
          name: p.Name,
          input: typeof p.Input === "string" ? p.Input : JSON.stringify(p.Input ?? {}),
        });
        return {
          ExecutionArn: out.executionArn ?? "",
          StartDate: out.startDate?.toISOString() ?? "",
        };
      } catch (error) {
        // Step Functions reports the API's error as StepFunctions.<Name>Exception.
        const name = (error as Error).name.replace(/(Exception)?$/, "Exception");
        throw Object.assign(new Error((error as Error).message), { name: `StepFunctions.${name}` });
      }
    },
  };

  // Building a runner validates the definition, synchronously (~100-200 ms, measured by
  // bench/factory-throughput.ts), on the event loop that also answers POST /webhook. So runners
  // are pooled (one per concurrently running execution, reused afterwards) and the slot tells a
  // runner which execution it serves; new ones are built one per event-loop turn, so a burst of
  // deliveries is still answered between two constructions.
  function buildRunner(): PooledRunner {
    const slot: RunnerSlot = { tasks: {}, onProgress: () => undefined };
    const tasks: Record<string, TaskFunction> = {};
    for (const key of taskKeys) {
      tasks[key] = (event) => {
        const fn = slot.tasks[key];
        if (!fn) throw new Error(`local factory: no task function "${key}" for this execution`);
        return fn(event);
      };
    }
    const runner = createStateMachineRunner({
      definition: options.definition,
      tasks,
      waitScale: options.waitScale,
      retryDelayMs: options.retryDelayMs,
      serviceIntegrations,
      taskTokens,
      onProgress: (update) => slot.onProgress(update),
    });
    return { runner, slot };
  }
  // The first one is built now: a bad definition or a Task without a function fails at start.
  const idleRunners: PooledRunner[] = [buildRunner()];
  let runnersBuilt = 1;
  const maxRunning = options.maxConcurrentExecutions ?? DEFAULT_MAX_CONCURRENT_EXECUTIONS;
  const waiting: Array<(runner: PooledRunner) => void> = [];
  let constructions: Promise<unknown> = Promise.resolve();
  function acquireRunner(): Promise<PooledRunner> {
    const idle = idleRunners.pop();
    if (idle) return Promise.resolve(idle);
    if (runnersBuilt >= maxRunning) {
      // Every runner is busy: this execution waits for one (it is RUNNING, in its first state).
      return new Promise((resolve) => waiting.push(resolve));
    }
    runnersBuilt += 1;
    const built = constructions.then(
      () =>
        new Promise<PooledRunner>((resolve, reject) =>
          setTimeout(() => {
            try {
              resolve(buildRunner());
            } catch (error) {
              reject(error);
            }
          }, 0),
        ),
    );
    constructions = built.catch(() => undefined);
    return built;
  }

  function executionArnFor(name: string): string {
    return `${options.stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
  }

  async function run(execution: LocalExecution, signal: AbortSignal): Promise<ExecutionReport> {
    const pooled = await acquireRunner();
    pooled.slot.tasks = options.tasksFor(execution.name);
    pooled.slot.onProgress = (update) => options.onProgress?.(execution, update);
    try {
      return await pooled.runner.run(execution.input, {
        signal,
        executionName: execution.name,
        executionArn: execution.arn,
      });
    } finally {
      pooled.slot.tasks = {};
      pooled.slot.onProgress = () => undefined;
      const next = waiting.shift();
      if (next) next(pooled);
      else idleRunners.push(pooled);
    }
  }

  function launch(name: string, inputText: string, input: ExecutionInput): LocalExecution {
    const abort = new AbortController();
    let resolveDone!: (report: ExecutionReport) => void;
    const execution: LocalExecution = {
      name,
      arn: executionArnFor(name),
      input,
      inputText,
      startDate: new Date(),
      status: "RUNNING",
      done: new Promise((resolve) => (resolveDone = resolve)),
    };
    byName.set(name, execution);
    aborts.set(name, abort);
    options.onStarted?.(execution);
    const finish = (report: ExecutionReport) => {
      execution.status = report.status;
      execution.report = report;
      execution.stopDate = new Date();
      aborts.delete(name);
      options.onFinished?.(execution);
      resolveDone(report);
    };
    // Started on the next tick: StartExecution answers before the first state runs, as in AWS.
    setImmediate(() => {
      run(execution, abort.signal).then(finish, (error: unknown) =>
        finish({
          status: "FAILED",
          error: {
            Error: "LocalRunnerError",
            Cause: error instanceof Error ? error.message : String(error),
          },
          visits: [],
          durationMs: Date.now() - execution.startDate.getTime(),
        }),
      );
    });
    return execution;
  }

  function start(input: StartExecutionCommandInput): StartExecutionCommandOutput {
    const injected = startFailures.shift();
    if (injected) throw injected;
    if (input.stateMachineArn !== options.stateMachineArn) {
      throw new StateMachineDoesNotExist({
        message: `State Machine Does Not Exist: '${input.stateMachineArn}'`,
        $metadata: { httpStatusCode: 400 },
      });
    }
    const name = input.name ?? crypto.randomUUID();
    if (!isExecutionName(name)) {
      throw new InvalidName({
        message: `Invalid Name: '${name}'`,
        $metadata: { httpStatusCode: 400 },
      });
    }
    const inputText = input.input ?? "{}";
    let parsed: unknown;
    try {
      parsed = JSON.parse(inputText);
    } catch {
      throw new InvalidExecutionInput({
        message: "Invalid State Machine Execution Input: 'Unexpected token'",
        $metadata: { httpStatusCode: 400 },
      });
    }
    const existing = byName.get(name);
    if (existing) {
      if (existing.status === "RUNNING" && existing.inputText === inputText) {
        return { executionArn: existing.arn, startDate: existing.startDate, $metadata: metadata() };
      }
      throw new ExecutionAlreadyExists({
        message: `Execution Already Exists: '${existing.arn}'`,
        $metadata: { httpStatusCode: 400 },
      });
    }
    const execution = launch(name, inputText, parsed as ExecutionInput);
    return { executionArn: execution.arn, startDate: execution.startDate, $metadata: metadata() };
  }

  function describe(input: DescribeExecutionCommandInput): DescribeExecutionCommandOutput {
    const execution = [...byName.values()].find((e) => e.arn === input.executionArn);
    if (!execution) {
      throw new ExecutionDoesNotExist({
        message: `Execution Does Not Exist: '${input.executionArn}'`,
        $metadata: { httpStatusCode: 400 },
      });
    }
    const report = execution.report;
    return {
      executionArn: execution.arn,
      stateMachineArn: options.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      stopDate: execution.stopDate,
      input: execution.inputText,
      output: report?.status === "SUCCEEDED" ? JSON.stringify(report.output ?? null) : undefined,
      error: report?.error?.Error,
      cause: report?.error?.Cause,
      $metadata: metadata(),
    };
  }

  /** SendTaskSuccess / SendTaskFailure answered with the service's errors for spent tokens. */
  function answerToken(
    answer: TokenAnswer,
    token: string,
  ): { $metadata: ReturnType<typeof metadata> } {
    const $metadata = { httpStatusCode: 400 };
    switch (answer) {
      case "ok":
        return { $metadata: metadata() };
      case "TaskTimedOut":
        throw new TaskTimedOut({
          message: "Task Timed Out: 'Provided task does not exist anymore'",
          $metadata,
        });
      case "InvalidToken":
        throw new InvalidToken({ message: `Invalid Token: '${token.slice(0, 40)}'`, $metadata });
      case "TaskDoesNotExist":
        throw new TaskDoesNotExist({ message: "Task Does Not Exist", $metadata });
    }
  }

  function sendTaskSuccess(input: SendTaskSuccessCommandInput) {
    const token = input.taskToken ?? "";
    let output: unknown;
    try {
      output = JSON.parse(input.output ?? "");
    } catch {
      throw new InvalidExecutionInput({
        message: "Invalid Output: the task output is not JSON",
        $metadata: { httpStatusCode: 400 },
      });
    }
    return answerToken(taskTokens.succeed(token, output), token);
  }

  function sendTaskFailure(input: SendTaskFailureCommandInput) {
    const token = input.taskToken ?? "";
    return answerToken(taskTokens.fail(token, input.error ?? "", input.cause ?? ""), token);
  }

  const client = new SFNClient({
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  // First in the stack: the command never reaches serialization, signing or the network.
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const input: unknown = args.input;
      switch (context.commandName) {
        case "StartExecutionCommand":
          return { output: start(input as StartExecutionCommandInput), response: undefined };
        case "DescribeExecutionCommand":
          return { output: describe(input as DescribeExecutionCommandInput), response: undefined };
        case "SendTaskSuccessCommand":
          return {
            output: sendTaskSuccess(input as SendTaskSuccessCommandInput),
            response: undefined,
          };
        case "SendTaskFailureCommand":
          return {
            output: sendTaskFailure(input as SendTaskFailureCommandInput),
            response: undefined,
          };
        default:
          throw new Error(
            `the local factory's Step Functions answers StartExecution, DescribeExecution, ` +
              `SendTaskSuccess and SendTaskFailure only, not ${context.commandName}`,
          );
      }
    },
    { step: "initialize", priority: "high", name: "afu9LocalStepFunctions" },
  );

  return {
    stateMachineArn: options.stateMachineArn,
    client,
    executions: () => [...byName.values()],
    async idle() {
      for (;;) {
        const running = [...byName.values()].filter((e) => e.status === "RUNNING");
        if (running.length === 0) return;
        await Promise.all(running.map((e) => e.done));
      }
    },
    abortAll() {
      for (const abort of aborts.values()) abort.abort();
    },
    taskTokens,
    failNextStarts(error, count = 1) {
      for (let i = 0; i < count; i += 1) startFailures.push(error);
    },
  };
}
