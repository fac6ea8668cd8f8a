// The Lambda entry: fails closed at init on a bad environment; otherwise answers end to end with
// the real clients (SDK transports mocked), Powertools JSON logs and EMF metrics on stdout.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { loadWebhookConfig } from "../../../handlers/webhook/config";
import { createWebhookHandler } from "../../../handlers/webhook/lambda";
import { deliveryEvent, SECRET_ARN, SETTINGS, STATE_MACHINE_ARN, TEST_SECRET } from "./helpers";

const goodEnv = {
  AFU9_SECRET_ARN: SECRET_ARN,
  AFU9_STATE_MACHINE_ARN: STATE_MACHINE_ARN,
  AFU9_SETTINGS: JSON.stringify(SETTINGS),
  AFU9_WEBHOOK_CONFIG: JSON.stringify({ maxBodyBytes: 1_000_000, issueActions: ["opened"] }),
};

describe("loadWebhookConfig", () => {
  test("reads the environment", () => {
    expect(loadWebhookConfig(goodEnv)).toEqual({
      secretArn: SECRET_ARN,
      stateMachineArn: STATE_MACHINE_ARN,
      settings: SETTINGS,
      maxBodyBytes: 1_000_000,
      issueActions: ["opened"],
    });
  });

  test("defaults: 5 MB and opened/reopened/labeled/edited", () => {
    const { maxBodyBytes, issueActions } = loadWebhookConfig({
      ...goodEnv,
      AFU9_WEBHOOK_CONFIG: undefined,
    });
    expect(maxBodyBytes).toBe(5 * 1024 * 1024);
    expect(issueActions).toEqual(["opened", "reopened", "labeled", "edited"]);
  });

  test.each([
    [{ AFU9_SECRET_ARN: undefined }, "AFU9_SECRET_ARN is not set"],
    [{ AFU9_STATE_MACHINE_ARN: "" }, "AFU9_STATE_MACHINE_ARN is not set"],
    [{ AFU9_SETTINGS: undefined }, "AFU9_SETTINGS is not set"],
    [
      { AFU9_STATE_MACHINE_ARN: "arn:aws:lambda:eu-central-1:123456789012:function:x" },
      "is not a state machine ARN",
    ],
    [{ AFU9_SETTINGS: "{dryRun" }, "AFU9_SETTINGS is not JSON"],
    [
      { AFU9_SETTINGS: JSON.stringify({ ...SETTINGS, dryRun: "no" }) },
      "AFU9_SETTINGS.dryRun must be true or false",
    ],
    [
      { AFU9_SETTINGS: JSON.stringify({ ...SETTINGS, ciPollSeconds: -1 }) },
      "AFU9_SETTINGS.ciPollSeconds must be",
    ],
    [
      { AFU9_WEBHOOK_CONFIG: JSON.stringify({ issueActions: ["opend"] }) },
      'unknown action "opend"',
    ],
    [
      { AFU9_WEBHOOK_CONFIG: JSON.stringify({ maxBodyBytes: 0 }) },
      "maxBodyBytes must be a positive integer",
    ],
  ])("refuses %j: %s", (change, message) => {
    expect(() => loadWebhookConfig({ ...goodEnv, ...change })).toThrow(message);
  });

  test("only FactorySettings fields travel into executions", () => {
    const env = { ...goodEnv, AFU9_SETTINGS: JSON.stringify({ ...SETTINGS, token: "x" }) };
    expect(loadWebhookConfig(env).settings).toEqual(SETTINGS);
  });
});

describe("createWebhookHandler", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  test("without its environment the function does not start", () => {
    for (const name of ["AFU9_SECRET_ARN", "AFU9_STATE_MACHINE_ARN", "AFU9_SETTINGS"]) {
      process.env = { ...saved, ...goodEnv, [name]: undefined };
      delete process.env[name];
      expect(() => createWebhookHandler()).toThrow(`${name} is not set`);
    }
  });

  test("end to end: one secret read at init, verify, start; JSON log and EMF metric on stdout", async () => {
    process.env = {
      ...saved,
      ...goodEnv,
      AWS_REGION: "eu-central-1",
      POWERTOOLS_LOG_LEVEL: "INFO",
    };
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ githubWebhookSecret: TEST_SECRET }),
    });
    const sfn = mockClient(SFNClient);
    sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => ({
      executionArn: `arn:aws:states:eu-central-1:123456789012:execution:afu9-dev:${input.name}`,
      startDate: new Date(),
    }));
    const lines: string[] = [];
    jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });

    const handler = createWebhookHandler();
    expect(handler.length).toBeLessThanOrEqual(2); // nodejs24.x refuses callback-style handlers
    const body = JSON.stringify({
      action: "opened",
      issue: {
        number: 3,
        title: "t",
        body: "b",
        user: { login: "u" },
        author_association: "OWNER",
        labels: [],
      },
      repository: {
        id: 1,
        name: "r",
        full_name: "o/r",
        owner: { login: "o" },
        default_branch: "main",
      },
      sender: { login: "u", id: 2, type: "User" },
      installation: { id: 9 },
    });
    const event = await deliveryEvent({ event: "issues", body, deliveryId: "e2e-1" });
    const response = await handler(event as unknown as APIGatewayProxyEventV2);
    const second = await handler(
      (await deliveryEvent({
        event: "issues",
        body,
        deliveryId: "e2e-2",
      })) as unknown as APIGatewayProxyEventV2,
    );
    jest.restoreAllMocks();

    expect(response.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual([
      "issue-3-e2e-1",
      "issue-3-e2e-2",
    ]);
    const records = lines
      .flatMap((chunk) => chunk.split("\n"))
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const log = records.find((r) => r.message === "delivery handled" && r.deliveryId === "e2e-1");
    expect(log).toMatchObject({
      level: "INFO",
      service: "afu9-webhook",
      event: "issues",
      action: "opened",
      repository: "o/r",
      outcome: "started",
      status: 202,
    });
    expect(typeof log.latencyMs).toBe("number");
    const emf = records.filter((r) => r._aws?.CloudWatchMetrics);
    expect(emf).toHaveLength(2);
    expect(emf[0]).toMatchObject({ Deliveries: 1, outcome: "started", service: "afu9-webhook" });
    expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: "AFU9",
      Dimensions: [expect.arrayContaining(["outcome"])],
      Metrics: [{ Name: "Deliveries", Unit: "Count" }],
    });
    expect(lines.join("")).not.toContain(TEST_SECRET);
  });
});
