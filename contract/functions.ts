// The factory's Lambda functions: one key per function (stack config `<key>MemoryMb`, the
// definition's function ARNs, the components), one service name (logs and metrics), and which
// state machine actions each task function handles.
import type { TaskAction } from "./task-actions";

export const FUNCTION_NAMES = {
  webhook: "webhook",
  issueInterpreter: "issue-interpreter",
  patchGenerator: "patch-generator",
  prCreator: "pr-creator",
  ciFeedback: "ci-feedback",
  /** Beside the workflow: invoked by EventBridge and the alarm topic, never by the state machine. */
  notifier: "notifier",
} as const;

export type FunctionKey = keyof typeof FUNCTION_NAMES;
export type TaskFunctionKey = Exclude<FunctionKey, "webhook" | "notifier">;

export const FUNCTION_KEYS = Object.keys(FUNCTION_NAMES) as FunctionKey[];
export const TASK_FUNCTION_KEYS = FUNCTION_KEYS.filter(
  (key): key is TaskFunctionKey => key !== "webhook" && key !== "notifier",
);

/** POWERTOOLS_SERVICE_NAME of a function: the `service` field of its logs and metrics. */
export function serviceName(key: FunctionKey): string {
  return `afu9-${FUNCTION_NAMES[key]}`;
}

/** The actions the state machine sends each task function. */
export const TASK_FUNCTION_ACTIONS: Record<TaskFunctionKey, readonly TaskAction[]> = {
  issueInterpreter: ["analyze"],
  patchGenerator: ["generate", "validate", "repair", "revise"],
  prCreator: ["createPullRequest"],
  ciFeedback: [
    "evaluate",
    "awaitCi",
    "merge",
    "postFeedback",
    "postTimeout",
    "reportFailure",
    "readPullRequest",
    "answerCommand",
    "stopRun",
    "answerCommandBusy",
  ],
};
