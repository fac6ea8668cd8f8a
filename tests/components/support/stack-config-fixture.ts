// Builds the raw config Pulumi would hand the program for a stack: Pulumi.yaml defaults, then
// Pulumi.<stack>.yaml values, then the secrets a user sets with `pulumi config set --secret`.
// The secrets are distinctive so the archive test can prove none of them is shipped.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../../support/repo-root";

export const ROOT = REPO_ROOT;

export const TEST_SECRETS = {
  githubAppPrivateKey:
    "-----BEGIN RSA PRIVATE KEY-----\nAFU9TESTKEYzq8Vx3Lm0Pw7Rt2Ys5Nb\n-----END RSA PRIVATE KEY-----\n",
  githubWebhookSecret: "afu9-test-webhook-secret-Qm4Tz9Kc",
  githubWebhookSecretPrevious: "afu9-test-previous-secret-Hw2Jd8Ln",
  openaiApiKey: "afu9-test-openai-key-Vb6Xs1Rf",
  notifySlackWebhooks: JSON.stringify({
    platform: "https://hooks.slack.com/services/T0AFU9TST/B0AFU9TST/afu9SlackTokenKp3Wq7Zr",
  }),
  notifyTeamsWebhooks: JSON.stringify({
    oncall:
      "https://prod-01.westeurope.logic.azure.com:443/workflows/afu9TeamsTokenMx5Yh2Lc/triggers/manual/paths/invoke",
  }),
} as const;

/** The secret parts of the test webhook URLs. */
export const WEBHOOK_URL_NEEDLES = ["afu9SlackTokenKp3Wq7Zr", "afu9TeamsTokenMx5Yh2Lc"];

/** Values that must never appear in a deployment archive (no substring of them either). */
export const SECRET_NEEDLES = [
  "AFU9TESTKEYzq8Vx3Lm0Pw7Rt2Ys5Nb",
  TEST_SECRETS.githubWebhookSecret,
  TEST_SECRETS.githubWebhookSecretPrevious,
  TEST_SECRETS.openaiApiKey,
  ...WEBHOOK_URL_NEEDLES,
];

interface ProjectConfigDeclaration {
  type: "string" | "integer" | "boolean" | "array";
  description?: string;
  default?: unknown;
  secret?: boolean;
  items?: { type: string };
}

export function readProjectFile(): {
  name: string;
  config: Record<string, ProjectConfigDeclaration>;
} {
  return parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8"));
}

export function readStackFile(stack: string): Record<string, unknown> {
  const parsed = parse(readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
    config?: Record<string, unknown>;
  };
  return parsed.config ?? {};
}

function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Namespaced key -> string, the way Pulumi passes config to a program. */
export function rawStackConfig(
  stack: string,
  overrides: Record<string, unknown> = {},
): Record<string, string> {
  const project = readProjectFile();
  const raw: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(project.config)) {
    if (declaration.default !== undefined) {
      raw[`${project.name}:${name}`] = asConfigString(declaration.default);
    }
  }
  for (const [name, value] of Object.entries(readStackFile(stack))) {
    raw[name] = asConfigString(value);
  }
  raw[`${project.name}:githubAppId`] = "424242";
  raw[`${project.name}:githubAppPrivateKey`] = TEST_SECRETS.githubAppPrivateKey;
  raw[`${project.name}:githubWebhookSecret`] = TEST_SECRETS.githubWebhookSecret;
  for (const [name, value] of Object.entries(overrides)) {
    const fullName = name.includes(":") ? name : `${project.name}:${name}`;
    if (value === undefined) delete raw[fullName];
    else raw[fullName] = asConfigString(value);
  }
  return raw;
}

/** Keys a user stores with --secret (what Pulumi lists in PULUMI_CONFIG_SECRET_KEYS). */
export function secretKeys(raw: Record<string, string>): string[] {
  return [
    "githubAppPrivateKey",
    "githubWebhookSecret",
    "githubWebhookSecretPrevious",
    "openaiApiKey",
    "notifySlackWebhooks",
    "notifyTeamsWebhooks",
  ]
    .map((name) => `afu9:${name}`)
    .filter((name) => raw[name] !== undefined && raw[name] !== "");
}
