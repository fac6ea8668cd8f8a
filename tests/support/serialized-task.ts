// A task function as it is deployed: Pulumi serializes its callbackFactory, and the module is loaded
// with plain require in a fresh Node process that has only the function's environment (Secrets
// Manager mocked to hold the App key). The child runs actions in order, each result stored in the
// state under its name (as the state machine's ResultPath does), and reports them as JSON.
import * as pulumi from "@pulumi/pulumi";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WorkflowState } from "../../contract/state";
import type { TaskAction } from "../../contract/task-actions";
import { REPO_ROOT } from "./repo-root";

const NODE_MODULES = join(REPO_ROOT, "node_modules");
export const TEST_SECRET_ARN = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9-test";

const RUNNER = `
const { mockClient } = require("aws-sdk-client-mock");
const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");
process.stdout.write = () => true; // the logger writes JSON lines to stdout; keep the result clean
const sm = mockClient(SecretsManagerClient);
sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ githubAppPrivateKey: process.env.TEST_PRIVATE_KEY }) });
(async () => {
  const { handler } = require("./index.js");
  let state = JSON.parse(process.env.TEST_STATE);
  const results = {};
  try {
    for (const step of JSON.parse(process.env.TEST_STEPS)) {
      results[step.as] = await handler({ action: step.action, state }, {});
      state = { ...state, [step.as]: results[step.as] };
    }
    process.stderr.write("RESULT " + JSON.stringify(results) + "\\n");
  } catch (error) {
    process.stderr.write("RESULT " + JSON.stringify({ error: String(error && error.message) }) + "\\n");
  }
})();
`;

export interface TaskStep {
  action: TaskAction;
  /** Where the result goes in the state (and in the returned record). */
  as: string;
}

export interface SerializedTask {
  /** Runs the steps in a fresh process against the simulator at `github`; the results by name. */
  run(
    github: { url: string; app: { id: number; privateKey: string } },
    state: WorkflowState,
    steps: TaskStep[],
  ): Promise<Record<string, unknown>>;
  dispose(): void;
}

export async function serializeTaskFunction(
  factory: () => (event: never) => Promise<unknown>,
  name: string,
): Promise<SerializedTask> {
  const serialized = await pulumi.runtime.serializeFunction(factory, { isFactoryFunction: true });
  const dir = mkdtempSync(join(tmpdir(), `afu9-${name}-serialized-`));
  writeFileSync(join(dir, "index.js"), serialized.text);
  writeFileSync(join(dir, "runner.js"), RUNNER);
  return {
    async run(github, state, steps) {
      const stderr = await runChild(dir, {
        AFU9_GITHUB_APP_ID: String(github.app.id),
        AFU9_GITHUB_API_URL: github.url,
        AFU9_SECRET_ARN: TEST_SECRET_ARN,
        TEST_PRIVATE_KEY: github.app.privateKey,
        TEST_STATE: JSON.stringify(state),
        TEST_STEPS: JSON.stringify(steps),
      });
      const line = stderr.split("\n").find((l) => l.startsWith("RESULT "));
      if (!line) throw new Error(`no result from the child process:\n${stderr.slice(0, 2000)}`);
      return JSON.parse(line.slice("RESULT ".length)) as Record<string, unknown>;
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function runChild(dir: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["runner.js"], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_PATH: NODE_MODULES,
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
