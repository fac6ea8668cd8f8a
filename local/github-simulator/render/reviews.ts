// Pull request reviews, review comments and reactions as the REST API renders them.
import type { SimContext } from "../context";
import { fill } from "../openapi/fill";
import type {
  ReactionContent,
  ReactionState,
  RepoState,
  ReviewCommentState,
  ReviewState,
} from "../state/store";
import { nodeId, renderUser } from "./people";

const repoApi = (ctx: SimContext, repo: RepoState) =>
  `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}`;
const pullWeb = (ctx: SimContext, repo: RepoState, pullNumber: number) =>
  `${ctx.webUrl}/${repo.owner}/${repo.name}/pull/${pullNumber}`;

export function renderReview(ctx: SimContext, repo: RepoState, review: ReviewState) {
  const html = `${pullWeb(ctx, repo, review.pullNumber)}#pullrequestreview-${review.id}`;
  const pullUrl = `${repoApi(ctx, repo)}/pulls/${review.pullNumber}`;
  return fill("pull-request-review", {
    id: review.id,
    node_id: nodeId("017:PullRequestReview", review.id),
    user: renderUser(ctx, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    ...(review.submittedAt ? { submitted_at: review.submittedAt } : {}),
    commit_id: review.commitId,
    author_association: review.authorAssociation,
  });
}

/** The webhook form: GitHub sends review states in lower case there (`approved`, ...). */
export function renderWebhookReview(ctx: SimContext, repo: RepoState, review: ReviewState) {
  return {
    ...renderReview(ctx, repo, review),
    body: review.body === "" ? null : review.body,
    state: review.state.toLowerCase(),
    submitted_at: review.submittedAt,
  };
}

export function renderReviewComment(ctx: SimContext, repo: RepoState, comment: ReviewCommentState) {
  const url = `${repoApi(ctx, repo)}/pulls/comments/${comment.id}`;
  const html = `${pullWeb(ctx, repo, comment.pullNumber)}#discussion_r${comment.id}`;
  const pullUrl = `${repoApi(ctx, repo)}/pulls/${comment.pullNumber}`;
  return fill("pull-request-review-comment", {
    url,
    pull_request_review_id: comment.reviewId,
    id: comment.id,
    node_id: nodeId("024:PullRequestReviewComment", comment.id),
    diff_hunk: comment.diffHunk,
    path: comment.path,
    commit_id: comment.commitId,
    original_commit_id: comment.commitId,
    ...(comment.inReplyTo !== null ? { in_reply_to_id: comment.inReplyTo } : {}),
    user: renderUser(ctx, comment.user),
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: comment.authorAssociation,
    _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullUrl } },
    start_line: null,
    original_start_line: null,
    start_side: null,
    // File-level comments have no line; REST omits the line fields then.
    ...(comment.line === null
      ? {}
      : {
          line: comment.line,
          original_line: comment.line,
          // Closing down on GitHub: the commented line's index in the diff hunk.
          position: comment.diffHunk.split("\n").length - 1,
          original_position: comment.diffHunk.split("\n").length - 1,
        }),
    side: "RIGHT",
    subject_type: comment.line === null ? "file" : "line",
    reactions: reactionRollup(ctx, repo, "review_comment", comment.id),
  });
}

export function renderReaction(ctx: SimContext, reaction: ReactionState) {
  return fill("reaction", {
    id: reaction.id,
    node_id: nodeId("08:Reaction", reaction.id),
    user: renderUser(ctx, reaction.user),
    content: reaction.content,
    created_at: reaction.createdAt,
  });
}

const CONTENTS: ReactionContent[] = [
  "+1",
  "-1",
  "laugh",
  "confused",
  "heart",
  "hooray",
  "eyes",
  "rocket",
];

/** The `reactions` summary of a comment: its URL and a count per content. */
export function reactionRollup(
  ctx: SimContext,
  repo: RepoState,
  kind: ReactionState["kind"],
  subjectId: number,
) {
  const area = kind === "issue_comment" ? "issues" : "pulls";
  const mine = repo.reactions.filter((r) => r.kind === kind && r.subjectId === subjectId);
  const counts = Object.fromEntries(
    CONTENTS.map((content) => [content, mine.filter((r) => r.content === content).length]),
  );
  return fill("reaction-rollup", {
    url: `${repoApi(ctx, repo)}/${area}/comments/${subjectId}/reactions`,
    total_count: mine.length,
    ...counts,
  });
}
