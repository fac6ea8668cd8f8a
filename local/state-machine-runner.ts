// Runs the AFU-9 state machine definition on one machine: aws-local-stepfunctions interprets the
// ASL (Choice, Retry, Catch, paths, intrinsics, TimeoutSeconds); this module only supplies what
// AWS would: each Task's Lambda (an in-process function, behind a Lambda-like JSON boundary),
// scaled Wait durations, and a readable record of the states entered.
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type RunOptions,
  type StateMachineDefinition,
} from "./asl-interpreter";
import type { TaskEvent } from "../contract/task-actions";
import { LAMBDA_INVOKE_WAIT_FOR_TOKEN, type AslDefinition, type TaskState } from "../workflow";
import type { TaskTokens } from "./task-tokens";

/** Stands in for one Lambda function (or one action of it): the TaskEvent in, the result out. */
export type TaskFunction = (event: TaskEvent) => Promise<unknown>;

/**
 * Stands in for one service integration (`arn:aws:states:::dynamodb:updateItem`, ...): the
 * state's evaluated Parameters in, the service's answer out; errors named as Step Functions
 * names them (`DynamoDB.ConditionalCheckFailedException`).
 */
export type ServiceIntegration = (parameters: JsonValue) => Promise<JsonValue>;

/** What `$$.Task.Token` resolves to in Parameters; the runner issues the real token per entry. */
export const PLACEHOLDER_TASK_TOKEN = "afu9-local-task-token";

export interface StateMachineRunnerOptions {
  definition: AslDefinition;
  /**
   * Local task functions keyed by task action ("analyze", "merge", ...) or by function ARN (the
   * Task's Resource; such a function receives every action of that Lambda, like the real one).
   * An action key wins over an ARN key. Every Task state needs one: nothing calls AWS.
   */
  tasks: Record<string, TaskFunction>;
  /**
   * Multiplies every Wait state's Seconds: 0 skips waits, 0.001 turns 60 s into 60 ms.
   * Unset: waits last as long as the definition says.
   */
  waitScale?: number;
  /** Pause before each Retry attempt, in ms. Unset: the definition's backoff (real seconds). */
  retryDelayMs?: number;
  /** Live progress: called as states are entered, left, retried, caught or failed. */
  onProgress?: (update: ProgressUpdate) => void;
  /** Service integrations by Resource; every such Task state needs one. */
  serviceIntegrations?: Record<string, ServiceIntegration>;
  /** Issues and resolves the tokens of `.waitForTaskToken` states (required when there are any). */
  taskTokens?: TaskTokens;
}

export interface CaughtErrorInfo {
  Error: string;
  Cause: string;
}

/** One entry into a state (a state entered three times appears three times). */
export interface StateVisit {
  name: string;
  type: string;
  /** Milliseconds from the start of the execution. */
  enteredAtMs: number;
  /** Unset while the state runs, and when the execution ended inside it. */
  durationMs?: number;
  /** Retry attempts the Retry field made for this entry. */
  retries: number;
  /** Every error of this entry: the retried ones, then the caught or fatal one. */
  errors: CaughtErrorInfo[];
  /** Set when a Catch field handled the last error. */
  caught?: boolean;
}

export type ProgressUpdate =
  | { kind: "entered" | "exited" | "retried" | "caught"; visit: StateVisit }
  | { kind: "failed"; visit: StateVisit; error: CaughtErrorInfo };

export type ExecutionStatus = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface ExecutionReport {
  status: ExecutionStatus;
  /** The execution's output (SUCCEEDED only). */
  output?: unknown;
  /** Why the execution did not succeed: a Fail state's Error/Cause or the uncaught error. */
  error?: CaughtErrorInfo;
  visits: StateVisit[];
  durationMs: number;
}

export interface StateMachineRunner {
  run(
    input: unknown,
    options?: { signal?: AbortSignal; executionName?: string; executionArn?: string },
  ): Promise<ExecutionReport>;
  /** The Wait overrides in force, in ms per Wait state (empty without waitScale). */
  readonly waitOverridesMs: Readonly<Record<string, number>>;
}

type JsonValue = Parameters<StateMachine["run"]>[0];
type EventLog =
  ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;

function runnerError(message: string): Error {
  return Object.assign(new Error(`state machine runner: ${message}`), {
    code: "AFU9_RUNNER_CONFIG",
  });
}

/** The value a Lambda invocation would see or return: JSON only, never shared objects. */
function throughJson(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

/**
 * A function error as Lambda reports it to Step Functions: Error is the error's name (errorType),
 * Cause the JSON payload {errorType, errorMessage, trace} (as in a real execution's history).
 */
function asLambdaError(thrown: unknown): Error {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const errorType = error.name || "Error";
  const payload = {
    errorType,
    errorMessage: error.message,
    trace: (error.stack ?? "").split("\n"),
  };
  return Object.assign(new Error(JSON.stringify(payload)), { name: errorType });
}

function localLambda(fn: TaskFunction): (input: JsonValue) => Promise<JsonValue> {
  return async (input) => {
    let result: unknown;
    try {
      result = await fn(throughJson(input) as unknown as TaskEvent);
    } catch (thrown) {
      throw asLambdaError(thrown);
    }
    return throughJson(result);
  };
}

function isCallbackTask(state: TaskState): boolean {
  return state.Resource === LAMBDA_INVOKE_WAIT_FOR_TOKEN;
}

function isServiceIntegration(state: TaskState): boolean {
  return state.Resource.startsWith("arn:aws:states:::") && !isCallbackTask(state);
}

/** The execution a pooled runner serves now (callback tokens name it). */
interface CurrentExecution {
  name: string;
}

/**
 * A `.waitForTaskToken` Lambda task: the function gets the Payload with a token issued for this
 * entry, then the task waits for SendTaskSuccess/Failure on it, at most TimeoutSeconds (scaled
 * like the Wait states) before States.Timeout.
 */
function callbackTask(
  name: string,
  state: TaskState,
  fn: TaskFunction,
  tokens: TaskTokens,
  waitScale: number | undefined,
  current: CurrentExecution,
): (input: JsonValue) => Promise<JsonValue> {
  return async (input) => {
    const payload = (input as { Payload?: Record<string, unknown> } | null)?.Payload;
    if (!payload || payload.taskToken !== PLACEHOLDER_TASK_TOKEN) {
      throw runnerError(
        `Task state "${name}" is .waitForTaskToken but its Payload does not pass $$.Task.Token ` +
          `as "taskToken"`,
      );
    }
    const token = tokens.issue(current.name);
    const resumed = tokens.wait(token);
    let timer: NodeJS.Timeout | undefined;
    try {
      await localLambda(fn)({ ...payload, taskToken: token } as JsonValue);
      const timeoutMs = (state.TimeoutSeconds ?? 99999999) * 1000 * (waitScale ?? 1);
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error("task timed out"), { name: "States.Timeout" })),
          timeoutMs,
        );
      });
      return throughJson(await Promise.race([resumed, timedOut]));
    } finally {
      if (timer) clearTimeout(timer);
      tokens.close(token);
    }
  };
}

function taskHandlers(
  definition: AslDefinition,
  options: StateMachineRunnerOptions,
  current: CurrentExecution,
): Record<string, (input: JsonValue) => Promise<JsonValue>> {
  const { tasks } = options;
  const handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
  const usedKeys = new Set<string>();
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== "Task") continue;
    if (isServiceIntegration(state)) {
      const integration = options.serviceIntegrations?.[state.Resource];
      if (!integration) {
        throw runnerError(
          `no local service integration for Task state "${name}" (${state.Resource}): ` +
            `add serviceIntegrations["${state.Resource}"]`,
        );
      }
      handlers[name] = (input) => integration(input);
      continue;
    }
    const callback = isCallbackTask(state);
    const params = callback
      ? ((state.Parameters.Payload ?? {}) as Record<string, unknown>)
      : state.Parameters;
    const target = callback ? String(state.Parameters.FunctionName) : state.Resource;
    const action = typeof params.action === "string" ? params.action : undefined;
    const key = [action, target].find((k) => k !== undefined && k in tasks);
    if (key === undefined) {
      throw runnerError(
        `no local function for Task state "${name}" (action ${JSON.stringify(action)}, ` +
          `resource ${target}): add tasks["${action ?? target}"]`,
      );
    }
    usedKeys.add(key);
    if (callback) {
      if (!options.taskTokens) {
        throw runnerError(`Task state "${name}" waits for a task token: pass taskTokens`);
      }
      handlers[name] = callbackTask(
        name,
        state,
        tasks[key],
        options.taskTokens,
        options.waitScale,
        current,
      );
    } else {
      handlers[name] = localLambda(tasks[key]);
    }
  }
  const unused = Object.keys(tasks).filter((key) => !usedKeys.has(key));
  if (unused.length > 0) {
    throw runnerError(
      `tasks ${unused.map((k) => `"${k}"`).join(", ")} match no Task state's action or ` +
        `Resource (a typo?)`,
    );
  }
  return handlers;
}

function waitOverrides(
  definition: AslDefinition,
  scale: number | undefined,
): Record<string, number> {
  if (scale === undefined) return {};
  if (!Number.isFinite(scale) || scale < 0) {
    throw runnerError(`waitScale must be a number >= 0 (0 skips waits), got ${scale}`);
  }
  const overrides: Record<string, number> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === "Wait") overrides[name] = Math.round(state.Seconds * 1000 * scale);
  }
  return overrides;
}

function retryOverrides(definition: AslDefinition, delayMs: number | undefined) {
  if (delayMs === undefined) return {};
  if (!Number.isFinite(delayMs) || delayMs < 0) {
    throw runnerError(`retryDelayMs must be a number >= 0, got ${delayMs}`);
  }
  const overrides: Record<string, number> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === "Task" && state.Retry.length > 0) overrides[name] = delayMs;
  }
  return overrides;
}

function errorInfo(error: string, cause: unknown): CaughtErrorInfo {
  return { Error: error, Cause: typeof cause === "string" ? cause : JSON.stringify(cause) };
}

/** Turns the interpreter's event log into visits; returns the execution's failure, if any. */
async function recordVisits(
  events: AsyncGenerator<EventLog>,
  visits: StateVisit[],
  onProgress: StateMachineRunnerOptions["onProgress"],
): Promise<CaughtErrorInfo | undefined> {
  let startedAt = Date.now();
  let failure: CaughtErrorInfo | undefined;
  const current = (name: string) => {
    const visit = visits[visits.length - 1];
    if (!visit || visit.name !== name) {
      throw runnerError(
        `event for state "${name}" arrived outside its visit (interpreter changed?)`,
      );
    }
    return visit;
  };
  for await (const event of events) {
    switch (event.type) {
      case "ExecutionStarted":
        startedAt = event.timestamp;
        break;
      case "ExecutionFailed":
        failure = errorInfo(event.Error, event.Cause);
        break;
      case "StateEntered": {
        const visit: StateVisit = {
          name: event.state.name,
          type: event.state.type,
          enteredAtMs: event.timestamp - startedAt,
          retries: 0,
          errors: [],
        };
        visits.push(visit);
        onProgress?.({ kind: "entered", visit });
        break;
      }
      case "StateExited": {
        const visit = current(event.state.name);
        visit.durationMs = event.timestamp - startedAt - visit.enteredAtMs;
        onProgress?.({ kind: "exited", visit });
        break;
      }
      case "StateFailed": {
        const visit = current(event.state.name);
        const error = errorInfo(event.Error, event.Cause);
        visit.errors.push(error);
        onProgress?.({ kind: "failed", visit, error });
        break;
      }
      case "StateRetried": {
        const visit = current(event.state.name);
        visit.retries += 1;
        onProgress?.({ kind: "retried", visit });
        break;
      }
      case "StateCaught": {
        const visit = current(event.state.name);
        visit.caught = true;
        onProgress?.({ kind: "caught", visit });
        break;
      }
      default:
        // Map/Parallel and abort/timeout events: the definition has no Map/Parallel states, and
        // the result promise reports abort and timeout.
        break;
    }
  }
  return failure;
}

export function createStateMachineRunner(options: StateMachineRunnerOptions): StateMachineRunner {
  const { definition } = options;
  const current: CurrentExecution = { name: "execution" };
  const overrides: RunOptions["overrides"] = {
    taskResourceLocalHandlers: taskHandlers(definition, options, current),
    waitTimeOverrides: waitOverrides(definition, options.waitScale),
    retryIntervalOverrides: retryOverrides(definition, options.retryDelayMs),
  };
  // The interpreter validates the definition here (asl-validator inside), once per runner.
  // AslDefinition is a stricter subset of the interpreter's own definition type.
  const machine = new StateMachine(definition as unknown as StateMachineDefinition);

  return {
    waitOverridesMs: { ...overrides.waitTimeOverrides },
    async run(input, runOptions) {
      const started = Date.now();
      const name = runOptions?.executionName ?? `local-${started}`;
      current.name = name;
      const execution = machine.run(throughJson(input), {
        overrides,
        // Step Functions fills the context object; the interpreter only what it is given.
        context: {
          Execution: {
            Name: name,
            Id: runOptions?.executionArn ?? `arn:aws:states:local:000000000000:execution:${name}`,
          },
          Task: { Token: PLACEHOLDER_TASK_TOKEN },
        } as RunOptions["context"],
      });
      const onAbort = () => execution.abort();
      runOptions?.signal?.addEventListener("abort", onAbort, { once: true });
      if (runOptions?.signal?.aborted) execution.abort();
      const visits: StateVisit[] = [];
      const recording = recordVisits(execution.eventLogs, visits, options.onProgress);
      let report: Omit<ExecutionReport, "visits" | "durationMs">;
      try {
        report = { status: "SUCCEEDED", output: await execution.result };
      } catch (error) {
        if (error instanceof ExecutionTimeoutError) {
          report = {
            status: "TIMED_OUT",
            error: errorInfo("States.Timeout", `execution exceeded ${definition.TimeoutSeconds} s`),
          };
        } else if (error instanceof ExecutionAbortedError) {
          report = { status: "ABORTED", error: errorInfo("Aborted", "the run was aborted") };
        } else if (error instanceof ExecutionError) {
          const cause = error.cause instanceof Error ? error.cause : error;
          report = { status: "FAILED", error: errorInfo(cause.name, cause.message) };
        } else {
          throw error;
        }
      } finally {
        runOptions?.signal?.removeEventListener("abort", onAbort);
      }
      const failure = await recording;
      if (report.status === "FAILED" && failure) report.error = failure;
      return { ...report, visits, durationMs: Date.now() - started };
    },
  };
}
