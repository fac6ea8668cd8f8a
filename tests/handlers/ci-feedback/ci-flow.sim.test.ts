// ProcessCIFeedback, AutoMerge, PostFeedback, PostTimeout and ReportFailure against the GitHub
// simulator, through the real lambda handlers and the real client (retry + throttling plugins).
import { createCiFeedbackHandler } from "../../../handlers/ci-feedback/lambda";
import type {
  CiEvaluation,
  MergeResult,
  PullRequestRef,
  WorkflowState,
} from "../../../contract/state";
import { OWNER, REPO, markedComments, repoConfig, startHarness, type Harness } from "./sim-harness";

const COMMENT_WRITES =
  /^(POST \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments|PATCH \/repos\/\{owner\}\/\{repo\}\/issues\/comments\/\{comment_id\}) 20\d$/;
const MERGE_ROUTE = "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge";

function completed(h: Harness, sha: string, name: string, conclusion: string, summary?: string) {
  h.sim.setCheckRun(OWNER, REPO, sha, {
    name,
    status: "completed",
    conclusion,
    output: { title: `${name} ${conclusion}`, summary: summary ?? `${name} finished` },
    details_url: `https://ci.example/${name}`,
  });
}

async function openPr(h: Harness): Promise<{ state: WorkflowState; pr: PullRequestRef }> {
  const pr = await h.pr(h.state);
  return { pr, state: { ...h.state, pr } };
}

function withCi(state: WorkflowState, ci: CiEvaluation): WorkflowState {
  return { ...state, ci };
}

describe("CI watch and auto-merge (simulator)", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("success -> merged with the passing sha, branch deleted, issue told", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "build", "success");
    completed(h, pr.headSha, "test", "success");
    const ci = await h.evaluate(state);
    expect(ci).toEqual({
      outcome: "success",
      headSha: pr.headSha,
      headIsPatchCommit: true,
      failures: [],
      pendingChecks: [],
      // Green CI: the reviews were read; none, and no approval is required.
      approval: {
        state: "not-required",
        required: false,
        approvedBy: [],
        changesRequestedBy: [],
        staleApprovalsBy: [],
      },
    });
    const merge = await h.merge(withCi(state, ci));
    expect(merge).toEqual({ outcome: "merged", sha: pr.headSha });
    expect(h.sim.listPulls(OWNER, REPO)).toEqual([
      expect.objectContaining({ number: pr.number, merged: true }),
    ]);
    expect(h.sim.requests.filter((r) => r.route === MERGE_ROUTE).map((r) => r.status)).toEqual([
      200,
    ]);
    expect(h.sim.getRef(OWNER, REPO, `heads/${pr.branch}`)).toBeUndefined();
    const [note] = markedComments(h, h.issueNumber, "merge");
    expect(note.body).toContain(`Merged pull request #${pr.number} at ${pr.headSha}`);
    // The merged tree carries the patch.
    const main = h.sim.getRef(OWNER, REPO, "heads/main")!;
    expect(h.sim.readTree(OWNER, REPO, main)["src/math.ts"]).toContain("a + b");
  });

  it("failure -> one feedback comment listing exactly the failures, label, issue note; a re-run adds nothing", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "build", "success");
    completed(h, pr.headSha, "lint", "neutral");
    completed(h, pr.headSha, "test", "failure", "2 tests failed: add() returns -1");
    completed(h, pr.headSha, "e2e", "timed_out");
    h.sim.setStatus(OWNER, REPO, pr.headSha, {
      context: "ci/legacy",
      state: "error",
      description: "runner crashed",
      target_url: "https://ci.example/legacy",
    });
    h.sim.setStatus(OWNER, REPO, pr.headSha, { context: "ci/docs", state: "success" });
    const ci = await h.evaluate(state);
    expect(ci.outcome).toBe("failure");
    expect(ci.failures.map((f) => `${f.kind}:${f.name}:${f.conclusion}`)).toEqual([
      "check:e2e:timed_out",
      "check:test:failure",
      "status:ci/legacy:error",
    ]);
    const failed = withCi(state, ci);
    await h.ci("postFeedback", failed);
    const feedback = markedComments(h, pr.number, "ci-feedback");
    expect(feedback).toHaveLength(1);
    const rows = feedback[0].body
      .split("\n")
      .filter(
        (line) => line.startsWith("| ") && !line.startsWith("| Name") && !line.startsWith("| ---"),
      );
    expect(rows).toEqual([
      "| e2e | check | `timed_out` | e2e timed_out: e2e finished | [details](https://ci.example/e2e) |",
      "| test | check | `failure` | test failure: 2 tests failed: add() returns -1 | [details](https://ci.example/test) |",
      "| ci/legacy | status | `error` | runner crashed | [details](https://ci.example/legacy) |",
    ]);
    const { data: labels } = await h.octokit.rest.issues.listLabelsOnIssue({
      owner: OWNER,
      repo: REPO,
      issue_number: pr.number,
    });
    expect(labels.map((l) => l.name)).toContain("afu9:ci-failed");
    const [note] = markedComments(h, h.issueNumber, "ci-status");
    expect(note.body).toContain("`e2e`, `test`, `ci/legacy`");
    const mark = h.mark();
    await h.ci("postFeedback", failed);
    expect(h.writesSince(mark)).toEqual([]);
    expect(markedComments(h, pr.number, "ci-feedback")).toHaveLength(1);
    expect(h.sim.listPulls(OWNER, REPO)[0].merged).toBe(false);
  });

  it("a later failure updates the same feedback comment in place", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "test", "failure");
    await h.ci("postFeedback", withCi(state, await h.evaluate(state)));
    completed(h, pr.headSha, "test", "success"); // re-run passes ...
    completed(h, pr.headSha, "lint", "failure"); // ... another fails
    const ci = await h.evaluate(state);
    expect(ci.failures.map((f) => f.name)).toEqual(["lint"]);
    await h.ci("postFeedback", withCi(state, ci));
    const feedback = markedComments(h, pr.number, "ci-feedback");
    expect(feedback).toHaveLength(1);
    expect(feedback[0].body).toContain("| lint |");
    expect(feedback[0].body).not.toContain("| test |");
  });

  it("reads every page of check runs (a failure on page two is found) and 100+ statuses", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    for (let i = 0; i < 105; i += 1)
      completed(h, pr.headSha, `unit-${String(i).padStart(3, "0")}`, "success");
    completed(h, pr.headSha, "zz-last", "failure");
    for (let i = 0; i < 103; i += 1) {
      h.sim.setStatus(OWNER, REPO, pr.headSha, {
        context: `ctx-${String(i).padStart(3, "0")}`,
        state: "success",
      });
    }
    h.sim.setStatus(OWNER, REPO, pr.headSha, { context: "zz-status", state: "failure" });
    const ci = await h.evaluate(state);
    expect(ci.failures.map((f) => `${f.kind}:${f.name}`)).toEqual([
      "check:zz-last",
      "status:zz-status",
    ]);
    const pages = h.sim.requests.filter(
      (r) => r.route === "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
    );
    expect(pages.length).toBe(2);
  });

  it("deleteBranchAfterMerge: false keeps the branch after the merge", async () => {
    h = await startHarness({
      config: repoConfig({ deleteBranchAfterMerge: false, mergeMethod: "merge" }),
    });
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "build", "success");
    expect((await h.merge(withCi(state, await h.evaluate(state)))).outcome).toBe("merged");
    expect(h.sim.getRef(OWNER, REPO, `heads/${pr.branch}`)).toBe(pr.headSha);
    expect(
      h.sim.requests.some((r) => r.route === "DELETE /repos/{owner}/{repo}/git/refs/{ref}"),
    ).toBe(false);
    // Merge method "merge": the default branch head is a merge commit with the patch as a parent.
    const { data: head } = await h.octokit.rest.git.getCommit({
      owner: OWNER,
      repo: REPO,
      commit_sha: h.sim.getRef(OWNER, REPO, "heads/main")!,
    });
    expect(head.parents.map((p) => p.sha)).toContain(pr.headSha);
  });

  it("pending -> pending -> success", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    h.sim.setCheckRun(OWNER, REPO, pr.headSha, { name: "build", status: "queued" });
    expect(await h.evaluate(state)).toMatchObject({ outcome: "pending", pendingChecks: ["build"] });
    h.clock.advance(60);
    h.sim.setCheckRun(OWNER, REPO, pr.headSha, { name: "build", status: "in_progress" });
    expect((await h.evaluate(state)).outcome).toBe("pending");
    h.clock.advance(60);
    completed(h, pr.headSha, "build", "success");
    const ci = await h.evaluate(state);
    expect(ci.outcome).toBe("success");
    expect(await h.merge(withCi(state, ci))).toEqual({ outcome: "merged", sha: pr.headSha });
  });

  it("scripted CI on push (programCi) is watched to a merge", async () => {
    h = await startHarness();
    h.sim.programCi(OWNER, REPO, { checks: ["build", "test"], outcome: "success", delayMs: 1500 });
    const { state } = await openPr(h);
    expect(await h.evaluate(state)).toMatchObject({
      outcome: "pending",
      pendingChecks: ["build", "test"],
    });
    let ci = await h.evaluate(state);
    for (let poll = 0; ci.outcome === "pending" && poll < 40; poll += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ci = await h.evaluate(state);
    }
    expect(ci.outcome).toBe("success");
    expect((await h.merge(withCi(state, ci))).outcome).toBe("merged");
  });

  it("neutral and skipped count as passing", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "build", "success");
    completed(h, pr.headSha, "lint", "neutral");
    completed(h, pr.headSha, "deploy-preview", "skipped");
    const ci = await h.evaluate(state);
    expect(ci.outcome).toBe("success");
    expect((await h.merge(withCi(state, ci))).outcome).toBe("merged");
  });

  it("no checks -> pending in the grace period, then no-ci, comment, no merge", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    expect((await h.evaluate(state)).outcome).toBe("pending");
    h.clock.advance(state.settings.ciNoChecksGraceSeconds);
    const ci = await h.evaluate(state);
    expect(ci.outcome).toBe("no-ci");
    await h.ci("postTimeout", withCi(state, ci));
    const [comment] = markedComments(h, pr.number, "ci-feedback");
    expect(comment.body).toContain("**No CI**");
    expect(comment.body).toContain("mergeWithoutCi");
    expect(markedComments(h, h.issueNumber, "ci-status")[0].body).toContain("No CI ran");
    expect(h.sim.requests.some((r) => r.route === MERGE_ROUTE)).toBe(false);
    expect(h.sim.listPulls(OWNER, REPO)[0].merged).toBe(false);
  });

  it("no checks with mergeWithoutCi: true merges after the grace period, and says so", async () => {
    h = await startHarness({ config: repoConfig({ mergeWithoutCi: true }) });
    const { state, pr } = await openPr(h);
    h.clock.advance(state.settings.ciNoChecksGraceSeconds);
    const ci = await h.evaluate(state);
    expect(ci).toMatchObject({ outcome: "success", withoutCi: true });
    expect(await h.merge(withCi(state, ci))).toEqual({ outcome: "merged", sha: pr.headSha });
    expect(markedComments(h, h.issueNumber, "merge")[0].body).toContain("No CI reported on it");
  });

  it("a required check of branch protection that has not reported keeps it pending", async () => {
    h = await startHarness();
    h.sim.setRequiredChecks(OWNER, REPO, "main", ["build", "security-scan"]);
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "build", "success");
    const ci = await h.evaluate(state);
    expect(ci).toMatchObject({
      outcome: "pending",
      pendingChecks: ["security-scan (required, not reported yet)"],
    });
    h.sim.setStatus(OWNER, REPO, pr.headSha, { context: "security-scan", state: "success" });
    const green = await h.evaluate(state);
    expect(green.outcome).toBe("success");
    expect((await h.merge(withCi(state, green))).outcome).toBe("merged");
  });

  it("pending beyond the maximum wait -> timeout comment naming what is pending, no merge", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    h.sim.setCheckRun(OWNER, REPO, pr.headSha, { name: "slow-e2e", status: "in_progress" });
    h.clock.advance(state.settings.ciMaxWaitSeconds);
    const ci = await h.evaluate(state);
    expect(ci).toMatchObject({ outcome: "timeout", pendingChecks: ["slow-e2e"] });
    await h.ci("postTimeout", withCi(state, ci));
    const [comment] = markedComments(h, pr.number, "ci-feedback");
    expect(comment.body).toContain("**CI did not finish**");
    expect(comment.body).toContain("`slow-e2e`");
    expect(h.sim.listPulls(OWNER, REPO)[0].merged).toBe(false);
  });

  it("head moved (someone pushed) -> CI of the new head is evaluated, no auto-merge", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    const human = await h.commit(pr.headSha, { "NOTES.md": "pushed by a human\n" }, "human commit");
    await h.octokit.rest.git.updateRef({
      owner: OWNER,
      repo: REPO,
      ref: `heads/${pr.branch}`,
      sha: human,
    });
    completed(h, pr.headSha, "build", "failure"); // the old head's result must not count
    completed(h, human, "build", "success");
    const ci = await h.evaluate(state);
    expect(ci).toMatchObject({ outcome: "success", headSha: human, headIsPatchCommit: false });
    const merge = await h.merge(withCi(state, ci));
    expect(merge).toMatchObject({ outcome: "disabled", sha: human });
    expect(h.sim.requests.some((r) => r.route === MERGE_ROUTE)).toBe(false);
    expect(markedComments(h, pr.number, "merge")[0].body).toContain("someone pushed to it");
    expect(h.sim.listPulls(OWNER, REPO)[0].merged).toBe(false);
  });

  it("a PR closed by a human while CI runs stops the run with a clear error (ReportFailure comments it)", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    await h.octokit.rest.pulls.update({
      owner: OWNER,
      repo: REPO,
      pull_number: pr.number,
      state: "closed",
    });
    await expect(h.evaluate(state)).rejects.toMatchObject({
      name: "AFU9.PullRequestClosed",
      message: expect.stringContaining(`pull request #${pr.number} was closed without merging`),
    });
  });

  it("auto-merge off for the repo -> no merge call, a comment that a human merges", async () => {
    h = await startHarness({ config: repoConfig({ automerge: false }) });
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "build", "success");
    const merge = await h.merge(withCi(state, await h.evaluate(state)));
    expect(merge.outcome).toBe("disabled");
    expect(h.sim.requests.some((r) => r.route === MERGE_ROUTE)).toBe(false);
    expect(markedComments(h, pr.number, "merge")[0].body).toContain("Auto-merge is off");
  });

  it("405 -> GitHub's reason commented, exactly one merge attempt", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "build", "success");
    const ci = await h.evaluate(state);
    // The default branch changes the same line meanwhile: the PR now conflicts.
    const main = h.sim.getRef(OWNER, REPO, "heads/main")!;
    const conflicting = await h.commit(main, {
      "src/math.ts": "export function add(a: number, b: number): number {\n  return b - a;\n}\n",
    });
    await h.octokit.rest.git.updateRef({
      owner: OWNER,
      repo: REPO,
      ref: "heads/main",
      sha: conflicting,
    });
    const merge = await h.merge(withCi(state, ci));
    expect(merge).toEqual({
      outcome: "not-mergeable",
      sha: pr.headSha,
      reason: "Pull Request is not mergeable",
    });
    expect(h.sim.requests.filter((r) => r.route === MERGE_ROUTE).map((r) => r.status)).toEqual([
      405,
    ]);
    const [comment] = markedComments(h, pr.number, "merge");
    expect(comment.body).toContain('GitHub said: "Pull Request is not mergeable"');
  });

  it("409 (head moved between verdict and merge) -> head-moved, re-evaluated, not merged", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "build", "success");
    const ci = await h.evaluate(state);
    // Someone pushes right before the merge request reaches GitHub: the sha-pinned merge must
    // refuse. (A hook on the handler's own client makes the race deterministic.)
    const late = await h.commit(pr.headSha, { "NOTES.md": "late push\n" }, "late push");
    const racingDeps = {
      ...h.deps,
      github: async (installationId: number) => {
        const octokit = await h.deps.github(installationId);
        octokit.hook.before("request", async (options) => {
          if (options.method === "PUT" && String(options.url).endsWith("/merge")) {
            await h.octokit.rest.git.updateRef({
              owner: OWNER,
              repo: REPO,
              ref: `heads/${pr.branch}`,
              sha: late,
            });
          }
        });
        return octokit;
      },
    };
    const racing = createCiFeedbackHandler(racingDeps)({
      action: "merge",
      state: withCi(state, ci),
    }) as Promise<MergeResult>;
    const merge = await racing;
    expect(merge).toMatchObject({ outcome: "head-moved", sha: pr.headSha });
    expect(h.sim.requests.filter((r) => r.route === MERGE_ROUTE).map((r) => r.status)).toEqual([
      409,
    ]);
    // Back in the CI loop: the new head is evaluated, and auto-merge is off for this run.
    completed(h, late, "build", "success");
    const again = await h.evaluate(withCi(state, ci));
    expect(again).toMatchObject({ outcome: "success", headSha: late, headIsPatchCommit: false });
    expect((await h.merge(withCi(state, again))).outcome).toBe("disabled");
    expect(h.sim.listPulls(OWNER, REPO)[0].merged).toBe(false);
  });

  it("mergeable: null -> bounded wait, then merge", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "build", "success");
    const ci = await h.evaluate(state);
    h.sim.injectFault({
      route: "GET /repos/{owner}/{repo}/pulls/{pull_number}",
      mode: "mergeable-null",
      count: 2,
    });
    expect((await h.merge(withCi(state, ci))).outcome).toBe("merged");
    expect(h.clock.sleeps).toEqual([2000, 2000]);
  });

  it("rate limit 429 with retry-after is waited out, then the evaluation completes", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "build", "success");
    h.sim.injectFault({
      route: "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
      mode: "rate-limit-429",
      count: 1,
      retryAfterSeconds: 1,
    });
    const started = Date.now();
    const ci = await h.evaluate(state);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(ci.outcome).toBe("success");
    const checkReads = h.sim.requests
      .filter((r) => r.route === "GET /repos/{owner}/{repo}/commits/{ref}/check-runs")
      .map((r) => r.status);
    expect(checkReads).toEqual([429, 200]);
  });

  it("a 5xx burst is retried: evaluation and merge still succeed", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "build", "success");
    h.sim.injectFault({
      route: "GET /repos/{owner}/{repo}/commits/{ref}/status",
      mode: "5xx",
      count: 3,
      status: 503,
    });
    h.sim.injectFault({ route: MERGE_ROUTE, mode: "5xx", count: 2 });
    const ci = await h.evaluate(state);
    expect(ci.outcome).toBe("success");
    expect(await h.merge(withCi(state, ci))).toEqual({ outcome: "merged", sha: pr.headSha });
    expect(h.sim.requests.filter((r) => r.route === MERGE_ROUTE).map((r) => r.status)).toEqual([
      502, 502, 200,
    ]);
  });

  it("every CI state run twice with the same input writes nothing the second time", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "build", "success");
    const ci = await h.evaluate(state);
    let mark = h.mark();
    expect(await h.evaluate(state)).toEqual(ci);
    expect(h.writesSince(mark)).toEqual([]);
    const merged = withCi(state, ci);
    const first = await h.merge(merged);
    mark = h.mark();
    expect(await h.merge(merged)).toEqual(first);
    expect(h.writesSince(mark)).toEqual([]);
    expect(markedComments(h, h.issueNumber, "merge")).toHaveLength(1);
    // PostTimeout and ReportFailure as well.
    const timedOut = withCi(state, { ...ci, outcome: "timeout", pendingChecks: ["x"] });
    await h.ci("postTimeout", timedOut);
    mark = h.mark();
    await h.ci("postTimeout", timedOut);
    expect(h.writesSince(mark)).toEqual([]);
    const failedRun = { ...state, error: { Error: "States.Timeout", Cause: "Task timed out" } };
    await h.ci("reportFailure", failedRun);
    mark = h.mark();
    await h.ci("reportFailure", failedRun);
    expect(h.writesSince(mark)).toEqual([]);
    expect(markedComments(h, h.issueNumber, "failure")).toHaveLength(1);
  });

  it("dry run end to end: CreatePullRequest, evaluate, PostTimeout write nothing but comments", async () => {
    h = await startHarness({ dryRun: true });
    const mark = h.mark();
    const pr = await h.pr(h.state);
    const state = { ...h.state, pr };
    const ci = await h.evaluate(state);
    expect(ci.outcome).toBe("no-ci");
    await h.ci("postTimeout", withCi(state, ci));
    const writes = h.writesSince(mark);
    expect(writes.length).toBeGreaterThan(0);
    for (const write of writes) expect(write).toMatch(COMMENT_WRITES);
    expect(h.sim.listPulls(OWNER, REPO)).toEqual([]);
  });

  it("dry run with a green PR comments 'would merge <sha>' and does not merge or label", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h);
    completed(h, pr.headSha, "build", "success");
    const dry = {
      ...state,
      analysis: { ...state.analysis!, config: repoConfig({ dryRun: true }) },
    };
    const ci = await h.evaluate(dry);
    const mark = h.mark();
    expect(await h.merge(withCi(dry, ci))).toEqual({ outcome: "dry-run", sha: pr.headSha });
    await h.ci(
      "postFeedback",
      withCi(dry, {
        ...ci,
        outcome: "failure",
        failures: [{ kind: "check", name: "x", conclusion: "failure" }],
      }),
    );
    for (const write of h.writesSince(mark)) expect(write).toMatch(COMMENT_WRITES);
    expect(markedComments(h, pr.number, "merge")[0].body).toContain(`would merge ${pr.headSha}`);
    expect(h.sim.listPulls(OWNER, REPO)[0].merged).toBe(false);
  });

  it("ReportFailure comments on the issue without stack trace or secrets", async () => {
    h = await startHarness();
    const cause = JSON.stringify({
      errorType: "Error",
      errorMessage:
        "cannot read secret arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9 (token ghs_abcdefghijklmnopqrstuvwx)",
      trace: ["Error: cannot read secret", "    at read (/var/task/__index.js:1:1)"],
    });
    await h.ci("reportFailure", { ...h.state, error: { Error: "Error", Cause: cause } });
    const [comment] = markedComments(h, h.issueNumber, "failure");
    expect(comment.body).toContain("**AFU-9 stopped** while opening the pull request");
    expect(comment.body).not.toMatch(/123456789012|ghs_abc|__index\.js|\bat read\b/);
  });
});
