// The webhook's answer to a CI event: filter (ci-event.ts), then wake the waiting run
// (resume-ci-wait.ts). Only our own trouble (the table or Step Functions unreachable) is a 503; the
// run still evaluates CI at its fallback timeout.
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { RunTable } from "../run-table/ci-wait-registry";
import type { Answer } from "./answers";
import { isCiEvent, routeCiEvent } from "./ci-event";
import { resumeCiWait, type WakeTarget } from "./resume-ci-wait";

export interface CiWaitAccess {
  runTable(): RunTable;
}

export async function answerCiEvent(
  event: string,
  deliveryId: string,
  payload: unknown,
  deps: { ciWait?: CiWaitAccess; sfn: SFNClient },
): Promise<Answer | undefined> {
  if (!isCiEvent(event)) return undefined;
  if (!deps.ciWait)
    return ignoredAnswer("CI events are not used: this stack waits for CI by polling");
  const decision = routeCiEvent(event, payload);
  if (decision.kind === "ci-ignored") return ignoredAnswer(decision.reason);
  return wakeWaitingRun(deps.ciWait, deps.sfn, decision, deliveryId, decision.branch);
}

export function ignoredAnswer(reason: string): Answer {
  return { status: 202, outcome: "ignored", body: { outcome: "ignored", reason }, log: { reason } };
}

/** Resumes the run waiting on the head (if any) and answers how that went. */
export async function wakeWaitingRun(
  ciWait: CiWaitAccess,
  sfn: SFNClient,
  wake: WakeTarget,
  deliveryId: string,
  branch: string,
): Promise<Answer> {
  const ignored = ignoredAnswer;
  const result = await resumeCiWait(ciWait.runTable(), sfn, wake, deliveryId);
  const where = { headSha: wake.headSha, branch };
  switch (result.kind) {
    case "ci-no-wait":
      return ignored(`no run waits for CI on ${wake.headSha.slice(0, 12)}`);
    case "ci-resumed":
      return {
        status: 202,
        outcome: "ci-resumed",
        body: { outcome: "ci-resumed", issue: result.issue },
        log: { ...where, issue: result.issue },
      };
    case "ci-stale":
      return {
        status: 202,
        outcome: "ci-stale",
        body: { outcome: "ci-stale", reason: "the run no longer waits on this token" },
        log: { ...where, issue: result.issue, errorName: result.errorName },
      };
    case "ci-resume-failed":
      return {
        status: 503,
        outcome: "ci-resume-failed",
        body: {
          outcome: "ci-resume-failed",
          message: "could not wake the waiting run; it evaluates CI at its fallback timeout",
        },
        log: { ...where, errorName: result.errorName, errorMessage: result.message },
      };
  }
}
