// Test harness for the webhook ingress: real signing (@octokit/webhooks), the real secret store
// and SFN client with their SDK calls answered by aws-sdk-client-mock, an in-memory logger and
// metrics sink, and a hand-driven clock.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { Webhooks } from "@octokit/webhooks";
import { mockClient } from "aws-sdk-client-mock";
import type { MetricsSink } from "../../../handlers/runtime/logger";
import { createSecretStore } from "../../../handlers/runtime/secret-store";
import type { SecretBundle } from "../../../contract/environment";
import type { Logger } from "../../../handlers/shared/types";
import type { FactorySettings } from "../../../contract/state";
import { DEFAULT_ISSUE_ACTIONS } from "../../../handlers/webhook/config";
import {
  createWebhookProcessor,
  type WebhookDeps,
  type WebhookProcessor,
} from "../../../handlers/webhook/handle-webhook";
import type { WebhookRequestEvent } from "../../../handlers/webhook/request";

export const TEST_SECRET = "test-webhook-secret-0123456789";
export const PREVIOUS_SECRET = "previous-webhook-secret-9876543210";
export const SECRET_ARN = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9-dev-AbCdEf";
export const STATE_MACHINE_ARN = "arn:aws:states:eu-central-1:123456789012:stateMachine:afu9-dev";
export const SETTINGS: FactorySettings = {
  dryRun: false,
  ciPollSeconds: 60,
  ciMaxWaitSeconds: 3600,
  ciNoChecksGraceSeconds: 300,
};
export const START_TIME = Date.parse("2026-11-26T12:00:00Z");

/** GitHub's signature, made by the same package the handler verifies with. */
export function sign(secret: string, body: string): Promise<string> {
  return new Webhooks({ secret }).sign(body);
}

export interface DeliveryOptions {
  event: string;
  deliveryId?: string;
  body: string;
  /** Secret to sign with; null sends no signature header. */
  secret?: string | null;
  contentType?: string;
  base64?: boolean;
}

let deliveryCounter = 0;

/** A fresh GUID-shaped delivery id per call (as GitHub's). */
export function newDeliveryId(): string {
  deliveryCounter += 1;
  const n = deliveryCounter.toString(16).padStart(12, "0");
  return `72d3162e-cc78-11e3-81ab-${n}`;
}

/** The API Gateway HTTP API (payload 2.0) event GitHub's POST turns into. */
export async function deliveryEvent(options: DeliveryOptions): Promise<WebhookRequestEvent> {
  const secret = options.secret === undefined ? TEST_SECRET : options.secret;
  const headers: Record<string, string> = {
    "content-type": options.contentType ?? "application/json",
    "user-agent": "GitHub-Hookshot/abc1234",
    "x-github-event": options.event,
    "x-github-delivery": options.deliveryId ?? newDeliveryId(),
  };
  if (secret !== null) headers["x-hub-signature-256"] = await sign(secret, options.body);
  return {
    headers,
    body: options.base64 ? Buffer.from(options.body, "utf8").toString("base64") : options.body,
    isBase64Encoded: options.base64 ?? false,
  };
}

const mockSfn = () => mockClient(SFNClient);
const mockSecretsManager = () => mockClient(SecretsManagerClient);

export interface LogEntry {
  level: string;
  message: string;
  extra: Record<string, unknown>;
}

export interface Harness {
  handle: WebhookProcessor;
  deps: WebhookDeps;
  sfn: ReturnType<typeof mockSfn>;
  secretsManager: ReturnType<typeof mockSecretsManager>;
  logs: LogEntry[];
  metrics: { name: string; dimensions: Record<string, string>; value: number }[];
  clock: { now(): number; advance(ms: number): void };
  /** Changes what Secrets Manager answers from now on (a rotation). */
  setSecret(bundle: Partial<SecretBundle>): void;
}

export interface HarnessOptions {
  secret?: Partial<SecretBundle>;
  issueActions?: string[];
  maxBodyBytes?: number;
}

/**
 * Builds the handler with mocked SDK transports. StartExecution answers like Step Functions: a new
 * execution ARN with startDate = now (tests override it per case).
 */
export function createHarness(options: HarnessOptions = {}): Harness {
  let now = START_TIME;
  const clock = {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
  const secretsManager = mockSecretsManager();
  const setSecret = (bundle: Partial<SecretBundle>) => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
      .resolves({ SecretString: JSON.stringify(bundle) });
  };
  setSecret(options.secret ?? { githubWebhookSecret: TEST_SECRET, githubAppPrivateKey: "pem" });
  const sfn = mockSfn();
  sfn.on(StartExecutionCommand).callsFake((input: { stateMachineArn: string; name: string }) => ({
    executionArn: `${input.stateMachineArn.replace(":stateMachine:", ":execution:")}:${input.name}`,
    startDate: new Date(now),
  }));

  const logs: LogEntry[] = [];
  const push =
    (level: string) =>
    (message: string, extra: Record<string, unknown> = {}) => {
      logs.push({ level, message, extra });
    };
  const logger: Logger = {
    debug: push("debug"),
    info: push("info"),
    warn: push("warn"),
    error: push("error"),
  };
  const metrics: Harness["metrics"] = [];
  const metricsSink: MetricsSink = {
    count: (name, dimensions, value = 1) => metrics.push({ name, dimensions, value }),
  };
  const deps: WebhookDeps = {
    stateMachineArn: STATE_MACHINE_ARN,
    settings: SETTINGS,
    maxBodyBytes: options.maxBodyBytes ?? 5 * 1024 * 1024,
    issueActions: options.issueActions ?? [...DEFAULT_ISSUE_ACTIONS],
    secrets: createSecretStore({
      secretArn: SECRET_ARN,
      client: new SecretsManagerClient({ region: "eu-central-1" }),
      ttlSeconds: 300,
      clock,
      required: ["githubWebhookSecret"],
    }),
    sfn: new SFNClient({ region: "eu-central-1" }),
    clock,
    logger,
    metrics: metricsSink,
  };
  return {
    handle: createWebhookProcessor(deps),
    deps,
    sfn,
    secretsManager,
    logs,
    metrics,
    clock,
    setSecret,
  };
}

export function parseBody(response: { body: string }): Record<string, unknown> {
  return JSON.parse(response.body) as Record<string, unknown>;
}
