// Lambda entry for the issue-interpreter function: used as the CallbackFunction's callbackFactory, so it runs
// once per container (build deps here) and returns the per-invocation handler.
import { withTaskErrors } from "../runtime/task-errors";
import { createTaskDeps } from "../runtime/task-deps";
import { ENV } from "../../contract/environment";
import type { Analysis } from "../../contract/state";
import type { TaskEvent } from "../../contract/task-actions";
import { analyzeIssueTask } from "./analyze-issue";

export function createIssueInterpreterHandler(): (event: TaskEvent) => Promise<Analysis> {
  const deps = createTaskDeps({ serviceName: "afu9-issue-interpreter" });
  // Read in the container (never at module level). The AI strategy only counts as applicable
  // when the stack enabled the provider for this function too.
  const aiEnabled = Boolean(process.env[ENV.aiConfig]);
  // Rate limits reach Step Functions as AFU9.GitHubRateLimited, which it retries later.
  return withTaskErrors(async (event: TaskEvent) => {
    if (event.action !== "analyze") {
      throw Object.assign(
        new Error(
          `the issue-interpreter function only handles action "analyze", got "${event.action}": check the state machine's Parameters`,
        ),
        { code: "UNKNOWN_ACTION" },
      );
    }
    return analyzeIssueTask(event.state, deps, { aiEnabled });
  }, deps.deadline);
}
