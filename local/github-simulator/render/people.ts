// Users and repositories as GitHub renders them (simple-user, repository, full-repository).
import type { SimContext } from "../context";
import { fill } from "../openapi/fill";
import { userId, type RepoState } from "../state/store";

const nodeId = (kind: string, id: number) => Buffer.from(`${kind}${id}`).toString("base64");

export function renderUser(ctx: SimContext, login: string): Record<string, unknown> {
  const id = userId(ctx.store, login);
  return fill("simple-user", {
    login,
    id,
    node_id: nodeId("04:User", id),
    type: login.endsWith("[bot]") ? "Bot" : "User",
    site_admin: false,
    avatar_url: `${ctx.webUrl}/avatars/${encodeURIComponent(login)}`,
    url: `${ctx.apiUrl}/users/${encodeURIComponent(login)}`,
    html_url: `${ctx.webUrl}/${encodeURIComponent(login)}`,
  });
}

function repoFields(ctx: SimContext, repo: RepoState): Record<string, unknown> {
  const fullName = `${repo.owner}/${repo.name}`;
  const api = `${ctx.apiUrl}/repos/${fullName}`;
  return {
    id: repo.id,
    node_id: nodeId("010:Repository", repo.id),
    name: repo.name,
    full_name: fullName,
    owner: renderUser(ctx, repo.owner),
    private: repo.private,
    visibility: repo.private ? "private" : "public",
    html_url: `${ctx.webUrl}/${fullName}`,
    url: api,
    git_url: `git://github.invalid/${fullName}.git`,
    clone_url: `${ctx.webUrl}/${fullName}.git`,
    default_branch: repo.defaultBranch,
    fork: false,
    archived: false,
    disabled: false,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    pushed_at: repo.createdAt,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    delete_branch_on_merge: false,
  };
}

export function renderRepository(ctx: SimContext, repo: RepoState): Record<string, unknown> {
  return fill("repository", repoFields(ctx, repo));
}

export function renderFullRepository(ctx: SimContext, repo: RepoState): Record<string, unknown> {
  return fill("full-repository", {
    ...repoFields(ctx, repo),
    network_count: 0,
    subscribers_count: 0,
  });
}

/** The `repository` object of webhook payloads (same shape as the REST repository). */
export function renderWebhookRepository(ctx: SimContext, repo: RepoState): Record<string, unknown> {
  return renderRepository(ctx, repo);
}

export { nodeId };
