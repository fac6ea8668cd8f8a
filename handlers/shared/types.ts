// What every task handler receives from its Lambda entry (or the local factory, or a test).
import type { Octokit } from "@octokit/rest";
import type { InvocationDeadline } from "../runtime/invocation-deadline";

/** Structured logger; Powertools Logger satisfies it. Never pass secrets or bodies. */
export interface Logger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Returns an installation-scoped Octokit (retry + throttling plugins installed). */
export type GitHubClientFactory = (installationId: number) => Promise<Octokit>;

/** Dependencies every task handler receives; built once per Lambda container. */
export interface TaskDeps {
  github: GitHubClientFactory;
  clock: Clock;
  logger: Logger;
  /** The Lambda invocation's deadline (absent outside Lambda): GitHub requests abort at it. */
  deadline?: InvocationDeadline;
}
