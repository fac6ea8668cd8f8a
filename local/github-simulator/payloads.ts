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

/** repository, sender and installation: what every repository event carries. */
export function envelope(ctx: SimContext, repo: RepoState, sender: string) {
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

/** Branches whose head is `sha` (GitHub's `branches` of a status event, head_branch of checks). */
function branchesAt(repo: RepoState, sha: string): string[] {
  return [...repo.refs.entries()]
    .filter(([ref, head]) => ref.startsWith("heads/") && head === sha)
    .map(([ref]) => ref.slice("heads/".length));
}

/** Open pull requests of this repository whose head is `sha` (a check's `pull_requests`). */
function pullsAt(ctx: SimContext, repo: RepoState, sha: string) {
  const api = `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}`;
  const repoRef = { id: repo.id, url: api, name: repo.name };
  return [...repo.pulls.values()]
    .filter(
      (pull) =>
        !pull.merged &&
        repo.issues.get(pull.number)?.state === "open" &&
        repo.refs.get(`heads/${pull.head}`) === sha,
    )
    .map((pull) => ({
      id: pull.id,
      number: pull.number,
      url: `${api}/pulls/${pull.number}`,
      head: { ref: pull.head, sha, repo: repoRef },
      base: {
        ref: pull.base,
        sha: repo.refs.get(`heads/${pull.base}`) ?? pull.baseSha,
        repo: repoRef,
      },
    }));
}

export function emitStatusEvent(
  ctx: SimContext,
  repo: RepoState,
  status: StatusState,
  sender: string,
): void {
  // GitHub lists at most 10 branches.
  const branches = branchesAt(repo, status.sha)
    .slice(0, 10)
    .map((name) => ({
      name,
      commit: {
        sha: status.sha,
        url: `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}/commits/${status.sha}`,
      },
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

/** `workflow_run.completed`: scripted CI's workflow finished (after its check runs). */
export function emitWorkflowRunEvent(
  ctx: SimContext,
  repo: RepoState,
  run: { id: number; name: string; headSha: string; conclusion: string; startedAt: string },
  sender: string,
): void {
  const api = `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}`;
  ctx.emit("workflow_run", {
    action: "completed",
    workflow_run: {
      id: run.id,
      name: run.name,
      head_branch: branchesAt(repo, run.headSha)[0] ?? null,
      head_sha: run.headSha,
      event: "push",
      status: "completed",
      conclusion: run.conclusion,
      run_started_at: run.startedAt,
      url: `${api}/actions/runs/${run.id}`,
      html_url: `${ctx.webUrl}/${repo.owner}/${repo.name}/actions/runs/${run.id}`,
      pull_requests: pullsAt(ctx, repo, run.headSha),
    },
    workflow: { id: 1, name: run.name, path: ".github/workflows/ci.yml" },
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
  // As GitHub sends them: the suite's head branch and the open pull requests of the head.
  const headBranch = branchesAt(repo, run.headSha)[0] ?? null;
  const pullRequests = pullsAt(ctx, repo, run.headSha);
  const checkRun = renderCheckRun(ctx, repo, run);
  ctx.emit("check_run", {
    action,
    check_run: {
      ...checkRun,
      check_suite: { id: run.suiteId, head_branch: headBranch, head_sha: run.headSha },
      pull_requests: pullRequests,
    },
    ...envelope(ctx, repo, sender),
  });
  if (run.status === "completed") {
    const runs = latestCheckRuns(repo, run.headSha).filter((r) => r.suiteId === run.suiteId);
    if (runs.every((r) => r.status === "completed")) {
      ctx.emit("check_suite", {
        action: "completed",
        check_suite: {
          ...renderCheckSuite(ctx, repo, run.suiteId, run.headSha, runs),
          head_branch: headBranch,
          pull_requests: pullRequests,
        },
        ...envelope(ctx, repo, sender),
      });
    }
  }
}
