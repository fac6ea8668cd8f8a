// App-level endpoints: the App itself, installations and installation access tokens.
import { randomBytes } from "node:crypto";
import { fill } from "../openapi/fill";
import { renderApp } from "../render/checks";
import { renderRepository, renderUser } from "../render/people";
import { fail, paginate, repoOf, type RouteRequest, type RouteTable } from "../http/route-types";
import type { InstallationState } from "../state/store";
import type { SimContext } from "../context";
import { SANDBOX_APP_EVENTS, SANDBOX_APP_PERMISSIONS } from "../app-manifest";

/** Installation tokens live one hour, like GitHub's. */
export const TOKEN_TTL_MS = 60 * 60 * 1000;

function renderInstallation(ctx: SimContext, installation: InstallationState) {
  return fill("installation", {
    id: installation.id,
    app_id: ctx.store.app.id,
    app_slug: ctx.store.app.slug,
    client_id: `Iv1.sim${ctx.store.app.id}`,
    target_id: installation.accountId,
    target_type: "Organization",
    account: renderUser(ctx, installation.account),
    repository_selection: "selected",
    access_tokens_url: `${ctx.apiUrl}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${ctx.apiUrl}/installation/repositories`,
    html_url: `${ctx.webUrl}/organizations/${installation.account}/settings/installations/${installation.id}`,
    permissions: SANDBOX_APP_PERMISSIONS,
    events: SANDBOX_APP_EVENTS,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    single_file_name: null,
    suspended_by: null,
    suspended_at: null,
  });
}

function installationOf(request: RouteRequest): InstallationState {
  const installation = request.ctx.store.installations.get(Number(request.params.installation_id));
  if (!installation) fail(404, "Not Found");
  return installation;
}

export const appRoutes: RouteTable = {
  "GET /app": ({ ctx }) => ({ status: 200, body: renderApp(ctx) }),

  "GET /app/installations": (request) => {
    const all = [...request.ctx.store.installations.values()].map((i) =>
      renderInstallation(request.ctx, i),
    );
    const page = paginate(request, all);
    return { status: 200, body: page.items, headers: page.headers };
  },

  "GET /app/installations/{installation_id}": (request) => ({
    status: 200,
    body: renderInstallation(request.ctx, installationOf(request)),
  }),

  "GET /repos/{owner}/{repo}/installation": (request) => {
    const installation = request.ctx.store.installations.get(repoOf(request).installationId);
    if (!installation) fail(404, "Not Found");
    return { status: 200, body: renderInstallation(request.ctx, installation) };
  },

  "POST /app/installations/{installation_id}/access_tokens": (request) => {
    const installation = installationOf(request);
    const token = `ghs_${randomBytes(18).toString("base64url")}`;
    const expiresAt = request.ctx.now().getTime() + TOKEN_TTL_MS;
    request.ctx.store.tokens.set(token, { installationId: installation.id, expiresAt });
    return {
      status: 201,
      body: fill("installation-token", {
        token,
        expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
        permissions: SANDBOX_APP_PERMISSIONS,
        repository_selection: "selected",
      }),
    };
  },

  "GET /installation/repositories": (request) => {
    if (request.auth.kind !== "installation") fail(403, "Installation token required");
    const installationId = request.auth.installationId;
    const repos = [...request.ctx.store.repos.values()].filter(
      (r) => r.installationId === installationId,
    );
    const page = paginate(
      request,
      repos.map((repo) => renderRepository(request.ctx, repo)),
    );
    return {
      status: 200,
      body: {
        total_count: repos.length,
        repository_selection: "selected",
        repositories: page.items,
      },
      headers: page.headers,
    };
  },
};
