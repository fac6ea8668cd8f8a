// Issues, labels and issue comments as the REST API (and webhook payloads) render them.
import { isoNow, type SimContext } from "../context";
import { fill } from "../openapi/fill";
import {
  nextId,
  type CommentState,
  type IssueEventState,
  type IssueState,
  type LabelState,
  type RepoState,
} from "../state/store";
import { nodeId, renderUser } from "./people";
import { reactionRollup } from "./reviews";

const repoApi = (ctx: SimContext, repo: RepoState) =>
  `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}`;
const repoWeb = (ctx: SimContext, repo: RepoState) => `${ctx.webUrl}/${repo.owner}/${repo.name}`;

/** Labels exist per repository; applying an unknown one creates it (as GitHub does). */
export function ensureLabel(ctx: SimContext, repo: RepoState, name: string): LabelState {
  const key = name.toLowerCase();
  let label = repo.labels.get(key);
  if (!label) {
    label = { id: nextId(ctx.store), name, color: "ededed", description: null };
    repo.labels.set(key, label);
  }
  return label;
}

export function renderLabel(ctx: SimContext, repo: RepoState, label: LabelState) {
  return fill("label", {
    id: label.id,
    node_id: nodeId("05:Label", label.id),
    url: `${repoApi(ctx, repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false,
  });
}

export function renderIssue(ctx: SimContext, repo: RepoState, issue: IssueState) {
  const api = `${repoApi(ctx, repo)}/issues/${issue.number}`;
  const web = `${repoWeb(ctx, repo)}/${issue.isPull ? "pull" : "issues"}/${issue.number}`;
  const pull = issue.isPull ? repo.pulls.get(issue.number) : undefined;
  const comments = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number);
  return fill("issue", {
    id: issue.id,
    node_id: nodeId("05:Issue", issue.id),
    url: api,
    repository_url: repoApi(ctx, repo),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: web,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: renderUser(ctx, issue.user),
    labels: issue.labels.map((name) => renderLabel(ctx, repo, ensureLabel(ctx, repo, name))),
    assignee: issue.assignees[0] ? renderUser(ctx, issue.assignees[0]) : null,
    assignees: issue.assignees.map((login) => renderUser(ctx, login)),
    milestone: null,
    locked: issue.locked,
    active_lock_reason: null,
    comments: comments.length,
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    author_association: issue.authorAssociation,
    draft: pull?.draft ?? false,
    reactions: reactions(`${api}/reactions`),
    ...(pull
      ? {
          pull_request: {
            url: `${repoApi(ctx, repo)}/pulls/${issue.number}`,
            html_url: web,
            diff_url: `${web}.diff`,
            patch_url: `${web}.patch`,
            merged_at: pull.mergedAt,
          },
        }
      : {}),
  });
}

export function renderComment(ctx: SimContext, repo: RepoState, comment: CommentState) {
  const issue = repo.issues.get(comment.issueNumber);
  const kind = issue?.isPull ? "pull" : "issues";
  return fill("issue-comment", {
    id: comment.id,
    node_id: nodeId("012:IssueComment", comment.id),
    url: `${repoApi(ctx, repo)}/issues/comments/${comment.id}`,
    html_url: `${repoWeb(ctx, repo)}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${repoApi(ctx, repo)}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: renderUser(ctx, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.authorAssociation,
    reactions: reactionRollup(ctx, repo, "issue_comment", comment.id),
  });
}

function reactions(url: string) {
  return fill("reaction-rollup", { url, total_count: 0 });
}

export function touch(ctx: SimContext, issue: IssueState): void {
  issue.updatedAt = isoNow(ctx);
}

/** Appends a timeline event (labeled, renamed, closed, ...) as GitHub records it. */
export function recordIssueEvent(
  ctx: SimContext,
  issue: IssueState,
  event: Omit<IssueEventState, "id" | "createdAt">,
): void {
  issue.events.push({ id: nextId(ctx.store), createdAt: isoNow(ctx), ...event });
}

const EVENT_SCHEMA: Record<IssueEventState["event"], string> = {
  labeled: "labeled-issue-event",
  unlabeled: "unlabeled-issue-event",
  renamed: "renamed-issue-event",
  locked: "locked-issue-event",
  unlocked: "state-change-issue-event",
  closed: "state-change-issue-event",
  reopened: "state-change-issue-event",
};

export function renderIssueEvent(ctx: SimContext, repo: RepoState, event: IssueEventState) {
  const label = event.label ? ensureLabel(ctx, repo, event.label) : undefined;
  return fill(EVENT_SCHEMA[event.event], {
    id: event.id,
    node_id: nodeId("010:IssueEvent", event.id),
    url: `${repoApi(ctx, repo)}/issues/events/${event.id}`,
    actor: renderUser(ctx, event.actor),
    event: event.event,
    commit_id: null,
    commit_url: null,
    created_at: event.createdAt,
    performed_via_github_app: null,
    ...(label ? { label: { name: label.name, color: label.color } } : {}),
    ...(event.rename ? { rename: event.rename } : {}),
    ...(event.event === "locked" ? { lock_reason: null } : {}),
  });
}
