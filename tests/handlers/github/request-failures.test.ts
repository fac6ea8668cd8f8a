// Item 10: a GitHub API that cannot be reached is reported as "connection refused to <url>", not
// "500 with id UNKNOWN"; a task whose Lambda time runs out aborts its in-flight requests and sends
// no more.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGitHubClientFactory } from "../../../handlers/github/client";
import { createInvocationDeadline } from "../../../handlers/runtime/invocation-deadline";
import { createTaskDeps } from "../../../handlers/runtime/task-deps";
import { createTaskHandler } from "../../../handlers/runtime/task-handler";
import { ENV } from "../../../contract/environment";
import { startGitHubSimulator, type GitHubSimulator } from "../../../local/github-simulator";

let sim: GitHubSimulator;
let installationId: number;
beforeAll(async () => {
  sim = await startGitHubSimulator();
  installationId = sim.createInstallation("acme").id;
  sim.createRepository({
    owner: "acme",
    name: "widgets",
    installationId,
    files: { "a.txt": "a\n" },
  });
});
afterAll(() => sim.close());

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test("unreachable API: AFU9.GitHubUnreachable saying 'connection refused to <url>'", async () => {
  const port = await closedPort();
  const warnings: string[] = [];
  const factory = createGitHubClientFactory({
    appId: sim.app.id,
    privateKey: sim.app.privateKey,
    baseUrl: `http://127.0.0.1:${port}`,
    retry: { retries: 1, baseDelayMs: 1 },
    log: { warn: (message) => warnings.push(message) },
  });
  const octokit = await factory(installationId);
  const failure = await octokit.rest.repos.get({ owner: "acme", repo: "widgets" }).catch((e) => e);
  expect(failure).toMatchObject({
    name: "AFU9.GitHubUnreachable",
    message: expect.stringMatching(
      new RegExp(`^connection refused to http://127\\.0\\.0\\.1:${port}/`),
    ),
  });
  expect(warnings.join("\n")).not.toContain("with id UNKNOWN");
  expect(warnings.join("\n")).toContain(`connection refused to http://127.0.0.1:${port}/`);
});

describe("invocation deadline", () => {
  let hanging: Server;
  let hits = 0;
  let url: string;
  beforeAll(async () => {
    // Answers token requests like GitHub, never answers anything else.
    hanging = createServer((request, response) => {
      hits += 1;
      if (request.url?.includes("/access_tokens")) {
        response.writeHead(201, { "content-type": "application/json" });
        response.end(JSON.stringify({ token: "ghs_x", expires_at: "2999-01-01T00:00:00Z" }));
      }
    });
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
  });

  test("aborts the in-flight request when the remaining time is nearly spent, sends no more", async () => {
    const deadline = createInvocationDeadline(1000);
    const factory = createGitHubClientFactory({
      appId: sim.app.id,
      privateKey: sim.app.privateKey,
      baseUrl: url,
      retry: { retries: 3, baseDelayMs: 1000 },
      signal: deadline.signal,
    });
    const context = { getRemainingTimeInMillis: () => 1300 };
    const started = Date.now();
    const work = deadline.run(context, async () => {
      const octokit = await factory(installationId);
      const first = await octokit.rest.repos
        .get({ owner: "acme", repo: "widgets" })
        .catch((e: unknown) => e);
      const hitsAfterAbort = hits;
      const second = await octokit.rest.repos
        .get({ owner: "acme", repo: "widgets" })
        .catch((e: unknown) => e);
      return { first, second, hitsAfterAbort };
    });
    const { first, second, hitsAfterAbort } = await work;
    expect(Date.now() - started).toBeLessThan(1200);
    expect(first).toMatchObject({
      name: "AFU9.TaskDeadlineExceeded",
      message: expect.stringContaining(`GET ${url}/repos/acme/widgets`),
    });
    expect(second).toMatchObject({ name: "AFU9.TaskDeadlineExceeded" });
    expect(hits).toBe(hitsAfterAbort);
  });

  test("a task function's Lambda entry stops at its context's deadline (TaskDeps + createTaskHandler)", async () => {
    const deps = createTaskDeps({
      env: { [ENV.githubAppId]: String(sim.app.id), [ENV.githubApiUrl]: url },
      readPrivateKey: async () => sim.app.privateKey,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const handler = createTaskHandler(
      "test",
      {
        analyze: async () => {
          const octokit = await deps.github(installationId);
          return octokit.rest.repos.get({ owner: "acme", repo: "widgets" });
        },
      },
      deps.deadline,
    );
    const started = Date.now();
    // Lambda's default deadline margin is 2 s: 2.4 s left means the request is aborted at 0.4 s.
    const failure = await handler(
      { action: "analyze", state: {} as never },
      { getRemainingTimeInMillis: () => 2400 },
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: "AFU9.TaskDeadlineExceeded" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("without a Lambda context there is no deadline", async () => {
    const deadline = createInvocationDeadline(1000);
    expect(await deadline.run(undefined, async () => deadline.signal())).toBeUndefined();
  });
});
