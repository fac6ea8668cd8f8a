// Review events: `pull_request_review` submitted or dismissed on a factory pull request (head
// branch `afu9/`) only wakes a run that waits on that head, like a CI event: the woken run reads
// the reviews and the reviewers' permissions from GitHub (events are hints, state is the truth).
// What the review says is not read here; `/afu9` commands in review bodies are routed elsewhere.
import { FACTORY_BRANCH_PREFIX } from "./ci-event";
import { isObject } from "./payload-fields";

export const REVIEW_EVENT = "pull_request_review";
/** A submitted review can open the gate or close it; a dismissal can open it. */
export const REVIEW_WAKE_ACTIONS = ["submitted", "dismissed"];

export type ReviewEventDecision =
  | { kind: "review"; repositoryId: number; headSha: string; branch: string; pullNumber: number }
  | { kind: "review-ignored"; reason: string };

export function isReviewEvent(event: string): boolean {
  return event === REVIEW_EVENT;
}

/** Decides whether a verified review delivery may wake a waiting run. Pure. */
export function routeReviewEvent(payload: unknown): ReviewEventDecision {
  const ignored = (reason: string): ReviewEventDecision => ({ kind: "review-ignored", reason });
  if (!isObject(payload)) return ignored("payload is not a JSON object");
  const action = payload.action;
  if (typeof action !== "string" || !REVIEW_WAKE_ACTIONS.includes(action)) {
    return ignored(
      `${REVIEW_EVENT}.${String(action)} cannot change the review gate ` +
        `(handled: ${REVIEW_WAKE_ACTIONS.join(", ")})`,
    );
  }
  if (!isObject(payload.installation)) {
    return ignored("delivery has no installation: AFU-9 acts only on deliveries of its GitHub App");
  }
  const pull = isObject(payload.pull_request) ? payload.pull_request : {};
  const head = isObject(pull.head) ? pull.head : {};
  const branch = head.ref;
  if (typeof branch !== "string" || !branch.startsWith(FACTORY_BRANCH_PREFIX)) {
    return ignored(
      typeof branch === "string"
        ? `pull request head ${branch.slice(0, 100)} is not a factory branch`
        : "payload field pull_request.head.ref is not a string",
    );
  }
  const repositoryId = isObject(payload.repository) ? payload.repository.id : undefined;
  if (typeof repositoryId !== "number" || !Number.isSafeInteger(repositoryId)) {
    return ignored("payload field repository.id is not an integer");
  }
  if (typeof head.sha !== "string" || !/^[0-9a-f]{40}$/i.test(head.sha)) {
    return ignored("the pull request's head SHA is not a commit SHA");
  }
  const pullNumber = pull.number;
  if (typeof pullNumber !== "number" || !Number.isSafeInteger(pullNumber)) {
    return ignored("payload field pull_request.number is not an integer");
  }
  return { kind: "review", repositoryId, headSha: head.sha, branch, pullNumber };
}
