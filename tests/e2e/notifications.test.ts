// Notifications end to end on the sandbox: runs through the real pipeline, the notifier running
// in process when each execution ends (as EventBridge would invoke it), posting over HTTP to the
// sandbox's Slack and Teams receiver. Each test has its own repository and looks only at the
// messages about it.
import { DEMO_FILES } from "../../local/github-simulator/seed";
import { GREETING_EXCLAMATION, README_TEST_HINT } from "../../local/factory/demo-issues";
import { createFactoryOutput } from "../../local/factory/output";
import type { ReceivedMessage } from "../../local/factory/notification-receiver";
import { SANDBOX_GITHUB_WEB_URL, startSandbox, type Sandbox } from "../../local/factory/sandbox";
import { DELIVERY_FAILURE_METRIC } from "../../handlers/notifier/notify";
import { CHECKS, MAINTAINER, SETTINGS, TIME_SCALE } from "./harness";

let sandbox: Sandbox;
const lines: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    settings: SETTINGS,
    timeScale: TIME_SCALE,
    retryDelayMs: 5,
    output: createFactoryOutput({ mode: "json", write: (l) => lines.push(l) }),
    ciDelayMs: 100,
    githubRetryBaseMs: 5,
    seedDemo: false,
    // Backoff without Retry-After is shortened; Retry-After and the wait budget are as deployed.
    notifyPolicy: {
      maxAttempts: 4,
      maxTotalWaitMs: 20_000,
      baseDelayMs: 50,
      requestTimeoutMs: 5000,
    },
  });
});

afterAll(async () => {
  await sandbox?.close();
});

afterEach(() => sandbox.receiver.clearFaults());

let counter = 0;

function repository(ci: "success" | "failure", afu9Yml?: string) {
  counter += 1;
  const owner = `notify-${counter}`;
  const { id: installationId } = sandbox.sim.createInstallation(owner);
  const files = { ...DEMO_FILES };
  if (afu9Yml !== undefined) files[".github/afu9.yml"] = afu9Yml;
  sandbox.sim.createRepository({
    owner,
    name: "demo-app",
    installationId,
    defaultBranch: "main",
    files,
  });
  sandbox.sim.setPermission(owner, "demo-app", MAINTAINER, "write");
  sandbox.sim.programCi(owner, "demo-app", { checks: CHECKS, outcome: ci, delayMs: 100 });
  return { owner, repo: "demo-app" };
}

function file(repo: { owner: string; repo: string }, issue: { title: string; body: string }) {
  return sandbox.sim.createIssue(repo.owner, repo.repo, {
    ...issue,
    user: MAINTAINER,
    labels: ["afu9"],
    authorAssociation: "MEMBER",
  }).number;
}

/** Messages whose payload names this repository. */
function messagesAbout(owner: string, all = false): ReceivedMessage[] {
  const list = all ? sandbox.receiver.messages() : sandbox.receiver.delivered();
  return list.filter((m) => JSON.stringify(m.payload).includes(`${owner}/demo-app`));
}

function runOf(owner: string, issue: number) {
  const runs = sandbox.factory
    .executions()
    .filter((e) => e.input.repository.owner === owner && e.input.issue.number === issue);
  expect(runs).toHaveLength(1);
  return runs[0];
}

function lastState(owner: string, issue: number) {
  return runOf(owner, issue).report?.visits.at(-1)?.name;
}

const AUTOMERGE = "enabled: true\nautomerge: true\n";

test("merged: one message per destination, each with the repository, issue and PR links", async () => {
  const repo = repository("success", AUTOMERGE);
  const issue = file(repo, README_TEST_HINT);
  await sandbox.settle();
  expect(lastState(repo.owner, issue)).toBe("Merged");

  const [pull] = sandbox.sim.listPulls(repo.owner, repo.repo);
  const issueUrl = `${SANDBOX_GITHUB_WEB_URL}/${repo.owner}/demo-app/issues/${issue}`;
  const prUrl = `${SANDBOX_GITHUB_WEB_URL}/${repo.owner}/demo-app/pull/${pull.number}`;
  const messages = messagesAbout(repo.owner);
  expect(messages.map((m) => m.destination).sort()).toEqual(["demo-slack", "demo-teams"]);
  for (const message of messages) {
    const text = JSON.stringify(message.payload);
    expect(text).toContain(issueUrl);
    expect(text).toContain(prUrl);
    expect(text).toContain(`${SANDBOX_GITHUB_WEB_URL}/${repo.owner}/demo-app`);
    expect(text).toContain("Merged");
  }
  const slack = messages.find((m) => m.format === "slack")!.payload as { blocks: unknown[] };
  expect(Array.isArray(slack.blocks)).toBe(true);
  const teams = messages.find((m) => m.format === "teams")!.payload as {
    attachments: { contentType: string }[];
  };
  expect(teams.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
});

test("CI failed: one message per destination naming the failing checks", async () => {
  const repo = repository("failure", AUTOMERGE);
  const issue = file(repo, GREETING_EXCLAMATION);
  await sandbox.settle();
  expect(lastState(repo.owner, issue)).toBe("CIFailed");

  const [pull] = sandbox.sim.listPulls(repo.owner, repo.repo);
  const messages = messagesAbout(repo.owner);
  expect(messages.map((m) => m.destination).sort()).toEqual(["demo-slack", "demo-teams"]);
  for (const message of messages) {
    const text = JSON.stringify(message.payload);
    expect(text).toContain("CI failed");
    expect(text).toContain(`/${repo.owner}/demo-app/issues/${issue}`);
    expect(text).toContain(`/${repo.owner}/demo-app/pull/${pull.number}`);
    for (const check of CHECKS) expect(text).toContain(check);
  }
});

test("failed: the error ReportFailure reported reaches both destinations", async () => {
  const repo = repository("success", AUTOMERGE);
  sandbox.sim.injectFault({
    route: "GET /repos/{owner}/{repo}/issues/{issue_number}",
    mode: "5xx",
    count: 20,
    status: 503,
  });
  const issue = file(repo, README_TEST_HINT);
  await sandbox.settle();
  sandbox.sim.clearFaults();
  expect(runOf(repo.owner, issue).status).toBe("FAILED");

  const messages = messagesAbout(repo.owner);
  expect(messages.map((m) => m.destination).sort()).toEqual(["demo-slack", "demo-teams"]);
  for (const message of messages) {
    const text = JSON.stringify(message.payload);
    expect(text).toContain("Failed");
    expect(text).toContain(`/${repo.owner}/demo-app/issues/${issue}`);
    // The task's error, read from ReportFailure's input, not the Fail state's generic one.
    expect(text).not.toContain("AFU9.WorkflowFailed");
    expect(text).toContain("(injected fault)");
  }
});

test("a repository that opts out (notify.enabled: false) produces no message", async () => {
  const repo = repository("success", `${AUTOMERGE}notify:\n  enabled: false\n`);
  const issue = file(repo, README_TEST_HINT);
  await sandbox.settle();
  expect(lastState(repo.owner, issue)).toBe("Merged");
  expect(messagesAbout(repo.owner, true)).toEqual([]);
});

test("per-destination outcomes: a merge goes only where `merged` is listed", async () => {
  const repo = repository(
    "success",
    `${AUTOMERGE}notify:\n  destinations:\n    demo-teams: [merged]\n    demo-slack: [ci-failed]\n`,
  );
  file(repo, README_TEST_HINT);
  await sandbox.settle();
  expect(messagesAbout(repo.owner, true).map((m) => m.destination)).toEqual(["demo-teams"]);
});

test("a destination answering 500: the run ends as it would have; retried, then logged and counted", async () => {
  sandbox.receiver.fail("demo-slack", { status: 500 });
  const failuresBefore = sandbox.notifier.metrics()[DELIVERY_FAILURE_METRIC] ?? 0;
  const repo = repository("success", AUTOMERGE);
  const issue = file(repo, README_TEST_HINT);
  await sandbox.settle();

  expect(runOf(repo.owner, issue).status).toBe("SUCCEEDED");
  expect(lastState(repo.owner, issue)).toBe("Merged");
  const all = messagesAbout(repo.owner, true);
  expect(all.filter((m) => m.destination === "demo-slack").map((m) => m.status)).toEqual([
    500, 500, 500, 500,
  ]);
  expect(all.filter((m) => m.destination === "demo-teams").map((m) => m.status)).toEqual([202]);
  expect(sandbox.notifier.metrics()[DELIVERY_FAILURE_METRIC]).toBe(failuresBefore + 1);
  const logged = lines
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.repository === `${repo.owner}/demo-app` && l.destination === "demo-slack");
  expect(logged).toMatchObject({ level: "WARN", status: 500, attempts: 4 });
  expect(String(logged?.message)).toContain(
    'notification not delivered to destination "demo-slack"',
  );
});

test("a destination answering 429 with Retry-After: the retry waits as long as asked, then delivers", async () => {
  sandbox.receiver.fail("demo-teams", { status: 429, retryAfterSeconds: 1, times: 1 });
  const repo = repository("success", AUTOMERGE);
  const issue = file(repo, README_TEST_HINT);
  await sandbox.settle();

  expect(lastState(repo.owner, issue)).toBe("Merged");
  const teams = messagesAbout(repo.owner, true).filter((m) => m.destination === "demo-teams");
  expect(teams.map((m) => m.status)).toEqual([429, 202]);
  expect(teams[1].receivedAt - teams[0].receivedAt).toBeGreaterThanOrEqual(1000);
  expect(
    messagesAbout(repo.owner)
      .map((m) => m.destination)
      .sort(),
  ).toEqual(["demo-slack", "demo-teams"]);
});

test("a Retry-After beyond the wait budget: no retry, the failure is logged and counted", async () => {
  sandbox.receiver.fail("demo-teams", { status: 429, retryAfterSeconds: 3600 });
  const failuresBefore = sandbox.notifier.metrics()[DELIVERY_FAILURE_METRIC] ?? 0;
  const started = Date.now();
  const repo = repository("success", AUTOMERGE);
  const issue = file(repo, README_TEST_HINT);
  await sandbox.settle();

  expect(lastState(repo.owner, issue)).toBe("Merged");
  const teams = messagesAbout(repo.owner, true).filter((m) => m.destination === "demo-teams");
  expect(teams.map((m) => m.status)).toEqual([429]);
  expect(Date.now() - started).toBeLessThan(30_000);
  expect(sandbox.notifier.metrics()[DELIVERY_FAILURE_METRIC]).toBe(failuresBefore + 1);
});

test("no destination URL appears in any log line", () => {
  expect(lines.length).toBeGreaterThan(0);
  const urls = Object.values(sandbox.receiver.destinations).map((d) => d.url);
  const tokens = urls.map((url) => url.split("/").pop()!);
  for (const line of lines) {
    for (const token of tokens) expect(line).not.toContain(token);
  }
});
