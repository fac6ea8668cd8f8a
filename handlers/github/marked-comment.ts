// One comment per purpose: AFU-9's comments carry a hidden marker so a re-run updates the comment
// it posted before instead of adding another (analysis, CI feedback, violations, ...).
import type { Octokit } from "@octokit/rest";

export interface MarkedCommentTarget {
  owner: string;
  repo: string;
  /** Issue or pull request number (PR conversation comments are issue comments). */
  issueNumber: number;
}

export interface MarkedCommentResult {
  id: number;
  url: string;
  action: "created" | "updated" | "unchanged";
}

/** The hidden HTML comment that identifies one kind of AFU-9 comment. */
export function commentMarker(kind: string): string {
  if (!/^[a-z0-9:-]+$/.test(kind)) {
    throw new Error(
      `comment marker kind must be lower-case letters, digits, ':' or '-': "${kind}"`,
    );
  }
  return `<!-- afu9:${kind} -->`;
}

/**
 * Finds the App's comment carrying the marker (any page), or null. Only comments written by a bot
 * account count: anyone can paste the marker into a comment of their own, and the factory must
 * never adopt (edit, or take its text as its own state) a person's comment. Only an account with
 * admin rights can install another App that could post as a bot here.
 */
export async function findMarkedComment(
  octokit: Octokit,
  target: MarkedCommentTarget,
  kind: string,
): Promise<{ id: number; body: string; html_url: string } | null> {
  const marker = commentMarker(kind);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  const found = comments.find(
    (comment) => comment.user?.type === "Bot" && (comment.body ?? "").includes(marker),
  );
  return found ? { id: found.id, body: found.body ?? "", html_url: found.html_url } : null;
}

/** Creates the marked comment, or updates it in place when its text changed. */
export async function upsertMarkedComment(
  octokit: Octokit,
  target: MarkedCommentTarget,
  kind: string,
  text: string,
): Promise<MarkedCommentResult> {
  const body = `${commentMarker(kind)}\n${text}`;
  const existing = await findMarkedComment(octokit, target, kind);
  if (existing && existing.body === body) {
    return { id: existing.id, url: existing.html_url, action: "unchanged" };
  }
  if (existing) {
    const { data } = await octokit.rest.issues.updateComment({
      owner: target.owner,
      repo: target.repo,
      comment_id: existing.id,
      body,
    });
    return { id: data.id, url: data.html_url, action: "updated" };
  }
  const { data } = await octokit.rest.issues.createComment({
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    body,
  });
  return { id: data.id, url: data.html_url, action: "created" };
}
