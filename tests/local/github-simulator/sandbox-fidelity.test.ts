// Item 11: merging a pull request whose body says "Closes #n" into the default branch closes
// issue n and sends issues.closed, as GitHub does; scripted CI can be programmed per branch, so
// one issue's CI outcome does not leak into the next one's.
import { startFixture, type SimFixture } from "./helpers";

let f: SimFixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.sim.close());
const at = { owner: "acme", repo: "widgets" };

test("a merged PR saying 'Closes #n' closes issue n and sends issues.closed", async () => {
  const { sim, octokit } = f;
  const issue = sim.createIssue("acme", "widgets", { title: "t", body: "b", user: "alice" });
  const other = sim.createIssue("acme", "widgets", { title: "u", body: "b", user: "alice" });
  sim.pushCommit("acme", "widgets", "fix-1", { "fix.txt": "fixed\n" });
  const { data: pull } = await octokit.rest.pulls.create({
    ...at,
    title: "Fix",
    head: "fix-1",
    base: "main",
    body: `Generated change.\n\nCloses #${issue.number}`,
  });
  await octokit.rest.pulls.merge({ ...at, pull_number: pull.number });
  await sim.waitForWebhooks();

  expect(sim.getIssue("acme", "widgets", issue.number)).toMatchObject({
    state: "closed",
    state_reason: "completed",
  });
  expect(sim.getIssue("acme", "widgets", other.number).state).toBe("open");
  const closed = sim.events.filter((e) => e.event === "issues" && e.action === "closed");
  expect(closed.map((e) => (e.payload.issue as { number: number }).number)).toEqual([issue.number]);
});

test("scripted CI per branch: each branch gets its own outcome, others the repository's", async () => {
  const { sim } = f;
  sim.programCi("acme", "widgets", { checks: ["test"], outcome: "success", delayMs: 1 });
  sim.programCi(
    "acme",
    "widgets",
    { checks: ["test"], outcome: "failure", delayMs: 1 },
    { branch: "afu9/issue-7" },
  );
  const failing = sim.pushCommit("acme", "widgets", "afu9/issue-7", { "a.txt": "a\n" });
  const passing = sim.pushCommit("acme", "widgets", "afu9/issue-8", { "b.txt": "b\n" });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const conclusion = async (sha: string) =>
    (await f.octokit.rest.checks.listForRef({ ...at, ref: sha })).data.check_runs[0]?.conclusion;
  expect(await conclusion(failing)).toBe("failure");
  expect(await conclusion(passing)).toBe("success");
});
