// Commit statuses, combined status, check runs and check suites.
import { isoNow, type SimContext } from "../context";
import { fail, paginate, repoOf, type RouteRequest, type RouteTable } from "../http/route-types";
import { emitCheckRunEvent, emitStatusEvent } from "../payloads";
import {
  renderCheckRun,
  renderCheckSuite,
  renderCombinedStatus,
  renderStatus,
} from "../render/checks";
import { latestCheckRuns } from "../state/ci-state";
import { getObject, resolveCommitish } from "../state/git-objects";
import {
  nextId,
  type CheckAnnotation,
  type CheckRunState,
  type RepoState,
  type StatusState,
} from "../state/store";
import { botLogin } from "./issue-helpers";

/** Where the job-log redirect points: served outside the REST API, without authentication. */
export const JOB_LOG_PATH = "/_sim/job-logs";

export interface StatusInput {
  context?: string;
  state: StatusState["state"];
  description?: string | null;
  target_url?: string | null;
}

export function recordStatus(
  ctx: SimContext,
  repo: RepoState,
  sha: string,
  input: StatusInput,
  creator: string,
): StatusState {
  const status: StatusState = {
    id: nextId(ctx.store),
    sha,
    context: input.context ?? "default",
    state: input.state,
    description: input.description ?? null,
    targetUrl: input.target_url ?? null,
    creator,
    createdAt: isoNow(ctx),
  };
  repo.statuses.push(status);
  emitStatusEvent(ctx, repo, status, creator);
  return status;
}

export interface CheckRunInput {
  name?: string;
  status?: CheckRunState["status"];
  conclusion?: string;
  details_url?: string;
  external_id?: string;
  started_at?: string;
  completed_at?: string;
  output?: {
    title?: string;
    summary?: string;
    text?: string;
    annotations?: Array<CheckAnnotation & Record<string, unknown>>;
  };
}

function suiteFor(ctx: SimContext, repo: RepoState, sha: string): number {
  let id = repo.checkSuites.get(sha);
  if (id === undefined) {
    id = nextId(ctx.store);
    repo.checkSuites.set(sha, id);
  }
  return id;
}

/** Creates a check run, or updates `existing` (conclusion implies completed, as on GitHub). */
export function writeCheckRun(
  ctx: SimContext,
  repo: RepoState,
  sha: string,
  input: CheckRunInput,
  sender: string,
  existing?: CheckRunState,
): CheckRunState {
  const now = isoNow(ctx);
  const run: CheckRunState = existing ?? {
    id: nextId(ctx.store),
    suiteId: suiteFor(ctx, repo, sha),
    headSha: sha,
    name: input.name ?? "check",
    status: "queued",
    conclusion: null,
    output: { title: null, summary: null, text: null },
    detailsUrl: null,
    externalId: null,
    startedAt: now,
    completedAt: null,
    ...(sender === "github-actions[bot]" ? { appSlug: "github-actions" } : {}),
  };
  if (input.name !== undefined) run.name = input.name;
  if (input.details_url !== undefined) run.detailsUrl = input.details_url;
  if (input.external_id !== undefined) run.externalId = input.external_id;
  if (input.started_at !== undefined) run.startedAt = input.started_at;
  if (input.output) {
    run.output = {
      title: input.output.title ?? run.output.title,
      summary: input.output.summary ?? run.output.summary,
      text: input.output.text ?? run.output.text,
    };
    if (input.output.annotations) {
      // GitHub appends each request's annotations to the run's list.
      run.annotations = [
        ...(run.annotations ?? []),
        ...input.output.annotations.map((a) => ({
          path: a.path,
          start_line: a.start_line,
          end_line: a.end_line,
          annotation_level: a.annotation_level,
          message: a.message,
          ...(a.title ? { title: a.title } : {}),
        })),
      ];
    }
  }
  if (input.status !== undefined) run.status = input.status;
  if (input.conclusion !== undefined) {
    run.conclusion = input.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed") {
    if (!run.conclusion) fail(422, "Conclusion is required when status is completed.");
    run.completedAt = input.completed_at ?? run.completedAt ?? now;
  }
  repo.checkRuns.set(run.id, run);
  emitCheckRunEvent(
    ctx,
    repo,
    run,
    existing ? (run.status === "completed" ? "completed" : "rerequested") : "created",
    sender,
  );
  return run;
}

function shaOf(request: RouteRequest, repo: RepoState): string {
  const sha = resolveCommitish(repo, request.params.ref);
  if (!sha) fail(422, `No commit found for SHA: ${request.params.ref}`);
  return sha;
}

export const checkRoutes: RouteTable = {
  "POST /repos/{owner}/{repo}/statuses/{sha}": (request) => {
    const repo = repoOf(request);
    if (!getObject(repo, request.params.sha, "commit"))
      fail(422, `No commit found for SHA: ${request.params.sha}`);
    const status = recordStatus(
      request.ctx,
      repo,
      request.params.sha,
      request.body as StatusInput,
      botLogin(request),
    );
    return { status: 201, body: renderStatus(request.ctx, repo, status) };
  },

  "GET /repos/{owner}/{repo}/commits/{ref}/statuses": (request) => {
    const repo = repoOf(request);
    const sha = shaOf(request, repo);
    const all = repo.statuses
      .filter((s) => s.sha === sha)
      .reverse()
      .map((s) => renderStatus(request.ctx, repo, s));
    const page = paginate(request, all);
    return { status: 200, body: page.items, headers: page.headers };
  },

  "GET /repos/{owner}/{repo}/commits/{ref}/status": (request) => {
    const repo = repoOf(request);
    let headers: Record<string, string> = {};
    const body = renderCombinedStatus(request.ctx, repo, shaOf(request, repo), (all) => {
      const page = paginate(request, all);
      headers = page.headers;
      return page.items;
    });
    return { status: 200, body, headers };
  },

  "POST /repos/{owner}/{repo}/check-runs": (request) => {
    const repo = repoOf(request);
    const body = request.body as CheckRunInput & { head_sha: string; name: string };
    if (!getObject(repo, body.head_sha, "commit"))
      fail(422, `No commit found for SHA: ${body.head_sha}`);
    const run = writeCheckRun(request.ctx, repo, body.head_sha, body, botLogin(request));
    return { status: 201, body: renderCheckRun(request.ctx, repo, run) };
  },

  "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": (request) => {
    const repo = repoOf(request);
    const existing = repo.checkRuns.get(Number(request.params.check_run_id));
    if (!existing) fail(404, "Not Found");
    const run = writeCheckRun(
      request.ctx,
      repo,
      existing.headSha,
      request.body as CheckRunInput,
      botLogin(request),
      existing,
    );
    return { status: 200, body: renderCheckRun(request.ctx, repo, run) };
  },

  "GET /repos/{owner}/{repo}/check-runs/{check_run_id}": (request) => {
    const repo = repoOf(request);
    const run = repo.checkRuns.get(Number(request.params.check_run_id));
    if (!run) fail(404, "Not Found");
    return { status: 200, body: renderCheckRun(request.ctx, repo, run) };
  },

  "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations": (request) => {
    const repo = repoOf(request);
    const run = repo.checkRuns.get(Number(request.params.check_run_id));
    if (!run) fail(404, "Not Found");
    const all = (run.annotations ?? []).map((a) => ({
      path: a.path,
      blob_href: `${request.ctx.webUrl}/${repo.owner}/${repo.name}/blob/${run.headSha}/${a.path}`,
      start_line: a.start_line,
      end_line: a.end_line,
      start_column: null,
      end_column: null,
      annotation_level: a.annotation_level,
      title: a.title ?? null,
      message: a.message,
      raw_details: null,
    }));
    const page = paginate(request, all);
    return { status: 200, body: page.items, headers: page.headers };
  },

  // GitHub answers with a redirect to a short-lived download URL; so does the simulator.
  "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs": (request) => {
    const repo = repoOf(request);
    const jobId = Number(request.params.job_id);
    if (!repo.jobLogs?.has(jobId)) fail(404, "Not Found");
    return {
      status: 302,
      headers: {
        location: `${request.ctx.apiUrl}${JOB_LOG_PATH}/${repo.owner}/${repo.name}/${jobId}`,
      },
    };
  },

  "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": (request) => {
    const repo = repoOf(request);
    const sha = shaOf(request, repo);
    const name = request.query.get("check_name");
    const status = request.query.get("status");
    let runs =
      request.query.get("filter") === "all"
        ? [...repo.checkRuns.values()].filter((r) => r.headSha === sha)
        : latestCheckRuns(repo, sha);
    runs = runs
      .filter((r) => (!name || r.name === name) && (!status || r.status === status))
      .sort((a, b) => b.id - a.id);
    const page = paginate(request, runs);
    return {
      status: 200,
      body: {
        total_count: runs.length,
        check_runs: page.items.map((r) => renderCheckRun(request.ctx, repo, r)),
      },
      headers: page.headers,
    };
  },

  "GET /repos/{owner}/{repo}/commits/{ref}/check-suites": (request) => {
    const repo = repoOf(request);
    const sha = shaOf(request, repo);
    const suiteId = repo.checkSuites.get(sha);
    const suites =
      suiteId === undefined
        ? []
        : [
            renderCheckSuite(
              request.ctx,
              repo,
              suiteId,
              sha,
              latestCheckRuns(repo, sha).filter((r) => r.suiteId === suiteId),
            ),
          ];
    return { status: 200, body: { total_count: suites.length, check_suites: suites } };
  },
};
