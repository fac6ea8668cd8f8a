// Reads what GitHub knows about CI for one commit: every check run (all pages), every commit
// status (all pages of the combined status, which already holds the latest per context), and the
// checks the base branch requires (classic branch protection and rulesets).
import type { Octokit } from "@octokit/rest";
import { httpStatus } from "../github/errors";
import type { CheckRunSignal, CiSignals, StatusSignal } from "./ci-status";

const PER_PAGE = 100;
/** A commit with more statuses than this is not something AFU-9 produces; stop paging there. */
const MAX_STATUS_PAGES = 10;

interface Target {
  owner: string;
  repo: string;
}

export async function readCheckRuns(
  octokit: Octokit,
  target: Target,
  sha: string,
): Promise<CheckRunSignal[]> {
  // filter "all": every run, so the latest per name is our decision, not a server default.
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    ...target,
    ref: sha,
    filter: "all",
    per_page: PER_PAGE,
  });
  return runs.map((run) => ({
    id: run.id,
    name: run.name,
    status: run.status,
    conclusion: run.conclusion ?? null,
    title: run.output?.title ?? null,
    summary: run.output?.summary ?? null,
    url: run.details_url || run.html_url || null,
  }));
}

export async function readStatuses(
  octokit: Octokit,
  target: Target,
  sha: string,
): Promise<StatusSignal[]> {
  const statuses: StatusSignal[] = [];
  // The combined status is an object, not a list, so Octokit's paginate does not apply.
  for (let page = 1; page <= MAX_STATUS_PAGES; page += 1) {
    const { data } = await octokit.rest.repos.getCombinedStatusForRef({
      ...target,
      ref: sha,
      per_page: PER_PAGE,
      page,
    });
    for (const status of data.statuses) {
      statuses.push({
        context: status.context,
        state: status.state,
        description: status.description ?? null,
        url: status.target_url ?? null,
      });
    }
    if (data.statuses.length < PER_PAGE || statuses.length >= data.total_count) break;
  }
  return statuses;
}

/**
 * Checks classic branch protection requires before a merge. The protection endpoint answers 404
 * for an unprotected branch; an App without the Administration permission gets 403 and falls back
 * to the branch object, which shows the same required checks to readers.
 */
export async function readProtectionRequiredChecks(
  octokit: Octokit,
  target: Target,
  branch: string,
): Promise<string[]> {
  const required = new Set<string>();
  const add = (checks?: { contexts?: string[]; checks?: Array<{ context: string }> } | null) => {
    for (const context of checks?.contexts ?? []) required.add(context);
    for (const check of checks?.checks ?? []) required.add(check.context);
  };
  try {
    const { data } = await octokit.rest.repos.getStatusChecksProtection({ ...target, branch });
    add(data);
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403) {
      const { data } = await octokit.rest.repos.getBranch({ ...target, branch });
      add(data.protection?.required_status_checks);
    } else if (status !== 404) {
      throw error;
    }
  }
  return [...required];
}

/**
 * Checks the repository's rulesets require on the branch: every active `required_status_checks`
 * rule (repository and organization rulesets alike; "evaluate" and "disabled" ones are not
 * returned by GitHub). The endpoint needs only Metadata (read); a 404 (rules not available to
 * the repository) or 403 means no ruleset check is known, and GitHub's merge gate still refuses
 * a merge that misses one, which AutoMerge reports as not mergeable.
 */
export async function readRulesetRequiredChecks(
  octokit: Octokit,
  target: Target,
  branch: string,
): Promise<string[]> {
  let rules: Array<{ type: string; parameters?: unknown }>;
  try {
    rules = await octokit.paginate(octokit.rest.repos.getBranchRules, {
      ...target,
      branch,
      per_page: PER_PAGE,
    });
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404 || status === 403) return [];
    throw error;
  }
  const required: string[] = [];
  for (const rule of rules) {
    if (rule.type !== "required_status_checks") continue;
    const parameters = rule.parameters as
      { required_status_checks?: Array<{ context?: unknown }> } | undefined;
    for (const check of parameters?.required_status_checks ?? []) {
      if (typeof check.context === "string") required.push(check.context);
    }
  }
  return required;
}

/** Required checks of the base branch: classic branch protection's and the rulesets', unioned. */
export async function readRequiredChecks(
  octokit: Octokit,
  target: Target,
  branch: string,
): Promise<string[]> {
  const [protection, rulesets] = await Promise.all([
    readProtectionRequiredChecks(octokit, target, branch),
    readRulesetRequiredChecks(octokit, target, branch),
  ]);
  return [...new Set([...protection, ...rulesets])].sort();
}

export async function readCiSignals(
  octokit: Octokit,
  target: Target,
  sha: string,
  baseBranch: string,
): Promise<CiSignals> {
  const [checkRuns, statuses, requiredChecks] = await Promise.all([
    readCheckRuns(octokit, target, sha),
    readStatuses(octokit, target, sha),
    readRequiredChecks(octokit, target, baseBranch),
  ]);
  return { checkRuns, statuses, requiredChecks };
}
