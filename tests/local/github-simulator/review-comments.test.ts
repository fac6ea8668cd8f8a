// Comments on diff lines: a person's through addReviewComment (webhook like GitHub's), read over
// REST, and the App's reply in the thread.
import { useFixture, statusOf, exampleKeys } from "./helpers";

const fixture = useFixture("all");
const at = { owner: "acme", repo: "widgets" };

test("a line comment: webhook, REST list and get, the App's reply in the thread", async () => {
  const { sim, octokit } = fixture();
  const head = sim.pushCommit("acme", "widgets", "lines", {
    "src/a.ts": "export const a = 1;\nexport const b = 2;\n",
  });
  const { data: pr } = await octokit.rest.pulls.create({
    ...at,
    title: "l",
    head: "lines",
    base: "main",
  });
  const { id } = sim.addReviewComment("acme", "widgets", pr.number, {
    user: "maria",
    body: "/afu9 revise rename b to bee",
    path: "src/a.ts",
    line: 2,
  });

  const sent = sim.events.filter((e) => e.event.startsWith("pull_request_review"));
  expect(sent.map((e) => `${e.event}.${e.action}`)).toEqual([
    "pull_request_review_comment.created",
    "pull_request_review.submitted",
  ]);
  const payload = sent[0].payload as {
    comment: Record<string, unknown>;
    pull_request: Record<string, unknown>;
    sender: { login: string };
  };
  expect(Object.keys(payload)).toEqual(
    expect.arrayContaining(exampleKeys("pull_request_review_comment", "created")),
  );
  expect(Object.keys(payload.comment)).toEqual(
    expect.arrayContaining(exampleKeys("pull_request_review_comment", "created", "comment")),
  );
  expect(Object.keys(payload.pull_request)).toEqual(
    expect.arrayContaining(exampleKeys("pull_request_review_comment", "created", "pull_request")),
  );
  expect(payload.comment).toMatchObject({
    id,
    body: "/afu9 revise rename b to bee",
    path: "src/a.ts",
    line: 2,
    commit_id: head,
    user: { login: "maria" },
  });
  expect(payload.comment.diff_hunk).toContain("+export const b = 2;");
  expect(payload.pull_request).toMatchObject({ number: pr.number });
  expect(payload.sender.login).toBe("maria");
  // Its review: COMMENTED without a body (GitHub wraps a single comment in a review).
  const review = sent[1].payload.review as { id: number; state: string; body: string | null };
  expect(review).toMatchObject({ state: "commented", body: null });
  expect(payload.comment.pull_request_review_id).toBe(review.id);

  const { data: one } = await octokit.rest.pulls.getReviewComment({ ...at, comment_id: id });
  expect(one).toMatchObject({ id, line: 2, side: "RIGHT", pull_request_review_id: review.id });
  const { data: reply } = await octokit.rest.pulls.createReplyForReviewComment({
    ...at,
    pull_number: pr.number,
    comment_id: id,
    body: "On it.",
  });
  expect(reply).toMatchObject({
    in_reply_to_id: id,
    path: "src/a.ts",
    line: 2,
    user: { login: "afu9-sandbox[bot]" },
  });
  const { data: all } = await octokit.rest.pulls.listReviewComments({
    ...at,
    pull_number: pr.number,
  });
  expect(all.map((c) => [c.id, c.in_reply_to_id])).toEqual([
    [id, undefined],
    [reply.id, id],
  ]);
  expect(
    (await octokit.rest.pulls.get({ ...at, pull_number: pr.number })).data.review_comments,
  ).toBe(2);
  expect(
    sim.events
      .filter((e) => e.event === "pull_request_review_comment")
      .map((e) => (e.payload.sender as { login: string }).login),
  ).toEqual(["maria", "afu9-sandbox[bot]"]);

  expect(
    (await statusOf(octokit.rest.pulls.getReviewComment({ ...at, comment_id: 424242 }))).status,
  ).toBe(404);
  const wrongPull = await statusOf(
    octokit.rest.pulls.createReplyForReviewComment({
      ...at,
      pull_number: 999,
      comment_id: id,
      body: "x",
    }),
  );
  expect(wrongPull.status).toBe(404);
});

test("a line comment must name a changed file and a line inside it", async () => {
  const { sim, octokit } = fixture();
  sim.pushCommit("acme", "widgets", "narrow", { "n.txt": "one\n" });
  const { data: pr } = await octokit.rest.pulls.create({
    ...at,
    title: "n",
    head: "narrow",
    base: "main",
  });
  expect(() =>
    sim.addReviewComment("acme", "widgets", pr.number, {
      user: "maria",
      body: "x",
      path: "README.md",
    }),
  ).toThrow('"README.md" is not a file this pull request changes');
  expect(() =>
    sim.addReviewComment("acme", "widgets", pr.number, {
      user: "maria",
      body: "x",
      path: "n.txt",
      line: 5,
    }),
  ).toThrow("line 5 is outside n.txt (1 lines)");
  const { id } = sim.addReviewComment("acme", "widgets", pr.number, {
    user: "maria",
    body: "file",
    path: "n.txt",
  });
  const { data: fileComment } = await octokit.rest.pulls.getReviewComment({
    ...at,
    comment_id: id,
  });
  expect(fileComment.subject_type).toBe("file");
  expect(fileComment.line).toBeUndefined();
});
