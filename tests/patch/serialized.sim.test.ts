// The patch generator as it is deployed: Pulumi serializes createPatchGeneratorHandler
// (callbackFactory); that module, loaded with plain require in a fresh Node process with only its
// environment (App id, API URL, secret ARN; Secrets Manager mocked), generates a patch commit from a
// diff in an issue and validates it on the simulator over HTTP.
import * as pulumi from "@pulumi/pulumi";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createPatchGeneratorHandler } from "../../handlers/patch-generator/lambda";
import type { WorkflowState } from "../../handlers/shared/types";
import { startGitHubSimulator, type GitHubSimulator } from "../../local/github-simulator";
import { gitDiff } from "./git-fixture";

const nodeModules = resolve(__dirname, "../../node_modules");
const SECRET_ARN = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9-test";

const runner = `
const { mockClient } = require("aws-sdk-client-mock");
const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");
process.stdout.write = () => true; // the logger writes JSON lines to stdout; keep the result clean
const sm = mockClient(SecretsManagerClient);
sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ githubAppPrivateKey: process.env.TEST_PRIVATE_KEY }) });
(async () => {
  const { handler } = require("./index.js");
  const state = JSON.parse(process.env.TEST_STATE);
  try {
    const patch = await handler({ action: "generate", state }, {});
    const validation = await handler({ action: "validate", state: { ...state, patch } }, {});
    process.stderr.write("RESULT " + JSON.stringify({ patch, validation }) + "\\n");
  } catch (error) {
    process.stderr.write("RESULT " + JSON.stringify({ error: String(error && error.message) }) + "\\n");
  }
})();
`;

function runChild(dir: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["runner.js"], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_PATH: nodeModules,
        AWS_REGION: "eu-central-1",
        ...env,
      },
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      resolvePromise(stderr);
    });
  });
}

describe("the serialized patch generator", () => {
  let dir: string;
  let sim: GitHubSimulator;
  beforeAll(async () => {
    const serialized = await pulumi.runtime.serializeFunction(createPatchGeneratorHandler, {
      isFactoryFunction: true,
    });
    dir = mkdtempSync(join(tmpdir(), "afu9-patch-serialized-"));
    writeFileSync(join(dir, "index.js"), serialized.text);
    writeFileSync(join(dir, "runner.js"), runner);
    sim = await startGitHubSimulator();
  }, 120_000);
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await sim?.close();
  });

  it("generates and validates a patch on the simulator from a fresh process", async () => {
    const base = { "src/math.ts": "export const add = (a: number, b: number) => a - b;\n" };
    const fixed = { "src/math.ts": "export const add = (a: number, b: number) => a + b;\n" };
    const diff = gitDiff(
      { "src/math.ts": { content: base["src/math.ts"], mode: "100644" } },
      { "src/math.ts": { content: fixed["src/math.ts"], mode: "100644" } },
    );
    const { id: installationId } = sim.createInstallation("acme");
    const repo = sim.createRepository({
      owner: "acme",
      name: "serialized",
      installationId,
      files: base,
    });
    const body = `Fix:\n\n\`\`\`diff\n${diff}\`\`\`\n`;
    const issue = sim.createIssue("acme", "serialized", {
      title: "add subtracts",
      body,
      user: "mona",
    });
    const state: WorkflowState = {
      delivery: { id: "ser-1", event: "issues", action: "labeled" },
      installationId,
      repository: { id: repo.id, owner: "acme", name: "serialized", defaultBranch: "main" },
      issue: {
        number: issue.number,
        title: "add subtracts",
        body,
        user: "mona",
        authorAssociation: "OWNER",
        labels: [],
      },
      sender: { login: "mona", id: 2 },
      settings: {
        dryRun: false,
        ciPollSeconds: 60,
        ciMaxWaitSeconds: 600,
        ciNoChecksGraceSeconds: 60,
      },
    };
    const stderr = await runChild(dir, {
      AFU9_GITHUB_APP_ID: String(sim.app.id),
      AFU9_GITHUB_API_URL: sim.url,
      AFU9_SECRET_ARN: SECRET_ARN,
      TEST_PRIVATE_KEY: sim.app.privateKey,
      TEST_STATE: JSON.stringify(state),
    });
    const line = stderr.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) throw new Error(`no result from the child process:\n${stderr.slice(0, 2000)}`);
    const result = JSON.parse(line.slice("RESULT ".length));
    expect(result.error).toBeUndefined();
    expect(result.patch).toMatchObject({ baseSha: repo.headSha, strategy: "unified-diff" });
    expect(result.validation).toEqual({ valid: true, violations: [] });
    expect(sim.readTree("acme", "serialized", result.patch.commitSha)).toEqual(fixed);
    expect(sim.getRef("acme", "serialized", "heads/main")).toBe(repo.headSha);
  }, 90_000);
});
