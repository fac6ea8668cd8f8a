// The review gate and /afu9 merge in ProcessCIFeedback, AutoMerge and PostTimeout against the
// GitHub simulator (its reviews, collaborator permissions and rulesets), through the real lambda
// handlers and the real client.
import type {
  PullRequestCommand,
  PullRequestRef,
  RepoConfig,
  WorkflowState,
} from "../../../contract/state";
import { OWNER, REPO, markedComments, repoConfig, startHarness, type Harness } from "./sim-harness";

const MERGE_ROUTE = "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge";
const RULES_ROUTE = "GET /repos/{owner}/{repo}/rules/branches/{branch}";

const MERGE_COMMAND: PullRequestCommand = {
  name: "merge",
  args: "",
  by: "maya",
  pullNumber: 0,
  source: { kind: "issue_comment", id: 1 },
};

function green(h: Harness, sha: string, names = ["build", "test"]) {
  for (const name of names) {
    h.sim.setCheckRun(OWNER, REPO, sha, { name, status: "completed", conclusion: "success" });
  }
}

/** A PR opened with auto-merge on (so not a draft), then evaluated under `config`. */
async function openPr(
  h: Harness,
  config: Partial<RepoConfig>,
): Promise<{ state: WorkflowState; pr: PullRequestRef }> {
  const pr = await h.pr(h.state);
  const analysis = { ...h.state.analysis!, config: repoConfig(config) };
  h.sim.setPermission(OWNER, REPO, "maya", "write");
  h.sim.setPermission(OWNER, REPO, "omar", "write");
  return { pr, state: { ...h.state, analysis, pr } };
}

async function evaluated(h: Harness, state: WorkflowState): Promise<WorkflowState> {
  return { ...state, ci: await h.evaluate(state) };
}

function mergeRequests(h: Harness) {
  return h.sim.requests.filter((r) => r.route === MERGE_ROUTE);
}

describe("review gate (simulator)", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("requireApproval: green CI without approval waits with a comment; a writer's approval of the head merges", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h, { automerge: true, requireApproval: true });
    green(h, pr.headSha);
    h.sim.submitReview(OWNER, REPO, pr.number, { user: "random-visitor", state: "APPROVED" });

    const waiting = await evaluated(h, state);
    expect(waiting.ci).toMatchObject({
      outcome: "success",
      approval: { state: "missing", required: true, approvedBy: [] },
    });
    expect(await h.merge(waiting)).toEqual({
      outcome: "waiting",
      sha: pr.headSha,
      reason: expect.stringContaining("an approving review of"),
    });
    expect(mergeRequests(h)).toEqual([]);
    const [comment] = markedComments(h, pr.number, "merge");
    expect(comment.body).toContain("**Not merged yet**");

    h.sim.submitReview(OWNER, REPO, pr.number, { user: "maya", state: "APPROVED" });
    const approved = await evaluated(h, state);
    expect(approved.ci?.approval).toMatchObject({ state: "approved", approvedBy: ["maya"] });
    expect(await h.merge(approved)).toEqual({ outcome: "merged", sha: pr.headSha });
  });

  it("AutoMerge re-reads the reviews: a change request submitted after the evaluation stops the merge", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h, { automerge: true });
    green(h, pr.headSha);
    const ready = await evaluated(h, state);
    expect(ready.ci?.approval?.state).toBe("not-required");
    h.sim.submitReview(OWNER, REPO, pr.number, {
      user: "omar",
      state: "CHANGES_REQUESTED",
      body: "not like this",
    });
    expect(await h.merge(ready)).toMatchObject({
      outcome: "waiting",
      reason: expect.stringContaining("@omar requested changes"),
    });
    expect(mergeRequests(h)).toEqual([]);
  });

  it("/afu9 merge replaces automerge: false, but not requireApproval, and names what is missing", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h, { automerge: false, requireApproval: true });
    green(h, pr.headSha);
    const command = { ...MERGE_COMMAND, pullNumber: pr.number };
    const base = await evaluated(h, state);
    // Without the command: auto-merge is off.
    expect(await h.merge(base)).toMatchObject({ outcome: "disabled" });

    const asked = { ...base, ciWake: { source: "command", command } };
    expect(await h.merge(asked)).toMatchObject({ outcome: "waiting" });
    const [refusal] = markedComments(h, pr.number, "merge");
    expect(refusal.body).toContain("@maya asked to merge");
    expect(refusal.body).toContain("an approving review of");

    h.sim.submitReview(OWNER, REPO, pr.number, { user: "omar", state: "APPROVED" });
    const approved = await evaluated(h, { ...state, ciWake: { source: "command", command } });
    expect(await h.merge(approved)).toEqual({ outcome: "merged", sha: pr.headSha });
  });

  it("pending CI never reaches a merge, with or without /afu9 merge: the handler refuses it", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h, { automerge: false });
    h.sim.setCheckRun(OWNER, REPO, pr.headSha, { name: "build", status: "in_progress" });
    const command = { ...MERGE_COMMAND, pullNumber: pr.number };
    const pending = await evaluated(h, { ...state, ciWake: { source: "command", command } });
    expect(pending.ci?.outcome).toBe("pending");
    await expect(h.merge(pending)).rejects.toThrow(/merge needs CI outcome "success"/);
    expect(mergeRequests(h)).toEqual([]);
  });

  it("still no approval at the CI bound: timeout with the approval, and PostTimeout says so", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h, { automerge: true, requireApproval: true });
    green(h, pr.headSha);
    h.clock.advance(state.settings.ciMaxWaitSeconds + 1);
    const late = await evaluated(h, state);
    expect(late.ci).toMatchObject({ outcome: "timeout", approval: { state: "missing" } });
    await h.ci("postTimeout", late);
    const [feedback] = markedComments(h, pr.number, "ci-feedback");
    expect(feedback.body).toContain(`**CI passed** for ${pr.headSha}`);
    expect(feedback.body).toContain("`automerge.requireApproval` is on");
    const [note] = markedComments(h, h.issueNumber, "ci-status");
    expect(note.body).toContain("CI passed but no approval came in time");
  });
});

describe("required checks from rulesets (simulator)", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("a ruleset's required check and branch protection's are unioned; one that has not reported keeps CI pending", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h, { automerge: true });
    h.sim.setRequiredChecks(OWNER, REPO, "main", ["build"]);
    h.sim.setRulesetRequiredChecks(OWNER, REPO, "main", ["security-scan"]);
    green(h, pr.headSha);
    expect((await h.evaluate(state)).pendingChecks).toEqual([
      "security-scan (required, not reported yet)",
    ]);
    green(h, pr.headSha, ["security-scan"]);
    expect((await h.evaluate(state)).outcome).toBe("success");
  });

  it("rules the App may not read (403) count as none: GitHub's own merge gate still holds", async () => {
    h = await startHarness();
    const { state, pr } = await openPr(h, { automerge: true });
    h.sim.setRulesetRequiredChecks(OWNER, REPO, "main", ["security-scan"]);
    green(h, pr.headSha);
    h.sim.injectFault({ route: RULES_ROUTE, mode: "http-error", status: 403, count: 1 });
    const ci = await h.evaluate(state);
    expect(ci.outcome).toBe("success");
    expect(await h.merge({ ...state, ci })).toMatchObject({
      outcome: "not-mergeable",
      reason: expect.stringContaining('Required status check "security-scan" is expected.'),
    });
  });
});
