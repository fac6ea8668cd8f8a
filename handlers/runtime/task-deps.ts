// TaskDeps for the four task functions, built once per Lambda container (in each lambda.ts
// factory). Reading the environment and the secret happens lazily on first use, inside the
// container: nothing of the deploy machine is captured, and a function whose archive is loaded
// without its environment (packaging tests) still builds. The App private key is read from the
// stack's secret once per container and the GitHub client factory built from it is cached.
import { createGitHubClientFactory } from "../github/client";
import { ENV } from "../../contract/environment";
import type { Clock, GitHubClientFactory, Logger, TaskDeps } from "../shared/types";
import { createInvocationDeadline } from "./invocation-deadline";
import { createLogger } from "./logger";
import { createSecretStore } from "./secret-store";
import { factoryError } from "../../contract/errors";

export interface TaskDepsOptions {
  /** Function name for the logs (serviceName). */
  serviceName?: string;
  /** Defaults to process.env, read when the first GitHub client is requested. */
  env?: Record<string, string | undefined>;
  /** Replaces the Secrets Manager read (local factory, tests). */
  readPrivateKey?: () => Promise<string>;
  logger?: Logger;
  clock?: Clock;
}

export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    sleep: (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

function missingSetting(name: string, how: string): Error {
  return factoryError("ConfigMissing", `${name} is not set: ${how}`);
}

export function createTaskDeps(options: TaskDepsOptions = {}): TaskDeps {
  const clock = options.clock ?? systemClock();
  const logger = options.logger ?? createLogger(options.serviceName ?? "afu9-task");
  const deadline = createInvocationDeadline();
  let factory: Promise<GitHubClientFactory> | undefined;

  async function buildFactory(): Promise<GitHubClientFactory> {
    const env = options.env ?? process.env;
    const appId = env[ENV.githubAppId];
    if (!appId) {
      throw missingSetting(
        ENV.githubAppId,
        "the CodeFactoryWorkflow component sets it from `pulumi config set githubAppId <id>`",
      );
    }
    let readPrivateKey = options.readPrivateKey;
    if (!readPrivateKey) {
      const secretArn = env[ENV.secretArn];
      if (!secretArn) {
        throw missingSetting(
          ENV.secretArn,
          "the CodeFactoryWorkflow component sets it to the stack secret's ARN",
        );
      }
      const store = createSecretStore({
        secretArn,
        // The key is read once; the factory built from it lives as long as the container.
        ttlSeconds: 24 * 60 * 60,
        clock,
        required: ["githubAppPrivateKey"],
      });
      readPrivateKey = async () => (await store.get()).githubAppPrivateKey;
    }
    const privateKey = await readPrivateKey();
    return createGitHubClientFactory({
      appId,
      privateKey,
      baseUrl: env[ENV.githubApiUrl] || undefined,
      log: { warn: (message: string) => logger.warn(message) },
      signal: deadline.signal,
    });
  }

  const github: GitHubClientFactory = async (installationId) => {
    // Concurrent first calls share one secret read; a failed read is retried on the next call.
    factory ??= buildFactory().catch((error: unknown) => {
      factory = undefined;
      throw error;
    });
    return (await factory)(installationId);
  };
  return { github, clock, logger, deadline };
}
