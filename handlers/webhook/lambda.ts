// Lambda entry for the webhook function: used as the CallbackFunction's callbackFactory, so it runs
// once per container. It reads and checks the environment (throwing at init when anything is
// missing: the function never answers without a way to verify), builds the clients and the
// secret cache, starts the first secret read, and returns the per-invocation handler.
import { SFNClient } from "@aws-sdk/client-sfn";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { createLogger, createMetrics } from "../runtime/logger";
import { createSecretStore } from "../runtime/secret-store";
import { ENV } from "../../contract/environment";
import { lazyRunTable } from "../run-table/clients";
import { createTaskDeps } from "../runtime/task-deps";
import { loadWebhookConfig } from "./config";
import { createWebhookProcessor, type WebhookResponse } from "./handle-webhook";

/** Secret re-read interval; a rotation is picked up sooner through the verification-failure refresh. */
const SECRET_TTL_SECONDS = 300;

export function createWebhookHandler(): (
  event: APIGatewayProxyEventV2,
  context?: Context,
) => Promise<WebhookResponse> {
  const config = loadWebhookConfig(process.env);
  const clock = { now: () => Date.now() };
  const secrets = createSecretStore({
    secretArn: config.secretArn,
    ttlSeconds: SECRET_TTL_SECONDS,
    clock,
    required: ["githubWebhookSecret"],
  });
  // Read during init, overlapping the rest of the cold start; a failure is retried on first use.
  secrets.get().catch(() => undefined);
  const process_ = createWebhookProcessor({
    stateMachineArn: config.stateMachineArn,
    settings: config.settings,
    maxBodyBytes: config.maxBodyBytes,
    issueActions: config.issueActions,
    secrets,
    // Bounded so the answer reaches GitHub inside its 10 s: 2 attempts of at most 1 s + 3 s.
    sfn: new SFNClient({
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
    }),
    // Set only in events mode: CI events then wake waiting runs.
    ciWait: process.env[ENV.runTableName] ? { runTable: lazyRunTable() } : undefined,
    // `/afu9` commands on PRs: the App key from the same secret, read on the first command.
    commands: process.env[ENV.githubAppId]
      ? {
          github: createTaskDeps({
            serviceName: "afu9-webhook",
            readPrivateKey: async () => (await secrets.get()).githubAppPrivateKey,
          }).github,
        }
      : undefined,
    clock,
    logger: createLogger("afu9-webhook"),
    metrics: createMetrics("afu9-webhook"),
  });
  return async (event: APIGatewayProxyEventV2) => process_(event);
}
