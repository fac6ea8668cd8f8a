// One lookup, one SendTaskSuccess: wake the run whose WaitForCI registered a token for this head
// (CI and review events, and `/afu9` commands, which hand the waiting run the command).
// A token sent twice or after its task ended (TaskTimedOut, InvalidToken, TaskDoesNotExist) is the
// normal fate of the second and later CI events of a head: answered `ci-stale`, never an error.
import { SendTaskSuccessCommand, type SFNClient } from "@aws-sdk/client-sfn";
import type { CiWake, PullRequestCommand } from "../../contract/state";
import { findCiWait, type RunTable } from "../run-table/ci-wait-registry";

/** What a wake names: the event that woke it (CiWake.source) and the head the run waits on. */
export interface WakeTarget {
  event: string;
  repositoryId: number;
  headSha: string;
  /** `event: "command"` only: the command the woken run acts on. */
  command?: PullRequestCommand;
}

export type ResumeResult =
  | { kind: "ci-resumed"; issue: string }
  | { kind: "ci-stale"; issue: string; errorName: string }
  | { kind: "ci-no-wait" }
  | { kind: "ci-resume-failed"; errorName: string; message: string };

const SPENT_TOKEN_ERRORS = ["TaskTimedOut", "InvalidToken", "TaskDoesNotExist"];

export async function resumeCiWait(
  table: RunTable,
  sfn: SFNClient,
  ci: WakeTarget,
  deliveryId: string,
): Promise<ResumeResult> {
  let wait: Awaited<ReturnType<typeof findCiWait>>;
  try {
    wait = await findCiWait(table, ci.repositoryId, ci.headSha);
  } catch (error) {
    return failed(error);
  }
  if (!wait) return { kind: "ci-no-wait" };
  try {
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: wait.taskToken,
        output: JSON.stringify(wakeOf(ci, deliveryId)),
      }),
    );
    return { kind: "ci-resumed", issue: wait.issue };
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    if (SPENT_TOKEN_ERRORS.includes(name))
      return { kind: "ci-stale", issue: wait.issue, errorName: name };
    return failed(error);
  }
}

function wakeOf(target: WakeTarget, deliveryId: string): CiWake {
  const wake: CiWake = { source: target.event, headSha: target.headSha, deliveryId };
  return target.command ? { ...wake, command: target.command } : wake;
}

function failed(error: unknown): ResumeResult {
  return {
    kind: "ci-resume-failed",
    errorName: error instanceof Error ? error.name : "Error",
    message: error instanceof Error ? error.message : String(error),
  };
}
