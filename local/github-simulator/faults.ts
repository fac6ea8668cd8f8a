// Per-endpoint fault injection: server errors, rate limits (primary 429, secondary 403), latency
// and "mergeability still being computed" reads. Each fault fires `count` times, then is spent.
import { matchRoute } from "./openapi/router";

export type FaultMode =
  | "5xx"
  | "rate-limit-429"
  | "secondary-403"
  | "latency"
  | "mergeable-null"
  /** Extension: any error answer, e.g. 403 "Resource not accessible by integration". */
  | "http-error";

export interface FaultSpec {
  /** "METHOD /template" exactly as in GitHub's description, or "*" for every endpoint. */
  route: string;
  mode: FaultMode;
  count: number;
  /** 5xx: the status to answer (default 502); http-error: default 403. */
  status?: number;
  /** http-error only: the message (default GitHub's missing-permission answer). */
  message?: string;
  /** Rate-limit modes: seconds the client must wait (default 1). */
  retryAfterSeconds?: number;
  /** latency only: delay before the request is handled (default 200). */
  latencyMs?: number;
}

export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const MERGEABLE_ROUTE = "GET /repos/{owner}/{repo}/pulls/{pull_number}";

export function checkFaultSpec(spec: FaultSpec): void {
  if (!Number.isInteger(spec.count) || spec.count < 1) {
    throw new Error(`injectFault: count must be a positive integer, got ${spec.count}`);
  }
  if (spec.mode === "mergeable-null" && spec.route !== MERGEABLE_ROUTE) {
    throw new Error(
      `injectFault: mode "mergeable-null" applies to "${MERGEABLE_ROUTE}", got "${spec.route}"`,
    );
  }
  if (spec.route === "*") return;
  const [method, template] = spec.route.split(" ");
  const probe = template?.replace(/\{[^}]+\}/g, "x");
  const match = probe ? matchRoute(method, probe) : { error: "unknown-path" };
  if ("error" in match || match.template !== template) {
    throw new Error(
      `injectFault: "${spec.route}" is not an operation of GitHub's description; use "METHOD /path/{param}" ` +
        `as documented, e.g. "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge"`,
    );
  }
}

export function createFaults() {
  const active: Array<FaultSpec & { remaining: number }> = [];

  function take(
    route: string,
    modes: FaultMode[],
  ): (FaultSpec & { remaining: number }) | undefined {
    const fault = active.find(
      (f) => f.remaining > 0 && modes.includes(f.mode) && (f.route === route || f.route === "*"),
    );
    if (fault) fault.remaining -= 1;
    return fault;
  }

  return {
    inject(spec: FaultSpec): void {
      checkFaultSpec(spec);
      active.push({ ...spec, remaining: spec.count });
    },
    clear(): void {
      active.length = 0;
    },
    /** Latency to add before handling this request (0 when none). */
    latencyFor(route: string): number {
      const fault = take(route, ["latency"]);
      return fault ? (fault.latencyMs ?? 200) : 0;
    },
    /** An error answer replacing the real one, if a fault is armed for the route. */
    errorFor(
      route: string,
      nowMs: number,
      installationId: number | undefined,
    ): FaultAnswer | undefined {
      const fault = take(route, ["5xx", "rate-limit-429", "secondary-403", "http-error"]);
      if (!fault) return undefined;
      const wait = fault.retryAfterSeconds ?? 1;
      if (fault.mode === "http-error") {
        return {
          status: fault.status ?? 403,
          headers: {},
          body: {
            message: fault.message ?? "Resource not accessible by integration",
            documentation_url: "https://docs.github.com/rest",
            status: String(fault.status ?? 403),
          },
        };
      }
      if (fault.mode === "5xx") {
        return {
          status: fault.status ?? 502,
          headers: {},
          body: { message: "Server Error (injected fault)" },
        };
      }
      if (fault.mode === "rate-limit-429") {
        return {
          status: 429,
          headers: {
            "retry-after": String(wait),
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-used": "5000",
            "x-ratelimit-reset": String(Math.floor(nowMs / 1000) + wait),
          },
          body: {
            message: `API rate limit exceeded for installation ID ${installationId ?? 0}.`,
            documentation_url:
              "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting",
          },
        };
      }
      return {
        status: 403,
        headers: { "retry-after": String(wait) },
        body: {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
          documentation_url:
            "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        },
      };
    },
    /** True when this pull read should report mergeable: null (consumes one read). */
    mergeableUnknown(route: string): boolean {
      return route === MERGEABLE_ROUTE && take(route, ["mergeable-null"]) !== undefined;
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;
