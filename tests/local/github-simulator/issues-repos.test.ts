// Issues, labels, comments, contents, permissions, compare: the reads and writes AFU-9's task
// functions make, through a real Octokit, with every answer checked against GitHub's schema.
import {
  DEMO_FILES,
  seedDemoRepository,
  startGitHubSimulator,
} from "../../../local/github-simulator";
import { startFixture, statusOf, type SimFixture } from "./helpers";

let f: SimFixture;
beforeAll(async () => {
  f = await startFixture(
    {},
    { "README.md": "# widgets\n", "src/a.ts": "export const a = 1;\n", "src/lib/b.ts": "b\n" },
  );
});
afterAll(() => f.sim.close());
const at = { owner: "acme", repo: "widgets" };

test("issue: author_association, labels add/list/remove, lock state, create label conflicts", async () => {
  const { sim, octokit } = f;
  const created = sim.createIssue("acme", "widgets", {
    title: "Crash",
    body: "steps",
    user: "alice",
    labels: ["bug"],
    authorAssociation: "CONTRIBUTOR",
  });
  const issue_number = created.number;
  const { data: issue } = await octokit.rest.issues.get({ ...at, issue_number });
  expect(issue).toMatchObject({
    title: "Crash",
    state: "open",
    locked: false,
    author_association: "CONTRIBUTOR",
    user: { login: "alice" },
  });
  await octokit.rest.issues.addLabels({ ...at, issue_number, labels: ["afu9", "bug"] });
  expect(
    (await octokit.rest.issues.listLabelsOnIssue({ ...at, issue_number })).data.map((l) => l.name),
  ).toEqual(["bug", "afu9"]);
  await octokit.rest.issues.removeLabel({ ...at, issue_number, name: "bug" });
  expect(
    sim
      .getIssue("acme", "widgets", issue_number)
      .labels.map((l) => (typeof l === "string" ? l : l.name)),
  ).toEqual(["afu9"]);
  expect(
    (await statusOf(octokit.rest.issues.removeLabel({ ...at, issue_number, name: "bug" }))).status,
  ).toBe(404);

  await octokit.rest.issues.createLabel({ ...at, name: "afu9:done", color: "0e8a16" });
  const again = await statusOf(
    octokit.rest.issues.createLabel({ ...at, name: "AFU9:done", color: "0e8a16" }),
  );
  expect(again).toMatchObject({ status: 422, message: expect.stringContaining("already_exists") });

  await octokit.rest.issues.lock({ ...at, issue_number });
  expect((await octokit.rest.issues.get({ ...at, issue_number })).data.locked).toBe(true);
  expect(
    (await statusOf(octokit.rest.issues.createComment({ ...at, issue_number, body: "x" }))).status,
  ).toBe(403);
  await octokit.rest.issues.update({
    ...at,
    issue_number,
    state: "closed",
    state_reason: "not_planned",
  });
  expect((await octokit.rest.issues.get({ ...at, issue_number })).data).toMatchObject({
    state: "closed",
    state_reason: "not_planned",
  });
  sim.addLabel("acme", "widgets", issue_number, "triaged", "dave");
  const events = await octokit.paginate(octokit.rest.issues.listEvents, { ...at, issue_number });
  expect(
    events.map((e) => [e.event, e.actor?.login, "label" in e ? e.label?.name : undefined]),
  ).toEqual([
    ["labeled", "alice", "bug"],
    ["labeled", "afu9-sandbox[bot]", "afu9"],
    ["unlabeled", "afu9-sandbox[bot]", "bug"],
    ["locked", "afu9-sandbox[bot]", undefined],
    ["closed", "afu9-sandbox[bot]", undefined],
    ["labeled", "dave", "triaged"],
  ]);
});

test("comments: paginated listing (Link header) and in-place update", async () => {
  const { sim, octokit } = f;
  const { number: issue_number } = sim.createIssue("acme", "widgets", {
    title: "Many",
    body: "",
    user: "alice",
  });
  for (let i = 0; i < 5; i += 1)
    sim.addComment("acme", "widgets", issue_number, { body: `c${i}`, user: "bob" });
  const page = await octokit.rest.issues.listComments({ ...at, issue_number, per_page: 2 });
  expect(page.data).toHaveLength(2);
  expect(page.headers.link).toContain('rel="next"');
  const all = await octokit.paginate(octokit.rest.issues.listComments, {
    ...at,
    issue_number,
    per_page: 2,
  });
  expect(all.map((c) => c.body)).toEqual(["c0", "c1", "c2", "c3", "c4"]);
  await octokit.rest.issues.updateComment({ ...at, comment_id: all[4].id, body: "edited" });
  expect(sim.listIssueComments("acme", "widgets", issue_number).map((c) => c.body)).toEqual([
    "c0",
    "c1",
    "c2",
    "c3",
    "edited",
  ]);
});

test("contents: file (base64 and raw), directory, ref, missing path", async () => {
  const { sim, octokit } = f;
  const { data: file } = await octokit.rest.repos.getContent({ ...at, path: "src/a.ts" });
  expect(Array.isArray(file) ? null : file.type).toBe("file");
  if (!Array.isArray(file) && file.type === "file") {
    expect(Buffer.from(file.content, "base64").toString()).toBe("export const a = 1;\n");
  }
  const raw = await octokit.rest.repos.getContent({
    ...at,
    path: "README.md",
    mediaType: { format: "raw" },
  });
  expect(raw.data as unknown as string).toBe("# widgets\n");
  const { data: dir } = await octokit.rest.repos.getContent({ ...at, path: "src" });
  expect(Array.isArray(dir) && dir.map((e) => [e.name, e.type])).toEqual([
    ["a.ts", "file"],
    ["lib", "dir"],
  ]);
  sim.pushCommit("acme", "widgets", "other", { "src/a.ts": "changed\n" });
  const { data: onBranch } = await octokit.rest.repos.getContent({
    ...at,
    path: "src/a.ts",
    ref: "other",
  });
  expect(
    !Array.isArray(onBranch) &&
      onBranch.type === "file" &&
      Buffer.from(onBranch.content, "base64").toString(),
  ).toBe("changed\n");
  expect((await statusOf(octokit.rest.repos.getContent({ ...at, path: "nope.txt" }))).status).toBe(
    404,
  );
});

test("collaborator permission: owner admin, set levels, public default read", async () => {
  const { sim, octokit } = f;
  sim.setPermission("acme", "widgets", "carol", "maintain");
  const level = async (username: string) =>
    (await octokit.rest.repos.getCollaboratorPermissionLevel({ ...at, username })).data;
  expect(await level("acme")).toMatchObject({ permission: "admin", role_name: "admin" });
  expect(await level("carol")).toMatchObject({ permission: "write", role_name: "maintain" });
  expect(await level("stranger")).toMatchObject({ permission: "read" });
});

test("compare BASE...HEAD: ahead/behind, files with line counts", async () => {
  const { sim, octokit } = f;
  sim.pushCommit("acme", "widgets", "cmp", {
    "src/a.ts": "export const a = 2;\n",
    "new.txt": "x\ny\n",
    "src/lib/b.ts": null,
  });
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
    ...at,
    basehead: "main...cmp",
  });
  expect(data).toMatchObject({ status: "ahead", ahead_by: 1, behind_by: 0, total_commits: 1 });
  expect(data.files?.map((x) => [x.filename, x.status, x.additions, x.deletions])).toEqual([
    ["new.txt", "added", 2, 0],
    ["src/a.ts", "modified", 1, 1],
    ["src/lib/b.ts", "removed", 0, 1],
  ]);
});

test("the demo seed: installation, repository on main with the demo files", async () => {
  const sim = await startGitHubSimulator();
  try {
    const seed = seedDemoRepository(sim);
    expect(seed).toMatchObject({ owner: "afu9-demo", repo: "demo-app", defaultBranch: "main" });
    expect(sim.getRef(seed.owner, seed.repo, "heads/main")).toBe(seed.headSha);
    expect(sim.readTree(seed.owner, seed.repo, seed.headSha)).toEqual(DEMO_FILES);
  } finally {
    await sim.close();
  }
});
