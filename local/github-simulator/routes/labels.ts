// Labels: on an issue (list, add, set, remove) and of the repository (list, get, create).
import {
  fail,
  paginate,
  repoOf,
  validationFailed,
  type RouteRequest,
  type RouteTable,
} from "../http/route-types";
import { emitIssueEvent } from "../payloads";
import { ensureLabel, recordIssueEvent, renderLabel, touch } from "../render/issues";
import { nextId, type IssueState, type RepoState } from "../state/store";
import { botLogin, issueOf, labelNames } from "./issue-helpers";

function addLabels(
  request: RouteRequest,
  repo: RepoState,
  issue: IssueState,
  names: string[],
): void {
  for (const name of names) {
    const label = ensureLabel(request.ctx, repo, name);
    if (issue.labels.some((l) => l.toLowerCase() === name.toLowerCase())) continue;
    issue.labels.push(label.name);
    recordIssueEvent(request.ctx, issue, {
      event: "labeled",
      actor: botLogin(request),
      label: label.name,
    });
    touch(request.ctx, issue);
    emitIssueEvent(request.ctx, repo, issue, "labeled", botLogin(request), {
      label: renderLabel(request.ctx, repo, label),
    });
  }
}

function issueLabels(request: RouteRequest, repo: RepoState, issue: IssueState) {
  return issue.labels.map((name) =>
    renderLabel(request.ctx, repo, ensureLabel(request.ctx, repo, name)),
  );
}

/** Creates an issue in the store (the REST route and the programmatic API share this). */

export const labelRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/issues/{issue_number}/labels": (request) => {
    const repo = repoOf(request);
    const page = paginate(request, issueLabels(request, repo, issueOf(request, repo)));
    return { status: 200, body: page.items, headers: page.headers };
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/labels": (request) => {
    const repo = repoOf(request);
    const issue = issueOf(request, repo);
    addLabels(request, repo, issue, labelNames(request.body));
    return { status: 200, body: issueLabels(request, repo, issue) };
  },

  "PUT /repos/{owner}/{repo}/issues/{issue_number}/labels": (request) => {
    const repo = repoOf(request);
    const issue = issueOf(request, repo);
    issue.labels = [];
    addLabels(request, repo, issue, labelNames(request.body));
    return { status: 200, body: issueLabels(request, repo, issue) };
  },

  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}": (request) => {
    const repo = repoOf(request);
    const issue = issueOf(request, repo);
    const index = issue.labels.findIndex(
      (l) => l.toLowerCase() === request.params.name.toLowerCase(),
    );
    if (index === -1) fail(404, "Label does not exist");
    const [removed] = issue.labels.splice(index, 1);
    recordIssueEvent(request.ctx, issue, {
      event: "unlabeled",
      actor: botLogin(request),
      label: removed,
    });
    touch(request.ctx, issue);
    emitIssueEvent(request.ctx, repo, issue, "unlabeled", botLogin(request), {
      label: renderLabel(request.ctx, repo, ensureLabel(request.ctx, repo, removed)),
    });
    return { status: 200, body: issueLabels(request, repo, issue) };
  },

  "GET /repos/{owner}/{repo}/labels": (request) => {
    const repo = repoOf(request);
    const page = paginate(
      request,
      [...repo.labels.values()].map((l) => renderLabel(request.ctx, repo, l)),
    );
    return { status: 200, body: page.items, headers: page.headers };
  },

  "GET /repos/{owner}/{repo}/labels/{name}": (request) => {
    const repo = repoOf(request);
    const label = repo.labels.get(request.params.name.toLowerCase());
    if (!label) fail(404, "Not Found");
    return { status: 200, body: renderLabel(request.ctx, repo, label) };
  },

  "POST /repos/{owner}/{repo}/labels": (request) => {
    const repo = repoOf(request);
    const body = request.body as { name: string; color?: string; description?: string };
    if (repo.labels.has(body.name.toLowerCase()))
      validationFailed("Label", "name", "already_exists");
    const color = (body.color ?? "ededed").replace(/^#/, "");
    if (!/^[0-9a-fA-F]{6}$/.test(color)) validationFailed("Label", "color", "invalid");
    const label = {
      id: nextId(request.ctx.store),
      name: body.name,
      color,
      description: body.description ?? null,
    };
    repo.labels.set(body.name.toLowerCase(), label);
    return { status: 201, body: renderLabel(request.ctx, repo, label) };
  },
};
