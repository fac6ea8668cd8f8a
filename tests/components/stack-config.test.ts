import { parseStackConfig } from "../../components/stack-config";
import {
  TEST_SECRETS,
  rawStackConfig,
  readProjectFile,
  readStackFile,
} from "./support/stack-config-fixture";

function problemsOf(overrides: Record<string, unknown>, stack = "dev"): string {
  try {
    parseStackConfig(rawStackConfig(stack, overrides));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the config to be rejected");
}

describe("Pulumi.yaml config declarations", () => {
  const project = readProjectFile();
  const declarations = Object.entries(project.config);

  it("declares every key with a type and a description, and only Pulumi's declaration fields", () => {
    expect(declarations.length).toBeGreaterThan(30);
    for (const [name, declaration] of declarations) {
      expect([name, ["string", "integer", "boolean", "array"].includes(declaration.type)]).toEqual([
        name,
        true,
      ]);
      expect([name, typeof declaration.description]).toEqual([name, "string"]);
      const extra = Object.keys(declaration).filter(
        (field) => !["type", "description", "default", "secret", "items"].includes(field),
      );
      expect([name, extra]).toEqual([name, []]);
      if (declaration.type === "array") expect(declaration.items).toEqual({ type: "string" });
    }
  });

  it("requires exactly the App id and the two secrets; secrets have no default", () => {
    const required = declarations.filter(([, d]) => d.default === undefined).map(([n]) => n);
    expect(required.sort()).toEqual(["githubAppId", "githubAppPrivateKey", "githubWebhookSecret"]);
    const secret = declarations.filter(([, d]) => d.secret).map(([n]) => n);
    expect(secret.sort()).toEqual(["githubAppPrivateKey", "githubWebhookSecret"]);
  });

  it("declares the 60 s CI poll interval and a 5 MB webhook body limit", () => {
    expect(project.config.ciPollSeconds.default).toBe(60);
    expect(project.config.webhookMaxBodyBytes.default).toBe(5 * 1024 * 1024);
    expect(project.config.vpcEnabled.default).toBe(false);
    expect(project.config.aiProvider.default).toBe("none");
  });

  it.each(["dev", "prod"])("stack %s sets only declared keys, with the declared types", (stack) => {
    for (const [name, value] of Object.entries(readStackFile(stack))) {
      if (name === "aws:region") continue;
      const bareName = name.replace(/^afu9:/, "");
      const declaration = project.config[bareName];
      expect([name, declaration !== undefined && name.startsWith("afu9:")]).toEqual([name, true]);
      const expectedType = { integer: "number", string: "string", boolean: "boolean" }[
        declaration.type as "integer" | "string" | "boolean"
      ];
      expect([name, typeof value]).toEqual([name, expectedType]);
      expect([name, declaration.secret ?? false]).toEqual([name, false]);
    }
  });
});

describe("parseStackConfig", () => {
  it("reads the dev and prod stacks into the values each stack promises", () => {
    const dev = parseStackConfig(rawStackConfig("dev")).settings;
    const prod = parseStackConfig(rawStackConfig("prod")).settings;
    expect([dev.region, prod.region]).toEqual(["eu-west-1", "eu-central-1"]);
    expect([dev.logRetentionDays, prod.logRetentionDays]).toEqual([7, 30]);
    expect(dev.alarms).toEqual({
      lambdaErrorRatePercent: 10,
      failedExecutions: 3,
      api5xx: 10,
      notificationDeliveryFailures: 3,
    });
    expect(prod.alarms).toEqual({
      lambdaErrorRatePercent: 5,
      failedExecutions: 1,
      api5xx: 1,
      notificationDeliveryFailures: 3,
    });
    expect([dev.stateMachineLogLevel, prod.stateMachineLogLevel]).toEqual(["ALL", "ERROR"]);
    expect(dev.factory).toEqual({
      dryRun: false,
      ciPollSeconds: 60,
      ciMaxWaitSeconds: 1800,
      ciNoChecksGraceSeconds: 300,
    });
    expect(prod.factory.ciMaxWaitSeconds).toBe(3600);
    expect(dev.functions).toEqual({
      webhook: { memoryMb: 256, timeoutSeconds: 30 },
      issueInterpreter: { memoryMb: 256, timeoutSeconds: 30 },
      patchGenerator: { memoryMb: 512, timeoutSeconds: 60 },
      prCreator: { memoryMb: 256, timeoutSeconds: 60 },
      ciFeedback: { memoryMb: 256, timeoutSeconds: 30 },
      notifier: { memoryMb: 256, timeoutSeconds: 60 },
    });
    expect(prod.functions.patchGenerator).toEqual({ memoryMb: 1024, timeoutSeconds: 60 });
    expect(dev.webhook).toEqual({
      maxBodyBytes: 5242880,
      issueActions: ["opened", "reopened", "labeled", "edited"],
      throttlingRateLimit: 50,
      throttlingBurstLimit: 100,
    });
    expect(dev.githubAppId).toBe(424242);
    expect(dev.githubApiUrl).toBe("");
    expect(dev.vpcEnabled).toBe(false);
    expect(dev.ai).toEqual({ provider: "none" });
    expect([dev.ciWait, prod.ciWait]).toEqual([
      { mode: "events", fallbackSeconds: 1200 },
      { mode: "events", fallbackSeconds: 1200 },
    ]);
    expect([dev.runTable, prod.runTable]).toEqual([
      { pointInTimeRecovery: false, deletionProtection: false },
      { pointInTimeRecovery: true, deletionProtection: true },
    ]);
  });

  it("checks the CI wait mode and the events mode's fallback against the max wait", () => {
    expect(problemsOf({ ciWaitMode: "webhook" })).toContain(
      'afu9:ciWaitMode = "webhook": must be one of events, poll',
    );
    expect(problemsOf({ ciFallbackSeconds: 3600, ciMaxWaitSeconds: 1800 })).toContain(
      "must be at least ciFallbackSeconds (3600)",
    );
    expect(problemsOf({ ciFallbackSeconds: 10 })).toContain(
      'afu9:ciFallbackSeconds = "10": must be between 30 and 3600',
    );
    // In poll mode the fallback does not matter.
    expect(() =>
      parseStackConfig(
        rawStackConfig("dev", {
          ciWaitMode: "poll",
          ciFallbackSeconds: 3600,
          ciMaxWaitSeconds: 1800,
        }),
      ),
    ).not.toThrow();
  });

  it("returns the secrets separately from the settings", () => {
    const { settings, secrets } = parseStackConfig(rawStackConfig("dev"));
    expect(secrets.githubAppPrivateKey).toBe(TEST_SECRETS.githubAppPrivateKey);
    expect(secrets.githubWebhookSecret).toBe(TEST_SECRETS.githubWebhookSecret);
    expect(JSON.stringify(settings)).not.toContain(TEST_SECRETS.githubWebhookSecret);
  });

  it("names the key, the bad value, the rule and the fix", () => {
    const message = problemsOf({ logRetentionDays: 8 });
    expect(message).toContain('afu9:logRetentionDays = "8": must be one of CloudWatch');
    expect(message).toContain("fix: pulumi config set logRetentionDays <value>");
  });

  it("lists every problem at once", () => {
    const message = problemsOf({ dryRun: "yes", stateMachineLogLevel: "DEBUG", api5xx: "ten" });
    expect(message).toContain("3 problems");
    expect(message).toContain('afu9:dryRun = "yes": must be true or false');
    expect(message).toContain(
      'afu9:stateMachineLogLevel = "DEBUG": must be one of ALL, ERROR, FATAL, OFF',
    );
    expect(message).toContain('afu9:api5xx = "ten": must be a whole number');
  });

  it("says how to set a missing secret and never echoes a secret value", () => {
    expect(problemsOf({ githubWebhookSecret: undefined })).toContain(
      "afu9:githubWebhookSecret: is not set (fix: pulumi config set --secret githubWebhookSecret <value>)",
    );
    const notPem = "not-a-pem-but-secret-XYZ123";
    const message = problemsOf({ githubAppPrivateKey: notPem });
    expect(message).toContain("afu9:githubAppPrivateKey: is not a PEM private key");
    expect(message).toContain("pulumi config set --secret githubAppPrivateKey < key.pem");
    expect(message).not.toContain(notPem);
  });

  it("accepts PKCS#8 keys too", () => {
    const pkcs8 = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
    expect(() =>
      parseStackConfig(rawStackConfig("dev", { githubAppPrivateKey: pkcs8 })),
    ).not.toThrow();
  });

  it("bounds the CI wait, the timeouts, memory, body size and issue actions", () => {
    expect(problemsOf({ ciMaxWaitSeconds: 30 })).toContain("afu9:ciMaxWaitSeconds");
    expect(problemsOf({ ciWaitMode: "poll", ciPollSeconds: 600, ciMaxWaitSeconds: 300 })).toContain(
      "must be at least ciPollSeconds (600)",
    );
    expect(problemsOf({ ciFallbackSeconds: 600, ciMaxWaitSeconds: 300 })).toContain(
      "must be at least ciFallbackSeconds (600)",
    );
    // The workflow's own bound (history size), reported with the other problems of the stack.
    const tooManyPolls = problemsOf({
      ciWaitMode: "poll",
      ciPollSeconds: 5,
      ciMaxWaitSeconds: 7 * 24 * 3600,
      webhookTimeoutSeconds: 60,
    });
    expect(tooManyPolls).toContain("afu9:ciPollSeconds");
    expect(tooManyPolls).toContain("needs 120960 CI polls; at most 2000 fit");
    expect(tooManyPolls).toContain("afu9:webhookTimeoutSeconds");
    expect(problemsOf({ webhookTimeoutSeconds: 60 })).toContain(
      'afu9:webhookTimeoutSeconds = "60": must be between 1 and 30',
    );
    expect(problemsOf({ patchGeneratorMemoryMb: 64 })).toContain("afu9:patchGeneratorMemoryMb");
    expect(problemsOf({ webhookMaxBodyBytes: 20 * 1024 * 1024 })).toContain(
      "afu9:webhookMaxBodyBytes",
    );
    expect(problemsOf({ webhookIssueActions: ["opened", "exploded"] })).toContain(
      'unknown entries ["exploded"]',
    );
    expect(problemsOf({ webhookIssueActions: "opened" })).toContain("must be a non-empty list");
  });

  it("checks URLs, e-mail and the region", () => {
    expect(problemsOf({ githubApiUrl: "http://ghe.example.com/api/v3" })).toContain(
      "afu9:githubApiUrl",
    );
    expect(problemsOf({ alarmEmail: "ops" })).toContain(
      'afu9:alarmEmail = "ops": is not an e-mail',
    );
    expect(problemsOf({ "aws:region": "Frankfurt" })).toContain("aws:region");
    const ghes = parseStackConfig(
      rawStackConfig("dev", { githubApiUrl: "https://ghe.example.com/api/v3/" }),
    );
    expect(ghes.settings.githubApiUrl).toBe("https://ghe.example.com/api/v3");
  });

  it("requires the provider's settings when AI is enabled", () => {
    expect(problemsOf({ aiProvider: "bedrock" })).toContain("afu9:bedrockModelId");
    expect(problemsOf({ aiProvider: "openai" })).toMatch(
      /afu9:openaiBaseUrl[\s\S]*afu9:openaiModel[\s\S]*afu9:openaiApiKey/,
    );
    // AI answers take time: the patch generator's default 60 s would cut generation short.
    expect(
      problemsOf({
        aiProvider: "bedrock",
        bedrockModelId: "anthropic.claude-3-5-sonnet-20240620-v1:0",
      }),
    ).toContain(
      'afu9:patchGeneratorTimeoutSeconds = "60": is too short for AI patch generation (up to 3 model calls of 60 s): at least 240 (fix: pulumi config set patchGeneratorTimeoutSeconds 240)',
    );
    expect(problemsOf({ aiProvider: "gpt" })).toContain("must be one of none, bedrock, openai");
    const bedrock = parseStackConfig(
      rawStackConfig("dev", {
        aiProvider: "bedrock",
        bedrockModelId: "anthropic.claude-3-5-sonnet-20240620-v1:0",
        patchGeneratorTimeoutSeconds: "300",
      }),
    );
    expect(bedrock.settings.ai).toEqual({
      provider: "bedrock",
      bedrockModelId: "anthropic.claude-3-5-sonnet-20240620-v1:0",
    });
    const openai = parseStackConfig(
      rawStackConfig("dev", {
        aiProvider: "openai",
        openaiBaseUrl: "https://llm.example.com/v1",
        openaiModel: "qwen2.5-coder-32b",
        openaiApiKey: TEST_SECRETS.openaiApiKey,
        patchGeneratorTimeoutSeconds: "300",
      }),
    );
    expect(openai.settings.ai).toEqual({
      provider: "openai",
      openaiBaseUrl: "https://llm.example.com/v1",
      openaiModel: "qwen2.5-coder-32b",
    });
    expect(openai.secrets.openaiApiKey).toBe(TEST_SECRETS.openaiApiKey);
  });
});
