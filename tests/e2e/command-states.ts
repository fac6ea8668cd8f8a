// The states only runs of `/afu9` commands visit: tests/e2e/pr-commands.test.ts covers them, so
// local-factory.test.ts's state coverage leaves them out.
import type { WorkflowStateName } from "../../workflow";

export const COMMAND_STATES: WorkflowStateName[] = [
  "RouteLockedDelivery",
  "CoalesceCommand",
  "CommandQueued",
  "AnswerCommandBusy",
  "CommandBusy",
  "ReadCommandPullRequest",
  "StartCommandCIWait",
  "TakeWakeCommand",
  "RouteCommand",
  "AnswerCommand",
  "StopRun",
  "Stopped",
  "RevisePullRequest",
  "CheckRevision",
  "RevisionRefused",
  "EndStopped",
  "EndRevisionRefused",
];
