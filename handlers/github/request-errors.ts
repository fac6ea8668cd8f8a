// What a failed GitHub request means, in the operator's words: a request that never reached
// GitHub is "connection refused to <url>" (not Octokit's "500 with id UNKNOWN"), one the
// invocation deadline stopped is AFU9.TaskDeadlineExceeded. Answers from GitHub pass unchanged.
import { factoryError } from "../../contract/errors";

interface FailedRequest {
  name?: string;
  status?: number;
  response?: unknown;
  cause?: unknown;
  message?: string;
}

const NETWORK_CODES: Array<[string, string]> = [
  ["ECONNREFUSED", "connection refused to"],
  ["ENOTFOUND", "host not found (DNS) for"],
  ["EAI_AGAIN", "host not found (DNS) for"],
  ["ETIMEDOUT", "connection timed out to"],
  ["UND_ERR_CONNECT_TIMEOUT", "connection timed out to"],
  ["ECONNRESET", "connection reset by"],
  ["EHOSTUNREACH", "host unreachable:"],
  ["ENETUNREACH", "network unreachable for"],
  ["CERT_HAS_EXPIRED", "TLS certificate expired for"],
  ["DEPTH_ZERO_SELF_SIGNED_CERT", "TLS certificate not trusted for"],
  ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "TLS certificate not trusted for"],
];

function causeCode(error: unknown): string | undefined {
  // fetch's TypeError("fetch failed") carries the socket error as its cause (sometimes nested).
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isAbort(error: FailedRequest): boolean {
  return error.name === "AbortError" || error.name === "TimeoutError";
}

/** Octokit's answer-less 500: fetch never got a response. */
function isNetworkFailure(error: FailedRequest): boolean {
  return error.status === 500 && error.response === undefined && error.cause !== undefined;
}

export function describeRequestFailure(
  error: unknown,
  request: { method: string; url: string },
  signal: AbortSignal | undefined,
): unknown {
  if (typeof error !== "object" || error === null) return error;
  const failed = error as FailedRequest;
  const target = `${request.method} ${request.url}`;
  if (isAbort(failed) || (signal?.aborted && isNetworkFailure(failed))) {
    return factoryError(
      "TaskDeadlineExceeded",
      `stopped ${target} because the task's Lambda time was nearly spent; raise the function's timeout if this repeats`,
    );
  }
  if (isNetworkFailure(failed)) {
    const code = causeCode(failed.cause);
    const words = NETWORK_CODES.find(([known]) => known === code)?.[1];
    const detail = words
      ? `${words} ${request.url}`
      : `cannot reach ${request.url} (${failed.message ?? code ?? "network error"})`;
    return factoryError(
      "GitHubUnreachable",
      `${detail} (${request.method}): check the GitHub API URL (githubApiUrl) and the network path`,
      { code },
    );
  }
  return error;
}
