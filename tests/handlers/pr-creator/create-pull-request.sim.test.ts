// CreatePullRequest against the GitHub simulator, through the real lambda handler and client.
import {
  OWNER,
  REPO,
  markedComments,
  repoConfig,
  startHarness,
  type Harness,
} from "../ci-feedback/sim-harness";

const COMMENT_WRITES =
  /^(POST \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments|PATCH \/repos\/\{owner\}\/\{repo\}\/issues\/comments\/\{comment_id\}) 20\d$/;

describe("CreatePullRequest (simulator)", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("points afu9/issue-<n> at the patch commit and opens one PR that closes the issue", async () => {
    h = await startHarness();
    const pr = await h.pr(h.state);
    const branch = `afu9/issue-${h.issueNumber}`;
    expect(pr).toMatchObject({ branch, headSha: h.state.patch!.commitSha, created: true });
    expect(h.sim.getRef(OWNER, REPO, `heads/${branch}`)).toBe(h.state.patch!.commitSha);
    expect(h.sim.listPulls(OWNER, REPO)).toEqual([
      expect.objectContaining({ number: pr.number, head: branch, state: "open", merged: false }),
    ]);
    const { data: pull } = await h.octokit.rest.pulls.get({
      owner: OWNER,
      repo: REPO,
      pull_number: pr.number,
    });
    expect(pull.body).toContain(`Closes #${h.issueNumber}`);
    expect(pull.body).toContain(`<!-- afu9:patch-commit ${h.state.patch!.commitSha} -->`);
    expect(pull.draft).toBe(false); // auto-merge on: ready for merge
    expect(pull.labels.map((l) => l.name).sort()).toEqual(["afu9", "bug"]);
    const links = markedComments(h, h.issueNumber, "pull-request");
    expect(links).toHaveLength(1);
    expect(links[0].body).toContain(`#${pr.number}`);
    expect(pr.url).toBe(pull.html_url);
  });

  it("opens a draft when auto-merge is off for the repo, and with no repo config at all", async () => {
    h = await startHarness({ config: repoConfig({ automerge: false }) });
    const pr = await h.pr(h.state);
    const { data: pull } = await h.octokit.rest.pulls.get({
      owner: OWNER,
      repo: REPO,
      pull_number: pr.number,
    });
    expect(pull.draft).toBe(true);
    expect(pull.body).toContain("Auto-merge is off");
    await h.close();
    h = await startHarness({ config: null });
    const second = await h.pr(h.state);
    const { data: unconfigured } = await h.octokit.rest.pulls.get({
      owner: OWNER,
      repo: REPO,
      pull_number: second.number,
    });
    expect(unconfigured.draft).toBe(true);
  });

  it("running the state twice creates no second branch, PR, label or comment (reads only)", async () => {
    h = await startHarness();
    const first = await h.pr(h.state);
    const mark = h.mark();
    const second = await h.pr(h.state);
    expect(h.writesSince(mark)).toEqual([]);
    expect(second).toMatchObject({ number: first.number, created: false, headSha: first.headSha });
    expect(h.sim.listPulls(OWNER, REPO)).toHaveLength(1);
    expect(markedComments(h, h.issueNumber, "pull-request")).toHaveLength(1);
  });

  it("a new patch moves AFU-9's own branch and reuses the open PR", async () => {
    h = await startHarness();
    const first = await h.pr(h.state);
    const newCommit = await h.commit(h.state.patch!.baseSha, {
      "src/math.ts": "export const add = (a: number, b: number) => a + b;\n",
    });
    const next = { ...h.state, patch: { ...h.state.patch!, commitSha: newCommit } };
    const second = await h.pr(next);
    expect(second).toMatchObject({ number: first.number, created: false, headSha: newCommit });
    expect(h.sim.getRef(OWNER, REPO, `heads/${first.branch}`)).toBe(newCommit);
    const { data: pull } = await h.octokit.rest.pulls.get({
      owner: OWNER,
      repo: REPO,
      pull_number: first.number,
    });
    expect(pull.body).toContain(`<!-- afu9:patch-commit ${newCommit} -->`);
    expect(h.sim.listPulls(OWNER, REPO)).toHaveLength(1);
    expect(markedComments(h, h.issueNumber, "pull-request")).toHaveLength(1);
  });

  it("uses the patch ValidatePatch regenerated after the base moved", async () => {
    h = await startHarness();
    const regenerated = await h.commit(h.state.patch!.baseSha, {
      "src/math.ts": "export const add = (a: number, b: number) => b + a;\n",
    });
    const state = {
      ...h.state,
      validation: {
        valid: true,
        violations: [],
        patch: { ...h.state.patch!, commitSha: regenerated },
      },
    };
    const pr = await h.pr(state);
    expect(pr.headSha).toBe(regenerated);
    expect(h.sim.getRef(OWNER, REPO, `heads/${pr.branch}`)).toBe(regenerated);
  });

  it("stops, and overwrites nothing, when someone else pushed to the branch", async () => {
    h = await startHarness();
    const first = await h.pr(h.state);
    const foreign = await h.commit(first.headSha, { "NOTES.md": "human work\n" }, "human commit");
    await h.octokit.rest.git.updateRef({
      owner: OWNER,
      repo: REPO,
      ref: `heads/${first.branch}`,
      sha: foreign,
    });
    const newPatch = await h.commit(h.state.patch!.baseSha, {
      "src/math.ts": "export const add = (a: number, b: number) => a + b; // v2\n",
    });
    const mark = h.mark();
    await expect(
      h.pr({ ...h.state, patch: { ...h.state.patch!, commitSha: newPatch } }),
    ).rejects.toMatchObject({
      name: "AFU9.BranchNotOwned",
      message: expect.stringContaining("does not overwrite other people's work"),
    });
    expect(h.sim.getRef(OWNER, REPO, `heads/${first.branch}`)).toBe(foreign);
    expect(h.writesSince(mark)).toEqual([]);
  });

  it("a 5xx burst on opening the PR is retried and still yields exactly one PR", async () => {
    h = await startHarness();
    h.sim.injectFault({ route: "POST /repos/{owner}/{repo}/pulls", mode: "5xx", count: 2 });
    const pr = await h.pr(h.state);
    expect(h.sim.listPulls(OWNER, REPO)).toHaveLength(1);
    const creates = h.sim.requests
      .filter((r) => r.route === "POST /repos/{owner}/{repo}/pulls")
      .map((r) => r.status);
    expect(creates).toEqual([502, 502, 201]);
    expect(pr.created).toBe(true);
  });

  it("dry run: no branch, no PR, only the comment saying what would happen", async () => {
    h = await startHarness({ dryRun: true });
    const mark = h.mark();
    const pr = await h.pr(h.state);
    expect(pr).toMatchObject({
      dryRun: true,
      number: 0,
      url: "",
      headSha: h.state.patch!.commitSha,
    });
    expect(h.sim.getRef(OWNER, REPO, `heads/${pr.branch}`)).toBeUndefined();
    expect(h.sim.listPulls(OWNER, REPO)).toEqual([]);
    const writes = h.writesSince(mark);
    expect(writes.length).toBeGreaterThan(0);
    for (const write of writes) expect(write).toMatch(COMMENT_WRITES);
    const [comment] = markedComments(h, h.issueNumber, "pull-request");
    expect(comment.body).toContain("**Dry run**");
    expect(comment.body).toContain(h.state.patch!.commitSha);
    // The repo's own dryRun switch counts as well.
    await h.close();
    h = await startHarness({ config: repoConfig({ dryRun: true }) });
    const mark2 = h.mark();
    await h.pr(h.state);
    for (const write of h.writesSince(mark2)) expect(write).toMatch(COMMENT_WRITES);
    expect(h.sim.listPulls(OWNER, REPO)).toEqual([]);
  });
});
