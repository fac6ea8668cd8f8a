// Repository-level reads: the repository, contents, collaborator permission, compare, branches and
// branch protection's required status checks.
import { fail, repoOf, type RouteRequest, type RouteTable } from "../http/route-types";
import { fill } from "../openapi/fill";
import { renderCommit, renderContentEntry, renderDiffEntry } from "../render/git";
import { renderFullRepository, renderUser } from "../render/people";
import { commitTree, getObject, mergeBase, resolveCommitish } from "../state/git-objects";
import { commitsBetween, diffCommits } from "../state/pull-logic";
import { permissionOf } from "../state/permissions";
import type { Permission, RepoState } from "../state/store";

function getContents(request: RouteRequest) {
  const repo = repoOf(request);
  const ref = request.query.get("ref") ?? repo.defaultBranch;
  const commitSha = resolveCommitish(repo, ref);
  if (!commitSha) fail(404, `No commit found for the ref ${ref}`);
  const path = request.params.path.replace(/^\/+|\/+$/g, "");
  const flat = commitTree(repo, commitSha);
  const file = flat.get(path);
  if (file) {
    const blob = getObject(repo, file.sha, "blob")!;
    const accept = String(request.headers.accept ?? "");
    if (/application\/vnd\.github(\.v3)?\.raw/.test(accept)) {
      return {
        status: 200,
        raw: { contentType: "text/plain; charset=utf-8", text: blob.content.toString("utf8") },
      };
    }
    const entry = { type: "file" as const, sha: file.sha, size: blob.content.length };
    return {
      status: 200,
      body: renderContentEntry(request.ctx, repo, ref, path, entry, blob.content),
    };
  }
  const prefix = `${path}/`;
  const children = new Map<string, { type: "file" | "dir"; sha: string; size: number }>();
  const tree = getObject(repo, commitSha, "commit")!.tree;
  for (const [name, value] of flat) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash === -1) {
      children.set(rest, {
        type: "file",
        sha: value.sha,
        size: getObject(repo, value.sha, "blob")?.content.length ?? 0,
      });
    } else if (!children.has(rest.slice(0, slash))) {
      children.set(rest.slice(0, slash), {
        type: "dir",
        sha: subtreeSha(repo, tree, `${path}/${rest.slice(0, slash)}`),
        size: 0,
      });
    }
  }
  if (children.size === 0) fail(404, "Not Found");
  const listing = [...children.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, entry]) => renderContentEntry(request.ctx, repo, ref, `${path}/${name}`, entry));
  return { status: 200, body: listing };
}

function subtreeSha(repo: RepoState, rootTree: string, path: string): string {
  let sha = rootTree;
  for (const part of path.split("/")) {
    const entry = getObject(repo, sha, "tree")?.entries.find((e) => e.name === part);
    if (!entry) return sha;
    sha = entry.sha;
  }
  return sha;
}

const ROLE: Record<Permission, { permission: string; role: string }> = {
  admin: { permission: "admin", role: "admin" },
  maintain: { permission: "write", role: "maintain" },
  write: { permission: "write", role: "write" },
  triage: { permission: "read", role: "triage" },
  read: { permission: "read", role: "read" },
  none: { permission: "none", role: "none" },
};

function compare(request: RouteRequest) {
  const repo = repoOf(request);
  const [baseRef, headRef] = request.params.basehead.split("...");
  if (headRef === undefined) fail(404, "Not Found: use BASE...HEAD");
  const base = resolveCommitish(repo, baseRef);
  const head = resolveCommitish(repo, headRef);
  if (!base || !head) fail(404, `No commit found for ${!base ? baseRef : headRef}`);
  const mergeBaseSha = mergeBase(repo, base, head) ?? base;
  const ahead = commitsBetween(repo, base, head);
  const behind = commitsBetween(repo, head, base);
  const status =
    ahead.length === 0 && behind.length === 0
      ? "identical"
      : behind.length === 0
        ? "ahead"
        : ahead.length === 0
          ? "behind"
          : "diverged";
  const api = `${request.ctx.apiUrl}/repos/${repo.owner}/${repo.name}`;
  const web = `${request.ctx.webUrl}/${repo.owner}/${repo.name}`;
  const commit = (sha: string) => renderCommit(request.ctx, repo, sha);
  const files = diffCommits(repo, mergeBaseSha, head).map((file) =>
    renderDiffEntry(request.ctx, repo, file, head),
  );
  return {
    status: 200,
    body: fill("commit-comparison", {
      url: `${api}/compare/${request.params.basehead}`,
      html_url: `${web}/compare/${request.params.basehead}`,
      permalink_url: `${web}/compare/${base}...${head}`,
      diff_url: `${web}/compare/${request.params.basehead}.diff`,
      patch_url: `${web}/compare/${request.params.basehead}.patch`,
      base_commit: commit(base),
      merge_base_commit: commit(mergeBaseSha),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: ahead.map(commit),
      files,
    }),
  };
}

function requiredChecks(request: RouteRequest, repo: RepoState): string[] {
  const branch = request.params.branch;
  if (!repo.refs.has(`heads/${branch}`)) fail(404, "Branch not found");
  const contexts = repo.requiredChecks.get(branch);
  if (!contexts) fail(404, "Branch not protected");
  return contexts;
}

function renderRequiredChecks(request: RouteRequest, repo: RepoState, contexts: string[]) {
  const url = `${request.ctx.apiUrl}/repos/${repo.owner}/${repo.name}/branches/${request.params.branch}/protection/required_status_checks`;
  return fill("status-check-policy", {
    url,
    strict: false,
    contexts,
    checks: contexts.map((context) => ({ context, app_id: null })),
    contexts_url: `${url}/contexts`,
  });
}

export const repoRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}": (request) => ({
    status: 200,
    body: renderFullRepository(request.ctx, repoOf(request)),
  }),

  "GET /repos/{owner}/{repo}/contents/{path}": getContents,

  "GET /repos/{owner}/{repo}/collaborators/{username}/permission": (request) => {
    const repo = repoOf(request);
    const login = request.params.username;
    const level = permissionOf(repo, login);
    return {
      status: 200,
      body: fill("repository-collaborator-permission", {
        permission: ROLE[level].permission,
        role_name: ROLE[level].role,
        user: { ...renderUser(request.ctx, login), role_name: ROLE[level].role },
      }),
    };
  },

  "GET /repos/{owner}/{repo}/compare/{basehead}": compare,

  "GET /repos/{owner}/{repo}/branches/{branch}": (request) => {
    const repo = repoOf(request);
    const branch = request.params.branch;
    const sha = repo.refs.get(`heads/${branch}`);
    if (!sha) fail(404, "Branch not found");
    const contexts = repo.requiredChecks.get(branch);
    const api = `${request.ctx.apiUrl}/repos/${repo.owner}/${repo.name}/branches/${branch}`;
    return {
      status: 200,
      body: fill("branch-with-protection", {
        name: branch,
        commit: renderCommit(request.ctx, repo, sha),
        _links: {
          html: `${request.ctx.webUrl}/${repo.owner}/${repo.name}/tree/${branch}`,
          self: api,
        },
        protected: contexts !== undefined,
        protection: {
          enabled: contexts !== undefined,
          required_status_checks: {
            enforcement_level: contexts ? "non_admins" : "off",
            contexts: contexts ?? [],
            checks: (contexts ?? []).map((context) => ({ context, app_id: null })),
          },
        },
        protection_url: `${api}/protection`,
      }),
    };
  },

  "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks": (request) => {
    const repo = repoOf(request);
    return {
      status: 200,
      body: renderRequiredChecks(request, repo, requiredChecks(request, repo)),
    };
  },

  "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts": (
    request,
  ) => {
    const repo = repoOf(request);
    return { status: 200, body: requiredChecks(request, repo) };
  },

  "GET /repos/{owner}/{repo}/branches/{branch}/protection": (request) => {
    const repo = repoOf(request);
    const contexts = requiredChecks(request, repo);
    const url = `${request.ctx.apiUrl}/repos/${repo.owner}/${repo.name}/branches/${request.params.branch}/protection`;
    return {
      status: 200,
      body: fill("branch-protection", {
        url,
        enabled: true,
        required_status_checks: renderRequiredChecks(request, repo, contexts),
      }),
    };
  },

  "GET /repos/{owner}/{repo}/commits/{ref}": (request) => {
    const repo = repoOf(request);
    const sha = resolveCommitish(repo, request.params.ref);
    if (!sha) fail(422, `No commit found for SHA: ${request.params.ref}`);
    const parents = getObject(repo, sha, "commit")!.parents;
    const files = parents[0] ? diffCommits(repo, parents[0], sha) : [];
    return {
      status: 200,
      body: renderCommit(request.ctx, repo, sha, {
        files: files.map((file) => renderDiffEntry(request.ctx, repo, file, sha)),
        stats: {
          additions: files.reduce((s, f) => s + f.additions, 0),
          deletions: files.reduce((s, f) => s + f.deletions, 0),
          total: files.reduce((s, f) => s + f.additions + f.deletions, 0),
        },
      }),
    };
  },
};
