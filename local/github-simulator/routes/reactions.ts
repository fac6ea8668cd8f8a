// Reactions on issue comments and review comments: create (201 new, 200 when this user already
// reacted so) and list (optionally by `content`).
import { isoNow } from "../context";
import { fail, paginate, repoOf, type RouteRequest, type RouteTable } from "../http/route-types";
import { renderReaction } from "../render/reviews";
import { nextId, type ReactionContent, type ReactionState, type RepoState } from "../state/store";
import { botLogin } from "./issue-helpers";

type Kind = ReactionState["kind"];

function subjectOf(request: RouteRequest, repo: RepoState, kind: Kind): number {
  const id = Number(request.params.comment_id);
  const exists = kind === "issue_comment" ? repo.comments.has(id) : repo.reviewComments.has(id);
  if (!exists) fail(404, "Not Found");
  return id;
}

/** Adds a reaction unless this user already reacted with this content (then returns that one). */
export function addReaction(
  request: Pick<RouteRequest, "ctx">,
  repo: RepoState,
  kind: Kind,
  subjectId: number,
  user: string,
  content: ReactionContent,
): { reaction: ReactionState; created: boolean } {
  const existing = repo.reactions.find(
    (r) =>
      r.kind === kind &&
      r.subjectId === subjectId &&
      r.content === content &&
      r.user.toLowerCase() === user.toLowerCase(),
  );
  if (existing) return { reaction: existing, created: false };
  const reaction: ReactionState = {
    id: nextId(request.ctx.store),
    kind,
    subjectId,
    user,
    content,
    createdAt: isoNow(request.ctx),
  };
  repo.reactions.push(reaction);
  return { reaction, created: true };
}

function create(kind: Kind) {
  return (request: RouteRequest) => {
    const repo = repoOf(request);
    const subjectId = subjectOf(request, repo, kind);
    const { content } = request.body as { content: ReactionContent };
    const { reaction, created } = addReaction(
      request,
      repo,
      kind,
      subjectId,
      botLogin(request),
      content,
    );
    return { status: created ? 201 : 200, body: renderReaction(request.ctx, reaction) };
  };
}

function list(kind: Kind) {
  return (request: RouteRequest) => {
    const repo = repoOf(request);
    const subjectId = subjectOf(request, repo, kind);
    const content = request.query.get("content");
    const reactions = repo.reactions
      .filter((r) => r.kind === kind && r.subjectId === subjectId)
      .filter((r) => !content || r.content === content)
      .map((r) => renderReaction(request.ctx, r));
    const page = paginate(request, reactions);
    return { status: 200, body: page.items, headers: page.headers };
  };
}

export const reactionRoutes: RouteTable = {
  "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": create("issue_comment"),
  "GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": list("issue_comment"),
  "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions": create("review_comment"),
  "GET /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions": list("review_comment"),
};
