// Reactions on issue comments and review comments: 201 new, 200 repeated, 404 unknown comment,
// 422 for content GitHub does not know; listed over REST and in the comment's rollup.
import { useFixture, statusOf } from "./helpers";

const fixture = useFixture("all");
const at = { owner: "acme", repo: "widgets" };

test("issue comment reactions: create, repeat, list, rollup, refusals", async () => {
  const { sim, octokit } = fixture();
  const issue = sim.createIssue("acme", "widgets", { title: "t", body: "b", user: "alice" });
  const { id } = sim.addComment("acme", "widgets", issue.number, {
    body: "/afu9 help",
    user: "maria",
  });

  const first = await octokit.rest.reactions.createForIssueComment({
    ...at,
    comment_id: id,
    content: "eyes",
  });
  expect(first.status).toBe(201);
  expect(first.data).toMatchObject({ content: "eyes", user: { login: "afu9-sandbox[bot]" } });
  const again = await octokit.rest.reactions.createForIssueComment({
    ...at,
    comment_id: id,
    content: "eyes",
  });
  expect(again.status).toBe(200);
  expect(again.data.id).toBe(first.data.id);
  await octokit.rest.reactions.createForIssueComment({ ...at, comment_id: id, content: "+1" });

  const { data: listed } = await octokit.rest.reactions.listForIssueComment({
    ...at,
    comment_id: id,
  });
  expect(listed.map((r) => r.content)).toEqual(["eyes", "+1"]);
  const { data: eyes } = await octokit.rest.reactions.listForIssueComment({
    ...at,
    comment_id: id,
    content: "eyes",
  });
  expect(eyes).toHaveLength(1);
  expect(sim.listReactions("acme", "widgets", { kind: "issue_comment", id })).toEqual([
    { id: first.data.id, content: "eyes", user: "afu9-sandbox[bot]" },
    { id: expect.any(Number), content: "+1", user: "afu9-sandbox[bot]" },
  ]);
  const { data: comment } = await octokit.rest.issues.getComment({ ...at, comment_id: id });
  expect(comment.reactions).toMatchObject({ total_count: 2, eyes: 1, "+1": 1, heart: 0 });

  const unknown = await statusOf(
    octokit.rest.reactions.createForIssueComment({ ...at, comment_id: 987654, content: "eyes" }),
  );
  expect(unknown.status).toBe(404);
  const banana = await statusOf(
    octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
      ...at,
      comment_id: id,
      content: "banana" as "eyes",
    }),
  );
  expect(banana).toMatchObject({ status: 422, message: expect.stringContaining("banana") });
  expect(sim.listReactions("acme", "widgets", { kind: "issue_comment", id })).toHaveLength(2);
  expect(() => sim.listReactions("acme", "widgets", { kind: "review_comment", id })).toThrow(
    `no review_comment ${id}`,
  );
});

test("review comment reactions are kept apart from issue comment reactions", async () => {
  const { sim, octokit } = fixture();
  sim.pushCommit("acme", "widgets", "react", { "r.txt": "r\n" });
  const { data: pr } = await octokit.rest.pulls.create({
    ...at,
    title: "r",
    head: "react",
    base: "main",
  });
  const { id } = sim.addReviewComment("acme", "widgets", pr.number, {
    user: "maria",
    body: "/afu9 stop",
    path: "r.txt",
    line: 1,
  });
  const created = await octokit.rest.reactions.createForPullRequestReviewComment({
    ...at,
    comment_id: id,
    content: "rocket",
  });
  expect(created.status).toBe(201);
  const { data: listed } = await octokit.rest.reactions.listForPullRequestReviewComment({
    ...at,
    comment_id: id,
  });
  expect(listed.map((r) => r.content)).toEqual(["rocket"]);
  expect(
    (await octokit.rest.pulls.getReviewComment({ ...at, comment_id: id })).data.reactions,
  ).toMatchObject({
    total_count: 1,
    rocket: 1,
  });
  // The same id is not an issue comment.
  expect(
    (
      await statusOf(
        octokit.rest.reactions.createForIssueComment({ ...at, comment_id: id, content: "eyes" }),
      )
    ).status,
  ).toBe(404);
  expect(sim.listReactions("acme", "widgets", { kind: "review_comment", id })).toEqual([
    { id: created.data.id, content: "rocket", user: "afu9-sandbox[bot]" },
  ]);
});
