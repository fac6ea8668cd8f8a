// Reads the facts of the review gate for one pull request: every review (all pages) and the
// repository permission of each person whose latest review approved or requested changes (through
// the collaborator-permission API, never author_association), then approval.ts decides.
import type { Octokit } from "@octokit/rest";
import type { ApprovalEvaluation } from "../../contract/state";
import { canWrite, readPermission } from "../github/permissions";
import { decideApproval, latestVerdictPerReviewer, type ReviewSignal } from "./approval";

interface Target {
  owner: string;
  repo: string;
}

// An array, not a Set: Pulumi serializes module-level values by value and a Set arrives as `{}`.
export async function readReviews(
  octokit: Octokit,
  target: Target,
  pullNumber: number,
): Promise<ReviewSignal[]> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
    ...target,
    pull_number: pullNumber,
    per_page: 100,
  });
  return reviews.map((review) => ({
    id: review.id,
    login: review.user?.login ?? null,
    isBot: review.user?.type === "Bot",
    state: review.state,
    commitId: review.commit_id ?? null,
    submittedAt: review.submitted_at ?? null,
  }));
}

export async function readApproval(
  octokit: Octokit,
  target: Target,
  pull: { number: number; headSha: string },
  required: boolean,
): Promise<ApprovalEvaluation> {
  const verdicts = latestVerdictPerReviewer(await readReviews(octokit, target, pull.number));
  const writers = new Set<string>();
  await Promise.all(
    verdicts.map(async ({ login }) => {
      if (canWrite(await readPermission(octokit, target, login))) writers.add(login);
    }),
  );
  return decideApproval(verdicts, writers, { required, headSha: pull.headSha });
}
