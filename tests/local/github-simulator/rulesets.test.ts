// Repository rulesets: GET .../rules/branches/{branch} answers the active rules, and the merge
// refuses (405, naming what is missing) until ruleset-required checks pass and approvals exist.
import { useFixture, statusOf, openPull } from "./helpers";

const fixture = useFixture("each");
const at = { owner: "acme", repo: "widgets" };

test("rules for a branch: [] without a ruleset, then its required checks and review rule", async () => {
  const { sim, octokit } = fixture();
  expect((await octokit.rest.repos.getBranchRules({ ...at, branch: "main" })).data).toEqual([]);
  sim.setRulesetRequiredChecks("acme", "widgets", "main", ["build", "e2e"]);
  sim.setRulesetRequiredApprovals("acme", "widgets", "main", 1);
  const { data: rules } = await octokit.rest.repos.getBranchRules({ ...at, branch: "main" });
  const checks = rules.find((rule) => rule.type === "required_status_checks") as {
    parameters: { required_status_checks: Array<{ context: string }> };
    ruleset_source_type: string;
  };
  expect(checks.parameters.required_status_checks.map((c) => c.context)).toEqual(["build", "e2e"]);
  expect(checks.ruleset_source_type).toBe("Repository");
  const review = rules.find((rule) => rule.type === "pull_request") as {
    parameters: { required_approving_review_count: number };
  };
  expect(review.parameters.required_approving_review_count).toBe(1);
  // Other branches are not targeted; branch protection stays unset (rulesets are separate).
  expect((await octokit.rest.repos.getBranchRules({ ...at, branch: "dev" })).data).toEqual([]);
  expect(
    (await statusOf(octokit.rest.repos.getStatusChecksProtection({ ...at, branch: "main" })))
      .status,
  ).toBe(404);
  sim.setRulesetRequiredChecks("acme", "widgets", "main", []);
  sim.setRulesetRequiredApprovals("acme", "widgets", "main", null);
  expect((await octokit.rest.repos.getBranchRules({ ...at, branch: "main" })).data).toEqual([]);
  expect(() => sim.setRulesetRequiredApprovals("acme", "widgets", "main", 11)).toThrow("0..10");
});

test("a ruleset-required check that is not success blocks the merge with a 405 naming it", async () => {
  const { sim, octokit } = fixture();
  sim.setRulesetRequiredChecks("acme", "widgets", "main", ["build", "e2e"]);
  const pr = await openPull(fixture(), "gated", { "gated.txt": "x\n" });
  sim.setCheckRun("acme", "widgets", pr.head, {
    name: "build",
    status: "completed",
    conclusion: "success",
  });
  sim.setCheckRun("acme", "widgets", pr.head, {
    name: "e2e",
    status: "completed",
    conclusion: "failure",
  });
  expect(
    (await octokit.rest.pulls.get({ ...at, pull_number: pr.number })).data.mergeable_state,
  ).toBe("blocked");
  const refused = await statusOf(
    octokit.rest.pulls.merge({ ...at, pull_number: pr.number, sha: pr.head }),
  );
  expect(refused.status).toBe(405);
  expect(refused.message).toContain("Repository rule violations found");
  expect(refused.message).toContain('Required status check "e2e" is expected.');
  expect(refused.message).not.toContain('"build"');
  expect(sim.listPulls("acme", "widgets")[0].merged).toBe(false);

  sim.setStatus("acme", "widgets", pr.head, { context: "e2e", state: "success" });
  const { data } = await octokit.rest.pulls.merge({ ...at, pull_number: pr.number, sha: pr.head });
  expect(data.merged).toBe(true);
});

test("required approvals: only writers count, changes requested blocks until they approve", async () => {
  const { sim, octokit } = fixture();
  sim.setRulesetRequiredApprovals("acme", "widgets", "main", 1);
  sim.setPermission("acme", "widgets", "maria", "write");
  const pr = await openPull(fixture(), "reviewed", { "reviewed.txt": "x\n" });
  const merge = () =>
    statusOf(octokit.rest.pulls.merge({ ...at, pull_number: pr.number, sha: pr.head }));

  const none = await merge();
  expect(none).toMatchObject({
    status: 405,
    message: expect.stringContaining(
      "At least 1 approving review is required by reviewers with write access.",
    ),
  });
  sim.submitReview("acme", "widgets", pr.number, { user: "stranger", state: "APPROVED" });
  expect((await merge()).status).toBe(405);

  sim.submitReview("acme", "widgets", pr.number, {
    user: "maria",
    state: "CHANGES_REQUESTED",
    body: "no",
  });
  sim.submitReview("acme", "widgets", pr.number, { user: "acme", state: "APPROVED" });
  const changes = await merge();
  expect(changes).toMatchObject({
    status: 405,
    message: expect.stringContaining("Changes requested"),
  });
  // A comment does not lift "changes requested"; the reviewer's approval does.
  sim.submitReview("acme", "widgets", pr.number, { user: "maria", state: "COMMENTED", body: "hm" });
  expect((await merge()).status).toBe(405);
  sim.submitReview("acme", "widgets", pr.number, { user: "maria", state: "APPROVED" });
  expect(
    (await octokit.rest.pulls.get({ ...at, pull_number: pr.number })).data.mergeable_state,
  ).toBe("clean");
  const { data } = await octokit.rest.pulls.merge({ ...at, pull_number: pr.number, sha: pr.head });
  expect(data.merged).toBe(true);
});

test("branch protection's required checks still gate the merge alongside a ruleset", async () => {
  const { sim, octokit } = fixture();
  sim.setRequiredChecks("acme", "widgets", "main", ["lint"]);
  sim.setRulesetRequiredChecks("acme", "widgets", "main", ["build"]);
  const pr = await openPull(fixture(), "both", { "both.txt": "x\n" });
  sim.setStatus("acme", "widgets", pr.head, { context: "build", state: "success" });
  const refused = await statusOf(octokit.rest.pulls.merge({ ...at, pull_number: pr.number }));
  expect(refused).toMatchObject({
    status: 405,
    message: expect.stringContaining('"lint" is expected'),
  });
  sim.setStatus("acme", "widgets", pr.head, { context: "lint", state: "success" });
  expect((await octokit.rest.pulls.merge({ ...at, pull_number: pr.number })).data.merged).toBe(
    true,
  );
});
