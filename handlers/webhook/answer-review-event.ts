// The webhook's answer to a review event: filter (review-event.ts), then wake the run waiting on
// the pull request's head through the same registration lookup and SendTaskSuccess as CI events
// (answer-ci-event.ts), with CiWake source `pull_request_review`.
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { Answer } from "./answers";
import { ignoredAnswer, wakeWaitingRun, type CiWaitAccess } from "./answer-ci-event";
import { isReviewEvent, REVIEW_EVENT, routeReviewEvent } from "./review-event";

export async function answerReviewEvent(
  event: string,
  deliveryId: string,
  payload: unknown,
  deps: { ciWait?: CiWaitAccess; sfn: SFNClient },
): Promise<Answer | undefined> {
  if (!isReviewEvent(event)) return undefined;
  if (!deps.ciWait) {
    return ignoredAnswer("review events are not used: this stack waits for CI by polling");
  }
  const decision = routeReviewEvent(payload);
  if (decision.kind === "review-ignored") return ignoredAnswer(decision.reason);
  return wakeWaitingRun(
    deps.ciWait,
    deps.sfn,
    { event: REVIEW_EVENT, repositoryId: decision.repositoryId, headSha: decision.headSha },
    deliveryId,
    decision.branch,
  );
}
