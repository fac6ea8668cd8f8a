// Maps errors from GitHub onto the factory's error vocabulary, so the state machine can react to
// them by name (Retry) instead of failing the run.
import { factoryError } from "../../contract/errors";

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
  return factoryError(
    "GitHubRateLimited",
    `GitHub rate limit: ${message} (the state machine retries this step in minutes)`,
    { status: (error as HttpErrorLike).status },
  );
}
