// Commit statuses, combined status, check runs and check suites.
import type { SimContext } from "../context";
import { fill } from "../openapi/fill";
import { combinedState, latestStatuses } from "../state/ci-state";
import type { CheckRunState, RepoState, StatusState } from "../state/store";
import { nodeId, renderRepository, renderUser } from "./people";
import { SANDBOX_APP_EVENTS, SANDBOX_APP_PERMISSIONS } from "../app-manifest";

const repoApi = (ctx: SimContext, repo: RepoState) =>
  `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}`;

export function renderStatus(ctx: SimContext, repo: RepoState, status: StatusState) {
  return fill("status", {
    url: `${repoApi(ctx, repo)}/statuses/${status.sha}`,
    avatar_url: null,
    id: status.id,
    node_id: nodeId("013:StatusContext", status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    creator: renderUser(ctx, status.creator),
  });
}

/** `page` is the slice of the latest statuses to list; state and total_count cover all of them. */
export function renderCombinedStatus(
  ctx: SimContext,
  repo: RepoState,
  sha: string,
  page: (all: StatusState[]) => StatusState[] = (all) => all,
) {
  const statuses = latestStatuses(repo, sha);
  return fill("combined-commit-status", {
    state: combinedState(statuses),
    sha,
    total_count: statuses.length,
    statuses: page(statuses).map((s) => ({
      url: `${repoApi(ctx, repo)}/statuses/${sha}`,
      avatar_url: null,
      id: s.id,
      node_id: nodeId("013:StatusContext", s.id),
      state: s.state,
      description: s.description,
      target_url: s.targetUrl,
      context: s.context,
      required: (repo.requiredChecks.get(repo.defaultBranch) ?? []).includes(s.context),
      created_at: s.createdAt,
      updated_at: s.createdAt,
    })),
    repository: fill("minimal-repository", renderRepository(ctx, repo)),
    commit_url: `${repoApi(ctx, repo)}/commits/${sha}`,
    url: `${repoApi(ctx, repo)}/commits/${sha}/status`,
  });
}

export function renderApp(ctx: SimContext) {
  const app = ctx.store.app;
  return fill("integration", {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("03:App", app.id),
    owner: renderUser(ctx, app.owner),
    name: app.name,
    description: "AFU-9 sandbox App (GitHub simulator)",
    external_url: ctx.webUrl,
    html_url: `${ctx.webUrl}/apps/${app.slug}`,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    permissions: SANDBOX_APP_PERMISSIONS,
    events: SANDBOX_APP_EVENTS,
  });
}

/** The GitHub Actions App, as check runs written by Actions name it. */
function renderActionsApp(ctx: SimContext) {
  return fill("integration", {
    id: 15368,
    slug: "github-actions",
    node_id: nodeId("03:App", 15368),
    owner: renderUser(ctx, "github"),
    name: "GitHub Actions",
    description: "Automate your workflow from idea to production",
    external_url: "https://help.github.com/en/actions",
    html_url: "https://github.com/apps/github-actions",
    created_at: "2018-07-30T09:30:17Z",
    updated_at: "2024-04-10T20:33:16Z",
    permissions: { actions: "write", checks: "write", contents: "write", statuses: "write" },
    events: ["check_run", "check_suite", "push", "pull_request", "workflow_dispatch"],
  });
}

export function renderCheckRun(ctx: SimContext, repo: RepoState, run: CheckRunState) {
  const api = repoApi(ctx, repo);
  return fill("check-run", {
    id: run.id,
    node_id: nodeId("08:CheckRun", run.id),
    head_sha: run.headSha,
    name: run.name,
    external_id: run.externalId,
    url: `${api}/check-runs/${run.id}`,
    html_url: `${ctx.webUrl}/${repo.owner}/${repo.name}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations?.length ?? 0,
      annotations_url: `${api}/check-runs/${run.id}/annotations`,
    },
    check_suite: { id: run.suiteId },
    app: run.appSlug === "github-actions" ? renderActionsApp(ctx) : renderApp(ctx),
    pull_requests: [],
  });
}

export function renderCheckSuite(
  ctx: SimContext,
  repo: RepoState,
  suiteId: number,
  sha: string,
  runs: CheckRunState[],
) {
  const done = runs.length > 0 && runs.every((r) => r.status === "completed");
  const failed = runs.find(
    (r) => r.conclusion && !["success", "neutral", "skipped"].includes(r.conclusion),
  );
  return fill("check-suite", {
    id: suiteId,
    node_id: nodeId("010:CheckSuite", suiteId),
    head_branch: null,
    head_sha: sha,
    status: done
      ? "completed"
      : runs.some((r) => r.status === "in_progress")
        ? "in_progress"
        : "queued",
    conclusion: done ? (failed?.conclusion ?? "success") : null,
    url: `${repoApi(ctx, repo)}/check-suites/${suiteId}`,
    before: null,
    after: sha,
    created_at: runs[0]?.startedAt ?? "2026-01-01T00:00:00Z",
    updated_at: runs[runs.length - 1]?.completedAt ?? runs[0]?.startedAt ?? "2026-01-01T00:00:00Z",
    app: renderApp(ctx),
    head_commit: null,
    repository: fill("minimal-repository", renderRepository(ctx, repo)),
    latest_check_runs_count: runs.length,
    check_runs_url: `${repoApi(ctx, repo)}/check-suites/${suiteId}/check-runs`,
    pull_requests: [],
  });
}
