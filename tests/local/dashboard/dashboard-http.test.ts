// The dashboard over plain HTTP: loopback-only pages with a strict Content-Security-Policy, the
// sample form refusing other sites, the JSON routes unchanged, the run record a sample run
// leaves (its PR and GitHub writes), and run records on disk.
import { request } from "node:http";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FactorySettings } from "../../../contract/state";
import { createRunRecords } from "../../../local/factory/run-records";
import { createFactoryOutput } from "../../../local/factory/output";
import { startSandbox, type Sandbox } from "../../../local/factory/sandbox";
import type { LocalExecution } from "../../../local/factory/local-step-functions";

const SETTINGS: FactorySettings = {
  dryRun: false,
  ciPollSeconds: 60,
  ciMaxWaitSeconds: 1800,
  ciNoChecksGraceSeconds: 300,
};

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    settings: SETTINGS,
    timeScale: 0.002,
    retryDelayMs: 5,
    output: createFactoryOutput({ mode: "silent" }),
    ciDelayMs: 100,
    githubRetryBaseMs: 5,
  });
});

afterAll(() => sandbox.close());

function call(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(path, sandbox.factory.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? "GET", headers: { host: url.host, ...options.headers } },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const FORM = { "content-type": "application/x-www-form-urlencoded" };

test("pages carry a policy that allows the factory's own script and stylesheet only", async () => {
  const answer = await call("/");
  expect(answer.status).toBe(200);
  expect(answer.headers["content-security-policy"]).toBe(
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  );
  expect(answer.body).toContain('<script src="/dashboard.js" defer></script>');
  expect(answer.body).not.toMatch(/<script>|\son[a-z]+=|https?:\/\/(?!127\.0\.0\.1)[a-z]/i);
  expect((await call("/dashboard.js")).headers["content-type"]).toContain("text/javascript");
});

test("a page asked for under another host name is refused (DNS rebinding)", async () => {
  const answer = await call("/", { headers: { host: "attacker.example:80" } });
  expect(answer.status).toBe(421);
  expect(answer.body).toContain("127.0.0.1");
});

test("the sample form refuses a post from another site and an unknown sample", async () => {
  const before =
    sandbox.sim.listRepositories().length &&
    sandbox.sim.describeRepository("afu9-demo", "demo-app").issues.length;
  const foreign = await call("/sandbox/sample-issues", {
    method: "POST",
    headers: { ...FORM, origin: "http://attacker.example" },
    body: "sample=merged",
  });
  expect(foreign.status).toBe(403);
  const unknown = await call("/sandbox/sample-issues", {
    method: "POST",
    headers: FORM,
    body: "sample=nope",
  });
  expect(unknown.status).toBe(400);
  expect(unknown.body).toContain("merged, ci-failure, stranger");
  expect(sandbox.sim.describeRepository("afu9-demo", "demo-app").issues.length).toBe(before);
});

test("JSON clients keep GET / and GET /executions; the fragment is <main>'s content", async () => {
  const json = await call("/", { headers: { accept: "application/json" } });
  expect(JSON.parse(json.body)).toEqual(expect.objectContaining({ webhook: "POST /webhook" }));
  expect(JSON.parse((await call("/executions")).body)).toEqual(expect.any(Array));
  const fragment = await call("/", { headers: { "x-afu9-fragment": "1" } });
  expect(fragment.body.startsWith("<h1>Runs</h1>")).toBe(true);
  expect(fragment.body).not.toContain("<html");
  expect((await call("/runs/no-such-run")).status).toBe(404);
});

test("a sample run's record: its issue, the path to Merged, its PR and its GitHub writes", async () => {
  const filed = await call("/sandbox/sample-issues", {
    method: "POST",
    headers: { ...FORM, origin: sandbox.factory.url },
    body: "sample=merged",
  });
  expect(filed.status).toBe(303);
  const issue = Number(/filed=(\d+)/.exec(String(filed.headers.location))?.[1]);
  await sandbox.settle();
  const run = sandbox.factory.runs.list().find((r) => r.issue.number === issue)!;
  expect(run.status).toBe("SUCCEEDED");
  expect(run.visits.at(-1)?.name).toBe("Merged");
  const pull = sandbox.sim
    .describeRepository("afu9-demo", "demo-app")
    .pulls.find((p) => p.head === `afu9/issue-${issue}`)!;
  expect(run.pr?.number).toBe(pull.number);
  const writes = run.writes.map((w) => `${w.method} ${w.path} ${w.status}`);
  expect(writes).toContain(`POST /repos/afu9-demo/demo-app/pulls 201`);
  expect(writes).toContain(`PUT /repos/afu9-demo/demo-app/pulls/${pull.number}/merge 200`);
  expect(writes.some((w) => w.includes("access_tokens"))).toBe(false);
  // Every write of the run is one the simulator answered for this repository.
  expect(run.writes.every((w) => w.path.startsWith("/repos/afu9-demo/demo-app/"))).toBe(true);
});

function finishedExecution(name: string): LocalExecution {
  const visit = {
    name: "Merged",
    type: "Succeed",
    enteredAtMs: 5,
    durationMs: 0,
    retries: 0,
    errors: [],
  };
  const report = {
    status: "SUCCEEDED" as const,
    output: { pr: { number: 7, url: "u" } },
    visits: [visit],
    durationMs: 9,
  };
  return {
    name,
    arn: `arn:${name}`,
    input: {
      repository: { owner: "o", name: "r" },
      issue: { number: 3, title: "t", user: "u" },
      delivery: { event: "issues", action: "labeled" },
      sender: { login: "u" },
    } as unknown as LocalExecution["input"],
    inputText: "{}",
    startDate: new Date("2026-01-01T00:00:00Z"),
    status: "SUCCEEDED",
    report,
    stopDate: new Date("2026-01-01T00:00:01Z"),
    done: Promise.resolve(report),
  };
}

test("run records: kept in <dataDir>/runs and read back, in memory without a directory", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "afu9-runs-"));
  try {
    const first = createRunRecords({ dataDir });
    const execution = finishedExecution("issue-3-abc");
    first.started(execution);
    first.finished(execution);
    expect(readdirSync(join(dataDir, "runs"))).toEqual(["issue-3-abc.json"]);
    const second = createRunRecords({ dataDir });
    expect(second.list()).toEqual([
      expect.objectContaining({
        name: "issue-3-abc",
        status: "SUCCEEDED",
        restored: true,
        pr: { number: 7, url: "u" },
      }),
    ]);
    writeFileSync(join(dataDir, "runs", "broken.json"), "{not json");
    expect(() => createRunRecords({ dataDir })).toThrow(
      /broken\.json is not readable JSON.*delete the file/,
    );
    const memory = createRunRecords();
    memory.started(execution);
    memory.finished(execution);
    expect(memory.directory).toBeUndefined();
    expect(memory.list()).toHaveLength(1);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
