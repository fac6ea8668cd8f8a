// `npm start` with GitHub App credentials (the "against your own GitHub" path), as a child
// process: the simulator plays a GitHub Enterprise Server (GITHUB_API_URL), its App key and a
// webhook secret go in through the environment, deliveries come in over HTTP. The issue must end
// as a merged pull request, exactly as in the sandbox.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { seedDemoRepository, startGitHubSimulator } from "../../local/github-simulator";
import type { GitHubSimulator } from "../../local/github-simulator";
import { README_TEST_HINT } from "../../local/factory/demo-issues";
import { REPO_ROOT } from "../support/repo-root";

const ROOT = REPO_ROOT;
const SECRET = "e2e-github-mode-secret";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let sim: GitHubSimulator | undefined;
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  await sim?.close();
});

test("npm start with App credentials serves forwarded deliveries against GITHUB_API_URL", async () => {
  const port = await freePort();
  sim = await startGitHubSimulator({
    webhooks: { url: `http://127.0.0.1:${port}/webhook`, secret: SECRET },
  });
  const repo = seedDemoRepository(sim, { maintainer: "demo-maintainer" });
  sim.programCi(repo.owner, repo.repo, { checks: ["build"], outcome: "success", delayMs: 100 });

  const lines: Array<Record<string, unknown>> = [];
  let stderr = "";
  child = spawn(
    join(ROOT, "node_modules", ".bin", "node"),
    [
      "-r",
      "ts-node/register/transpile-only",
      "local/start.ts",
      "--json",
      "--port",
      String(port),
      "--time-scale",
      "0.002",
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        GITHUB_APP_ID: String(sim.app.id),
        GITHUB_APP_PRIVATE_KEY: sim.app.privateKey,
        GITHUB_WEBHOOK_SECRET: SECRET,
        GITHUB_API_URL: sim.url,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let buffer = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part));
  });
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));

  const banner = await until(
    `the factory to start (stderr: ${stderr})`,
    () => lines.find((l) => l.mode === "github"),
    60_000,
  );
  expect(banner).toMatchObject({
    webhookUrl: `http://127.0.0.1:${port}/webhook`,
    appId: String(sim.app.id),
  });
  // Secrets never reach the output.
  expect(JSON.stringify(lines)).not.toContain(SECRET);
  expect(JSON.stringify(lines)).not.toContain("PRIVATE KEY");

  const issue = sim.createIssue(repo.owner, repo.repo, {
    ...README_TEST_HINT,
    user: "demo-maintainer",
    labels: ["afu9"],
    authorAssociation: "MEMBER",
  });
  const finished = await until(
    "the execution to finish",
    () => lines.find((l) => l.message === "execution finished"),
    60_000,
  );
  expect(finished).toMatchObject({ status: "SUCCEEDED", finalState: "Merged" });
  const pulls = sim.listPulls(repo.owner, repo.repo);
  expect(pulls).toEqual([
    expect.objectContaining({ head: `afu9/issue-${issue.number}`, merged: true }),
  ]);
  expect(stderr).toBe("");
}, 150_000);
