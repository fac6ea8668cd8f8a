// Must-show 3a: each fault mode, observed through the production client (retry + throttling).
import { createGitHubClientFactory } from "../../../handlers/github/client";
import { FACTORY_ERRORS } from "../../../contract/errors";
import { asTaskError } from "../../../handlers/runtime/task-errors";
import { simulatorClientFactory } from "../../../local/github-simulator/client-factory";
import { startFixture, statusOf, type SimFixture } from "./helpers";

let f: SimFixture;
let issueNumber: number;
beforeAll(async () => {
  f = await startFixture();
  issueNumber = f.sim.createIssue("acme", "widgets", {
    title: "t",
    body: "b",
    user: "alice",
  }).number;
});
afterEach(() => f.sim.clearFaults());
afterAll(() => f.sim.close());

const ISSUE_ROUTE = "GET /repos/{owner}/{repo}/issues/{issue_number}";
const statusesFor = (route: string, since: number) =>
  f.sim.requests
    .slice(since)
    .filter((r) => r.route === route)
    .map((r) => r.status);

test("5xx burst: answered with the chosen status, the client retries through it", async () => {
  const since = f.sim.requests.length;
  f.sim.injectFault({ route: ISSUE_ROUTE, mode: "5xx", count: 2, status: 503 });
  const { data } = await f.octokit.rest.issues.get({
    owner: "acme",
    repo: "widgets",
    issue_number: issueNumber,
  });
  expect(data.number).toBe(issueNumber);
  expect(statusesFor(ISSUE_ROUTE, since)).toEqual([503, 503, 200]);
});

test("5xx longer than the retry budget surfaces the error", async () => {
  f.sim.injectFault({ route: ISSUE_ROUTE, mode: "5xx", count: 10 });
  const rejected = await statusOf(
    f.octokit.rest.issues.get({ owner: "acme", repo: "widgets", issue_number: issueNumber }),
  );
  expect(rejected.status).toBe(502);
});

test("429 primary rate limit: retry-after/reset honoured, then success", async () => {
  const since = f.sim.requests.length;
  f.sim.injectFault({ route: ISSUE_ROUTE, mode: "rate-limit-429", count: 1, retryAfterSeconds: 1 });
  const started = Date.now();
  await f.octokit.rest.issues.get({ owner: "acme", repo: "widgets", issue_number: issueNumber });
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  expect(statusesFor(ISSUE_ROUTE, since)).toEqual([429, 200]);
});

test("secondary rate limit 403 with retry-after: waited out, then success", async () => {
  const since = f.sim.requests.length;
  f.sim.injectFault({
    route: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    mode: "secondary-403",
    count: 1,
    retryAfterSeconds: 1,
  });
  const started = Date.now();
  await f.octokit.rest.issues.createComment({
    owner: "acme",
    repo: "widgets",
    issue_number: issueNumber,
    body: "hi",
  });
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  expect(statusesFor("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", since)).toEqual([
    403, 201,
  ]);
  expect(f.sim.listIssueComments("acme", "widgets", issueNumber).map((c) => c.body)).toEqual([
    "hi",
  ]);
});

test("rate limits beyond onRateLimitRetries surface as errors (no endless waiting)", async () => {
  const warnings: string[] = [];
  const factory = createGitHubClientFactory({
    appId: f.sim.app.id,
    privateKey: f.sim.app.privateKey,
    baseUrl: f.sim.url,
    throttle: { onRateLimitRetries: 0, spaceWrites: false },
    log: { warn: (message) => warnings.push(message) },
  });
  const octokit = await factory(f.installationId);
  f.sim.injectFault({
    route: ISSUE_ROUTE,
    mode: "rate-limit-429",
    count: 1,
    retryAfterSeconds: 30,
  });
  const rejected = await statusOf(
    octokit.rest.issues.get({ owner: "acme", repo: "widgets", issue_number: issueNumber }),
  );
  expect(rejected.status).toBe(429);
  expect(warnings.join("\n")).toMatch(/primary rate limit .* giving up/);
});

test("a retry-after longer than one invocation may wait surfaces at once, named for Step Functions", async () => {
  const warnings: string[] = [];
  // Default retries (2) would wait; the 10 s cap (default) gives up on a 120 s retry-after.
  const octokit = await simulatorClientFactory(f.sim, {
    log: { warn: (message) => warnings.push(message) },
  })(f.installationId);
  f.sim.injectFault({
    route: ISSUE_ROUTE,
    mode: "rate-limit-429",
    count: 1,
    retryAfterSeconds: 120,
  });
  const started = Date.now();
  const error = await octokit.rest.issues
    .get({ owner: "acme", repo: "widgets", issue_number: issueNumber })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(Date.now() - started).toBeLessThan(5000);
  expect(warnings.join("\n")).toMatch(/retry-after 12[01] s is longer than 10 s: giving up/);
  // The task functions' entries report it under the name the state machine retries.
  expect(asTaskError(error)).toMatchObject({ name: FACTORY_ERRORS.GitHubRateLimited, status: 429 });
});

test("secondary rate limits (403) map to the retryable name; other 403s and 404s do not", async () => {
  f.sim.injectFault({
    route: ISSUE_ROUTE,
    mode: "secondary-403",
    count: 1,
    retryAfterSeconds: 120,
  });
  const get = () =>
    f.octokit.rest.issues.get({ owner: "acme", repo: "widgets", issue_number: issueNumber }).then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(asTaskError(await get())).toMatchObject({
    name: FACTORY_ERRORS.GitHubRateLimited,
    status: 403,
  });
  f.sim.injectFault({ route: ISSUE_ROUTE, mode: "http-error", count: 1, status: 403 });
  const forbidden = await get();
  expect(asTaskError(forbidden)).toBe(forbidden);
  const missing = await f.octokit.rest.issues
    .get({ owner: "acme", repo: "widgets", issue_number: 99999 })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(asTaskError(missing)).toBe(missing);
});

test("latency delays the answer", async () => {
  f.sim.injectFault({ route: ISSUE_ROUTE, mode: "latency", count: 1, latencyMs: 300 });
  const started = Date.now();
  await f.octokit.rest.issues.get({ owner: "acme", repo: "widgets", issue_number: issueNumber });
  expect(Date.now() - started).toBeGreaterThanOrEqual(290);
});

test("mergeable-null: mergeability is 'being computed' for N reads, then known", async () => {
  const { sim, octokit } = f;
  sim.pushCommit("acme", "widgets", "topic", { "t.txt": "t\n" });
  const { data: pr } = await octokit.rest.pulls.create({
    owner: "acme",
    repo: "widgets",
    title: "t",
    head: "topic",
    base: "main",
  });
  sim.injectFault({
    route: "GET /repos/{owner}/{repo}/pulls/{pull_number}",
    mode: "mergeable-null",
    count: 2,
  });
  const reads = [];
  for (let i = 0; i < 3; i += 1) {
    const { data } = await octokit.rest.pulls.get({
      owner: "acme",
      repo: "widgets",
      pull_number: pr.number,
    });
    reads.push([data.mergeable, data.mergeable_state]);
  }
  expect(reads).toEqual([
    [null, "unknown"],
    [null, "unknown"],
    [true, "clean"],
  ]);
});

test("http-error: any answer, e.g. a missing App permission (403), surfaces without retry", async () => {
  const route = "GET /repos/{owner}/{repo}/branches/{branch}/protection";
  f.sim.setRequiredChecks("acme", "widgets", "main", ["build"]);
  f.sim.injectFault({ route, mode: "http-error", count: 1 });
  const since = f.sim.requests.length;
  const rejected = await statusOf(
    f.octokit.rest.repos.getBranchProtection({ owner: "acme", repo: "widgets", branch: "main" }),
  );
  expect(rejected).toMatchObject({
    status: 403,
    message: expect.stringContaining("Resource not accessible by integration"),
  });
  expect(statusesFor(route, since)).toEqual([403]);
  const { data } = await f.octokit.rest.repos.getBranchProtection({
    owner: "acme",
    repo: "widgets",
    branch: "main",
  });
  expect(data.required_status_checks?.contexts).toEqual(["build"]);
});

test("a fault for a route that is not in GitHub's description is refused at once", () => {
  expect(() =>
    f.sim.injectFault({ route: "PUT /repos/{owner}/{repo}/pull/{n}/merge", mode: "5xx", count: 1 }),
  ).toThrow(/not an operation of GitHub's description/);
});
