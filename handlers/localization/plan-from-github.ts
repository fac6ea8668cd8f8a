// The analysis comment's patch plan for a repository on GitHub: the tree at `ref` read in one
// tarball request, ranked against the issue. A repository over the read limits is ranked on what
// was read, with a note saying so; one that cannot be read at all gets a plan saying why instead
// of failing the analysis (the plan is advice, the labels and checks still matter).
import type { Octokit } from "@octokit/rest";
import type { SnapshotLimits } from "./bounds";
import { readRepositorySnapshot, type RepoAtRef } from "./github-tarball";
import { formatPatchPlan } from "./patch-plan";
import { type IssueText, localize } from "./rank";

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
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
    const status = statusOf(error);
    // Rate limits and server errors are retried by the client and the state machine; anything
    // else (a vanished ref, a corrupt archive) leaves the plan without a ranking.
    if (status === 429) throw error;
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
