// Lambda entry for the issue-interpreter function: used as the CallbackFunction's callbackFactory,
// so it runs once per container (deps are built here) and returns the per-invocation handler.
import { ENV } from "../../contract/environment";
import type { Analysis } from "../../contract/state";
import { createTaskDeps } from "../runtime/task-deps";
import { createTaskHandler, type TaskHandler } from "../runtime/task-handler";
import type { TaskDeps } from "../shared/types";
import { analyzeIssueTask } from "./analyze-issue";
import { prepareCommandRun } from "./prepare-command";

export function createIssueInterpreterHandler(
  deps: TaskDeps = createTaskDeps({ serviceName: "afu9-issue-interpreter" }),
  env: Record<string, string | undefined> = process.env,
): TaskHandler<Analysis> {
  // Read in the container (never at module level). The AI strategy only counts as applicable
  // when the stack enabled the provider for this function too.
  const aiEnabled = Boolean(env[ENV.aiConfig]);
  return createTaskHandler<Analysis>(
    "issue-interpreter",
    {
      // A run started by a `/afu9` command analyses the command, not the issue.
      analyze: (state) =>
        state.command
          ? prepareCommandRun(state, deps, { aiEnabled })
          : analyzeIssueTask(state, deps, { aiEnabled }),
    },
    deps.deadline,
  );
}
