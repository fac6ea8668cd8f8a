// Issues, labels and issue comments (PR conversation comments are issue comments too).
import { isoNow } from "../context";
import {
  fail,
  paginate,
  repoOf,
  validationFailed,
  type RouteRequest,
  type RouteTable,
} from "../http/route-types";
import { emitCommentEvent, emitIssueEvent } from "../payloads";
import {
  ensureLabel,
  recordIssueEvent,
  renderComment,
  renderIssue,
  renderIssueEvent,
  renderLabel,
  touch,
} from "../render/issues";
import { nextId, type IssueState, type RepoState } from "../state/store";

export function botLogin(request: RouteRequest): string {
  return `${request.ctx.store.app.slug}[bot]`;
}

function issueOf(request: RouteRequest, repo: RepoState): IssueState {
  const issue = repo.issues.get(Number(request.params.issue_number));
  if (!issue) fail(404, "Not Found");
  return issue;
}

function commentOf(request: RouteRequest, repo: RepoState) {
  const comment = repo.comments.get(Number(request.params.comment_id));
  if (!comment) fail(404, "Not Found");
  return comment;
}

type LabelInput = string | { name: string };

function labelNames(body: unknown): string[] {
  const list = (
    Array.isArray(body) ? body : ((body as { labels?: LabelInput[] })?.labels ?? [])
  ) as LabelInput[];
  return list.map((label) => (typeof label === "string" ? label : label.name));
}

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
export function createIssueState(
  request: Pick<RouteRequest, "ctx">,
  repo: RepoState,
  input: {
    title: string;
    body: string;
    user: string;
    labels?: string[];
    authorAssociation?: string;
    isPull?: boolean;
  },
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

  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": (request) => {
    const repo = repoOf(request);
    const issue = issueOf(request, repo);
    const all = [...repo.comments.values()]
      .filter((c) => c.issueNumber === issue.number)
      .map((c) => renderComment(request.ctx, repo, c));
    const page = paginate(request, all);
    return { status: 200, body: page.items, headers: page.headers };
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": (request) => {
    const repo = repoOf(request);
    const issue = issueOf(request, repo);
    if (issue.locked) fail(403, "Unable to create comment because issue is locked.");
    const now = isoNow(request.ctx);
    const comment = {
      id: nextId(request.ctx.store),
      issueNumber: issue.number,
      body: (request.body as { body: string }).body,
      user: botLogin(request),
      authorAssociation: "NONE",
      createdAt: now,
      updatedAt: now,
    };
    repo.comments.set(comment.id, comment);
    touch(request.ctx, issue);
    emitCommentEvent(request.ctx, repo, comment, "created", botLogin(request));
    return { status: 201, body: renderComment(request.ctx, repo, comment) };
  },

  "GET /repos/{owner}/{repo}/issues/comments/{comment_id}": (request) => {
    const repo = repoOf(request);
    return { status: 200, body: renderComment(request.ctx, repo, commentOf(request, repo)) };
  },

  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": (request) => {
    const repo = repoOf(request);
    const comment = commentOf(request, repo);
    const previous = comment.body;
    comment.body = (request.body as { body: string }).body;
    comment.updatedAt = isoNow(request.ctx);
    emitCommentEvent(request.ctx, repo, comment, "edited", botLogin(request), {
      changes: { body: { from: previous } },
    });
    return { status: 200, body: renderComment(request.ctx, repo, comment) };
  },

  "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}": (request) => {
    const repo = repoOf(request);
    const comment = commentOf(request, repo);
    repo.comments.delete(comment.id);
    emitCommentEvent(request.ctx, repo, comment, "deleted", botLogin(request));
    return { status: 204 };
  },
};
