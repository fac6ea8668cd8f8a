// An issue the factory already finished: its pull request from `afu9/issue-<n>` was merged. A
// later delivery for it (an edit, a comment, a re-label) must not start the work again.
import type { Octokit } from "@octokit/rest";

/** The number of a merged factory pull request of this issue, or undefined. */
export async function findMergedFactoryPull(
  octokit: Octokit,
  owner: string,
  repo: string,
  issueNumber: number,
): Promise<number | undefined> {
  const branch = `afu9/issue-${issueNumber}`;
  const { data } = await octokit.rest.pulls.list({
    owner,
    repo,
    state: "closed",
    head: `${owner}:${branch}`,
    per_page: 100,
  });
  const merged = data.find(
    (pr) =>
      pr.merged_at !== null &&
      pr.head.ref === branch &&
      pr.head.repo?.full_name === `${owner}/${repo}`,
  );
  return merged?.number;
}
