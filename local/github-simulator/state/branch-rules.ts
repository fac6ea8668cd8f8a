// What a repository ruleset demands of a pull request before it merges: its required status
// checks on the head, and its pull_request rule's approving reviews by people with write access
// (a "changes requested" from such a person blocks until they approve).
import { unsatisfiedContexts } from "./ci-state";
import { canWrite, permissionOf } from "./permissions";
import type { PullState, RepoState, ReviewState } from "./store";

/** Each person's latest review that decides (approve, request changes, dismissed). */
export function decisiveReviews(repo: RepoState, pullNumber: number): ReviewState[] {
  const latest = new Map<string, ReviewState>();
  for (const review of repo.reviews.values()) {
    if (review.pullNumber !== pullNumber) continue;
    if (review.state === "COMMENTED" || review.state === "PENDING") continue;
    latest.set(review.user.toLowerCase(), review);
  }
  return [...latest.values()];
}

/** The ruleset violations (GitHub's merge message lines); empty when the rules are met. */
export function rulesetViolations(repo: RepoState, pull: PullState, headSha: string): string[] {
  const rules = repo.rulesets.get(pull.base);
  if (!rules) return [];
  const violations = unsatisfiedContexts(repo, rules.requiredChecks, headSha).map(
    (context) => `Required status check "${context}" is expected.`,
  );
  const needed = rules.requiredApprovals ?? 0;
  if (needed > 0) {
    const writers = decisiveReviews(repo, pull.number).filter((review) =>
      canWrite(permissionOf(repo, review.user)),
    );
    const approvals = writers.filter((review) => review.state === "APPROVED").length;
    if (writers.some((review) => review.state === "CHANGES_REQUESTED")) {
      violations.push("Changes requested by a reviewer with write access must be resolved.");
    }
    if (approvals < needed) {
      violations.push(
        `At least ${needed} approving review${needed === 1 ? " is" : "s are"} required by reviewers with write access.`,
      );
    }
  }
  return violations;
}
