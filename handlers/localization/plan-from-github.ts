// The analysis comment's patch plan for a repository on GitHub: the tree at `ref` read in one
// tarball request, ranked against the issue. A repository over the read limits is ranked on what
// was read, with a note saying so; one that cannot be read at all gets a plan saying why instead
// of failing the analysis (the plan is advice, the labels and checks still matter).
import type { Octokit } from "@octokit/rest";
import type { SnapshotLimits } from "./bounds";
import { isFactoryError } from "../../contract/errors";
import { readRepositorySnapshot, type RepoAtRef } from "./github-tarball";
import { formatPatchPlan } from "./patch-plan";
import { type IssueText, localize } from "./rank";

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** Rate limits (429, or a 403 GitHub marks as one) and the factory's own errors are not ours to hide. */
function mustPropagate(error: unknown): boolean {
  if (isFactoryError(error)) return true;
  const status = statusOf(error);
  if (status === 429) return true;
  if (status !== 403) return false;
  const e = error as { message?: unknown; response?: { headers?: Record<string, unknown> } };
  return (
    String(e.response?.headers?.["x-ratelimit-remaining"]) === "0" ||
    /rate limit/i.test(String(e.message ?? ""))
  );
}

export async function patchPlanFromGitHub(
  octokit: Octokit,
  at: RepoAtRef,
  issue: IssueText,
  limits?: SnapshotLimits,
): Promise<string> {
  let snapshot;
  try {
    snapshot = await readRepositorySnapshot(octokit, at, limits);
  } catch (error) {
    // Rate limits go to the state machine's retry (the Lambda entry maps them); anything else (a
    // vanished ref, a corrupt archive, a 5xx after the client's retries) leaves the plan
    // without a ranking.
    if (mustPropagate(error)) throw error;
    const status = statusOf(error);
    const reason = status ? `GitHub answered ${status}` : (error as Error).message;
    return formatPatchPlan({
      files: [],
      tests: [],
      indexedFiles: 0,
      notes: [`The repository at ${at.ref} could not be read (${reason}), so no file was ranked.`],
    });
  }
  return formatPatchPlan(localize(issue, snapshot));
}
