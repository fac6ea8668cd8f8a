// The notifier in the local factory: when an execution ends, the real notifier handler runs in
// process on the event EventBridge would deliver, reading the run's end from the local execution
// instead of Step Functions (the output when it succeeded; for a failed run, ReportFailure's input,
// which the deployed notifier reads from the execution history).
import type { NotifyDestination } from "../../contract/environment";
import type { RunEnd } from "../../contract/run-outcome";
import type { WorkflowState } from "../../contract/state";
import type { TaskEvent } from "../../contract/task-actions";
import { systemClock } from "../../handlers/runtime/task-deps";
import type { MetricsSink } from "../../handlers/runtime/logger";
import type { Logger } from "../../handlers/shared/types";
import { fetchPost, type DeliveryPolicy } from "../../handlers/notifier/deliver";
import { EXECUTION_STATUS_CHANGE } from "../../handlers/notifier/events";
import { handleNotification, type NotifyReport } from "../../handlers/notifier/notify";
import type { TaskFunction } from "../state-machine-runner";
import type { LocalExecution } from "./local-step-functions";

export interface LocalNotifierOptions {
  destinations: Record<string, NotifyDestination>;
  logger: Logger;
  /** GitHub web root for links (the simulator's). */
  githubWebUrl: string;
  policy?: DeliveryPolicy;
}

export interface LocalNotifier {
  /** Wraps an execution's task functions to remember ReportFailure's input. */
  wrapTasks(tasks: Record<string, TaskFunction>): Record<string, TaskFunction>;
  /** Runs the notifier for an ended execution (never rejects; the report is kept). */
  executionFinished(execution: LocalExecution): void;
  /** Resolves when every notification started so far is done. */
  idle(): Promise<void>;
  reports(): { execution: string; report?: NotifyReport; error?: string }[];
  /** The notifier's metrics, summed by name. */
  metrics(): Record<string, number>;
}

export function createLocalNotifier(options: LocalNotifierOptions): LocalNotifier {
  // Keyed by delivery id: unique per execution, and present in every task's state.
  const failureStates = new Map<string, WorkflowState>();
  const pending = new Set<Promise<void>>();
  const reports: { execution: string; report?: NotifyReport; error?: string }[] = [];
  const counted: Record<string, number> = {};
  const metrics: MetricsSink = {
    count(name, _dimensions, value = 1) {
      counted[name] = (counted[name] ?? 0) + value;
    },
  };

  function runEndOf(execution: LocalExecution): RunEnd {
    const report = execution.report!;
    const status = report.status;
    const error = report.error
      ? { Error: report.error.Error, Cause: report.error.Cause }
      : undefined;
    if (status === "SUCCEEDED") {
      return { status, state: (report.output as WorkflowState) ?? execution.input, error };
    }
    const failed = failureStates.get(execution.input.delivery.id);
    return { status, state: status === "FAILED" && failed ? failed : execution.input, error };
  }

  return {
    wrapTasks(tasks) {
      const wrapped: Record<string, TaskFunction> = {};
      for (const [key, fn] of Object.entries(tasks)) {
        wrapped[key] = async (event: TaskEvent) => {
          if (event.action === "reportFailure") {
            failureStates.set(event.state.delivery.id, event.state);
          }
          return fn(event);
        };
      }
      return wrapped;
    },
    executionFinished(execution) {
      if (!execution.report) return;
      const end = runEndOf(execution);
      const event = {
        source: "aws.states",
        "detail-type": EXECUTION_STATUS_CHANGE,
        detail: { executionArn: execution.arn, status: end.status },
      };
      const run = handleNotification(event, {
        destinations: async () => options.destinations,
        readRunEnd: async () => end,
        post: fetchPost(),
        clock: systemClock(),
        logger: options.logger,
        metrics,
        githubWebUrl: options.githubWebUrl,
        policy: options.policy,
      }).then(
        (report) => {
          reports.push({ execution: execution.name, report });
        },
        (error: unknown) => {
          reports.push({
            execution: execution.name,
            error: error instanceof Error ? error.message : String(error),
          });
        },
      );
      const tracked = run.finally(() => {
        pending.delete(tracked);
        failureStates.delete(execution.input.delivery.id);
      });
      pending.add(tracked);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    reports: () => [...reports],
    metrics: () => ({ ...counted }),
  };
}
