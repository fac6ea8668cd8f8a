// A draft pull request cannot be merged, and GitHub's REST API cannot make it ready: only the
// GraphQL mutation `markPullRequestReadyForReview` can (Pull requests: write).
import type { Octokit } from "@octokit/rest";

export async function markReadyForReview(octokit: Octokit, pullNodeId: string): Promise<void> {
  await octokit.graphql(
    `mutation ($id: ID!) {
      markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } }
    }`,
    { id: pullNodeId },
  );
}
