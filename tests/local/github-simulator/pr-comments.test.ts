// A person's comment on a pull request's conversation is an issue comment: issue_comment.created
// whose issue carries `pull_request`, as GitHub sends it (how handlers tell PRs from issues).
import { useFixture } from "./helpers";

const fixture = useFixture("all");
const at = { owner: "acme", repo: "widgets" };

test("addComment on a PR number: issue_comment.created with issue.pull_request; readable by id", async () => {
  const { sim, octokit } = fixture();
  const issue = sim.createIssue("acme", "widgets", { title: "Bug", body: "b", user: "alice" });
  sim.pushCommit("acme", "widgets", "fix", { "f.txt": "f\n" });
  const { data: pr } = await octokit.rest.pulls.create({
    ...at,
    title: "Fix",
    head: "fix",
    base: "main",
  });

  const onPull = sim.addComment("acme", "widgets", pr.number, {
    body: "/afu9 merge",
    user: "maria",
  });
  const onIssue = sim.addComment("acme", "widgets", issue.number, { body: "hello", user: "maria" });
  const created = sim.events.filter((e) => e.event === "issue_comment" && e.action === "created");
  const [pullEvent, issueEvent] = created.map(
    (e) =>
      e.payload as {
        issue: { number: number; pull_request?: { url: string } };
        comment: { id: number; html_url: string };
        sender: { login: string };
      },
  );
  expect(pullEvent.issue.number).toBe(pr.number);
  expect(pullEvent.issue.pull_request?.url).toBe(
    `${sim.url}/repos/acme/widgets/pulls/${pr.number}`,
  );
  expect(pullEvent.comment).toMatchObject({
    id: onPull.id,
    html_url: expect.stringContaining(`/pull/${pr.number}#issuecomment-`),
  });
  expect(pullEvent.sender.login).toBe("maria");
  expect(issueEvent.issue.pull_request).toBeUndefined();
  expect(issueEvent.comment.id).toBe(onIssue.id);

  const { data: comment } = await octokit.rest.issues.getComment({ ...at, comment_id: onPull.id });
  expect(comment).toMatchObject({
    body: "/afu9 merge",
    user: { login: "maria" },
    issue_url: `${sim.url}/repos/acme/widgets/issues/${pr.number}`,
  });
});
