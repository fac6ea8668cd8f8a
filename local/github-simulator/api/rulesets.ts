// Repository rulesets for a branch: required status checks and required approving reviews.
import type { SimContext } from "../context";
import type { GitHubSimulator } from "../simulator-types";
import { nextId, type BranchRulesState, type RepoState } from "../state/store";
import { findRepo } from "./lookup";

type RulesetApi = Pick<GitHubSimulator, "setRulesetRequiredChecks" | "setRulesetRequiredApprovals">;

function rulesFor(ctx: SimContext, repo: RepoState, branch: string): BranchRulesState {
  let rules = repo.rulesets.get(branch);
  if (!rules) {
    rules = { rulesetId: nextId(ctx.store), requiredChecks: [] };
    repo.rulesets.set(branch, rules);
  }
  return rules;
}

/** A ruleset without rules is not active: the branch answers [] again. */
function dropIfEmpty(repo: RepoState, branch: string): void {
  const rules = repo.rulesets.get(branch);
  if (rules && !rules.requiredChecks.length && rules.requiredApprovals === undefined) {
    repo.rulesets.delete(branch);
  }
}

export function createRulesetApi(ctx: SimContext): RulesetApi {
  return {
    setRulesetRequiredChecks(owner, name, branch, contexts) {
      const repo = findRepo(ctx, owner, name);
      rulesFor(ctx, repo, branch).requiredChecks = [...contexts];
      dropIfEmpty(repo, branch);
    },

    setRulesetRequiredApprovals(owner, name, branch, count) {
      if (count !== null && (!Number.isInteger(count) || count < 0 || count > 10)) {
        throw new Error(
          `simulator setRulesetRequiredApprovals: count must be an integer 0..10 or null, got ${count}`,
        );
      }
      const repo = findRepo(ctx, owner, name);
      rulesFor(ctx, repo, branch).requiredApprovals = count ?? undefined;
      dropIfEmpty(repo, branch);
    },
  };
}
