// The sandbox as the cost checks run it: the bench's settings, silent output, fast retries, and
// every task call recorded (its action and in-process duration) for the counts and timings.
import type { TaskAction, TaskEvent } from "../contract/task-actions";
import { createFactoryOutput } from "../local/factory/output";
import { startSandbox, type Sandbox, type SandboxOptions } from "../local/factory/sandbox";
import type { TaskFunction } from "../local/state-machine-runner";

export interface TaskCall {
  action: TaskAction;
  ms: number;
}

export async function startBenchSandbox(options: {
  timeScale: number;
  ciDelayMs: number;
  ai?: SandboxOptions["ai"];
  onTask: (call: TaskCall) => void;
}): Promise<Sandbox> {
  return startSandbox({
    port: 0,
    settings: {
      dryRun: false,
      ciPollSeconds: 60,
      ciMaxWaitSeconds: 1800,
      ciNoChecksGraceSeconds: 300,
    },
    timeScale: options.timeScale,
    retryDelayMs: 10,
    output: createFactoryOutput({ mode: "silent" }),
    ciDelayMs: options.ciDelayMs,
    githubRetryBaseMs: 10,
    ...(options.ai ? { ai: options.ai } : {}),
    wrapTasks: (tasks) =>
      Object.fromEntries(
        Object.entries(tasks).map(([key, task]): [string, TaskFunction] => [
          key,
          async (event: TaskEvent) => {
            const t0 = performance.now();
            try {
              return await task(event);
            } finally {
              options.onTask({ action: event.action, ms: performance.now() - t0 });
            }
          },
        ]),
      ),
  });
}
