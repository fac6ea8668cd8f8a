// Pull requests (full and list form) and the merge result.
import type { SimContext } from "../context";
import { fill } from "../openapi/fill";
import { commitsBetween, diffCommits, mergeability, pullHeadSha } from "../state/pull-logic";
import type { PullState, RepoState } from "../state/store";
import { renderLabel, ensureLabel } from "./issues";
import { nodeId, renderRepository, renderUser } from "./people";

export interface PullRenderOptions {
  /** List form (pull-request-simple): no mergeability or diff fields. */
  simple?: boolean;
  /** Fault injection: GitHub still computing mergeability. */
  mergeableUnknown?: boolean;
}

export function renderPull(
  ctx: SimContext,
  repo: RepoState,
  pull: PullState,
  options: PullRenderOptions = {},
) {
  const issue = repo.issues.get(pull.number)!;
  const open = issue.state === "open";
  const api = `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}`;
  const web = `${ctx.webUrl}/${repo.owner}/${repo.name}/pull/${pull.number}`;
  const headSha = pullHeadSha(repo, pull, open);
  const baseSha = open ? (repo.refs.get(`heads/${pull.base}`) ?? pull.baseSha) : pull.baseSha;
  const side = (ref: string, sha: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: renderUser(ctx, repo.owner),
    repo: renderRepository(ctx, repo),
  });
  const fields: Record<string, unknown> = {
    id: pull.id,
    node_id: nodeId("011:PullRequest", pull.id),
    number: pull.number,
    url: `${api}/pulls/${pull.number}`,
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${api}/pulls/${pull.number}/commits`,
    review_comments_url: `${api}/pulls/${pull.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${headSha}`,
    state: issue.state,
    locked: issue.locked,
    active_lock_reason: null,
    title: issue.title,
    body: issue.body,
    user: renderUser(ctx, issue.user),
    labels: issue.labels.map((name) => renderLabel(ctx, repo, ensureLabel(ctx, repo, name))),
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    milestone: null,
    draft: pull.draft,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    author_association: issue.authorAssociation,
    auto_merge: null,
    head: side(pull.head, headSha),
    base: side(pull.base, baseSha),
    _links: {
      self: { href: `${api}/pulls/${pull.number}` },
      html: { href: web },
      issue: { href: `${api}/issues/${pull.number}` },
      comments: { href: `${api}/issues/${pull.number}/comments` },
      review_comments: { href: `${api}/pulls/${pull.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${pull.number}/commits` },
      statuses: { href: `${api}/statuses/${headSha}` },
    },
  };
  if (options.simple) {
    // The description types list-form label descriptions as non-null strings (the full form
    // allows null); answer "" so a client typed from the description never meets null there.
    const labels = (fields.labels as Array<Record<string, unknown>>).map((label) => ({
      ...label,
      description: label.description ?? "",
    }));
    return fill("pull-request-simple", { ...fields, labels });
  }

  const files =
    repo.objects.has(headSha) && repo.objects.has(baseSha)
      ? diffCommits(repo, baseSha, headSha)
      : [];
  const merge = open ? mergeability(repo, pull) : undefined;
  const unknown = options.mergeableUnknown && open;
  return fill("pull-request", {
    ...fields,
    merged: pull.merged,
    mergeable: unknown ? null : (merge?.mergeable ?? null),
    mergeable_state: unknown ? "unknown" : (merge?.state ?? "unknown"),
    rebaseable: unknown ? null : (merge?.mergeable ?? null),
    merged_by: pull.mergedBy ? renderUser(ctx, pull.mergedBy) : null,
    maintainer_can_modify: pull.maintainerCanModify,
    comments: [...repo.comments.values()].filter((c) => c.issueNumber === pull.number).length,
    review_comments: [...repo.reviewComments.values()].filter((c) => c.pullNumber === pull.number)
      .length,
    commits: repo.objects.has(headSha) ? commitsBetween(repo, baseSha, headSha).length : 0,
    additions: files.reduce((sum, file) => sum + file.additions, 0),
    deletions: files.reduce((sum, file) => sum + file.deletions, 0),
    changed_files: files.length,
  });
}
