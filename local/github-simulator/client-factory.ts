// The installation-scoped client factory (the one every task function uses) pointed at a simulator:
// the sandbox is not github.com, so no 1 s / 3 s spacing of writes and a short 5xx backoff.
import { createGitHubClientFactory, type GitHubClientOptions } from "../../handlers/github/client";
import type { GitHubClientFactory } from "../../handlers/shared/types";
import type { GitHubSimulator } from "./simulator";

export type SimulatorClientOptions = Pick<GitHubClientOptions, "throttle" | "retry" | "log">;

export function simulatorClientFactory(
  sim: Pick<GitHubSimulator, "url" | "app">,
  options: SimulatorClientOptions = {},
): GitHubClientFactory {
  return createGitHubClientFactory({
    appId: sim.app.id,
    privateKey: sim.app.privateKey,
    baseUrl: sim.url,
    throttle: { spaceWrites: false, ...options.throttle },
    retry: { baseDelayMs: 10, ...options.retry },
    log: options.log,
  });
}
