// Pull requests: create, get, list (head/base/state filters), update, files, merge with sha pinning.
import { isoNow } from "../context";
import {
  fail,
  paginate,
  repoOf,
  validationFailed,
  type RouteRequest,
  type RouteTable,
} from "../http/route-types";
import { fill } from "../openapi/fill";
import { emitPullEvent } from "../payloads";
import { renderCommit, renderDiffEntry } from "../render/git";
import { renderPull } from "../render/pulls";
import {
  isAncestor,
  mergeBase,
  mergeTrees,
  writeCommit,
  writeFlatTree,
} from "../state/git-objects";
import {
  closePullState,
  commitsBetween,
  diffCommits,
  mergeability,
  pullHeadSha,
} from "../state/pull-logic";
import { nextId, type PullState, type RepoState } from "../state/store";
import { moveRef } from "./ref-updates";
import { botLogin } from "./issue-helpers";
import { closeReferencedIssues } from "./close-referenced-issues";
import { createIssueState } from "./issues";

export function pullOf(request: RouteRequest, repo: RepoState): PullState {
  const pull = repo.pulls.get(Number(request.params.pull_number));
  if (!pull) fail(404, "Not Found");
  return pull;
}

function branchOf(repo: RepoState, head: string): string {
  const [owner, branch] = head.includes(":") ? head.split(/:(.*)/s) : [repo.owner, head];
  if (owner.toLowerCase() !== repo.owner.toLowerCase()) {
    validationFailed(
      "PullRequest",
      "head",
      "invalid",
      "cross-repository pull requests are not simulated",
    );
  }
  return branch;
}

function createPull(request: RouteRequest) {
  const repo = repoOf(request);
  const body = request.body as {
    title?: string;
    head: string;
    base: string;
    body?: string;
    draft?: boolean;
    maintainer_can_modify?: boolean;
  };
  if (body.title === undefined) validationFailed("PullRequest", "title", "missing_field");
  const head = branchOf(repo, body.head);
  const headSha = repo.refs.get(`heads/${head}`);
  const baseSha = repo.refs.get(`heads/${body.base}`);
  if (!baseSha) validationFailed("PullRequest", "base", "invalid");
  if (!headSha) validationFailed("PullRequest", "head", "invalid");
  const existing = [...repo.pulls.values()].find(
    (p) => p.head === head && p.base === body.base && repo.issues.get(p.number)?.state === "open",
  );
  if (existing) {
    validationFailed(
      "PullRequest",
      "head",
      "custom",
      `A pull request already exists for ${repo.owner}:${head}.`,
    );
  }
  if (commitsBetween(repo, baseSha, headSha).length === 0) {
    validationFailed(
      "PullRequest",
      "head",
      "custom",
      `No commits between ${body.base} and ${head}`,
    );
  }
  const issue = createIssueState(request, repo, {
    title: body.title,
    body: body.body ?? "",
    user: botLogin(request),
    isPull: true,
  });
  const pull: PullState = {
    number: issue.number,
    id: nextId(request.ctx.store),
    head,
    base: body.base,
    headSha,
    baseSha,
    draft: body.draft ?? false,
    maintainerCanModify: body.maintainer_can_modify ?? false,
    mergeableComputingReads: request.ctx.mergeableComputeReads,
    merged: false,
    mergedAt: null,
    mergedBy: null,
    mergeCommitSha: null,
  };
  repo.pulls.set(pull.number, pull);
  emitPullEvent(request.ctx, repo, pull, "opened", botLogin(request));
  return { status: 201, body: renderPull(request.ctx, repo, pull) };
}

function mergePull(request: RouteRequest) {
  const repo = repoOf(request);
  const pull = pullOf(request, repo);
  const issue = repo.issues.get(pull.number)!;
  const body = (request.body ?? {}) as {
    sha?: string;
    merge_method?: "merge" | "squash" | "rebase";
    commit_title?: string;
    commit_message?: string;
  };
  if (issue.state !== "open" || pull.merged) fail(405, "Pull Request is not mergeable");
  if (pull.draft) fail(405, "Pull Request is still a draft");
  const headSha = pullHeadSha(repo, pull, true);
  if (body.sha !== undefined && body.sha !== headSha) {
    fail(409, "Head branch was modified. Review and try the merge again.");
  }
  const state = mergeability(repo, pull);
  if (!state.mergeable) fail(405, "Pull Request is not mergeable");
  if (state.missingChecks.length) {
    fail(405, `Required status check "${state.missingChecks[0]}" is expected.`);
  }
  if (state.ruleViolations.length) {
    fail(405, `Repository rule violations found\n\n${state.ruleViolations.join("\n")}\n`);
  }
  const baseSha = repo.refs.get(`heads/${pull.base}`)!;
  const method = body.merge_method ?? "merge";
  const bot = botLogin(request);
  const person = {
    name: bot,
    email: `${request.ctx.store.app.id}+${bot}@users.noreply.github.com`,
    date: isoNow(request.ctx),
  };
  let mergedSha: string;
  if (method === "rebase" && isAncestor(repo, baseSha, headSha)) {
    // Replaying commits onto the base they already sit on gives the same commits: fast-forward.
    mergedSha = headSha;
  } else {
    const { flat } = mergeTrees(repo, mergeBase(repo, baseSha, headSha), baseSha, headSha);
    const tree = writeFlatTree(repo, flat);
    const title =
      body.commit_title ??
      (method === "merge"
        ? `Merge pull request #${pull.number} from ${repo.owner}/${pull.head}`
        : `${issue.title} (#${pull.number})`);
    const message = body.commit_message ?? (method === "merge" ? issue.title : "");
    mergedSha = writeCommit(repo, {
      tree,
      parents: method === "merge" ? [baseSha, headSha] : [baseSha],
      message: message ? `${title}\n\n${message}` : title,
      author: person,
    });
  }
  closePullState(repo, pull, isoNow(request.ctx));
  pull.merged = true;
  pull.mergedAt = issue.closedAt;
  pull.mergedBy = bot;
  pull.mergeCommitSha = mergedSha;
  moveRef(request, repo, `heads/${pull.base}`, mergedSha);
  pull.baseSha = baseSha;
  emitPullEvent(request.ctx, repo, pull, "closed", bot);
  if (pull.base === repo.defaultBranch) closeReferencedIssues(request.ctx, repo, pull, issue.body);
  return {
    status: 200,
    body: fill("pull-request-merge-result", {
      sha: mergedSha,
      merged: true,
      message: "Pull Request successfully merged",
    }),
  };
}

/** What a PR shows: from the merge base with its base branch (now, or at merge/close) to its head. */
function pullRange(repo: RepoState, pull: PullState): { from: string; head: string } {
  const open = repo.issues.get(pull.number)?.state === "open";
  const head = pullHeadSha(repo, pull, open);
  const base = open ? repo.refs.get(`heads/${pull.base}`)! : pull.baseSha;
  return { from: mergeBase(repo, base, head) ?? base, head };
}

export const pullRoutes: RouteTable = {
  "POST /repos/{owner}/{repo}/pulls": createPull,

  "GET /repos/{owner}/{repo}/pulls/{pull_number}": (request) => {
    const repo = repoOf(request);
    const pull = pullOf(request, repo);
    const computing = pull.mergeableComputingReads > 0;
    if (computing) pull.mergeableComputingReads -= 1;
    return {
      status: 200,
      body: renderPull(request.ctx, repo, pull, {
        mergeableUnknown: request.mergeableUnknown || computing,
      }),
    };
  },

  "GET /repos/{owner}/{repo}/pulls": (request) => {
    const repo = repoOf(request);
    const state = request.query.get("state") ?? "open";
    const head = request.query.get("head");
    const base = request.query.get("base");
    const pulls = [...repo.pulls.values()]
      .filter((p) => state === "all" || repo.issues.get(p.number)?.state === state)
      .filter(
        (p) =>
          !head ||
          `${repo.owner}:${p.head}`.toLowerCase() === head.toLowerCase() ||
          (!head.includes(":") && p.head === head),
      )
      .filter((p) => !base || p.base === base)
      .sort((a, b) =>
        request.query.get("direction") === "asc" ? a.number - b.number : b.number - a.number,
      );
    const page = paginate(
      request,
      pulls.map((p) => renderPull(request.ctx, repo, p, { simple: true })),
    );
    return { status: 200, body: page.items, headers: page.headers };
  },

  "PATCH /repos/{owner}/{repo}/pulls/{pull_number}": (request) => {
    const repo = repoOf(request);
    const pull = pullOf(request, repo);
    const issue = repo.issues.get(pull.number)!;
    const body = request.body as {
      title?: string;
      body?: string;
      state?: "open" | "closed";
      base?: string;
      maintainer_can_modify?: boolean;
    };
    if (body.base !== undefined) {
      if (!repo.refs.has(`heads/${body.base}`)) validationFailed("PullRequest", "base", "invalid");
      pull.base = body.base;
    }
    if (body.title !== undefined) issue.title = body.title;
    if (body.body !== undefined) issue.body = body.body;
    if (body.maintainer_can_modify !== undefined)
      pull.maintainerCanModify = body.maintainer_can_modify;
    issue.updatedAt = isoNow(request.ctx);
    if (body.state === "closed" && issue.state === "open" && !pull.merged) {
      closePullState(repo, pull, isoNow(request.ctx));
      emitPullEvent(request.ctx, repo, pull, "closed", botLogin(request));
    } else if (body.state === "open" && issue.state === "closed" && !pull.merged) {
      issue.state = "open";
      issue.closedAt = null;
      emitPullEvent(request.ctx, repo, pull, "reopened", botLogin(request));
    } else {
      emitPullEvent(request.ctx, repo, pull, "edited", botLogin(request));
    }
    return { status: 200, body: renderPull(request.ctx, repo, pull) };
  },

  "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": (request) => {
    const repo = repoOf(request);
    const pull = pullOf(request, repo);
    const { from, head } = pullRange(repo, pull);
    const files = diffCommits(repo, from, head).map((file) =>
      renderDiffEntry(request.ctx, repo, file, head),
    );
    const page = paginate(request, files);
    return { status: 200, body: page.items, headers: page.headers };
  },

  "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits": (request) => {
    const repo = repoOf(request);
    const pull = pullOf(request, repo);
    const { from, head } = pullRange(repo, pull);
    const commits = commitsBetween(repo, from, head).map((sha) =>
      renderCommit(request.ctx, repo, sha),
    );
    const page = paginate(request, commits);
    return { status: 200, body: page.items, headers: page.headers };
  },

  "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge": mergePull,

  "GET /repos/{owner}/{repo}/pulls/{pull_number}/merge": (request) => {
    const repo = repoOf(request);
    if (!pullOf(request, repo).merged) fail(404, "Not Found");
    return { status: 204 };
  },
};
