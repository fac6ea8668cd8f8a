// The simulator's one GraphQL mutation: a draft pull request marked ready for review (the only
// way GitHub offers; REST cannot), authenticated like REST, anything else a GraphQL error.
import { markReadyForReview } from "../../../handlers/github/ready-for-review";
import { useFixture } from "./helpers";

const fixture = useFixture("each");

async function openDraft() {
  const f = fixture();
  f.sim.pushCommit(f.owner, f.repo, "afu9/issue-1", { "b.txt": "b\n" });
  const { data } = await f.octokit.rest.pulls.create({
    owner: f.owner,
    repo: f.repo,
    title: "draft",
    head: "afu9/issue-1",
    base: "main",
    draft: true,
  });
  return data;
}

test("markPullRequestReadyForReview turns a draft into a ready PR, which then merges", async () => {
  const f = fixture();
  const draft = await openDraft();
  expect(draft.draft).toBe(true);
  const target = { owner: f.owner, repo: f.repo, pull_number: draft.number };
  await expect(f.octokit.rest.pulls.merge(target)).rejects.toMatchObject({ status: 405 });
  await markReadyForReview(f.octokit, draft.node_id);
  expect((await f.octokit.rest.pulls.get(target)).data.draft).toBe(false);
  expect((await f.octokit.rest.pulls.merge(target)).data.merged).toBe(true);
  expect(f.sim.requests.map((r) => r.route)).toContain("POST /graphql");
});

test("an unknown node, another document, or no token: errors as GitHub gives them", async () => {
  const f = fixture();
  await expect(markReadyForReview(f.octokit, "UFJfbm9uZQ==")).rejects.toThrow(
    /Could not resolve to a node with the global id of 'UFJfbm9uZQ=='/,
  );
  await expect(f.octokit.graphql("query { viewer { login } }")).rejects.toThrow(
    /implements only mutation markPullRequestReadyForReview/,
  );
  const anonymous = await fetch(`${f.sim.url}/graphql`, {
    method: "POST",
    body: JSON.stringify({ query: "mutation { x }" }),
  });
  expect(anonymous.status).toBe(401);
});
