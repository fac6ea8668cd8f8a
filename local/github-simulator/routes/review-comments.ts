// Review comments (comments on a diff line): list for a PR, get one, the App's reply in a thread.
import { fail, paginate, repoOf, type RouteRequest, type RouteTable } from "../http/route-types";
import { renderReviewComment } from "../render/reviews";
import type { RepoState, ReviewCommentState } from "../state/store";
import { botLogin } from "./issue-helpers";
import { recordReviewComment } from "./review-records";
import { pullOf } from "./pulls";

export function reviewCommentOf(request: RouteRequest, repo: RepoState): ReviewCommentState {
  const comment = repo.reviewComments.get(Number(request.params.comment_id));
  if (!comment) fail(404, "Not Found");
  return comment;
}

export const reviewCommentRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments": (request) => {
    const repo = repoOf(request);
    const pull = pullOf(request, repo);
    const comments = [...repo.reviewComments.values()]
      .filter((comment) => comment.pullNumber === pull.number)
      .map((comment) => renderReviewComment(request.ctx, repo, comment));
    const page = paginate(request, comments);
    return { status: 200, body: page.items, headers: page.headers };
  },

  "GET /repos/{owner}/{repo}/pulls/comments/{comment_id}": (request) => {
    const repo = repoOf(request);
    return {
      status: 200,
      body: renderReviewComment(request.ctx, repo, reviewCommentOf(request, repo)),
    };
  },

  "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies": (request) => {
    const repo = repoOf(request);
    const pull = pullOf(request, repo);
    const target = reviewCommentOf(request, repo);
    if (target.pullNumber !== pull.number) fail(404, "Not Found");
    const reply = recordReviewComment(request.ctx, repo, pull, {
      user: botLogin(request),
      body: (request.body as { body: string }).body,
      path: target.path,
      line: target.line,
      // A reply to a reply joins the thread of its first comment.
      inReplyTo: target.inReplyTo ?? target.id,
      authorAssociation: "NONE",
    });
    return {
      status: 201,
      body: renderReviewComment(request.ctx, repo, repo.reviewComments.get(reply.id)!),
    };
  },
};
