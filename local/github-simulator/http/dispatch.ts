// One request through the simulator: route (GitHub's description), faults, authentication,
// request validation, the stateful handler, then (test mode) response validation.
import type { IncomingMessage } from "node:http";
import type { KeyObject } from "node:crypto";
import { verifyAppJwt } from "../auth/app-jwt";
import type { SimContext } from "../context";
import type { Faults } from "../faults";
import { matchRoute } from "../openapi/router";
import { validateRequest, validateResponse } from "../openapi/validator";
import { repoKey } from "../state/store";
import { fail, isSimError, type Auth, type RouteResult, type RouteTable } from "./route-types";
import { answerGraphql, GRAPHQL_PATH } from "./graphql";

export interface DispatchDeps {
  ctx: SimContext;
  routes: RouteTable;
  faults: Faults;
  appPublicKey: KeyObject;
  validateResponses: boolean;
  sleep(ms: number): Promise<void>;
}

export interface DispatchOutcome extends RouteResult {
  route: string;
}

const JSON_ERROR = (status: number, message: string): RouteResult => ({
  status,
  body: { message, documentation_url: "https://docs.github.com/rest", status: String(status) },
});

function authenticate(deps: DispatchDeps, header: string | undefined, appRoute: boolean): Auth {
  const [scheme, credential] = (header ?? "").split(/\s+/, 2);
  if (!credential) fail(401, "Requires authentication");
  if (appRoute) {
    if (!/^bearer$/i.test(scheme)) {
      fail(
        401,
        "A JSON web token could not be decoded: /app endpoints need `Authorization: Bearer <App JWT>`",
      );
    }
    const nowSeconds = Math.floor(deps.ctx.now().getTime() / 1000);
    const problem = verifyAppJwt(credential, deps.appPublicKey, deps.ctx.store.app.id, nowSeconds);
    if (problem) fail(401, problem);
    return { kind: "app" };
  }
  const token = deps.ctx.store.tokens.get(credential);
  if (!token) fail(401, "Bad credentials");
  if (token.expiresAt <= deps.ctx.now().getTime())
    fail(401, "Bad credentials: the installation token has expired");
  return { kind: "installation", installationId: token.installationId };
}

/** Routes that authenticate as the App (JWT) rather than as an installation. */
function isAppRoute(route: string): boolean {
  return / \/app(\/|$)/.test(route) || route === "GET /repos/{owner}/{repo}/installation";
}

export async function dispatch(
  deps: DispatchDeps,
  req: IncomingMessage,
  rawBody: string,
): Promise<DispatchOutcome> {
  const url = new URL(req.url ?? "/", deps.ctx.apiUrl);
  const method = (req.method ?? "GET").toUpperCase();
  const pathname = url.pathname.replace(/\/+$/, "") || "/";
  if (method === "POST" && pathname === GRAPHQL_PATH) {
    const route = `POST ${GRAPHQL_PATH}`;
    try {
      const auth = authenticate(deps, req.headers.authorization, false);
      if (auth.kind !== "installation") fail(401, "Requires an installation token");
      return { route, ...answerGraphql(deps.ctx, auth.installationId, rawBody) };
    } catch (error) {
      if (isSimError(error)) return { route, status: error.status, body: error.body };
      throw error;
    }
  }
  const match = matchRoute(method, pathname);
  if ("error" in match) {
    return {
      route: `${method} ${pathname}`,
      ...JSON_ERROR(404, `Not Found: ${method} ${pathname} is not a GitHub REST endpoint`),
    };
  }
  const latency = deps.faults.latencyFor(match.route);
  if (latency) await deps.sleep(latency);

  const handler = deps.routes[match.route];
  try {
    const auth = authenticate(deps, req.headers.authorization, isAppRoute(match.route));
    const injected = deps.faults.errorFor(
      match.route,
      deps.ctx.now().getTime(),
      auth.kind === "installation" ? auth.installationId : undefined,
    );
    if (injected) return { route: match.route, ...injected };

    let body: unknown;
    const hasBody = rawBody.trim() !== "";
    if (hasBody) {
      try {
        body = JSON.parse(rawBody);
      } catch (error) {
        fail(
          400,
          `Problems parsing JSON: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    const problem = validateRequest(match, url.searchParams, body, hasBody);
    if (problem) fail(problem.status, problem.message);

    let repo;
    if (match.params.owner !== undefined && match.params.repo !== undefined) {
      repo = deps.ctx.store.repos.get(repoKey(match.params.owner, match.params.repo));
      const visible = repo && (auth.kind === "app" || repo.installationId === auth.installationId);
      if (!visible) fail(404, "Not Found");
    }
    if (!handler) {
      fail(501, `The simulator does not implement ${match.route} (it is a valid GitHub endpoint).`);
    }
    const result = handler({
      ctx: deps.ctx,
      params: match.params,
      query: url.searchParams,
      body,
      auth,
      headers: req.headers,
      repo,
      url,
      mergeableUnknown: deps.faults.mergeableUnknown(match.route),
    });
    return { route: match.route, ...checked(deps, match, result) };
  } catch (error) {
    if (isSimError(error))
      return {
        route: match.route,
        ...checked(deps, match, { status: error.status, body: error.body }),
      };
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return {
      route: match.route,
      ...JSON_ERROR(500, `simulator error in ${match.route}: ${message}`),
    };
  }
}

function checked(
  deps: DispatchDeps,
  match: Parameters<typeof validateResponse>[0],
  result: RouteResult,
): RouteResult {
  if (!deps.validateResponses || result.raw || result.body === undefined) return result;
  const violation = validateResponse(match, result.status, result.body);
  if (!violation) return result;
  return JSON_ERROR(
    500,
    `simulator response does not match GitHub's schema for ${match.route} (${result.status}): ${violation}`,
  );
}
