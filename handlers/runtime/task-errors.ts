import type { InvocationDeadline } from "./invocation-deadline";

// Errors a task function reports to Step Functions by name, so the state machine can react to them
// (Retry) instead of failing the run. Lambda reports a thrown error's `name` as its error type.

/**
 * GitHub rate-limited the App beyond what one invocation may wait out (the client gives up when
 * retry-after exceeds its cap). The state machine retries the task minutes later.
 */
export const GITHUB_RATE_LIMITED = "AFU9.GitHubRateLimited";

interface HttpErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown> };
}

function isRateLimit(error: HttpErrorLike): boolean {
  if (error.status === 429) return true;
  if (error.status !== 403) return false;
  // A 403 is a rate limit only when GitHub says so (primary: remaining 0; secondary: message).
  const remaining = error.response?.headers?.["x-ratelimit-remaining"];
  return String(remaining) === "0" || /rate limit/i.test(String(error.message ?? ""));
}

/** Maps a GitHub rate-limit error to AFU9.GitHubRateLimited; anything else is returned as is. */
export function asTaskError(error: unknown): unknown {
  if (typeof error !== "object" || error === null || !isRateLimit(error as HttpErrorLike)) {
    return error;
  }
  const message = String((error as HttpErrorLike).message ?? "rate limited");
  return Object.assign(new Error(`GitHub rate limit: ${message}`), {
    name: GITHUB_RATE_LIMITED,
    status: (error as HttpErrorLike).status,
  });
}

/**
 * Wraps a task handler so rate limits reach Step Functions under their own error name, and (with
 * a deadline) runs each invocation under its Lambda context's remaining time.
 */
export function withTaskErrors<E, R>(
  handler: (event: E) => Promise<R>,
  deadline?: InvocationDeadline,
): (event: E, context?: unknown) => Promise<R> {
  return async (event: E, context?: unknown) => {
    try {
      return await (deadline ? deadline.run(context, () => handler(event)) : handler(event));
    } catch (error) {
      throw asTaskError(error);
    }
  };
}
