// describeRepository: the repository as a person sees it on github.com, read from memory: a PR's
// commits and unified diff (also after the merge moved the base), its checks and merge state,
// comments, labels and the branch list.
import { startFixture, type SimFixture } from "./helpers";

let f: SimFixture;

beforeAll(async () => {
  f = await startFixture();
});

afterAll(() => f.sim.close());

test("a pull request with commits, diff, checks and merge state, before and after the merge", async () => {
  const { sim, octokit, owner, repo } = f;
  const sha = sim.pushCommit(
    owner,
    repo,
    "feature",
    { "src/a.ts": "export const a = 2;\n", "NEW.md": "new\n" },
    "Change a",
  );
  sim.setCheckRun(owner, repo, sha, { name: "build", status: "completed", conclusion: "failure" });
  const { data: pull } = await octokit.rest.pulls.create({
    owner,
    repo,
    head: "feature",
    base: "main",
    title: "<b>Feature</b>",
    body: "Closes #0",
  });
  sim.addComment(owner, repo, pull.number, { body: "looks <i>fine</i>", user: "reviewer" });

  const open = sim.describeRepository(owner, repo).pulls.find((p) => p.number === pull.number)!;
  expect(open).toMatchObject({
    title: "<b>Feature</b>",
    state: "open",
    merged: false,
    mergeState: "clean",
    head: "feature",
    base: "main",
    headSha: sha,
  });
  expect(open.commits.map((c) => c.message)).toEqual(["Change a"]);
  expect(open.checks).toEqual([
    { name: "build", status: "completed", conclusion: "failure", summary: null },
  ]);
  expect(open.comments.map((c) => c.body)).toEqual(["looks <i>fine</i>"]);
  const changed = Object.fromEntries(open.files.map((file) => [file.filename, file]));
  expect(changed["NEW.md"]).toMatchObject({
    status: "added",
    additions: 1,
    deletions: 0,
    patch: "@@ -0,0 +1,1 @@\n+new",
  });
  expect(changed["src/a.ts"].patch).toBe(
    "@@ -1,1 +1,1 @@\n-export const a = 1;\n+export const a = 2;",
  );

  await octokit.rest.pulls.merge({
    owner,
    repo,
    pull_number: pull.number,
    sha,
    merge_method: "squash",
  });
  const view = sim.describeRepository(owner, repo);
  const merged = view.pulls.find((p) => p.number === pull.number)!;
  expect(merged).toMatchObject({ state: "closed", merged: true, mergeState: "merged" });
  // The diff stays what was merged, not empty against the new base.
  expect(merged.files.map((file) => file.filename)).toEqual(["NEW.md", "src/a.ts"]);
  expect(view.branches.map((b) => b.name)).toEqual(["feature", "main"]);
  expect(view.issues.find((i) => i.number === pull.number)?.isPull).toBe(true);
});

test("issues with labels and comments, newest first; unknown repositories are refused", () => {
  const { sim, owner, repo } = f;
  const issue = sim.createIssue(owner, repo, {
    title: "Bug",
    body: "<script>x</script>",
    user: "someone",
    labels: ["bug"],
  });
  sim.addComment(owner, repo, issue.number, { body: "me too", user: "other" });
  const view = sim.describeRepository(owner, repo);
  expect(view.issues[0]).toMatchObject({
    number: issue.number,
    title: "Bug",
    body: "<script>x</script>",
    labels: ["bug"],
    state: "open",
  });
  expect(view.issues[0].comments).toEqual([
    expect.objectContaining({ user: "other", body: "me too" }),
  ]);
  expect(sim.listRepositories()).toEqual([{ owner, name: repo }]);
  expect(() => sim.describeRepository(owner, "nope")).toThrow(/no repository acme\/nope/);
});
