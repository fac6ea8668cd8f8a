import { generateKeyPairSync } from "node:crypto";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { createTaskDeps } from "../../../handlers/runtime/task-deps";
import type { Logger } from "../../../handlers/shared/types";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const secretArn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9-test";

describe("createTaskDeps", () => {
  const sm = mockClient(SecretsManagerClient);
  afterEach(() => sm.reset());

  it("reads the App key from the secret once per container and reuses the client factory", async () => {
    sm.on(GetSecretValueCommand, { SecretId: secretArn }).resolves({
      SecretString: JSON.stringify({ githubAppPrivateKey: pkcs1, githubWebhookSecret: "w" }),
    });
    const deps = createTaskDeps({
      env: {
        AFU9_GITHUB_APP_ID: "123",
        AFU9_SECRET_ARN: secretArn,
        AFU9_GITHUB_API_URL: "http://127.0.0.1:9/api",
      },
      logger: silent,
    });
    const [a, b] = await Promise.all([deps.github(1), deps.github(2)]);
    await deps.github(3);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(a.request.endpoint.DEFAULTS.baseUrl).toBe("http://127.0.0.1:9/api");
    expect(b).not.toBe(a); // one installation-scoped client per call
  });

  it("a failed secret read is not cached: the next invocation reads again", async () => {
    sm.on(GetSecretValueCommand)
      .rejectsOnce(new Error("throttled"))
      .resolves({
        SecretString: JSON.stringify({ githubAppPrivateKey: pkcs1 }),
      });
    const deps = createTaskDeps({
      env: { AFU9_GITHUB_APP_ID: "123", AFU9_SECRET_ARN: secretArn },
      logger: silent,
    });
    await expect(deps.github(1)).rejects.toThrow(/cannot read secret/);
    await expect(deps.github(1)).resolves.toBeDefined();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it("builds without environment (packaging) and names the missing setting on first use", async () => {
    const deps = createTaskDeps({ env: {}, logger: silent });
    expect(typeof deps.clock.now()).toBe("number");
    await expect(deps.github(1)).rejects.toThrow(
      /AFU9_GITHUB_APP_ID is not set: .*pulumi config set githubAppId/,
    );
    const noSecret = createTaskDeps({ env: { AFU9_GITHUB_APP_ID: "1" }, logger: silent });
    await expect(noSecret.github(1)).rejects.toThrow(/AFU9_SECRET_ARN is not set/);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it("a secret without the App key says which field is missing, without the secret's value", async () => {
    sm.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ githubWebhookSecret: "very-secret-value" }),
    });
    const deps = createTaskDeps({
      env: { AFU9_GITHUB_APP_ID: "1", AFU9_SECRET_ARN: secretArn },
      logger: silent,
    });
    const error = await deps.github(1).catch((e: unknown) => e as Error);
    expect(String(error)).toMatch(/lacks githubAppPrivateKey/);
    expect(String(error)).not.toContain("very-secret-value");
  });
});
