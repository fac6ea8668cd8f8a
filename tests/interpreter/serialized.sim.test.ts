// The interpreter as it is deployed: Pulumi serializes createIssueInterpreterHandler
// (callbackFactory); that module, loaded with plain require in a fresh Node process with only its
// environment (App id, API URL, secret ARN; Secrets Manager mocked), analyses an issue on the
// simulator over HTTP: labels and the analysis comment appear.
import * as pulumi from "@pulumi/pulumi";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createIssueInterpreterHandler } from "../../handlers/issue-interpreter/lambda";
import type { WorkflowState } from "../../handlers/shared/types";
import { startGitHubSimulator, type GitHubSimulator } from "../../local/github-simulator";
import { issueRoutes } from "../../local/github-simulator/routes/issues";

// See analyze-issue.sim.test.ts: skipped by name while the simulator lacks the events endpoint.
const EVENTS_ROUTE = "GET /repos/{owner}/{repo}/issues/{issue_number}/events";
const SIM_HAS_EVENTS = EVENTS_ROUTE in issueRoutes;
const BLOCKED = SIM_HAS_EVENTS ? "" : `[BLOCKED: simulator lacks ${EVENTS_ROUTE}] `;

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
    const analysis = await handler({ action: "analyze", state }, {});
    process.stderr.write("RESULT " + JSON.stringify({ analysis }) + "\\n");
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

describe("the serialized issue interpreter", () => {
  let dir: string;
  let sim: GitHubSimulator;
  beforeAll(async () => {
    const serialized = await pulumi.runtime.serializeFunction(createIssueInterpreterHandler, {
      isFactoryFunction: true,
    });
    dir = mkdtempSync(join(tmpdir(), "afu9-interpreter-serialized-"));
    writeFileSync(join(dir, "index.js"), serialized.text);
    writeFileSync(join(dir, "runner.js"), runner);
    sim = await startGitHubSimulator();
  }, 120_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sim?.close();
  });

  (SIM_HAS_EVENTS ? it : it.skip)(
    `${BLOCKED}analyses an issue on the simulator from a fresh process`,
    async () => {
      const { id: installationId } = sim.createInstallation("acme");
      const repo = sim.createRepository({
        owner: "acme",
        name: "serialized",
        installationId,
        files: { ".github/afu9.yml": "enabled: true\n" },
      });
      sim.setPermission("acme", "serialized", "mona", "write");
      const title = "Wunsch: Export als Excel-Datei";
      const body = "Es wäre toll, wenn man die Liste auch als xlsx exportieren könnte.";
      const issue = sim.createIssue("acme", "serialized", { title, body, user: "kunde" });
      sim.addLabel("acme", "serialized", issue.number, "afu9", "mona");
      const state: WorkflowState = {
        delivery: { id: "ser-1", event: "issues", action: "labeled", label: "afu9" },
        installationId,
        repository: { id: repo.id, owner: "acme", name: "serialized", defaultBranch: "main" },
        issue: {
          number: issue.number,
          title,
          body,
          user: "kunde",
          authorAssociation: "NONE",
          labels: ["afu9"],
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
      expect(line).toBeDefined();
      const result = JSON.parse(line!.slice("RESULT ".length));
      expect(result.error).toBeUndefined();
      expect(result.analysis).toMatchObject({ type: "feature", priority: "P3", actionable: false });
      const labels = sim
        .getIssue("acme", "serialized", issue.number)
        .labels.map((l) => (typeof l === "string" ? l : l.name));
      expect(labels).toEqual(expect.arrayContaining(["type:feature", "priority:P3"]));
      expect(sim.listIssueComments("acme", "serialized", issue.number)).toHaveLength(1);
    },
    90_000,
  );
});
