// The one installation-scoped Octokit factory every task function uses (App JWT -> installation
// token via @octokit/auth-app, retry + throttling plugins). Handler code: nothing built by package
// code at module level (closure serialization), so the Octokit class is composed inside.
import { createPrivateKey } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { createAppAuth } from "@octokit/auth-app";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import type Bottleneck from "bottleneck";
import type { GitHubClientFactory } from "../shared/types";
import { describeRequestFailure } from "./request-errors";

export interface GitHubClientOptions {
  appId: number | string;
  /** The App's private key, PEM (PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY"). */
  privateKey: string;
  /** REST base URL for GHES or the sandbox simulator; default https://api.github.com. */
  baseUrl?: string;
  throttle?: {
    /** How often a primary or secondary rate limit is waited out and retried (default 2). */
    onRateLimitRetries?: number;
    /**
     * Longest retry-after / reset wait one invocation sits out (default 10 s, well inside the
     * task functions' timeouts). A longer one surfaces as an error, which the Lambda entry reports
     * as AFU9.GitHubRateLimited for the state machine to retry minutes later.
     */
    maxWaitSeconds?: number;
    /**
     * GitHub asks integrators to space content-creating writes (1 s, 3 s for notifying ones);
     * the throttling plugin does that by default. Only the sandbox/tests turn it off.
     */
    spaceWrites?: boolean;
  };
  retry?: {
    /** Retries of a 5xx / network failure (default 3). */
    retries?: number;
    /** Backoff unit: the n-th retry waits n^2 x this (default 1000 ms). */
    baseDelayMs?: number;
  };
  /** Receives retry/limit notices; never given tokens or bodies. */
  log?: { warn(message: string): void };
  /** The current invocation's deadline: every request is aborted when it fires. */
  signal?: () => AbortSignal | undefined;
}

/** Octokit's request log line for a request that got no answer ("... - 500 with id UNKNOWN"). */
const UNANSWERED_REQUEST_LOG = / - \S+ with id UNKNOWN in \d+ms$/;

// Statuses a retry cannot fix. 405/409 are the merge answers (not mergeable / head moved): the
// caller decides, a blind retry could merge a head nobody checked. 403/429 are rate limits, which
// the throttling plugin handles with the server's retry-after / reset instead of a fixed backoff.
const DO_NOT_RETRY = [400, 401, 403, 404, 405, 409, 410, 422, 429, 451];

/** Normalises the key to PKCS#8 PEM (what WebCrypto signing needs) or says what is wrong. */
export function normalizePrivateKey(privateKey: string): string {
  const pem = privateKey.replace(/\\n/g, "\n").trim();
  if (!/^-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) {
    const start = pem.slice(0, 30).replace(/[A-Za-z0-9+/=]{8,}/g, "…");
    throw new Error(
      `private key is not PEM: expected "-----BEGIN RSA PRIVATE KEY-----" (PKCS#1) or ` +
        `"-----BEGIN PRIVATE KEY-----" (PKCS#8), got "${start}". Store the .pem file GitHub ` +
        `generated for the App as is.`,
    );
  }
  try {
    return createPrivateKey(pem).export({ type: "pkcs8", format: "pem" }).toString();
  } catch (error) {
    throw new Error(
      `private key is not PEM: it has a PEM header but cannot be parsed ` +
        `(${error instanceof Error ? error.message : String(error)}). Re-download the App key.`,
      { cause: error },
    );
  }
}

interface LimitedRequest {
  method: string;
  url: string;
}

function passThroughLimiter(): Bottleneck.Group {
  // The one part of a Bottleneck.Group the throttling plugin calls on its write limiters
  // (`key(id).schedule(options, fn, ...args)`), without the spacing.
  const limiter = {
    key: () => ({
      schedule: (_options: unknown, fn: (...args: unknown[]) => unknown, ...args: unknown[]) =>
        Promise.resolve().then(() => fn(...args)),
    }),
  };
  return limiter as unknown as Bottleneck.Group;
}

// Installation tokens live 60 minutes; reuse one for 50, so a warm Lambda container does not mint
// a token per invocation and never hands out one about to expire.
const TOKEN_REUSE_MS = 50 * 60 * 1000;

function createTokenCache() {
  const entries = new Map<string, { value: string; storedAt: number }>();
  return {
    get(key: string): string | undefined {
      const entry = entries.get(key);
      if (entry && Date.now() - entry.storedAt < TOKEN_REUSE_MS) return entry.value;
      entries.delete(key);
      return undefined;
    },
    set(key: string, value: string): void {
      entries.set(key, { value, storedAt: Date.now() });
    },
  };
}

export function createGitHubClientFactory(options: GitHubClientOptions): GitHubClientFactory {
  const privateKey = normalizePrivateKey(options.privateKey);
  const appId = Number(options.appId);
  if (!Number.isInteger(appId) || appId <= 0) {
    throw new Error(`GitHub App id must be a positive integer, got "${options.appId}"`);
  }
  const rateLimitRetries = options.throttle?.onRateLimitRetries ?? 2;
  const maxWaitSeconds = options.throttle?.maxWaitSeconds ?? 10;
  const spaceWrites = options.throttle?.spaceWrites ?? true;
  const warn = (message: string) => options.log?.warn(message);
  const FactoryOctokit = Octokit.plugin(retry, throttling);
  const tokenCache = createTokenCache();

  return async (installationId: number) => {
    const onLimit =
      (kind: string) =>
      (retryAfter: number, request: LimitedRequest, _o: unknown, count: number) => {
        const tooLong = retryAfter > maxWaitSeconds;
        const again = count < rateLimitRetries && !tooLong;
        warn(
          `GitHub ${kind} rate limit on ${request.method} ${request.url}: ` +
            (again
              ? `retrying after ${retryAfter} s`
              : tooLong
                ? `retry-after ${retryAfter} s is longer than ${maxWaitSeconds} s: giving up`
                : `giving up after ${count} retries`),
        );
        return again;
      };
    const octokit = new FactoryOctokit({
      authStrategy: createAppAuth,
      auth: { appId, privateKey, installationId, cache: tokenCache },
      ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, "") } : {}),
      retry: {
        doNotRetry: DO_NOT_RETRY,
        retries: options.retry?.retries ?? 3,
        retryAfterBaseValue: options.retry?.baseDelayMs ?? 1000,
      },
      throttle: {
        onRateLimit: onLimit("primary"),
        onSecondaryRateLimit: onLimit("secondary"),
        ...(spaceWrites
          ? {}
          : { write: passThroughLimiter(), notifications: passThroughLimiter() }),
      },
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => warn(message),
        // An unanswered request is reported once, by describeRequestFailure, in plain words.
        error: (message: string) => {
          if (!UNANSWERED_REQUEST_LOG.test(message)) warn(message);
        },
      },
    }) as unknown as Octokit;
    octokit.hook.wrap("request", async (request, requestOptions) => {
      const signal = options.signal?.();
      const target = {
        method: String(requestOptions.method),
        url: octokit.request.endpoint(requestOptions).url,
      };
      if (signal?.aborted) throw describeRequestFailure(signal.reason, target, signal);
      const perRequest = { ...requestOptions.request, signal };
      // The retry plugin reads `retries` per attempt: an aborted request is not retried.
      const stopRetries = () => Object.assign(perRequest, { retries: 0 });
      if (signal) {
        requestOptions.request = perRequest;
        signal.addEventListener("abort", stopRetries, { once: true });
      }
      try {
        return await request(requestOptions);
      } catch (error) {
        const described = describeRequestFailure(error, target, signal);
        if (described !== error) warn((described as Error).message);
        throw described;
      } finally {
        signal?.removeEventListener("abort", stopRetries);
      }
    });
    return octokit;
  };
}
