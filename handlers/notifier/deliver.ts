// Posting one payload to one destination: bounded retries on 429 and 5xx (and network errors),
// honouring Retry-After, within a total wait budget; then give up and say so. Never throws: a
// notification that cannot be delivered is logged and counted, and nothing else is affected.
// The URL is a credential: it appears in no log line, error or result.
import type { NotifyDestination } from "../../contract/environment";
import type { Clock } from "../shared/types";

export interface DeliveryPolicy {
  /** Attempts in all (first try included). */
  maxAttempts: number;
  /** Sum of all waits between attempts; a Retry-After beyond what is left ends the retries. */
  maxTotalWaitMs: number;
  /** Wait before retry n (1-based) when the answer names none: base * 2^(n-1). */
  baseDelayMs: number;
  /** One request's time limit. */
  requestTimeoutMs: number;
}

/** 4 attempts, at most 20 s of waiting, 5 s per request: under a minute per destination. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 4,
  maxTotalWaitMs: 20_000,
  baseDelayMs: 1_000,
  requestTimeoutMs: 5_000,
};

export type HttpPost = (
  url: string,
  init: { body: string; headers: Record<string, string>; signal: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null } }>;

export interface DeliveryResult {
  delivered: boolean;
  attempts: number;
  /** Last HTTP status (0: no answer). */
  status: number;
  /** Milliseconds waited between attempts, as asked (Retry-After) or by backoff. */
  waitsMs: number[];
  /** Why it was not delivered (no URL in it). */
  reason?: string;
}

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Retry-After: delay-seconds or an HTTP-date (RFC 9110 10.2.3); undefined when absent or bad. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export async function deliver(
  destination: NotifyDestination,
  payload: unknown,
  deps: { post: HttpPost; clock: Clock },
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
): Promise<DeliveryResult> {
  const body = JSON.stringify(payload);
  const waitsMs: number[] = [];
  let waited = 0;
  let status = 0;
  let reason = "";
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt += 1) {
    let retryAfter: number | undefined;
    try {
      const response = await deps.post(destination.url, {
        body,
        headers: { "content-type": "application/json" },
        signal: AbortSignal.timeout(policy.requestTimeoutMs),
      });
      status = response.status;
      if (status >= 200 && status < 300) {
        return { delivered: true, attempts: attempt, status, waitsMs };
      }
      reason = `HTTP ${status}`;
      if (!retryable(status)) {
        return { delivered: false, attempts: attempt, status, waitsMs, reason };
      }
      retryAfter = retryAfterMs(response.headers.get("retry-after"), deps.clock.now());
    } catch (error) {
      status = 0;
      // The error's message may quote the URL (fetch does): only its name is kept.
      reason = `no answer (${error instanceof Error ? error.name : "error"})`;
    }
    if (attempt === policy.maxAttempts) break;
    const delay = retryAfter ?? policy.baseDelayMs * 2 ** (attempt - 1);
    if (waited + delay > policy.maxTotalWaitMs) {
      reason = `${reason}; the next retry (in ${Math.ceil(delay / 1000)} s) exceeds the wait budget`;
      return { delivered: false, attempts: attempt, status, waitsMs, reason };
    }
    waitsMs.push(delay);
    waited += delay;
    await deps.clock.sleep(delay);
  }
  return { delivered: false, attempts: policy.maxAttempts, status, waitsMs, reason };
}

/** The platform's fetch as an HttpPost. */
export function fetchPost(): HttpPost {
  return async (url, init) => {
    const response = await fetch(url, { method: "POST", ...init });
    // The body is not needed; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    return response;
  };
}
