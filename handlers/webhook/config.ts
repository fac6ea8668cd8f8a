// The webhook function's configuration, read from its environment once per container. Anything
// missing or malformed stops the function at init (fail closed): an ingress that cannot verify or
// cannot start executions must not answer deliveries as if it could.
import { ENV } from "../../contract/environment";
import type { FactorySettings } from "../../contract/state";
import { factoryError } from "../../contract/errors";

export interface WebhookConfig {
  secretArn: string;
  stateMachineArn: string;
  settings: FactorySettings;
  /** Largest accepted body in bytes (after base64 decoding). */
  maxBodyBytes: number;
  /** `issues` actions that start an execution. */
  issueActions: string[];
}

/** GitHub's actions of the `issues` event (an unknown name in the config is a typo). */
export const KNOWN_ISSUE_ACTIONS = [
  "assigned",
  "closed",
  "deleted",
  "demilestoned",
  "edited",
  "labeled",
  "locked",
  "milestoned",
  "opened",
  "pinned",
  "reopened",
  "transferred",
  "typed",
  "unassigned",
  "unlabeled",
  "unlocked",
  "unpinned",
  "untyped",
];

export const DEFAULT_ISSUE_ACTIONS = ["opened", "reopened", "labeled", "edited"];
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

function configError(message: string): Error {
  return factoryError("WebhookConfigInvalid", message);
}

function requireEnv(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") {
    throw configError(
      `${name} is not set: the webhook function refuses to start without it (the WebhookIngress ` +
        `component sets it; check the function's environment)`,
    );
  }
  return value.trim();
}

function parseJsonEnv(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw configError(`${name} is not JSON (${(error as Error).message})`);
  }
}

function parseSettings(text: string): FactorySettings {
  const name = ENV.settings;
  const value = parseJsonEnv(name, text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw configError(`${name} must be a JSON object with the FactorySettings fields`);
  }
  const record = value as Record<string, unknown>;
  if (typeof record.dryRun !== "boolean") {
    throw configError(`${name}.dryRun must be true or false, got ${JSON.stringify(record.dryRun)}`);
  }
  const seconds = (field: keyof FactorySettings): number => {
    const n = record[field];
    if (typeof n !== "number" || !Number.isFinite(n) || n < 0) {
      throw configError(
        `${name}.${field} must be a number of seconds >= 0, got ${JSON.stringify(n)}`,
      );
    }
    return n;
  };
  // Only the known fields travel into executions: a stray key in the stack config stays out.
  return {
    dryRun: record.dryRun,
    ciPollSeconds: seconds("ciPollSeconds"),
    ciMaxWaitSeconds: seconds("ciMaxWaitSeconds"),
    ciNoChecksGraceSeconds: seconds("ciNoChecksGraceSeconds"),
  };
}

function parseWebhookOptions(text: string | undefined): {
  maxBodyBytes: number;
  issueActions: string[];
} {
  const name = ENV.webhookConfig;
  if (text === undefined || text.trim() === "") {
    return { maxBodyBytes: DEFAULT_MAX_BODY_BYTES, issueActions: [...DEFAULT_ISSUE_ACTIONS] };
  }
  const value = parseJsonEnv(name, text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw configError(`${name} must be a JSON object { maxBodyBytes, issueActions }`);
  }
  const record = value as Record<string, unknown>;
  let maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  if (record.maxBodyBytes !== undefined) {
    const n = record.maxBodyBytes;
    if (typeof n !== "number" || !Number.isInteger(n) || n <= 0) {
      throw configError(
        `${name}.maxBodyBytes must be a positive integer, got ${JSON.stringify(n)}`,
      );
    }
    maxBodyBytes = n;
  }
  let issueActions = [...DEFAULT_ISSUE_ACTIONS];
  if (record.issueActions !== undefined) {
    const list = record.issueActions;
    if (!Array.isArray(list) || list.some((a) => typeof a !== "string")) {
      throw configError(`${name}.issueActions must be an array of strings`);
    }
    for (const action of list as string[]) {
      if (!KNOWN_ISSUE_ACTIONS.includes(action)) {
        throw configError(
          `${name}.issueActions has unknown action "${action}"; known: ${KNOWN_ISSUE_ACTIONS.join(", ")}`,
        );
      }
    }
    issueActions = [...new Set(list as string[])];
  }
  return { maxBodyBytes, issueActions };
}

/** Reads and checks the webhook function's environment; throws a fix-it message when wrong. */
export function loadWebhookConfig(env: Record<string, string | undefined>): WebhookConfig {
  const secretArn = requireEnv(env, ENV.secretArn);
  const stateMachineArn = requireEnv(env, ENV.stateMachineArn);
  if (!/^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(stateMachineArn)) {
    throw configError(
      `${ENV.stateMachineArn} is not a state machine ARN ` +
        `(arn:<partition>:states:<region>:<account>:stateMachine:<name>): ${stateMachineArn}`,
    );
  }
  const settings = parseSettings(requireEnv(env, ENV.settings));
  return { secretArn, stateMachineArn, settings, ...parseWebhookOptions(env[ENV.webhookConfig]) };
}
