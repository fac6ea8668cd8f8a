// Issues: get, create, update (state, title, labels), lock, timeline events.
import { isoNow } from "../context";
import { paginate, repoOf, type RouteRequest, type RouteTable } from "../http/route-types";
import { emitIssueEvent } from "../payloads";
import {
  ensureLabel,
  recordIssueEvent,
  renderIssue,
  renderIssueEvent,
  touch,
} from "../render/issues";
import type { NewIssue } from "../simulator-types";
import { nextId, type IssueState, type RepoState } from "../state/store";
import { botLogin, issueOf, labelNames, type LabelInput } from "./issue-helpers";

export function createIssueState(
  request: Pick<RouteRequest, "ctx">,
  repo: RepoState,
  input: NewIssue & { isPull?: boolean },
): IssueState {
  const now = isoNow(request.ctx);
  const number = repo.nextNumber++;
  const issue: IssueState = {
    number,
    id: nextId(request.ctx.store),
    title: input.title,
    body: input.body,
    user: input.user,
    authorAssociation: input.authorAssociation ?? "NONE",
    state: "open",
    stateReason: null,
    locked: false,
    labels: [],
    assignees: [],
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    isPull: input.isPull ?? false,
    events: [],
  };
  for (const name of input.labels ?? []) {
    const label = ensureLabel(request.ctx, repo, name).name;
    issue.labels.push(label);
    recordIssueEvent(request.ctx, issue, { event: "labeled", actor: input.user, label });
  }
  repo.issues.set(number, issue);
  return issue;
}

export const issueRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/issues/{issue_number}": (request) => {
    const repo = repoOf(request);
    return { status: 200, body: renderIssue(request.ctx, repo, issueOf(request, repo)) };
  },

  "POST /repos/{owner}/{repo}/issues": (request) => {
    const repo = repoOf(request);
    const body = request.body as { title: string | number; body?: string; labels?: LabelInput[] };
    const issue = createIssueState(request, repo, {
      title: String(body.title),
      body: body.body ?? "",
      user: botLogin(request),
      labels: labelNames(body.labels ?? []),
    });
    emitIssueEvent(request.ctx, repo, issue, "opened", botLogin(request));
    return { status: 201, body: renderIssue(request.ctx, repo, issue) };
  },

  "PATCH /repos/{owner}/{repo}/issues/{issue_number}": (request) => {
    const repo = repoOf(request);
    const issue = issueOf(request, repo);
    const body = request.body as {
      title?: string;
      body?: string;
      state?: "open" | "closed";
      state_reason?: string;
      labels?: LabelInput[];
    };
    if (body.title !== undefined && String(body.title) !== issue.title) {
      const rename = { from: issue.title, to: String(body.title) };
      recordIssueEvent(request.ctx, issue, { event: "renamed", actor: botLogin(request), rename });
      issue.title = rename.to;
    }
    if (body.body !== undefined) issue.body = body.body ?? "";
    if (body.labels !== undefined)
      issue.labels = labelNames(body.labels).map((n) => ensureLabel(request.ctx, repo, n).name);
    if (body.state && body.state !== issue.state) {
      issue.state = body.state;
      issue.closedAt = body.state === "closed" ? isoNow(request.ctx) : null;
      issue.stateReason = body.state === "closed" ? (body.state_reason ?? "completed") : "reopened";
      recordIssueEvent(request.ctx, issue, {
        event: body.state === "closed" ? "closed" : "reopened",
        actor: botLogin(request),
      });
      emitIssueEvent(
        request.ctx,
        repo,
        issue,
        body.state === "closed" ? "closed" : "reopened",
        botLogin(request),
      );
    } else if (body.title !== undefined || body.body !== undefined) {
      emitIssueEvent(request.ctx, repo, issue, "edited", botLogin(request), { changes: {} });
    }
    touch(request.ctx, issue);
    return { status: 200, body: renderIssue(request.ctx, repo, issue) };
  },

  "PUT /repos/{owner}/{repo}/issues/{issue_number}/lock": (request) => {
    const repo = repoOf(request);
    const issue = issueOf(request, repo);
    issue.locked = true;
    recordIssueEvent(request.ctx, issue, { event: "locked", actor: botLogin(request) });
    return { status: 204 };
  },

  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/lock": (request) => {
    const repo = repoOf(request);
    const issue = issueOf(request, repo);
    issue.locked = false;
    recordIssueEvent(request.ctx, issue, { event: "unlocked", actor: botLogin(request) });
    return { status: 204 };
  },

  "GET /repos/{owner}/{repo}/issues/{issue_number}/events": (request) => {
    const repo = repoOf(request);
    const events = issueOf(request, repo).events.map((e) => renderIssueEvent(request.ctx, repo, e));
    const page = paginate(request, events);
    return { status: 200, body: page.items, headers: page.headers };
  },
};
