// Webhook payloads in the shape of @octokit/webhooks-examples: the REST objects plus action,
// repository, sender and installation ({ id, node_id }).
import type { SimContext } from "./context";
import { renderCommit } from "./render/git";
import { renderComment, renderIssue } from "./render/issues";
import { renderCheckRun, renderCheckSuite } from "./render/checks";
import { nodeId, renderRepository, renderUser } from "./render/people";
import { renderPull } from "./render/pulls";
import { latestCheckRuns } from "./state/ci-state";
import type {
  CheckRunState,
  CommentState,
  IssueState,
  PullState,
  RepoState,
  StatusState,
} from "./state/store";

function envelope(ctx: SimContext, repo: RepoState, sender: string) {
  return {
    repository: renderRepository(ctx, repo),
    sender: renderUser(ctx, sender),
    installation: {
      id: repo.installationId,
      node_id: nodeId("023:Installation", repo.installationId),
    },
  };
}

export function emitIssueEvent(
  ctx: SimContext,
  repo: RepoState,
  issue: IssueState,
  action: string,
  sender: string,
  extra: Record<string, unknown> = {},
): void {
  ctx.emit("issues", {
    action,
    issue: renderIssue(ctx, repo, issue),
    ...extra,
    ...envelope(ctx, repo, sender),
  });
}

export function emitCommentEvent(
  ctx: SimContext,
  repo: RepoState,
  comment: CommentState,
  action: "created" | "edited" | "deleted",
  sender: string,
  extra: Record<string, unknown> = {},
): void {
  const issue = repo.issues.get(comment.issueNumber)!;
  ctx.emit("issue_comment", {
    action,
    issue: renderIssue(ctx, repo, issue),
    comment: renderComment(ctx, repo, comment),
    ...extra,
    ...envelope(ctx, repo, sender),
  });
}

export function emitPullEvent(
  ctx: SimContext,
  repo: RepoState,
  pull: PullState,
  action: string,
  sender: string,
): void {
  ctx.emit("pull_request", {
    action,
    number: pull.number,
    pull_request: renderPull(ctx, repo, pull),
    ...envelope(ctx, repo, sender),
  });
}

/** A push to an open PR's head branch: `pull_request.synchronize` (the pusher is the sender). */
export function emitSynchronize(
  ctx: SimContext,
  repo: RepoState,
  ref: string,
  before: string | null,
  after: string,
  sender: string,
): void {
  for (const pull of repo.pulls.values()) {
    if (`heads/${pull.head}` !== ref || repo.issues.get(pull.number)?.state !== "open") continue;
    ctx.emit("pull_request", {
      action: "synchronize",
      number: pull.number,
      before,
      after,
      pull_request: renderPull(ctx, repo, pull),
      ...envelope(ctx, repo, sender),
    });
  }
}

export function emitStatusEvent(
  ctx: SimContext,
  repo: RepoState,
  status: StatusState,
  sender: string,
): void {
  const branches = [...repo.refs.entries()]
    .filter(([ref, sha]) => ref.startsWith("heads/") && sha === status.sha)
    .map(([ref, sha]) => ({
      name: ref.slice("heads/".length),
      commit: { sha, url: `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}/commits/${sha}` },
      protected: false,
    }));
  ctx.emit("status", {
    id: status.id,
    sha: status.sha,
    name: `${repo.owner}/${repo.name}`,
    target_url: status.targetUrl,
    context: status.context,
    description: status.description,
    state: status.state,
    commit: renderCommit(ctx, repo, status.sha),
    branches,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    ...envelope(ctx, repo, sender),
  });
}

export function emitCheckRunEvent(
  ctx: SimContext,
  repo: RepoState,
  run: CheckRunState,
  action: string,
  sender: string,
): void {
  ctx.emit("check_run", {
    action,
    check_run: renderCheckRun(ctx, repo, run),
    ...envelope(ctx, repo, sender),
  });
  if (run.status === "completed") {
    const runs = latestCheckRuns(repo, run.headSha).filter((r) => r.suiteId === run.suiteId);
    if (runs.every((r) => r.status === "completed")) {
      ctx.emit("check_suite", {
        action: "completed",
        check_suite: renderCheckSuite(ctx, repo, run.suiteId, run.headSha, runs),
        ...envelope(ctx, repo, sender),
      });
    }
  }
}
