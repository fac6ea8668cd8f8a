// Repository rulesets as seen per branch: GET .../rules/branches/{branch} lists the active rules
// (required_status_checks, pull_request) of the ruleset that targets the branch; [] when none.
import { paginate, repoOf, type RouteTable } from "../http/route-types";
import type { BranchRulesState, RepoState } from "../state/store";

export function renderBranchRules(repo: RepoState, rules: BranchRulesState | undefined) {
  if (!rules) return [];
  const source = {
    ruleset_source_type: "Repository",
    ruleset_source: `${repo.owner}/${repo.name}`,
    ruleset_id: rules.rulesetId,
  };
  const result: Array<Record<string, unknown>> = [];
  if (rules.requiredApprovals !== undefined) {
    result.push({
      type: "pull_request",
      parameters: {
        dismiss_stale_reviews_on_push: false,
        require_code_owner_review: false,
        require_last_push_approval: false,
        required_approving_review_count: rules.requiredApprovals,
        required_review_thread_resolution: false,
        allowed_merge_methods: ["merge", "squash", "rebase"],
      },
      ...source,
    });
  }
  if (rules.requiredChecks.length) {
    result.push({
      type: "required_status_checks",
      parameters: {
        strict_required_status_checks_policy: false,
        do_not_enforce_on_create: false,
        required_status_checks: rules.requiredChecks.map((context) => ({ context })),
      },
      ...source,
    });
  }
  return result;
}

export const ruleRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/rules/branches/{branch}": (request) => {
    const repo = repoOf(request);
    const rules = renderBranchRules(repo, repo.rulesets.get(request.params.branch));
    const page = paginate(request, rules);
    return { status: 200, body: page.items, headers: page.headers };
  },
};
