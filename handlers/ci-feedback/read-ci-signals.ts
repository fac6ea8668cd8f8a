// Reads what GitHub knows about CI for one commit: every check run (all pages), every commit
// status (all pages of the combined status, which already holds the latest per context), and the
// checks the base branch requires (classic branch protection and rulesets).
import type { Octokit } from "@octokit/rest";
import { httpStatus } from "../pr-creator/run-context";
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
 * Checks the base branch requires before a merge. A missing required check must keep the verdict
 * pending, so both sources count: classic protection (visible in the branch) and rulesets.
 */
export async function readRequiredChecks(
  octokit: Octokit,
  target: Target,
  branch: string,
): Promise<string[]> {
  const required = new Set<string>();
  try {
    const { data } = await octokit.rest.repos.getBranch({ ...target, branch });
    const checks = data.protection?.required_status_checks;
    for (const context of checks?.contexts ?? []) required.add(context);
    for (const check of checks?.checks ?? []) required.add(check.context);
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
  try {
    const rules = await octokit.paginate(octokit.rest.repos.getBranchRules, {
      ...target,
      branch,
      per_page: PER_PAGE,
    });
    for (const rule of rules) {
      if (rule.type !== "required_status_checks") continue;
      const parameters = (
        rule as { parameters?: { required_status_checks?: Array<{ context: string }> } }
      ).parameters;
      for (const check of parameters?.required_status_checks ?? []) required.add(check.context);
    }
  } catch (error) {
    // No rulesets endpoint (older GitHub Enterprise Server) or no rules: classic protection only.
    if (httpStatus(error) !== 404) throw error;
  }
  return [...required].sort();
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
