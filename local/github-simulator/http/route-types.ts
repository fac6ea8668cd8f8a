// The contract between the HTTP dispatcher and the stateful route handlers.
import type { SimContext } from "../context";
import type { RepoState } from "../state/store";

export type Auth = { kind: "app" } | { kind: "installation"; installationId: number };

export interface RouteRequest {
  ctx: SimContext;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  auth: Auth;
  headers: Record<string, string | string[] | undefined>;
  /** The repository named by {owner}/{repo}, already checked to be visible to the token. */
  repo?: RepoState;
  /** Full request URL, for Link headers. */
  url: URL;
  /** Fault injection: this read should report mergeability as still being computed. */
  mergeableUnknown: boolean;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Non-JSON body (raw media type); not schema-validated. */
  raw?: { contentType: string; text: string };
}

export type RouteHandler = (request: RouteRequest) => RouteResult;
export type RouteTable = Record<string, RouteHandler>;

export interface SimErrorShape {
  simError: true;
  status: number;
  body: Record<string, unknown>;
}

const DOCS = "https://docs.github.com/rest";

/** Throws GitHub's error answer; the dispatcher turns it into the HTTP response. */
export function fail(status: number, message: string, extra: Record<string, unknown> = {}): never {
  const error: SimErrorShape = {
    simError: true,
    status,
    body: { message, documentation_url: DOCS, status: String(status), ...extra },
  };
  throw error;
}

export function isSimError(value: unknown): value is SimErrorShape {
  return typeof value === "object" && value !== null && (value as SimErrorShape).simError === true;
}

/** GitHub's 422 "Validation Failed" with one error entry. */
export function validationFailed(
  resource: string,
  field: string,
  code: string,
  message?: string,
): never {
  return fail(422, "Validation Failed", {
    errors: [{ resource, field, code, ...(message ? { message } : {}) }],
  });
}

/** page/per_page slicing with a Link header like GitHub's (rel="next", "last", ...). */
export function paginate<T>(
  request: RouteRequest,
  items: T[],
): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(request.query.get("per_page") ?? 30) || 30, 1), 100);
  const page = Math.max(Number(request.query.get("page") ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string) => {
    const url = new URL(request.url.toString());
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"), link(page - 1, "prev"));
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(", ") } : {},
  };
}

/** The route's repository (the dispatcher resolved and access-checked it). */
export function repoOf(request: RouteRequest): RepoState {
  if (!request.repo) fail(404, "Not Found");
  return request.repo;
}
