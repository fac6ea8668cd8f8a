// The whole pipeline over HTTP: GitHub simulator -> signed delivery -> POST /webhook (the real
// webhook handler) -> local Step Functions (the real definition on aws-local-stepfunctions) ->
// the real task handlers -> GitHub simulator. Every test runs one scenario on its own repository;
// the last test asserts that the scenarios together visit every state of the definition.
import { PATH_TO_FIRST_CI_CHECK } from "../workflow/fixtures";
import { WORKFLOW_STATE_NAMES } from "../../workflow";
import {
  GREETING_EXCLAMATION,
  README_TEST_HINT,
  STRANGER_USAGE_CHANGE,
} from "../../local/factory/demo-issues";
import type { TaskFunction } from "../../local/state-machine-runner";
import { LOCAL_FUNCTION_ARNS } from "../../local/factory/task-functions";
import {
  CHECKS,
  MAINTAINER,
  STRANGER,
  allStatesOf,
  commentsOf,
  executionsOf,
  fileIssue,
  finalState,
  labelsOf,
  newRepository,
  postDelivery,
  useE2E,
  statesOf,
  settledRun,
} from "./harness";
import { defineRunLockScenarios } from "./run-lock-scenarios";
import { COMMAND_STATES } from "./command-states";

const e2e = useE2E();

const QUESTION = {
  title: "How do I change the greeting language?",
  body: "Is there a setting for greeting in German? I could not find one in the docs.",
};

function readFile(repo: { owner: string; repo: string }, path: string): string | undefined {
  const { sim } = e2e.sandbox;
  const head = sim.getRef(repo.owner, repo.repo, "heads/main");
  return head ? sim.readTree(repo.owner, repo.repo, head)[path] : undefined;
}

function repoOwner(payload: Record<string, unknown>): string | undefined {
  return (payload.repository as { owner?: { login?: string } } | undefined)?.owner?.login;
}

async function waitFor(what: string, done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("bad signature: 401, nothing started", async () => {
  const repo = newRepository(e2e);
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  await e2e.sandbox.settle();
  const genuine = e2e.sandbox.sim.events.find(
    (e) => e.event === "issues" && e.action === "opened" && repoOwner(e.payload) === repo.owner,
  )!;
  const before = e2e.sandbox.factory.executions().length;
  const unauthorizedBefore = e2e.sandbox.factory.deliveries().unauthorized ?? 0;

  const forged = await postDelivery(e2e, {
    event: "issues",
    payload: genuine.payload,
    secret: "not-the-webhook-secret",
  });
  const unsigned = await postDelivery(e2e, {
    event: "issues",
    payload: genuine.payload,
    secret: null,
  });

  expect(forged.status).toBe(401);
  expect(forged.body.outcome).toBe("unauthorized");
  expect(unsigned.status).toBe(401);
  await e2e.sandbox.settle();
  expect(e2e.sandbox.factory.executions()).toHaveLength(before);
  expect(e2e.sandbox.factory.deliveries().unauthorized).toBe(unauthorizedBefore + 2);
  expect(executionsOf(e2e, repo, number)).toHaveLength(1);
});

test("not actionable: a maintainer's question is analysed and labelled, no PR", async () => {
  const repo = newRepository(e2e);
  const number = fileIssue(e2e, repo, QUESTION);
  const run = await settledRun(e2e, repo, number);

  expect(run.status).toBe("SUCCEEDED");
  expect(statesOf(run)).toEqual(["AnalyzeIssue", "CheckIfActionable", "NotActionable"]);
  expect(labelsOf(e2e, repo, number)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^type:/), expect.stringMatching(/^priority:/)]),
  );
  expect(commentsOf(e2e, repo, number).some((c) => c.includes("<!-- afu9:analysis -->"))).toBe(
    true,
  );
  expect(e2e.sandbox.sim.listPulls(repo.owner, repo.repo)).toEqual([]);
});

test("untrusted author: a stranger's change, labelled by an issue template, is labelled, not acted on", async () => {
  const repo = newRepository(e2e);
  // Issue forms can apply labels for anyone: the trigger label is there, applied by the stranger.
  const number = fileIssue(e2e, repo, STRANGER_USAGE_CHANGE, { user: STRANGER, labels: ["afu9"] });
  const run = await settledRun(e2e, repo, number);

  expect(statesOf(run)).toEqual(["AnalyzeIssue", "CheckIfActionable", "NotActionable"]);
  expect(labelsOf(e2e, repo, number).some((l) => l.startsWith("type:"))).toBe(true);
  const analysis = commentsOf(e2e, repo, number).find((c) => c.includes("afu9:analysis")) ?? "";
  expect(analysis).toMatch(/\| Trigger \| ❌ \|/);
  expect(analysis).toContain(STRANGER);
  expect(e2e.sandbox.sim.listPulls(repo.owner, repo.repo)).toEqual([]);
  expect(
    e2e.sandbox.sim.getRef(repo.owner, repo.repo, `heads/afu9/issue-${number}`),
  ).toBeUndefined();
});

test("a maintainer labels a stranger's issue: the labeled delivery starts the run that merges it", async () => {
  const repo = newRepository(e2e);
  const number = fileIssue(e2e, repo, STRANGER_USAGE_CHANGE, { user: STRANGER, labels: [] });
  await e2e.sandbox.settle();
  e2e.sandbox.sim.addLabel(repo.owner, repo.repo, number, "afu9", MAINTAINER);
  await e2e.sandbox.settle();

  const [opened, labeled] = executionsOf(e2e, repo, number);
  expect(executionsOf(e2e, repo, number)).toHaveLength(2);
  expect(opened.input.delivery.action).toBe("opened");
  expect(finalState(opened)).toBe("NotActionable");
  expect(labeled.input.delivery).toMatchObject({ action: "labeled", label: "afu9" });
  expect(finalState(labeled)).toBe("Merged");
  expect(readFile(repo, "docs/usage.md")).toContain('greet("Ada")');
});

test("success: a maintainer's diff becomes a PR, CI passes, the PR is merged", async () => {
  const repo = newRepository(e2e);
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  const run = await settledRun(e2e, repo, number);

  expect(run.status).toBe("SUCCEEDED");
  expect(statesOf(run).slice(0, PATH_TO_FIRST_CI_CHECK.length)).toEqual(PATH_TO_FIRST_CI_CHECK);
  expect(statesOf(run).slice(-3)).toEqual(["AutoMerge", "CheckMergeResult", "Merged"]);
  const pulls = e2e.sandbox.sim.listPulls(repo.owner, repo.repo);
  expect(pulls).toHaveLength(1);
  expect(pulls[0]).toMatchObject({ head: `afu9/issue-${number}`, merged: true });
  expect(readFile(repo, "README.md")).toContain("Run the tests with `npm test`.");
  // A person watching the terminal sees each state and the outcome.
  const mine = e2e.lines.filter((l) => l.includes(`#${number} `) || l.includes(run.name));
  expect(mine.some((l) => /\+\d+\.\d{3}s {2}CreatePullRequest \(Task\)/.test(l))).toBe(true);
  expect(mine.some((l) => l.includes("merged http") && l.includes("end state Merged"))).toBe(true);
});

test("CI failure: feedback comment on the PR, nothing merged", async () => {
  const repo = newRepository(e2e, { outcome: "failure", delayMs: 100 });
  const number = fileIssue(e2e, repo, GREETING_EXCLAMATION);
  const run = await settledRun(e2e, repo, number);

  expect(statesOf(run).slice(-4)).toEqual([
    "ProcessCIFeedback",
    "CheckCIStatus",
    "PostFeedback",
    "CIFailed",
  ]);
  const [pull] = e2e.sandbox.sim.listPulls(repo.owner, repo.repo);
  expect(pull).toMatchObject({ state: "open", merged: false });
  const feedback = commentsOf(e2e, repo, pull.number).find((c) => c.includes("afu9:ci-feedback"));
  for (const check of CHECKS) expect(feedback).toContain(check);
  expect(readFile(repo, "src/greet.js")).not.toContain('"!"');
});

test("pending then success: CI still running after two polls is waited for, then merged", async () => {
  // CI reports in_progress until the test completes it, after the run has polled twice.
  const repo = newRepository(e2e, { outcome: "success", delayMs: 10 * 60 * 1000 });
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  const polls = () =>
    e2e.lines.filter((l) => l.includes(`#${number} `) && l.includes("CountCIPoll (Pass)")).length;
  await waitFor("two CI polls", () => polls() >= 2);
  const [pull] = e2e.sandbox.sim.listPulls(repo.owner, repo.repo) as Array<{ headSha: string }>;
  for (const name of CHECKS) {
    e2e.sandbox.sim.setCheckRun(repo.owner, repo.repo, pull.headSha, {
      name,
      status: "completed",
      conclusion: "success",
    });
  }
  const run = await settledRun(e2e, repo, number);

  const states = statesOf(run);
  expect(states.filter((s) => s === "CountCIPoll").length).toBeGreaterThanOrEqual(2);
  // Every counted poll waits once more (the first wait follows StartCIWait).
  expect(states.filter((s) => s === "WaitForCI").length).toBe(
    states.filter((s) => s === "CountCIPoll").length + 1,
  );
  expect(finalState(run)).toBe("Merged");
  expect(e2e.sandbox.sim.listPulls(repo.owner, repo.repo)[0].merged).toBe(true);
});

test("invalid patch: a change to a protected path gets a violation comment and no PR", async () => {
  const repo = newRepository(e2e);
  const number = fileIssue(e2e, repo, {
    title: "CI: add a release workflow",
    body: [
      "Add a release workflow:",
      "",
      "```diff",
      "--- /dev/null",
      "+++ b/.github/workflows/release.yml",
      "@@ -0,0 +1,3 @@",
      "+name: release",
      "+on: push",
      "+jobs: {}",
      "```",
      "",
    ].join("\n"),
  });
  const run = await settledRun(e2e, repo, number);

  expect(statesOf(run).slice(-3)).toEqual(["ValidatePatch", "CheckPatchValid", "PatchRejected"]);
  const violations = commentsOf(e2e, repo, number).find((c) => c.includes("afu9:violations"));
  expect(violations).toContain(".github/workflows/release.yml");
  expect(e2e.sandbox.sim.listPulls(repo.owner, repo.repo)).toEqual([]);
});

test("duplicate delivery: redelivered while running and after the end, one execution, one PR", async () => {
  const repo = newRepository(e2e);
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  await e2e.sandbox.sim.waitForWebhooks();
  const original = e2e.sandbox.sim.events.find(
    (e) => e.event === "issues" && e.payload.repository && repoOwner(e.payload) === repo.owner,
  )!;
  expect(original.status).toBe(202);

  const whileRunning = await postDelivery(e2e, {
    event: "issues",
    id: original.id,
    payload: original.payload,
  });
  await e2e.sandbox.settle();
  const afterEnd = await postDelivery(e2e, {
    event: "issues",
    id: original.id,
    payload: original.payload,
  });

  const runs = executionsOf(e2e, repo, number);
  expect(runs).toHaveLength(1);
  expect(whileRunning.status).toBe(202);
  expect(whileRunning.body.executionArn).toBe(runs[0].arn);
  expect(afterEnd).toMatchObject({ status: 202, body: { outcome: "duplicate" } });
  expect(e2e.sandbox.sim.listPulls(repo.owner, repo.repo)).toHaveLength(1);
  expect(finalState(runs[0])).toBe("Merged");
});

test("GitHub 5xx burst: requests are retried and the PR is still merged", async () => {
  const repo = newRepository(e2e);
  const { sim } = e2e.sandbox;
  const routes = [
    "GET /repos/{owner}/{repo}/issues/{issue_number}",
    "POST /repos/{owner}/{repo}/pulls",
    "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
  ];
  for (const route of routes) sim.injectFault({ route, mode: "5xx", count: 2, status: 502 });
  const seen = sim.requests.length;
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  const run = await settledRun(e2e, repo, number);

  const answered = sim.requests.slice(seen);
  for (const route of routes) {
    const statuses = answered.filter((r) => r.route === route).map((r) => r.status);
    expect(statuses.slice(0, 2)).toEqual([502, 502]);
    expect(statuses.slice(2)).toContainEqual(expect.any(Number));
    expect(statuses[statuses.length - 1]).toBeLessThan(300);
  }
  expect(finalState(run)).toBe("Merged");
  expect(sim.listPulls(repo.owner, repo.repo)[0].merged).toBe(true);
});

test("CI timeout: checks that never finish end in a timeout comment after the poll bound", async () => {
  const repo = newRepository(e2e, { outcome: "success", delayMs: 10 * 60 * 1000 });
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  const run = await settledRun(e2e, repo, number);

  const states = statesOf(run);
  expect(states.slice(-2)).toEqual(["PostTimeout", "CITimedOut"]);
  // It waited, and the ASL bound (ceil(1800 / 60) = 30 counted polls) or the handler's clock
  // (1800 s after the PR opened) ended the wait.
  const waits = states.filter((s) => s === "WaitForCI").length;
  expect(waits).toBeGreaterThanOrEqual(2);
  expect(waits).toBeLessThanOrEqual(31);
  const [pull] = e2e.sandbox.sim.listPulls(repo.owner, repo.repo);
  expect(pull).toMatchObject({ state: "open", merged: false });
  expect(commentsOf(e2e, repo, pull.number).some((c) => c.includes("afu9:ci-feedback"))).toBe(true);
});

test("two issues at the same time: both run concurrently and both are merged", async () => {
  const repo = newRepository(e2e, { outcome: "success", delayMs: 200 });
  const first = fileIssue(e2e, repo, README_TEST_HINT);
  const second = fileIssue(e2e, repo, {
    title: "Usage docs: show an example call",
    body: STRANGER_USAGE_CHANGE.body,
  });
  await e2e.sandbox.settle();
  const [a] = executionsOf(e2e, repo, first);
  const [b] = executionsOf(e2e, repo, second);

  expect([finalState(a), finalState(b)]).toEqual(["Merged", "Merged"]);
  // They overlapped: the second started before the first ended.
  expect(b.startDate.getTime()).toBeLessThan(a.stopDate!.getTime());
  const pulls = e2e.sandbox.sim.listPulls(repo.owner, repo.repo);
  expect(pulls.map((p) => p.head).sort()).toEqual([`afu9/issue-${first}`, `afu9/issue-${second}`]);
  expect(pulls.every((p) => p.merged)).toBe(true);
  expect(readFile(repo, "README.md")).toContain("npm test");
  expect(readFile(repo, "docs/usage.md")).toContain('greet("Ada")');
});

test("unrecoverable error: GitHub failing beyond the retries is reported on the issue", async () => {
  const repo = newRepository(e2e);
  e2e.sandbox.sim.injectFault({
    route: "GET /repos/{owner}/{repo}/issues/{issue_number}",
    mode: "5xx",
    count: 20,
    status: 503,
  });
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  const run = await settledRun(e2e, repo, number);

  expect(run.status).toBe("FAILED");
  expect(statesOf(run)).toEqual(["AnalyzeIssue", "ReportFailure", "Failed"]);
  expect(run.report?.error?.Error).toBe("AFU9.WorkflowFailed");
  expect(commentsOf(e2e, repo, number).some((c) => c.includes("<!-- afu9:failure -->"))).toBe(true);
});

test("unknown CI outcome (a ci-feedback version that answers an unknown outcome) is reported", async () => {
  // Simulates version skew between the state machine and a redeployed function: the real
  // handler's evaluation with an outcome the definition does not know.
  e2e.setTaskWrapper((tasks) => {
    const real = tasks[LOCAL_FUNCTION_ARNS.ciFeedback];
    const skewed: TaskFunction = async (event) => {
      const result = await real(event);
      return event.action === "evaluate" ? { ...(result as object), outcome: "neutral" } : result;
    };
    return { ...tasks, [LOCAL_FUNCTION_ARNS.ciFeedback]: skewed };
  });
  const repo = newRepository(e2e);
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  const run = await settledRun(e2e, repo, number);

  expect(statesOf(run).slice(-4)).toEqual([
    "CheckCIStatus",
    "UnknownCIOutcome",
    "ReportFailure",
    "Failed",
  ]);
  const failure = commentsOf(e2e, repo, number).find((c) => c.includes("afu9:failure"));
  expect(failure).toContain("neutral");
});

test("dry run in the repository's config: the run ends in DryRun, no PR", async () => {
  const repo = newRepository(e2e);
  e2e.sandbox.sim.pushCommit(repo.owner, repo.repo, "main", {
    ".github/afu9.yml": "automerge: true\ndryRun: true\n",
  });
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  const run = await settledRun(e2e, repo, number);
  expect(statesOf(run).slice(-2)).toEqual(["DescribeDryRun", "DryRun"]);
  expect(e2e.sandbox.sim.listPulls(repo.owner, repo.repo)).toEqual([]);
});

defineRunLockScenarios(() => e2e);

test("state coverage: every state of the definition was visited by the scenarios above", () => {
  const visits = new Map<string, number>();
  for (const execution of e2e.sandbox.factory.executions()) {
    for (const state of allStatesOf(execution)) visits.set(state, (visits.get(state) ?? 0) + 1);
  }
  const table = WORKFLOW_STATE_NAMES.map(
    (state) => `  ${state.padEnd(18)} ${String(visits.get(state) ?? 0).padStart(4)}`,
  ).join("\n");
  const covered = WORKFLOW_STATE_NAMES.filter((s) => visits.has(s)).length;
  process.stdout.write(
    `\nstate coverage: ${covered}/${WORKFLOW_STATE_NAMES.length} states visited ` +
      `(${e2e.sandbox.factory.executions().length} executions)\n${table}\n`,
  );
  // The repair states need a model: tests/e2e/repair.test.ts visits them on an AI sandbox. The
  // states of /afu9 commands on a PR: tests/e2e/pr-commands.test.ts visits them (and checks it).
  const elsewhere = ["RepairPatch", "CheckRepairResult", ...COMMAND_STATES];
  expect(WORKFLOW_STATE_NAMES.filter((s) => !visits.has(s) && !elsewhere.includes(s))).toEqual([]);
  expect(Object.keys(e2e.sandbox.factory.definition.States).sort()).toEqual(
    [...WORKFLOW_STATE_NAMES].sort(),
  );
});
