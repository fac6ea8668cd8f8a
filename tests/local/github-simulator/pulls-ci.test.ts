// Pull request rules and CI signals: duplicate/empty PRs, conflicts, required checks gating the
// merge, combined status, check runs (update, filter, pagination), scripted CI.
import { startFixture, statusOf, type SimFixture } from "./helpers";

let f: SimFixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.sim.close());
const at = { owner: "acme", repo: "widgets" };

test("a second PR for the same head, or a PR without commits, is refused with 422", async () => {
  const { sim, octokit } = f;
  sim.pushCommit("acme", "widgets", "dup", { "d.txt": "d\n" });
  await octokit.rest.pulls.create({ ...at, title: "d", head: "dup", base: "main" });
  const duplicate = await statusOf(
    octokit.rest.pulls.create({ ...at, title: "d", head: "dup", base: "main" }),
  );
  expect(duplicate).toMatchObject({
    status: 422,
    message: expect.stringContaining("A pull request already exists for acme:dup"),
  });
  await octokit.rest.git.createRef({
    ...at,
    ref: "refs/heads/empty",
    sha: sim.getRef("acme", "widgets", "heads/main")!,
  });
  const empty = await statusOf(
    octokit.rest.pulls.create({ ...at, title: "e", head: "empty", base: "main" }),
  );
  expect(empty).toMatchObject({
    status: 422,
    message: expect.stringContaining("No commits between main and empty"),
  });
  const missing = await statusOf(
    octokit.rest.pulls.create({ ...at, title: "m", head: "ghost", base: "main" }),
  );
  expect(missing.status).toBe(422);
});

test("conflicting changes: mergeable false / dirty, merge 405", async () => {
  const { sim, octokit } = f;
  sim.pushCommit("acme", "widgets", "left", { "README.md": "left\n" });
  const { data: pr } = await octokit.rest.pulls.create({
    ...at,
    title: "l",
    head: "left",
    base: "main",
  });
  sim.pushCommit("acme", "widgets", "main", { "README.md": "main moved\n" });
  const { data } = await octokit.rest.pulls.get({ ...at, pull_number: pr.number });
  expect(data).toMatchObject({ mergeable: false, mergeable_state: "dirty" });
  const refused = await statusOf(
    octokit.rest.pulls.merge({ ...at, pull_number: pr.number, sha: data.head.sha }),
  );
  expect(refused).toMatchObject({ status: 405, message: expect.stringContaining("not mergeable") });
});

test("required checks: readable from branch protection, block the merge until green", async () => {
  const { sim, octokit } = f;
  expect(
    (await statusOf(octokit.rest.repos.getStatusChecksProtection({ ...at, branch: "main" })))
      .status,
  ).toBe(404);
  sim.setRequiredChecks("acme", "widgets", "main", ["build", "lint"]);
  const { data: protection } = await octokit.rest.repos.getStatusChecksProtection({
    ...at,
    branch: "main",
  });
  expect(protection.contexts).toEqual(["build", "lint"]);
  const { data: branch } = await octokit.rest.repos.getBranch({ ...at, branch: "main" });
  expect(branch).toMatchObject({ name: "main", protected: true });
  expect(branch.protection.required_status_checks?.contexts).toEqual(["build", "lint"]);

  const head = sim.pushCommit("acme", "widgets", "gated", { "g.txt": "g\n" });
  const { data: pr } = await octokit.rest.pulls.create({
    ...at,
    title: "g",
    head: "gated",
    base: "main",
  });
  sim.setCheckRun("acme", "widgets", head, {
    name: "build",
    status: "completed",
    conclusion: "success",
  });
  expect(
    (await octokit.rest.pulls.get({ ...at, pull_number: pr.number })).data.mergeable_state,
  ).toBe("blocked");
  const blocked = await statusOf(
    octokit.rest.pulls.merge({ ...at, pull_number: pr.number, sha: head }),
  );
  expect(blocked).toMatchObject({
    status: 405,
    message: expect.stringContaining('Required status check "lint" is expected'),
  });
  sim.setStatus("acme", "widgets", head, { context: "lint", state: "success" });
  expect(
    (
      await octokit.rest.pulls.merge({
        ...at,
        pull_number: pr.number,
        sha: head,
        merge_method: "squash",
      })
    ).data.merged,
  ).toBe(true);
  sim.setRequiredChecks("acme", "widgets", "main", []);
});

test("combined status: pending without statuses, failure wins, latest per context counts", async () => {
  const { sim, octokit } = f;
  const sha = sim.pushCommit("acme", "widgets", "st", { "s.txt": "s\n" });
  const state = async () =>
    (await octokit.rest.repos.getCombinedStatusForRef({ ...at, ref: sha })).data.state;
  expect(await state()).toBe("pending");
  sim.setStatus("acme", "widgets", sha, { context: "a", state: "failure" });
  sim.setStatus("acme", "widgets", sha, { context: "b", state: "success" });
  expect(await state()).toBe("failure");
  sim.setStatus("acme", "widgets", sha, { context: "a", state: "success" });
  expect(await state()).toBe("success");
  sim.setStatus("acme", "widgets", sha, { context: "c", state: "success" });
  const first = await octokit.rest.repos.getCombinedStatusForRef({ ...at, ref: sha, per_page: 2 });
  expect([first.data.total_count, first.data.statuses.length]).toEqual([3, 2]);
  expect(first.headers.link).toContain('rel="next"');
  const second = await octokit.rest.repos.getCombinedStatusForRef({
    ...at,
    ref: sha,
    per_page: 2,
    page: 2,
  });
  expect(second.data.statuses.length).toBe(1);
  const bad = await statusOf(
    octokit.rest.repos.createCommitStatus({ ...at, sha: "f".repeat(40), state: "success" }),
  );
  expect(bad.status).toBe(422);
});

test("check runs: update in place, filter by name, paginate", async () => {
  const { sim, octokit } = f;
  const sha = sim.pushCommit("acme", "widgets", "cr", { "c.txt": "c\n" });
  const { data: run } = await octokit.rest.checks.create({
    ...at,
    name: "suite-0",
    head_sha: sha,
    status: "in_progress",
  });
  await octokit.rest.checks.update({
    ...at,
    check_run_id: run.id,
    conclusion: "failure",
    output: { title: "1 failing", summary: "x" },
  });
  for (let i = 1; i < 5; i += 1)
    sim.setCheckRun("acme", "widgets", sha, { name: `suite-${i}`, status: "queued" });
  const { data: one } = await octokit.rest.checks.listForRef({
    ...at,
    ref: sha,
    check_name: "suite-0",
  });
  expect(one.check_runs.map((r) => [r.status, r.conclusion, r.output.title])).toEqual([
    ["completed", "failure", "1 failing"],
  ]);
  const page = await octokit.rest.checks.listForRef({ ...at, ref: sha, per_page: 2 });
  expect(page.data.total_count).toBe(5);
  expect(page.headers.link).toContain('rel="next"');
  const all = await octokit.paginate(octokit.rest.checks.listForRef, {
    ...at,
    ref: sha,
    per_page: 2,
  });
  expect(all.map((r) => r.name).sort()).toEqual([
    "suite-0",
    "suite-1",
    "suite-2",
    "suite-3",
    "suite-4",
  ]);
});

test("programCi: pushes to a branch get the scripted checks, reporting after the delay", async () => {
  const { sim, octokit } = f;
  sim.programCi("acme", "widgets", { checks: ["ci/test"], outcome: "failure", delayMs: 100 });
  const sha = sim.pushCommit("acme", "widgets", "ci-branch", { "ci.txt": "1\n" });
  const runs = async () =>
    (await octokit.rest.checks.listForRef({ ...at, ref: sha })).data.check_runs.map((r) => [
      r.name,
      r.status,
      r.conclusion,
    ]);
  expect(await runs()).toEqual([["ci/test", "in_progress", null]]);
  await new Promise((resolve) => setTimeout(resolve, 250));
  expect(await runs()).toEqual([["ci/test", "completed", "failure"]]);
  const onMain = sim.getRef("acme", "widgets", "heads/main")!;
  expect((await octokit.rest.checks.listForRef({ ...at, ref: onMain })).data.total_count).toBe(0);
  sim.programCi("acme", "widgets", { checks: [], outcome: "success", delayMs: 0 });
});

test("pull update and state filter: close, list closed, list by head", async () => {
  const { sim, octokit } = f;
  sim.pushCommit("acme", "widgets", "to-close", { "z.txt": "z\n" });
  const { data: pr } = await octokit.rest.pulls.create({
    ...at,
    title: "z",
    head: "to-close",
    base: "main",
  });
  await octokit.rest.pulls.update({
    ...at,
    pull_number: pr.number,
    title: "renamed",
    state: "closed",
  });
  const { data: closed } = await octokit.rest.pulls.list({
    ...at,
    state: "closed",
    head: "acme:to-close",
  });
  expect(closed.map((p) => [p.number, p.title, p.state])).toEqual([
    [pr.number, "renamed", "closed"],
  ]);
  expect((await octokit.rest.pulls.list({ ...at, head: "acme:to-close" })).data).toEqual([]);
});

test("a draft PR cannot be merged (405); deleting a PR's head branch closes the PR", async () => {
  const { sim, octokit } = f;
  const head = sim.pushCommit("acme", "widgets", "drafty", { "dr.txt": "d\n" });
  const { data: pr } = await octokit.rest.pulls.create({
    ...at,
    title: "d",
    head: "drafty",
    base: "main",
    draft: true,
  });
  const refused = await statusOf(
    octokit.rest.pulls.merge({ ...at, pull_number: pr.number, sha: head }),
  );
  expect(refused).toMatchObject({ status: 405, message: expect.stringContaining("draft") });
  await octokit.rest.git.deleteRef({ ...at, ref: "heads/drafty" });
  expect(sim.getRef("acme", "widgets", "heads/drafty")).toBeUndefined();
  const { data: closed } = await octokit.rest.pulls.get({ ...at, pull_number: pr.number });
  expect(closed).toMatchObject({ state: "closed", merged: false, head: { sha: head } });
});

test("mergeableComputeReads: after opening and after each push, mergeability is computed first", async () => {
  const g = await startFixture({ mergeableComputeReads: 1 });
  try {
    g.sim.pushCommit("acme", "widgets", "slow", { "s.txt": "1\n" });
    const { data: pr } = await g.octokit.rest.pulls.create({
      ...at,
      title: "s",
      head: "slow",
      base: "main",
    });
    const read = async () =>
      (await g.octokit.rest.pulls.get({ ...at, pull_number: pr.number })).data.mergeable;
    expect([await read(), await read()]).toEqual([null, true]);
    g.sim.pushCommit("acme", "widgets", "slow", { "s.txt": "2\n" });
    expect([await read(), await read()]).toEqual([null, true]);
  } finally {
    await g.sim.close();
  }
});
