// The webhook with a real local run table (dynalite) and local Step Functions whose task tokens
// the tests issue: what CI and review deliveries need to find and wake a waiting run. No
// execution runs here; a task the machine would invoke fails the test loudly.
import type { SecretBundle } from "../../../contract/environment";
import { registerCiWait } from "../../../handlers/run-table/ci-wait-registry";
import type { Logger } from "../../../handlers/shared/types";
import {
  createWebhookProcessor,
  type WebhookProcessor,
} from "../../../handlers/webhook/handle-webhook";
import {
  LOCAL_RUN_TABLE_NAME,
  startLocalRunTable,
  type LocalRunTable,
} from "../../../local/factory/local-run-table";
import {
  createLocalStepFunctions,
  type LocalStepFunctions,
} from "../../../local/factory/local-step-functions";
import {
  LOCAL_FUNCTION_ARNS,
  LOCAL_STATE_MACHINE_ARN,
} from "../../../local/factory/task-functions";
import { buildStateMachineDefinition } from "../../../workflow";
import { SETTINGS, TEST_SECRET } from "./helpers";

export interface CiWakeWebhook {
  table: LocalRunTable;
  sfn: LocalStepFunctions;
  /** Events mode: CI and review deliveries look up the run table. */
  handle: WebhookProcessor;
  /** Poll mode: no run table; CI and review deliveries are ignored. */
  pollMode: WebhookProcessor;
  /** Registers a wait of issue acme/widgets#7 (PR 8) on `headSha`, as WaitForCI does. */
  registerWait(repositoryId: number, headSha: string, taskToken: string): Promise<void>;
  close(): Promise<void>;
}

export async function startCiWakeWebhook(logger: Logger): Promise<CiWakeWebhook> {
  const table = await startLocalRunTable();
  const definition = buildStateMachineDefinition({
    functionArns: LOCAL_FUNCTION_ARNS,
    ciPollSeconds: 60,
    ciMaxWaitSeconds: 600,
    runLock: { tableName: LOCAL_RUN_TABLE_NAME, stateMachineArn: LOCAL_STATE_MACHINE_ARN },
  });
  const unused = async () => {
    throw new Error("no execution runs in this test");
  };
  const sfn = createLocalStepFunctions({
    definition,
    stateMachineArn: LOCAL_STATE_MACHINE_ARN,
    serviceIntegrations: table.integrations,
    tasksFor: () => ({
      [LOCAL_FUNCTION_ARNS.issueInterpreter]: unused,
      [LOCAL_FUNCTION_ARNS.patchGenerator]: unused,
      [LOCAL_FUNCTION_ARNS.prCreator]: unused,
      [LOCAL_FUNCTION_ARNS.ciFeedback]: unused,
    }),
  });
  const bundle: SecretBundle = { githubAppPrivateKey: "", githubWebhookSecret: TEST_SECRET };
  const deps = {
    stateMachineArn: LOCAL_STATE_MACHINE_ARN,
    settings: SETTINGS,
    maxBodyBytes: 5 * 1024 * 1024,
    issueActions: ["opened"],
    secrets: { get: async () => bundle, refresh: async () => bundle },
    sfn: sfn.client,
    clock: { now: () => Date.now() },
    logger,
    metrics: { count: () => undefined },
  };
  return {
    table,
    sfn,
    handle: createWebhookProcessor({ ...deps, ciWait: { runTable: () => table } }),
    pollMode: createWebhookProcessor(deps),
    registerWait: (repositoryId, headSha, taskToken) =>
      registerCiWait(table, {
        repositoryId,
        headSha,
        taskToken,
        issue: "acme/widgets#7",
        pullRequest: 8,
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      }),
    close: () => table.close(),
  };
}
