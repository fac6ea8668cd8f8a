// The review gate and ruleset-required checks end to end on the sandbox: the real webhook, the
// real state machine (events mode: CI and review deliveries resume WaitForCI's token, a fallback
// after 300 s = 0.6 s real), the real task handlers, the simulator's reviews and rulesets. The CI
// bound is 4500 s (9 s real) so a run can wait for several reviews in turn.
import { README_TEST_HINT } from "../../local/factory/demo-issues";
import { runOutcome } from "../../contract/run-outcome";
import type { WorkflowState } from "../../contract/state";
import type { DemoSeed } from "../../local/github-simulator";
import type { LocalExecution } from "../../local/factory/local-step-functions";
import {
  MAINTAINER,
  STRANGER,
  commentsOf,
  executionsOf,
  fileIssue,
  newRepository,
  settledRun,
  useE2E,
  statesOf,
} from "./harness";

const CI_MAX_WAIT_SECONDS = 4500;
const SECOND_MAINTAINER = "second-maintainer";
const MERGE_ROUTE = "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge";
const REQUIRE_APPROVAL = "enabled: true\ntriggerLabel: afu9\nautomerge:\n  requireApproval: true\n";

const e2e = useE2E({ settings: { ciMaxWaitSeconds: CI_MAX_WAIT_SECONDS } });

function approvalRepository(config = REQUIRE_APPROVAL): DemoSeed {
  const repo = newRepository(e2e);
  e2e.sandbox.sim.pushCommit(repo.owner, repo.repo, "main", { ".github/afu9.yml": config });
  e2e.sandbox.sim.setPermission(repo.owner, repo.repo, SECOND_MAINTAINER, "write");
  return repo;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function pullOf(repo: DemoSeed) {
  const [pull] = e2e.sandbox.sim.listPulls(repo.owner, repo.repo);
  return pull;
}

/** The marked comment AutoMerge keeps on the PR (what is missing, or what it did). */
function mergeComment(repo: DemoSeed): string | undefined {
  const pull = pullOf(repo);
  if (!pull) return undefined;
  return commentsOf(e2e, repo, pull.number).find((c) => c.includes("<!-- afu9:merge -->"));
}

function runningExecution(repo: DemoSeed, issue: number): LocalExecution {
  const [run] = executionsOf(e2e, repo, issue);
  expect(run.status).toBe("RUNNING");
  return run;
}

function mergeRequests(repo: DemoSeed) {
  return e2e.sandbox.sim.requests.filter(
    (r) => r.route === MERGE_ROUTE && r.path.startsWith(`/repos/${repo.owner}/`),
  );
}

/** Submits a review and waits until its delivery was answered; returns that delivery. */
async function review(
  repo: DemoSeed,
  user: string,
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED",
) {
  const pull = pullOf(repo);
  const { id } = e2e.sandbox.sim.submitReview(repo.owner, repo.repo, pull.number, {
    user,
    state,
    ...(state === "APPROVED" ? {} : { body: "see inline" }),
  });
  await e2e.sandbox.sim.waitForWebhooks();
  const delivery = e2e.sandbox.sim.events.find(
    (e) =>
      e.event === "pull_request_review" &&
      (e.payload as { review?: { id?: number } }).review?.id === id,
  );
  expect(delivery?.status).toBe(202);
  return delivery!;
}

function evaluations(run: LocalExecution): number {
  return statesOf(run).filter((s) => s === "ProcessCIFeedback").length;
}

test("requireApproval: green CI but no approval -> no merge and no fast loop; a stranger's approval changes nothing; the maintainer's approval -> merged within seconds of the review delivery", async () => {
  const repo = approvalRepository();
  const issue = fileIssue(e2e, repo, README_TEST_HINT);

  const waiting = await until("the waiting comment", () => mergeComment(repo));
  expect(waiting).toContain("**Not merged yet**");
  expect(waiting).toContain("an approving review of");
  expect(waiting).toContain("`automerge.requireApproval`");
  expect(pullOf(repo)).toMatchObject({ state: "open", merged: false });

  // It waits for events or the 0.6 s fallback like pending CI (checked below: a handful of
  // evaluations in the whole run, not hundreds).
  runningExecution(repo, issue);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(pullOf(repo).merged).toBe(false);
  expect(mergeRequests(repo)).toEqual([]);
  runningExecution(repo, issue);

  // An approval by someone without write access does not count.
  await review(repo, STRANGER, "APPROVED");
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(pullOf(repo).merged).toBe(false);
  expect(mergeRequests(repo)).toEqual([]);

  const approval = await review(repo, MAINTAINER, "APPROVED");
  await until("the merge", () => pullOf(repo).merged || undefined, 4000);
  const [merge] = mergeRequests(repo);
  expect(merge.status).toBe(200);
  // Within seconds of the review delivery, and woken by it (not by the fallback timeout).
  expect(merge.receivedAt! - approval.answeredAt!).toBeLessThan(2000);

  const done = await settledRun(e2e, repo, issue);
  expect(done.status).toBe("SUCCEEDED");
  const output = done.report!.output as WorkflowState;
  expect(output.ciWake).toMatchObject({ source: "pull_request_review", deliveryId: approval.id });
  expect(output.ci?.approval).toMatchObject({ state: "approved", approvedBy: [MAINTAINER] });
  expect(statesOf(done).slice(-3)).toEqual(["AutoMerge", "CheckMergeResult", "Merged"]);
  // Evaluations over the whole run (CI, the 1.5 s wait, two reviews): bounded by fallbacks and
  // deliveries. A run that re-evaluated at once while held back would reach the 215-poll bound.
  expect(evaluations(done)).toBeLessThan(15);
  expect(runOutcome({ status: "SUCCEEDED", state: output }).outcome).toBe("merged");
});

test("changes requested -> not merged, even beside another maintainer's approval; a later approval by that reviewer merges", async () => {
  const repo = approvalRepository();
  const issue = fileIssue(e2e, repo, README_TEST_HINT);
  await until("the waiting comment", () => mergeComment(repo));

  await review(repo, MAINTAINER, "CHANGES_REQUESTED");
  await review(repo, SECOND_MAINTAINER, "APPROVED");
  const blocked = await until("the changes-requested comment", () => {
    const text = mergeComment(repo);
    return text?.includes(`@${MAINTAINER} requested changes`) ? text : undefined;
  });
  expect(blocked).not.toContain("an approving review of");
  // A comment-only review by the same person does not lift the request.
  await review(repo, MAINTAINER, "COMMENTED");
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(pullOf(repo).merged).toBe(false);
  expect(mergeRequests(repo)).toEqual([]);
  runningExecution(repo, issue);

  await review(repo, MAINTAINER, "APPROVED");
  await until("the merge", () => pullOf(repo).merged || undefined, 4000);
  const done = await settledRun(e2e, repo, issue);
  const output = done.report!.output as WorkflowState;
  expect(output.merge).toMatchObject({ outcome: "merged" });
  expect(output.ci?.approval).toMatchObject({
    state: "approved",
    approvedBy: [MAINTAINER, SECOND_MAINTAINER].sort(),
    changesRequestedBy: [],
  });
});

test("requireApproval and no approval until the CI wait ends -> PostTimeout names the missing review, never merged, outcome needs-approval", async () => {
  const repo = approvalRepository();
  const issue = fileIssue(e2e, repo, README_TEST_HINT);
  const done = await settledRun(e2e, repo, issue);

  const states = statesOf(done);
  expect(states.slice(-2)).toEqual(["PostTimeout", "CITimedOut"]);
  expect(states).toContain("AutoMerge");
  expect(pullOf(repo)).toMatchObject({ state: "open", merged: false });
  expect(mergeRequests(repo)).toEqual([]);
  const timeout = commentsOf(e2e, repo, pullOf(repo).number).find((c) =>
    c.includes("<!-- afu9:ci-feedback -->"),
  );
  expect(timeout).toContain("**CI passed**");
  expect(timeout).toContain("No approving review of");
  expect(timeout).toContain("`automerge.requireApproval` is on");
  const output = done.report!.output as WorkflowState;
  expect(runOutcome({ status: "SUCCEEDED", state: output })).toMatchObject({
    outcome: "needs-approval",
    reason: expect.stringContaining("no approving review"),
  });
  // What the terminal says about the run.
  expect(e2e.lines.some((l) => l.includes("CI passed, approval missing: not merged"))).toBe(true);
});

test("a ruleset-required check that never reports keeps the PR pending until the CI timeout; never merged", async () => {
  // automerge: true, no approval needed: only the ruleset holds the merge back.
  const repo = approvalRepository("enabled: true\ntriggerLabel: afu9\nautomerge: true\n");
  e2e.sandbox.sim.setRulesetRequiredChecks(repo.owner, repo.repo, "main", ["security-scan"]);
  const issue = fileIssue(e2e, repo, README_TEST_HINT);
  const done = await settledRun(e2e, repo, issue);

  const states = statesOf(done);
  expect(states.slice(-2)).toEqual(["PostTimeout", "CITimedOut"]);
  // build and test passed, yet CI never counted as green: AutoMerge was never reached.
  expect(states).not.toContain("AutoMerge");
  expect(pullOf(repo)).toMatchObject({ state: "open", merged: false });
  expect(mergeRequests(repo)).toEqual([]);
  const output = done.report!.output as WorkflowState;
  expect(output.ci).toMatchObject({
    outcome: "timeout",
    failures: [],
    pendingChecks: ["security-scan (required, not reported yet)"],
  });
  const timeout = commentsOf(e2e, repo, pullOf(repo).number).find((c) =>
    c.includes("<!-- afu9:ci-feedback -->"),
  );
  expect(timeout).toContain("**CI did not finish**");
  expect(timeout).toContain("`security-scan (required, not reported yet)`");
  expect(runOutcome({ status: "SUCCEEDED", state: output }).outcome).toBe("timed-out");
});
