// Commit statuses and check runs for a SHA: latest-per-context, combined state, required checks.
import type { CheckRunState, RepoState, StatusState } from "./store";

/** Newest status per context (GitHub's combined status considers only those). */
export function latestStatuses(repo: RepoState, sha: string): StatusState[] {
  const byContext = new Map<string, StatusState>();
  for (const status of repo.statuses) {
    if (status.sha === sha) byContext.set(status.context, status);
  }
  return [...byContext.values()].reverse();
}

export function combinedState(statuses: StatusState[]): "failure" | "pending" | "success" {
  if (statuses.some((s) => s.state === "failure" || s.state === "error")) return "failure";
  if (statuses.length === 0 || statuses.some((s) => s.state === "pending")) return "pending";
  return "success";
}

/** Latest check run per name for the SHA (GitHub's `filter=latest`). */
export function latestCheckRuns(repo: RepoState, sha: string): CheckRunState[] {
  const byName = new Map<string, CheckRunState>();
  for (const run of repo.checkRuns.values()) {
    if (run.headSha !== sha) continue;
    const previous = byName.get(run.name);
    if (!previous || previous.id < run.id) byName.set(run.name, run);
  }
  return [...byName.values()];
}

const PASSING = new Set(["success", "neutral", "skipped"]);

/** Branch protection's required contexts not (yet) satisfied on `sha`. */
export function unsatisfiedRequiredChecks(repo: RepoState, branch: string, sha: string): string[] {
  return unsatisfiedContexts(repo, repo.requiredChecks.get(branch) ?? [], sha);
}

/** Contexts not (yet) satisfied by a passing status or check run on `sha`. */
export function unsatisfiedContexts(repo: RepoState, required: string[], sha: string): string[] {
  const statuses = latestStatuses(repo, sha);
  const runs = latestCheckRuns(repo, sha);
  return required.filter((context) => {
    const status = statuses.find((s) => s.context === context);
    if (status?.state === "success") return false;
    const run = runs.find((r) => r.name === context);
    return !(run?.status === "completed" && PASSING.has(run.conclusion ?? ""));
  });
}
