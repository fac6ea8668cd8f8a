// What the state machine sends a task function: `{ action, state }`; the action names are shared
// by the definition (Parameters) and the task entries (dispatch).
import type { WorkflowState } from "./state";

/** Task function actions: the state machine invokes a function with `{ action, state }`. */
export type TaskAction =
  | "analyze" // issue interpreter -> Analysis (a command run: the config and the PR check)
  | "generate" // patch generator -> PatchResult
  | "validate" // patch generator -> ValidationResult (comments the violations when invalid)
  | "revise" // patch generator: `/afu9 revise` -> one commit on the PR branch, or a refusal -> RevisionResult
  | "repair" // patch generator: red CI -> one repair commit on the PR branch, or a stop -> RepairState
  | "createPullRequest" // PR creator -> PullRequestRef
  | "evaluate" // CI feedback -> CiEvaluation
  | "awaitCi" // CI feedback: register the wait's task token, resume it at once when CI is final
  | "merge" // CI feedback -> MergeResult
  | "readPullRequest" // CI feedback: a command run's pull request -> PullRequestRef
  | "answerCommand" // CI feedback: `/afu9 retry|merge` -> a reply with the CI verdict -> CiWake
  | "stopRun" // CI feedback: `/afu9 stop` -> the stopped label and a reply -> { by }
  | "answerCommandBusy" // CI feedback: a command that cannot queue behind the active run -> a reply -> {}
  | "postFeedback" // CI feedback: failure comment -> {}
  | "postTimeout" // CI feedback: timeout / no-ci comment -> {}
  | "reportFailure"; // CI feedback: unrecoverable error comment on the issue -> {}

export interface TaskEvent {
  action: TaskAction;
  state: WorkflowState;
  /** `awaitCi` only: the `.waitForTaskToken` task's token ($$.Task.Token). */
  taskToken?: string;
  /** `awaitCi` only: the CI loop bound; at $.ciWait.polls >= maxPolls the wait resumes at once. */
  maxPolls?: number;
}
