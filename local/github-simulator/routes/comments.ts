// Issue comments (PR conversation comments are issue comments too).
import { isoNow } from "../context";
import { fail, paginate, repoOf, type RouteRequest, type RouteTable } from "../http/route-types";
import { emitCommentEvent } from "../payloads";
import { renderComment, touch } from "../render/issues";
import { nextId, type RepoState } from "../state/store";
import { botLogin, issueOf } from "./issue-helpers";

function commentOf(request: RouteRequest, repo: RepoState) {
  const comment = repo.comments.get(Number(request.params.comment_id));
  if (!comment) fail(404, "Not Found");
  return comment;
}

export const commentRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": (request) => {
    const repo = repoOf(request);
    const issue = issueOf(request, repo);
    const all = [...repo.comments.values()]
      .filter((c) => c.issueNumber === issue.number)
      .map((c) => renderComment(request.ctx, repo, c));
    const page = paginate(request, all);
    return { status: 200, body: page.items, headers: page.headers };
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": (request) => {
    const repo = repoOf(request);
    const issue = issueOf(request, repo);
    if (issue.locked) fail(403, "Unable to create comment because issue is locked.");
    const now = isoNow(request.ctx);
    const comment = {
      id: nextId(request.ctx.store),
      issueNumber: issue.number,
      body: (request.body as { body: string }).body,
      user: botLogin(request),
      authorAssociation: "NONE",
      createdAt: now,
      updatedAt: now,
    };
    repo.comments.set(comment.id, comment);
    touch(request.ctx, issue);
    emitCommentEvent(request.ctx, repo, comment, "created", botLogin(request));
    return { status: 201, body: renderComment(request.ctx, repo, comment) };
  },

  "GET /repos/{owner}/{repo}/issues/comments/{comment_id}": (request) => {
    const repo = repoOf(request);
    return { status: 200, body: renderComment(request.ctx, repo, commentOf(request, repo)) };
  },

  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": (request) => {
    const repo = repoOf(request);
    const comment = commentOf(request, repo);
    const previous = comment.body;
    comment.body = (request.body as { body: string }).body;
    comment.updatedAt = isoNow(request.ctx);
    emitCommentEvent(request.ctx, repo, comment, "edited", botLogin(request), {
      changes: { body: { from: previous } },
    });
    return { status: 200, body: renderComment(request.ctx, repo, comment) };
  },

  "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}": (request) => {
    const repo = repoOf(request);
    const comment = commentOf(request, repo);
    repo.comments.delete(comment.id);
    emitCommentEvent(request.ctx, repo, comment, "deleted", botLogin(request));
    return { status: 204 };
  },
};
