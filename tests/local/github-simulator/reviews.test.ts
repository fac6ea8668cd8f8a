// Pull request reviews: the App's reviews over REST, people's reviews through submitReview, the
// listing GitHub gives, and the pull_request_review webhook in the shape of the real examples.
import { useFixture, statusOf, openPull, exampleKeys } from "./helpers";

const fixture = useFixture("each");
const at = { owner: "acme", repo: "widgets" };

test("people's reviews are recorded at the head and listed in submission order", async () => {
  const { sim, octokit } = fixture();
  sim.setPermission("acme", "widgets", "maria", "write");
  const pr = await openPull(fixture(), "rev", { "src/b.ts": "export const b = 2;\n" });
  const first = sim.submitReview("acme", "widgets", pr.number, {
    user: "maria",
    state: "CHANGES_REQUESTED",
    body: "please rename b",
  });
  const second = sim.pushCommit("acme", "widgets", "rev", {
    "src/b.ts": "export const bee = 2;\n",
  });
  const approval = sim.submitReview("acme", "widgets", pr.number, {
    user: "maria",
    state: "APPROVED",
  });
  const { id: comment } = sim.submitReview("acme", "widgets", pr.number, {
    user: "acme",
    state: "COMMENTED",
    body: "/afu9 retry",
  });

  const { data: reviews } = await octokit.rest.pulls.listReviews({ ...at, pull_number: pr.number });
  expect(
    reviews.map((r) => [r.id, r.state, r.user?.login, r.commit_id, r.author_association]),
  ).toEqual([
    [first.id, "CHANGES_REQUESTED", "maria", pr.head, "COLLABORATOR"],
    [approval.id, "APPROVED", "maria", second, "COLLABORATOR"],
    [comment, "COMMENTED", "acme", second, "OWNER"],
  ]);
  expect(reviews[0]).toMatchObject({
    body: "please rename b",
    submitted_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    html_url: expect.stringContaining(`/pull/${pr.number}#pullrequestreview-${first.id}`),
  });
  expect(reviews[1].body).toBe("");
  expect(sim.listReviews("acme", "widgets", pr.number).map((r) => r.state)).toEqual([
    "CHANGES_REQUESTED",
    "APPROVED",
    "COMMENTED",
  ]);
  expect((await statusOf(octokit.rest.pulls.listReviews({ ...at, pull_number: 99 }))).status).toBe(
    404,
  );
  expect(() =>
    sim.submitReview("acme", "widgets", 99, { user: "maria", state: "APPROVED" }),
  ).toThrow("no pull request #99");
});

test("submitReview emits pull_request_review.submitted shaped like GitHub's", async () => {
  const { sim } = fixture();
  const pr = await openPull(fixture(), "hook", { "src/b.ts": "export const b = 2;\n" });
  const { id } = sim.submitReview("acme", "widgets", pr.number, {
    user: "maria",
    state: "APPROVED",
    body: "ship it",
  });
  const event = sim.events.find((e) => e.event === "pull_request_review");
  expect(event).toMatchObject({ action: "submitted" });
  const payload = event!.payload as {
    review: Record<string, unknown>;
    pull_request: Record<string, unknown>;
    sender: { login: string };
    installation: { id: number };
  };
  expect(Object.keys(payload)).toEqual(
    expect.arrayContaining(exampleKeys("pull_request_review", "submitted")),
  );
  expect(Object.keys(payload.review)).toEqual(
    expect.arrayContaining(exampleKeys("pull_request_review", "submitted", "review")),
  );
  expect(Object.keys(payload.pull_request)).toEqual(
    expect.arrayContaining(exampleKeys("pull_request_review", "submitted", "pull_request")),
  );
  // Webhooks carry the review state in lower case (REST: APPROVED).
  expect(payload.review).toMatchObject({
    id,
    state: "approved",
    body: "ship it",
    commit_id: pr.head,
  });
  expect(payload.pull_request).toMatchObject({ number: pr.number, head: { sha: pr.head } });
  expect(payload.sender.login).toBe("maria");
  expect(payload.installation.id).toBe(fixture().installationId);
});

test("the App reviews over REST; GitHub's refusals for its own PR and for a missing body", async () => {
  const { sim, octokit } = fixture();
  const pr = await openPull(fixture(), "app", { "src/b.ts": "export const b = 2;\n" });
  const refusedApprove = await statusOf(
    octokit.rest.pulls.createReview({ ...at, pull_number: pr.number, event: "APPROVE" }),
  );
  expect(refusedApprove).toMatchObject({
    status: 422,
    message: expect.stringContaining("approve your own"),
  });
  expect(
    (
      await statusOf(
        octokit.rest.pulls.createReview({
          ...at,
          pull_number: pr.number,
          event: "REQUEST_CHANGES",
          body: "x",
        }),
      )
    ).status,
  ).toBe(422);
  expect(
    (
      await statusOf(
        octokit.rest.pulls.createReview({ ...at, pull_number: pr.number, event: "COMMENT" }),
      )
    ).message,
  ).toContain("body is required");
  const bad = await statusOf(
    octokit.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
      ...at,
      pull_number: pr.number,
      event: "LGTM" as "APPROVE",
    }),
  );
  expect(bad).toMatchObject({ status: 422, message: expect.stringContaining("LGTM") });

  const { data: review } = await octokit.rest.pulls.createReview({
    ...at,
    pull_number: pr.number,
    event: "COMMENT",
    body: "Seen: /afu9 revise",
  });
  expect(review).toMatchObject({
    state: "COMMENTED",
    user: { login: "afu9-sandbox[bot]", type: "Bot" },
    commit_id: pr.head,
  });
  const sent = sim.events.filter((e) => e.event === "pull_request_review");
  expect(sent.map((e) => (e.payload.sender as { login: string }).login)).toEqual([
    "afu9-sandbox[bot]",
  ]);

  // Without an event the review stays pending: listed to its author, not submitted, no webhook.
  const { data: pending } = await octokit.rest.pulls.createReview({
    ...at,
    pull_number: pr.number,
    body: "draft",
  });
  expect(pending.state).toBe("PENDING");
  expect(pending.submitted_at).toBeUndefined();
  expect(sim.events.filter((e) => e.event === "pull_request_review")).toHaveLength(1);
});
