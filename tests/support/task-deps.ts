// Task dependencies for handler tests against the GitHub simulator: its client factory, a clock
// that never sleeps (retries and write spacing cost no time) and a logger that stays quiet.
import type { Logger, TaskDeps } from "../../handlers/shared/types";
import { simulatorClientFactory } from "../../local/github-simulator/client-factory";
import type { GitHubSimulator } from "../../local/github-simulator";

export const SILENT_LOGGER: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export const INSTANT_CLOCK: TaskDeps["clock"] = { now: () => Date.now(), sleep: async () => {} };

export function simulatorTaskDeps(
  sim: GitHubSimulator,
  github: TaskDeps["github"] = simulatorClientFactory(sim),
): TaskDeps {
  return { github, clock: INSTANT_CLOCK, logger: SILENT_LOGGER };
}
