// The stack's configuration, read once into a typed object. Every key is declared in Pulumi.yaml;
// this validates the values (Pulumi only checks their JSON type) and names the key that is wrong.
// Secret values never appear in an error message and leave this module only as Pulumi secrets.
import * as pulumi from "@pulumi/pulumi";
import { FUNCTION_KEYS, type FunctionKey } from "../contract/functions";
import type { CiWaitMode, FactorySettings } from "../contract/state";
import { parseNotifyWebhooks } from "./notify-config";
import { ciTimingProblems } from "../workflow";

export const PROJECT = "afu9";

export { FUNCTION_KEYS, type FunctionKey } from "../contract/functions";

export const STATE_MACHINE_LOG_LEVELS = ["ALL", "ERROR", "FATAL", "OFF"] as const;
export type StateMachineLogLevel = (typeof STATE_MACHINE_LOG_LEVELS)[number];

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** `issues` actions the webhook may route (GitHub's issues event actions). */
export const ISSUE_ACTIONS = [
  "opened",
  "edited",
  "deleted",
  "transferred",
  "pinned",
  "unpinned",
  "closed",
  "reopened",
  "assigned",
  "unassigned",
  "labeled",
  "unlabeled",
  "locked",
  "unlocked",
  "milestoned",
  "demilestoned",
  "typed",
  "untyped",
] as const;

export type AiSettings =
  | { provider: "none" }
  | { provider: "bedrock"; bedrockModelId: string }
  | { provider: "openai"; openaiBaseUrl: string; openaiModel: string };

export interface FunctionSizing {
  memoryMb: number;
  timeoutSeconds: number;
}

/** Everything the program needs except the secret values. */
export interface StackSettings {
  region: string;
  githubAppId: number;
  /** Empty string: api.github.com. */
  githubApiUrl: string;
  logRetentionDays: number;
  alarms: {
    lambdaErrorRatePercent: number;
    failedExecutions: number;
    api5xx: number;
    notificationDeliveryFailures: number;
  };
  /** Empty string: no e-mail subscription. */
  alarmEmail: string;
  stateMachineLogLevel: StateMachineLogLevel;
  factory: FactorySettings;
  webhook: {
    maxBodyBytes: number;
    issueActions: string[];
    throttlingRateLimit: number;
    throttlingBurstLimit: number;
  };
  functions: Record<FunctionKey, FunctionSizing>;
  vpcEnabled: boolean;
  ai: AiSettings;
  /** How WaitForCI waits, and (events) the fallback evaluation after which CI is read anyway. */
  ciWait: { mode: CiWaitMode; fallbackSeconds: number };
  runTable: { pointInTimeRecovery: boolean; deletionProtection: boolean };
}

/** The secret values, plain; only parseStackConfig's caller sees them, and wraps them at once. */
export interface SecretValues {
  githubAppPrivateKey: string;
  githubWebhookSecret: string;
  githubWebhookSecretPrevious: string;
  openaiApiKey: string;
  /** JSON of the notification destinations (name -> { kind, url }); "" when there are none. */
  notifyDestinations: string;
}

export interface StackConfig extends StackSettings {
  secrets: { [K in keyof SecretValues]: pulumi.Output<string> };
}

/** Raw config as Pulumi hands it to the program: namespaced keys, string values. */
export type RawConfig = Record<string, string | undefined>;

const MAX_LAMBDA_TIMEOUT = 900;
/**
 * With AI on, one patch may take up to 3 model calls of up to 60 s each (the patch generator's
 * defaults in handlers/patch-generator/ai/config.ts) plus the GitHub reads and writes around them.
 */
export const MIN_AI_PATCH_TIMEOUT = 240;
/** API Gateway HTTP APIs end an integration after 30 s, so a longer webhook timeout is never used. */
const MAX_WEBHOOK_TIMEOUT = 30;
/** HTTP API payload limit: a larger body never reaches the function. */
const MAX_WEBHOOK_BODY = 10 * 1024 * 1024;

function key(name: string): string {
  return name.includes(":") ? name : `${PROJECT}:${name}`;
}

function bare(name: string): string {
  return name.replace(`${PROJECT}:`, "");
}

/** Reads and checks raw values; every problem is collected so one run reports all of them. */
function createReader(raw: RawConfig) {
  const problems: string[] = [];

  function fail(name: string, shown: string | undefined, rule: string, fix?: string): void {
    const value = shown === undefined ? "" : ` = ${JSON.stringify(shown)}`;
    const hint = fix ?? `pulumi config set ${bare(name)} <value>`;
    problems.push(`  ${key(name)}${value}: ${rule} (fix: ${hint})`);
  }

  function string(name: string, opts: { secret?: boolean; optional?: boolean } = {}): string {
    const value = raw[key(name)];
    if (value === undefined || (value === "" && !opts.optional)) {
      if (opts.optional) return "";
      fail(
        name,
        undefined,
        "is not set",
        opts.secret
          ? `pulumi config set --secret ${bare(name)} <value>`
          : `pulumi config set ${bare(name)} <value>`,
      );
      return "";
    }
    return value;
  }

  function integer(name: string, min: number, max: number): number {
    const text = string(name);
    if (text === "") return min;
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
      fail(name, text, "must be a whole number");
      return min;
    }
    if (value < min || value > max) fail(name, text, `must be between ${min} and ${max}`);
    return value;
  }

  function boolean(name: string): boolean {
    const text = string(name);
    if (text === "true") return true;
    if (text !== "false" && text !== "") fail(name, text, "must be true or false");
    return false;
  }

  function oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const text = string(name);
    if ((allowed as readonly string[]).includes(text)) return text as T;
    if (text !== "") fail(name, text, `must be one of ${allowed.join(", ")}`);
    return allowed[0];
  }

  function stringArray(name: string, allowed: readonly string[]): string[] {
    const text = string(name);
    if (text === "") return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const fix = `pulumi config set --path '${bare(name)}[0]' ${allowed[0]}`;
    if (!Array.isArray(parsed) || parsed.length === 0) {
      fail(name, text, "must be a non-empty list", fix);
      return [];
    }
    const bad = parsed.filter((item) => typeof item !== "string" || !allowed.includes(item));
    if (bad.length > 0) {
      fail(
        name,
        text,
        `unknown entries ${JSON.stringify(bad)}; allowed: ${allowed.join(", ")}`,
        fix,
      );
    }
    return parsed.filter((item): item is string => typeof item === "string");
  }

  function httpsUrl(name: string, optional: boolean): string {
    const text = string(name, { optional });
    if (text === "") return "";
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== "https:") fail(name, text, "must be an https:// URL");
    return text.replace(/\/+$/, "");
  }

  return { problems, fail, string, integer, boolean, oneOf, stringArray, httpsUrl };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PEM_PRIVATE_KEY = /-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----/;
/** Bedrock model ids (anthropic.claude-...-v1:0) and inference profile ids (eu.anthropic...). */
const BEDROCK_MODEL_ID = /^[a-z0-9-]+(\.[a-z0-9-]+)+(:[a-z0-9-]+)*(:\d+)?$/;

/**
 * Validates the raw stack config (as `pulumi.runtime.allConfig()` returns it, Pulumi.yaml
 * defaults already applied). Throws one error listing every bad key.
 */
export function parseStackConfig(raw: RawConfig): {
  settings: StackSettings;
  secrets: SecretValues;
} {
  const r = createReader(raw);

  const region = r.string("aws:region");
  if (region !== "" && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    r.fail(
      "aws:region",
      region,
      "is not an AWS region name",
      "pulumi config set aws:region eu-central-1",
    );
  }

  const githubAppPrivateKey = r.string("githubAppPrivateKey", { secret: true });
  if (githubAppPrivateKey !== "" && !PEM_PRIVATE_KEY.test(githubAppPrivateKey)) {
    // The value is never echoed: it is a secret.
    r.fail(
      "githubAppPrivateKey",
      undefined,
      "is not a PEM private key (expected -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----)",
      "pulumi config set --secret githubAppPrivateKey < key.pem",
    );
  }
  const githubWebhookSecret = r.string("githubWebhookSecret", { secret: true });
  const githubWebhookSecretPrevious = r.string("githubWebhookSecretPrevious", { optional: true });

  const alarmEmail = r.string("alarmEmail", { optional: true });
  if (alarmEmail !== "" && !EMAIL.test(alarmEmail)) {
    r.fail("alarmEmail", alarmEmail, "is not an e-mail address");
  }

  const logRetentionDays = r.integer("logRetentionDays", 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    r.fail(
      "logRetentionDays",
      String(logRetentionDays),
      `must be one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  }

  const ciPollSeconds = r.integer("ciPollSeconds", 5, 3600);
  const ciMaxWaitSeconds = r.integer("ciMaxWaitSeconds", 60, 7 * 24 * 3600);
  const ciWaitMode = r.oneOf("ciWaitMode", ["events", "poll"] as const);
  const ciFallbackSeconds = r.integer("ciFallbackSeconds", 30, 3600);
  // The relations between them are the workflow's rules (poll bound, history, one year).
  const timing = { ciPollSeconds, ciMaxWaitSeconds, ciWaitMode, ciFallbackSeconds };
  for (const problem of ciTimingProblems(timing)) {
    r.fail(problem.field, String(timing[problem.field]), problem.message);
  }

  const functions = {} as Record<FunctionKey, FunctionSizing>;
  for (const fn of FUNCTION_KEYS) {
    functions[fn] = {
      memoryMb: r.integer(`${fn}MemoryMb`, 128, 10240),
      timeoutSeconds: r.integer(
        `${fn}TimeoutSeconds`,
        1,
        fn === "webhook" ? MAX_WEBHOOK_TIMEOUT : MAX_LAMBDA_TIMEOUT,
      ),
    };
  }

  const provider = r.oneOf("aiProvider", ["none", "bedrock", "openai"] as const);
  let ai: AiSettings = { provider: "none" };
  const bedrockModelId = r.string("bedrockModelId", { optional: true });
  const openaiBaseUrl = r.httpsUrl("openaiBaseUrl", true);
  const openaiModel = r.string("openaiModel", { optional: true });
  const openaiApiKey = r.string("openaiApiKey", { optional: true });
  if (provider === "bedrock") {
    if (!BEDROCK_MODEL_ID.test(bedrockModelId)) {
      r.fail(
        "bedrockModelId",
        bedrockModelId,
        "must be a Bedrock model id (e.g. anthropic.claude-3-5-sonnet-20240620-v1:0) when aiProvider is bedrock",
      );
    }
    ai = { provider, bedrockModelId };
  } else if (provider === "openai") {
    if (openaiBaseUrl === "") r.fail("openaiBaseUrl", "", "is required when aiProvider is openai");
    if (openaiModel === "") r.fail("openaiModel", "", "is required when aiProvider is openai");
    if (openaiApiKey === "") {
      r.fail(
        "openaiApiKey",
        undefined,
        "is required when aiProvider is openai",
        "pulumi config set --secret openaiApiKey <key>",
      );
    }
    ai = { provider, openaiBaseUrl, openaiModel };
  }
  const patchTimeout = functions.patchGenerator.timeoutSeconds;
  if (provider !== "none" && patchTimeout < MIN_AI_PATCH_TIMEOUT) {
    r.fail(
      "patchGeneratorTimeoutSeconds",
      String(patchTimeout),
      `is too short for AI patch generation (up to 3 model calls of 60 s): at least ${MIN_AI_PATCH_TIMEOUT}`,
      `pulumi config set patchGeneratorTimeoutSeconds ${MIN_AI_PATCH_TIMEOUT}`,
    );
  }

  const notifyDestinations = parseNotifyWebhooks(
    {
      slack: r.string("notifySlackWebhooks", { optional: true }),
      teams: r.string("notifyTeamsWebhooks", { optional: true }),
    },
    (name, rule, fix) => r.fail(name, undefined, rule, fix),
  );

  const settings: StackSettings = {
    region,
    githubAppId: r.integer("githubAppId", 1, Number.MAX_SAFE_INTEGER),
    githubApiUrl: r.httpsUrl("githubApiUrl", true),
    logRetentionDays,
    alarms: {
      lambdaErrorRatePercent: r.integer("lambdaErrorRatePercent", 1, 100),
      failedExecutions: r.integer("failedExecutions", 1, 100000),
      api5xx: r.integer("api5xx", 1, 100000),
      notificationDeliveryFailures: r.integer("notificationDeliveryFailures", 1, 100000),
    },
    alarmEmail,
    stateMachineLogLevel: r.oneOf("stateMachineLogLevel", STATE_MACHINE_LOG_LEVELS),
    factory: {
      dryRun: r.boolean("dryRun"),
      ciPollSeconds,
      ciMaxWaitSeconds,
      ciNoChecksGraceSeconds: r.integer("ciNoChecksGraceSeconds", 0, 24 * 3600),
    },
    webhook: {
      maxBodyBytes: r.integer("webhookMaxBodyBytes", 1024, MAX_WEBHOOK_BODY),
      issueActions: r.stringArray("webhookIssueActions", ISSUE_ACTIONS),
      throttlingRateLimit: r.integer("webhookThrottlingRateLimit", 1, 10000),
      throttlingBurstLimit: r.integer("webhookThrottlingBurstLimit", 1, 5000),
    },
    functions,
    vpcEnabled: r.boolean("vpcEnabled"),
    ai,
    ciWait: { mode: ciWaitMode, fallbackSeconds: ciFallbackSeconds },
    runTable: {
      pointInTimeRecovery: r.boolean("runTablePointInTimeRecovery"),
      deletionProtection: r.boolean("runTableDeletionProtection"),
    },
  };

  if (r.problems.length > 0) {
    throw new Error(
      `Invalid stack configuration (${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}; keys are declared in Pulumi.yaml):\n${r.problems.join("\n")}`,
    );
  }
  return {
    settings,
    secrets: {
      githubAppPrivateKey,
      githubWebhookSecret,
      githubWebhookSecretPrevious,
      openaiApiKey,
      notifyDestinations,
    },
  };
}

/** Reads the current stack's config once; secret values come back as Pulumi secrets only. */
export function readStackConfig(raw: RawConfig = pulumi.runtime.allConfig()): StackConfig {
  const { settings, secrets } = parseStackConfig(raw);
  return {
    ...settings,
    secrets: {
      githubAppPrivateKey: pulumi.secret(secrets.githubAppPrivateKey),
      githubWebhookSecret: pulumi.secret(secrets.githubWebhookSecret),
      githubWebhookSecretPrevious: pulumi.secret(secrets.githubWebhookSecretPrevious),
      openaiApiKey: pulumi.secret(secrets.openaiApiKey),
      notifyDestinations: pulumi.secret(secrets.notifyDestinations),
    },
  };
}
