// The cached secret reader: one read per cold start, TTL re-reads, a throttled forced refresh,
// clear errors, and never the secret value in an error.
import {
  GetSecretValueCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { createSecretStore, parseSecretBundle } from "../../../handlers/runtime/secret-store";

const ARN = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9-dev-AbCdEf";
const bundle = (webhookSecret: string) =>
  JSON.stringify({
    githubWebhookSecret: webhookSecret,
    githubAppPrivateKey: "-----BEGIN KEY-----",
  });

function setup(options: { ttlSeconds?: number } = {}) {
  const sm = mockClient(SecretsManagerClient);
  sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: bundle("one") });
  let now = 1_000_000;
  const clock = { now: () => now };
  const store = createSecretStore({
    secretArn: ARN,
    client: new SecretsManagerClient({ region: "eu-central-1" }),
    ttlSeconds: options.ttlSeconds ?? 300,
    clock,
  });
  return {
    sm,
    store,
    reads: () => sm.commandCalls(GetSecretValueCommand).length,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("createSecretStore", () => {
  test("one read per cold start, shared by concurrent callers and later requests", async () => {
    const { store, reads } = setup();
    const all = await Promise.all([store.get(), store.get(), store.get()]);
    for (let i = 0; i < 50; i++) await store.get();
    expect(all.map((b) => b.githubWebhookSecret)).toEqual(["one", "one", "one"]);
    expect(reads()).toBe(1);
  });

  test("re-reads after the TTL, not before", async () => {
    const { sm, store, reads, advance } = setup({ ttlSeconds: 60 });
    await store.get();
    sm.on(GetSecretValueCommand).resolves({ SecretString: bundle("two") });
    advance(59_999);
    expect((await store.get()).githubWebhookSecret).toBe("one");
    expect(reads()).toBe(1);
    advance(1);
    expect((await store.get()).githubWebhookSecret).toBe("two");
    expect(reads()).toBe(2);
  });

  test("a failed TTL re-read keeps serving the last good value, retrying later", async () => {
    const { sm, store, reads, advance } = setup({ ttlSeconds: 60 });
    await store.get();
    sm.on(GetSecretValueCommand).rejects(new Error("socket hang up"));
    advance(61_000);
    expect((await store.get()).githubWebhookSecret).toBe("one");
    expect((await store.get()).githubWebhookSecret).toBe("one");
    expect(reads()).toBe(2);
    advance(31_000);
    await store.get();
    expect(reads()).toBe(3);
  });

  test("refresh() re-reads (a rotation), but at most once per refresh interval", async () => {
    const { sm, store, reads, advance } = setup();
    await store.get();
    sm.on(GetSecretValueCommand).resolves({ SecretString: bundle("rotated") });
    expect((await store.refresh()).githubWebhookSecret).toBe("one"); // read < 30 s ago
    advance(30_000);
    expect((await store.refresh()).githubWebhookSecret).toBe("rotated");
    expect((await store.refresh()).githubWebhookSecret).toBe("rotated");
    expect((await store.get()).githubWebhookSecret).toBe("rotated");
    expect(reads()).toBe(2);
  });

  test("refresh() failures propagate with the cause (the webhook then refuses the delivery)", async () => {
    const { sm, store, advance } = setup();
    await store.get();
    advance(31_000);
    sm.on(GetSecretValueCommand).rejects(
      new SecretsManagerServiceException({
        name: "InternalServiceError",
        $fault: "server",
        message: "boom",
        $metadata: {},
      }),
    );
    await expect(store.refresh()).rejects.toMatchObject({
      name: "AFU9.SecretUnreadable",
      message: expect.stringContaining("InternalServiceError: boom"),
    });
  });

  test("a missing secret names the ARN and the IAM action to check", async () => {
    const { sm, store } = setup();
    sm.on(GetSecretValueCommand).rejects(
      new SecretsManagerServiceException({
        name: "ResourceNotFoundException",
        $fault: "client",
        message: "Secrets Manager can't find the specified secret.",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(store.get()).rejects.toMatchObject({
      name: "AFU9.SecretMissing",
      message: expect.stringContaining(`cannot read secret ${ARN}`),
    });
  });

  test("refuses bad options", () => {
    const clock = { now: () => 0 };
    expect(() => createSecretStore({ secretArn: "", ttlSeconds: 1, clock })).toThrow(
      "secretArn is required",
    );
    expect(() => createSecretStore({ secretArn: ARN, ttlSeconds: 0, clock })).toThrow(
      "ttlSeconds must be > 0",
    );
  });
});

describe("parseSecretBundle", () => {
  test("clear errors, never the value", () => {
    expect(() => parseSecretBundle(ARN, "hunter2-not-json")).toThrow(`secret ${ARN} is not JSON`);
    try {
      parseSecretBundle(ARN, "hunter2-not-json");
    } catch (error) {
      expect((error as Error).message).not.toContain("hunter2");
    }
    expect(() => parseSecretBundle(ARN, undefined)).toThrow("has no SecretString");
    expect(() => parseSecretBundle(ARN, "[1]")).toThrow("is not a JSON object");
    expect(() => parseSecretBundle(ARN, JSON.stringify({ githubAppPrivateKey: "k" }))).toThrow(
      `secret ${ARN} lacks githubWebhookSecret`,
    );
    expect(() =>
      parseSecretBundle(ARN, JSON.stringify({ githubWebhookSecret: "w" }), ["githubAppPrivateKey"]),
    ).toThrow(`secret ${ARN} lacks githubAppPrivateKey`);
    expect(() =>
      parseSecretBundle(ARN, JSON.stringify({ githubWebhookSecret: "w", aiApiKey: 5 }), [
        "githubWebhookSecret",
      ]),
    ).toThrow("aiApiKey must be a string");
  });

  test("keeps only the bundle's fields; an empty previous secret means no rotation", () => {
    expect(
      parseSecretBundle(
        ARN,
        JSON.stringify({
          githubWebhookSecret: "w",
          githubAppPrivateKey: "k",
          githubWebhookSecretPrevious: "",
          extra: "x",
        }),
      ),
    ).toEqual({ githubWebhookSecret: "w", githubAppPrivateKey: "k" });
    expect(
      parseSecretBundle(ARN, JSON.stringify({ githubWebhookSecret: "w" }), ["githubWebhookSecret"]),
    ).toEqual({ githubWebhookSecret: "w", githubAppPrivateKey: "" });
  });
});
