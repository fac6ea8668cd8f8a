// pull_request_review and pull_request_review_comment webhooks, shaped like
// @octokit/webhooks-examples: the review (lower-case state) or comment, the PR in its list form.
import type { SimContext } from "./context";
import { envelope } from "./payloads";
import { renderPull } from "./render/pulls";
import { renderReviewComment, renderWebhookReview } from "./render/reviews";
import type { RepoState, ReviewCommentState, ReviewState } from "./state/store";

export function emitReviewEvent(
  ctx: SimContext,
  repo: RepoState,
  review: ReviewState,
  action: "submitted" | "edited" | "dismissed",
  sender: string,
): void {
  ctx.emit("pull_request_review", {
    action,
    review: renderWebhookReview(ctx, repo, review),
    pull_request: renderPull(ctx, repo, repo.pulls.get(review.pullNumber)!, { simple: true }),
    ...envelope(ctx, repo, sender),
  });
}

export function emitReviewCommentEvent(
  ctx: SimContext,
  repo: RepoState,
  comment: ReviewCommentState,
  action: "created" | "edited" | "deleted",
  sender: string,
): void {
  ctx.emit("pull_request_review_comment", {
    action,
    comment: renderReviewComment(ctx, repo, comment),
    pull_request: renderPull(ctx, repo, repo.pulls.get(comment.pullNumber)!, { simple: true }),
    ...envelope(ctx, repo, sender),
  });
}
