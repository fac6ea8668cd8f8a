// Through the real state machine on the local factory: a run that stops on an error says which one
// on the issue, by its AFU9.<Name>, and a GitHub rate limit takes the definition's Retry path
// (1, 2, 4, 8 min, time-scaled here) exactly as it would on AWS.
import { branchForIssue } from "../../contract/conventions";
import { FACTORY_ERRORS } from "../../contract/errors";
import { README_TEST_HINT } from "../../local/factory/demo-issues";
import {
  commentsOf,
  executionsOf,
  fileIssue,
  newRepository,
  useE2E,
  statesOf,
  settledRun,
} from "./harness";

const e2e = useE2E();

function failureComment(repo: { owner: string; repo: string }, issue: number): string {
  const comment = commentsOf(e2e, repo as never, issue).find((c) =>
    c.includes("<!-- afu9:failure -->"),
  );
  if (!comment) throw new Error(`issue #${issue} has no failure comment`);
  return comment;
}

/** Retry attempts the run made in a state (summed over its visits). */
function retriesIn(run: ReturnType<typeof executionsOf>[number], state: string): number {
  return (run.report?.visits ?? [])
    .filter((v) => v.name === state)
    .reduce((sum, v) => sum + (v.retries ?? 0), 0);
}

const STALE_DIFF = {
  title: "Docs: mention the license",
  body: [
    "Proposed change:",
    "",
    "```diff",
    "--- a/README.md",
    "+++ b/README.md",
    "@@ -1,2 +1,3 @@",
    " # some-other-app",
    " An unrelated first paragraph.",
    "+Licensed under MIT.",
    "```",
  ].join("\n"),
};

test("a diff that does not apply: a refusal (PatchRejected), the comment names AFU9.PatchDoesNotApply", async () => {
  const repo = newRepository(e2e);
  const number = fileIssue(e2e, repo, STALE_DIFF);
  const run = await settledRun(e2e, repo, number);

  // The author's input was refused: not an operator alarm (Failed), a violation on the issue.
  expect(run.status).toBe("SUCCEEDED");
  expect(statesOf(run).slice(-2)).toEqual(["CheckPatchValid", "PatchRejected"]);
  const violations = commentsOf(e2e, repo, number).find((c) => c.includes("afu9:violations"));
  expect(violations).toContain("`does-not-apply`");
  expect(violations).toContain(`(${FACTORY_ERRORS.PatchDoesNotApply})`);
  expect(() => failureComment(repo, number)).toThrow(/no failure comment/);
});

test("a branch someone else pushed to: the issue comment names AFU9.BranchNotOwned", async () => {
  const repo = newRepository(e2e);
  // The next issue number of a fresh repository is 1: its branch exists before the run.
  e2e.sandbox.sim.pushCommit(repo.owner, repo.repo, branchForIssue(1), {
    "NOTES.md": "someone's own work\n",
  });
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  expect(number).toBe(1);
  const run = await settledRun(e2e, repo, number);

  expect(statesOf(run)).toEqual(expect.arrayContaining(["CreatePullRequest", "ReportFailure"]));
  expect(failureComment(repo, number)).toContain(`Reason (${FACTORY_ERRORS.BranchNotOwned})`);
  expect(e2e.sandbox.sim.listPulls(repo.owner, repo.repo)).toHaveLength(0);
});

test("a rate limit past the state machine's retries: four retries, then AFU9.GitHubRateLimited", async () => {
  const repo = newRepository(e2e);
  e2e.sandbox.sim.injectFault({
    route: "GET /repos/{owner}/{repo}/issues/{issue_number}",
    mode: "rate-limit-429",
    retryAfterSeconds: 3600,
    count: 1000,
  });
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  const run = await settledRun(e2e, repo, number);

  expect(statesOf(run)).toEqual(["AnalyzeIssue", "ReportFailure", "Failed"]);
  // GITHUB_RATE_LIMIT_RETRY: MaxAttempts 4, after the first attempt.
  expect(retriesIn(run, "AnalyzeIssue")).toBe(4);
  expect(failureComment(repo, number)).toContain(`Reason (${FACTORY_ERRORS.GitHubRateLimited})`);
});

test("a rate limit that clears: the state machine retries the task and the run goes on to merge", async () => {
  const repo = newRepository(e2e);
  e2e.sandbox.sim.injectFault({
    route: "GET /repos/{owner}/{repo}/issues/{issue_number}",
    mode: "rate-limit-429",
    retryAfterSeconds: 3600,
    count: 1,
  });
  const number = fileIssue(e2e, repo, README_TEST_HINT);
  const run = await settledRun(e2e, repo, number);

  expect(retriesIn(run, "AnalyzeIssue")).toBe(1);
  expect(statesOf(run)).not.toContain("ReportFailure");
  expect(statesOf(run)[statesOf(run).length - 1]).toBe("Merged");
});
