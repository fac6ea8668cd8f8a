// The handler as it is deployed: Pulumi serializes createWebhookHandler (callbackFactory) into a
// module; that module, loaded with plain require in a fresh Node process, must refuse to start
// without its environment and otherwise verify, route and start like the source does.
import * as pulumi from "@pulumi/pulumi";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWebhookHandler } from "../../../handlers/webhook/lambda";
import { SECRET_ARN, SETTINGS, STATE_MACHINE_ARN, TEST_SECRET } from "./helpers";
import { REPO_ROOT } from "../../support/repo-root";

const nodeModules = join(REPO_ROOT, "node_modules");

// Runs in the child: mocks the two AWS calls, loads the serialized module, sends deliveries.
const runner = `
const { createHmac } = require("node:crypto");
const { mockClient } = require("aws-sdk-client-mock");
const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");
const { SFNClient, StartExecutionCommand } = require("@aws-sdk/client-sfn");
process.stdout.write = () => true; // keep the child's output to the result line (stderr)
const sm = mockClient(SecretsManagerClient);
sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ githubWebhookSecret: process.env.TEST_SECRET }) });
const sfn = mockClient(SFNClient);
sfn.on(StartExecutionCommand).callsFake((i) => ({ executionArn: "arn:x:" + i.name, startDate: new Date() }));
(async () => {
  const { handler } = require("./index.js");
  const body = JSON.stringify({
    action: "opened",
    issue: { number: 8, title: "t", body: null, user: { login: "u" }, author_association: "OWNER", labels: [] },
    repository: { id: 1, name: "r", full_name: "o/r", owner: { login: "o" }, default_branch: "main" },
    sender: { login: "u", id: 2, type: "User" },
    installation: { id: 3 },
  });
  const headers = { "content-type": "application/json", "x-github-event": "issues", "x-github-delivery": "ser-1" };
  const sig = (k) => "sha256=" + createHmac("sha256", k).update(body).digest("hex");
  const answers = [];
  for (const signature of [undefined, sig("wrong"), sig(process.env.TEST_SECRET)]) {
    const h = signature ? { ...headers, "x-hub-signature-256": signature } : headers;
    answers.push((await handler({ headers: h, body, isBase64Encoded: false }, {})).statusCode);
  }
  const starts = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
  process.stderr.write("RESULT " + JSON.stringify({ length: handler.length, answers, starts }) + "\\n");
})();
`;

describe("the serialized webhook handler", () => {
  let dir: string;
  beforeAll(async () => {
    const serialized = await pulumi.runtime.serializeFunction(createWebhookHandler, {
      isFactoryFunction: true,
    });
    dir = mkdtempSync(join(tmpdir(), "afu9-webhook-serialized-"));
    writeFileSync(join(dir, "index.js"), serialized.text);
    writeFileSync(join(dir, "runner.js"), runner);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ["runner.js"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_PATH: nodeModules,
        AWS_REGION: "eu-central-1",
        ...env,
      },
    });

  test("refuses to start without its environment", () => {
    const child = run({ TEST_SECRET });
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain("AFU9_SECRET_ARN is not set");
  });

  test("answers in a fresh process: 401 unsigned, 401 wrong secret, 202 started", () => {
    const child = run({
      TEST_SECRET,
      AFU9_SECRET_ARN: SECRET_ARN,
      AFU9_STATE_MACHINE_ARN: STATE_MACHINE_ARN,
      AFU9_SETTINGS: JSON.stringify(SETTINGS),
    });
    const line = child.stderr.split("\n").find((l) => l.startsWith("RESULT "));
    expect({ stderr: line ? "" : child.stderr }).toEqual({ stderr: "" });
    const result = JSON.parse((line ?? "").slice("RESULT ".length));
    expect(result.length).toBeLessThanOrEqual(2);
    expect(result.answers).toEqual([401, 401, 202]);
    expect(result.starts).toHaveLength(1);
    expect(result.starts[0]).toMatchObject({
      stateMachineArn: STATE_MACHINE_ARN,
      name: "issue-8-ser-1",
    });
  });
});
