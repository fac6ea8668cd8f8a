// Must-show 1: a real Octokit (production client factory, installation auth) does AFU-9's whole
// GitHub round trip; the merge is pinned to the head SHA; repeating it is 405, a stale SHA 409.
import { startFixture, statusOf, type SimFixture } from "./helpers";

let f: SimFixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.sim.close());

test("branch, blob/tree/commit, ref update, PR, status + check run, merge with sha", async () => {
  const { octokit, sim, owner, repo } = f;
  const { data: main } = await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" });
  expect(main.object.sha).toBe(f.headSha);
  const { data: base } = await octokit.rest.git.getCommit({
    owner,
    repo,
    commit_sha: main.object.sha,
  });

  const { data: blob } = await octokit.rest.git.createBlob({
    owner,
    repo,
    content: "hello\n",
    encoding: "utf-8",
  });
  expect(blob.sha).toBe("ce013625030ba8dba906f756967f9e9ca394464a"); // what `git hash-object` prints
  const { data: tree } = await octokit.rest.git.createTree({
    owner,
    repo,
    base_tree: base.tree.sha,
    tree: [
      { path: "src/b.ts", mode: "100644", type: "blob", sha: blob.sha },
      { path: "src/a.ts", mode: "100644", type: "blob", sha: null },
      { path: "docs/new.md", mode: "100644", type: "blob", content: "# new\n" },
    ],
  });
  const { data: commit } = await octokit.rest.git.createCommit({
    owner,
    repo,
    message: "Fix #1",
    tree: tree.sha,
    parents: [main.object.sha],
  });
  expect(sim.readTree(owner, repo, commit.sha)).toEqual({
    "README.md": "# widgets\n",
    "src/b.ts": "hello\n",
    "docs/new.md": "# new\n",
  });

  await octokit.rest.git.createRef({
    owner,
    repo,
    ref: "refs/heads/afu9/issue-1",
    sha: main.object.sha,
  });
  await octokit.rest.git.updateRef({ owner, repo, ref: "heads/afu9/issue-1", sha: commit.sha });
  expect(sim.getRef(owner, repo, "heads/afu9/issue-1")).toBe(commit.sha);
  const backwards = await statusOf(
    octokit.rest.git.updateRef({ owner, repo, ref: "heads/afu9/issue-1", sha: main.object.sha }),
  );
  expect(backwards).toMatchObject({
    status: 422,
    message: expect.stringContaining("not a fast forward"),
  });

  const { data: pr } = await octokit.rest.pulls.create({
    owner,
    repo,
    title: "Fix #1",
    head: "afu9/issue-1",
    base: "main",
    body: "Closes #1",
  });
  const { data: listed } = await octokit.rest.pulls.list({
    owner,
    repo,
    head: `${owner}:afu9/issue-1`,
  });
  expect(listed.map((p) => p.number)).toEqual([pr.number]);
  const { data: fetched } = await octokit.rest.pulls.get({ owner, repo, pull_number: pr.number });
  expect(fetched).toMatchObject({ mergeable: true, changed_files: 3, head: { sha: commit.sha } });

  await octokit.rest.repos.createCommitStatus({
    owner,
    repo,
    sha: commit.sha,
    state: "success",
    context: "lint",
  });
  await octokit.rest.checks.create({
    owner,
    repo,
    name: "test",
    head_sha: commit.sha,
    status: "completed",
    conclusion: "success",
  });
  const { data: combined } = await octokit.rest.repos.getCombinedStatusForRef({
    owner,
    repo,
    ref: commit.sha,
  });
  expect(combined).toMatchObject({ state: "success", total_count: 1 });
  const { data: runs } = await octokit.rest.checks.listForRef({ owner, repo, ref: "afu9/issue-1" });
  expect(runs.check_runs.map((r) => [r.name, r.conclusion])).toEqual([["test", "success"]]);

  const { data: merged } = await octokit.rest.pulls.merge({
    owner,
    repo,
    pull_number: pr.number,
    sha: commit.sha,
  });
  expect(merged.merged).toBe(true);
  expect(sim.getRef(owner, repo, "heads/main")).toBe(merged.sha);
  expect(sim.readTree(owner, repo, merged.sha)["src/b.ts"]).toBe("hello\n");
  expect(sim.listPulls(owner, repo)).toEqual([
    expect.objectContaining({ number: pr.number, merged: true, state: "closed" }),
  ]);

  const mergeCalls = () =>
    sim.requests.filter((r) => r.route === "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")
      .length;
  const before = mergeCalls();
  const again = await statusOf(
    octokit.rest.pulls.merge({ owner, repo, pull_number: pr.number, sha: commit.sha }),
  );
  expect(again).toMatchObject({ status: 405, message: expect.stringContaining("not mergeable") });
  expect(mergeCalls() - before).toBe(1); // 405 is never retried
});

test("a merge pinned to a stale head SHA is refused with 409, once", async () => {
  const { octokit, sim, owner, repo } = f;
  const first = sim.pushCommit(owner, repo, "feature", { "x.txt": "1\n" });
  const { data: pr } = await octokit.rest.pulls.create({
    owner,
    repo,
    title: "x",
    head: "feature",
    base: "main",
  });
  sim.pushCommit(owner, repo, "feature", { "x.txt": "2\n" }); // someone pushed after CI looked
  const before = sim.requests.length;
  const stale = await statusOf(
    octokit.rest.pulls.merge({ owner, repo, pull_number: pr.number, sha: first }),
  );
  expect(stale).toMatchObject({
    status: 409,
    message: expect.stringContaining("Head branch was modified"),
  });
  expect(sim.requests.length - before).toBe(1);
  expect(sim.listPulls(owner, repo).find((p) => p.number === pr.number)).toMatchObject({
    merged: false,
    state: "open",
  });
});
