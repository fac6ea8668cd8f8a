// Recording reviews and review comments: both the REST routes (the App) and the programmatic API
// (people) go through here, so state and webhooks are the same either way.
import { isoNow, type SimContext } from "../context";
import { emitReviewCommentEvent, emitReviewEvent } from "../review-payloads";
import { commitTree, getObject, mergeBase } from "../state/git-objects";
import { diffCommits, pullHeadSha } from "../state/pull-logic";
import { permissionOf } from "../state/permissions";
import { nextId, type PullState, type RepoState, type ReviewState } from "../state/store";

/** author_association as GitHub derives it for one repository (no organisations here). */
export function associationOf(repo: RepoState, login: string): string {
  if (login.toLowerCase() === repo.owner.toLowerCase()) return "OWNER";
  return repo.permissions.has(login.toLowerCase()) && permissionOf(repo, login) !== "none"
    ? "COLLABORATOR"
    : "NONE";
}

function headOf(repo: RepoState, pull: PullState): string {
  return pullHeadSha(repo, pull, repo.issues.get(pull.number)?.state === "open");
}

/** A review on the PR's current head; emits pull_request_review.submitted unless pending. */
export function recordReview(
  ctx: SimContext,
  repo: RepoState,
  pull: PullState,
  input: {
    user: string;
    state: ReviewState["state"];
    body: string;
    commitId?: string;
    authorAssociation?: string;
  },
): ReviewState {
  const pending = input.state === "PENDING";
  const review: ReviewState = {
    id: nextId(ctx.store),
    pullNumber: pull.number,
    user: input.user,
    state: input.state,
    body: input.body,
    commitId: input.commitId ?? headOf(repo, pull),
    submittedAt: pending ? null : isoNow(ctx),
    authorAssociation: input.authorAssociation ?? associationOf(repo, input.user),
  };
  repo.reviews.set(review.id, review);
  if (!pending) emitReviewEvent(ctx, repo, review, "submitted", input.user);
  return review;
}

/** Why a line comment cannot be placed (GitHub answers 422), or null. */
export function reviewCommentProblem(
  repo: RepoState,
  pull: PullState,
  path: string,
  line: number | null,
): string | null {
  const head = headOf(repo, pull);
  const base = repo.refs.get(`heads/${pull.base}`) ?? pull.baseSha;
  const changed = diffCommits(repo, mergeBase(repo, base, head) ?? base, head);
  if (!changed.some((file) => file.filename === path)) {
    return `pull_request_review_thread.path "${path}" is not a file this pull request changes`;
  }
  if (line === null) return null;
  const lines = fileLines(repo, head, path);
  if (!Number.isInteger(line) || line < 1 || line > lines.length) {
    return `pull_request_review_thread.line ${line} is outside ${path} (${lines.length} lines)`;
  }
  return null;
}

function fileLines(repo: RepoState, commitSha: string, path: string): string[] {
  const entry = commitTree(repo, commitSha).get(path);
  const text = entry ? (getObject(repo, entry.sha, "blob")?.content.toString("utf8") ?? "") : "";
  return text === "" ? [] : text.replace(/\n$/, "").split("\n");
}

/** The head file's lines up to `line` (at most four), as context in a hunk header. */
function diffHunkAt(repo: RepoState, commitSha: string, path: string, line: number | null): string {
  const lines = fileLines(repo, commitSha, path);
  const end = line ?? lines.length;
  const start = Math.max(1, end - 3);
  const shown = lines.slice(start - 1, end);
  return [
    `@@ -${start},${shown.length} +${start},${shown.length} @@`,
    ...shown.map((l) => `+${l}`),
  ].join("\n");
}

/**
 * A comment on a diff line. As on GitHub it belongs to a review of its own (state COMMENTED, no
 * body); emits pull_request_review_comment.created, then pull_request_review.submitted.
 */
export function recordReviewComment(
  ctx: SimContext,
  repo: RepoState,
  pull: PullState,
  input: {
    user: string;
    body: string;
    path: string;
    line: number | null;
    inReplyTo?: number;
    authorAssociation?: string;
  },
): { id: number; reviewId: number } {
  const now = isoNow(ctx);
  const commitId = headOf(repo, pull);
  const authorAssociation = input.authorAssociation ?? associationOf(repo, input.user);
  const review: ReviewState = {
    id: nextId(ctx.store),
    pullNumber: pull.number,
    user: input.user,
    state: "COMMENTED",
    body: "",
    commitId,
    submittedAt: now,
    authorAssociation,
  };
  repo.reviews.set(review.id, review);
  const comment = {
    id: nextId(ctx.store),
    pullNumber: pull.number,
    reviewId: review.id,
    inReplyTo: input.inReplyTo ?? null,
    user: input.user,
    body: input.body,
    path: input.path,
    line: input.line,
    commitId,
    diffHunk: diffHunkAt(repo, commitId, input.path, input.line),
    authorAssociation,
    createdAt: now,
    updatedAt: now,
  };
  repo.reviewComments.set(comment.id, comment);
  emitReviewCommentEvent(ctx, repo, comment, "created", input.user);
  emitReviewEvent(ctx, repo, review, "submitted", input.user);
  return { id: comment.id, reviewId: review.id };
}
