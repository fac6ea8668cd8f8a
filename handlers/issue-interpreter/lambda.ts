// Lambda entry for the issue-interpreter function: used as the CallbackFunction's callbackFactory, so it runs
// once per container (build deps here) and returns the per-invocation handler.
import { createTaskDeps } from "../runtime/task-deps";
import type { Analysis, TaskEvent } from "../shared/types";
import { analyzeIssueTask } from "./analyze-issue";

export function createIssueInterpreterHandler(): (event: TaskEvent) => Promise<Analysis> {
  const deps = createTaskDeps({ serviceName: "afu9-issue-interpreter" });
  return async (event: TaskEvent) => {
    if (event.action !== "analyze") {
      throw Object.assign(
        new Error(
          `the issue-interpreter function only handles action "analyze", got "${event.action}": check the state machine's Parameters`,
        ),
        { code: "UNKNOWN_ACTION" },
      );
    }
    return analyzeIssueTask(event.state, deps);
  };
}
